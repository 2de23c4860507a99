from odoo import fields, models


class SerialAllocateWizardLine(models.TransientModel):
    _name = "serial.allocate.wizard.line"
    _inherit = "serial.entry.dialog.line"
    _description = "Serial number being allocated"

    wizard_id = fields.Many2one("serial.allocate.wizard", required=True, ondelete="cascade")
