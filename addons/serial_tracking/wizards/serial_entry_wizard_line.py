from odoo import fields, models


class SerialEntryWizardLine(models.TransientModel):
    _name = "serial.entry.wizard.line"
    _inherit = "serial.entry.dialog.line"
    _description = "Serial number being entered for a move"

    wizard_id = fields.Many2one("serial.entry.wizard", required=True, ondelete="cascade")
