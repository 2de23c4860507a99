from odoo import fields, models


class SerialGenealogyWizardLine(models.TransientModel):
    _name = "serial.genealogy.wizard.line"
    _description = "Component serials of one finished serial"

    wizard_id = fields.Many2one("serial.genealogy.wizard", required=True, ondelete="cascade")
    finished_lot_id = fields.Many2one("stock.lot", string="Finished serial", required=True, readonly=True)
    component_lot_ids = fields.Many2many(
        "stock.lot", "serial_genealogy_wizard_line_lot_rel", "line_id", "lot_id", string="Component serials"
    )
