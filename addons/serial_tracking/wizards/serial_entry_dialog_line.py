from odoo import fields, models


class SerialEntryDialogLine(models.AbstractModel):
    """One serial typed, pasted, generated or imported in a serial entry dialog. Each flow's line model
    inherits it and adds ``wizard_id``, the Many2one to its dialog."""

    _name = "serial.entry.dialog.line"
    _description = "Serial number being entered"
    _order = "sequence, id"

    wizard_id = fields.Many2one("serial.entry.dialog")
    sequence = fields.Integer(default=10)
    name = fields.Char("Serial number", required=True)
