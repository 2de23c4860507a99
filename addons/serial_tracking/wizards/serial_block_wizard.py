from odoo import fields, models


class SerialBlockWizard(models.TransientModel):
    _name = "serial.block.wizard"
    _description = "Block Serials"

    lot_ids = fields.Many2many("stock.lot", string="Serials", required=True)
    reason = fields.Char(
        required=True, help="Why these serials may not be used, e.g. 'Recall 2026-04: faulty battery'."
    )

    def action_block(self):
        self.ensure_one()
        self.lot_ids.write({"serial_blocked": True, "serial_block_reason": self.reason})
        return {"type": "ir.actions.act_window_close"}
