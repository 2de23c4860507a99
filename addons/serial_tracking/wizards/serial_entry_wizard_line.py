from odoo import fields, models


class SerialEntryWizardLine(models.TransientModel):
    """One serial typed, pasted, generated or imported in the serial entry wizard."""

    _name = "serial.entry.wizard.line"
    _description = "Serial number being entered"
    _order = "sequence, id"

    wizard_id = fields.Many2one("serial.entry.wizard", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char("Serial number", required=True)
