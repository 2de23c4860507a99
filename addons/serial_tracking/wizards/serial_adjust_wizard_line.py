from odoo import fields, models


class SerialAdjustWizardLine(models.TransientModel):
    _name = "serial.adjust.wizard.line"
    _inherit = "serial.entry.dialog.line"
    _description = "Serial number being added by an inventory adjustment"

    wizard_id = fields.Many2one("serial.adjust.wizard", required=True, ondelete="cascade")
