from odoo import models

from ..tools.valued_lines import valued_lines


class StockMove(models.Model):
    """The lines stock_account values, read by column (tools/valued_lines.py): moves of thousands of
    serial lines are asked for them several times while they are done."""

    _inherit = "stock.move"

    def _get_in_move_lines(self):
        self.ensure_one()
        lines = valued_lines(self, incoming=True)
        return super()._get_in_move_lines() if lines is None else lines

    def _get_out_move_lines(self):
        lines = valued_lines(self, incoming=False) if len(self) == 1 else None
        return super()._get_out_move_lines() if lines is None else lines
