"""The lines stock_account values (incoming, outgoing), read by column (tools/valued_lines.py): the same
lines in the same order as stock_account's own loop, and its loop whenever another module takes part."""

from unittest.mock import patch

from odoo.tests import tagged

from ..models.stock_move import StockMove
from ..tools.valued_lines import valued_lines
from .common import SerialTrackingCase


def account_lines(move, incoming):
    """stock_account's answer, the addon's override skipped."""
    account = super(StockMove, move)
    return account._get_in_move_lines() if incoming else account._get_out_move_lines()


@tagged("post_install", "-at_install")
class TestValuedLines(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Valued lines")
        cls.owner = cls.env["res.partner"].create({"name": "Consigning owner"})

    def _move(self, source, destination, lines):
        """A move with one line per (picked, owner, destination or None) of ``lines``."""
        move = self.env["stock.move"].create(
            {
                "name": "Valued lines",
                "picked": True,
                "product_id": self.product.id,
                "product_uom_qty": len(lines),
                "product_uom": self.product.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "product_uom_id": self.product.uom_id.id,
                            "quantity": 1,
                            "lot_name": f"VL-{index}",
                            "owner_id": owner.id if owner else False,
                            "location_id": source.id,
                            "location_dest_id": (line_destination or destination).id,
                        },
                    )
                    for index, (_picked, owner, line_destination) in enumerate(lines)
                ],
            }
        )
        for index, (picked, _owner, _destination) in enumerate(lines):
            move.move_line_ids.filtered(lambda line, name=f"VL-{index}": line.lot_name == name).picked = picked
        return move

    def test_same_lines_as_stock_account(self):
        company_partner = self.company.partner_id
        mixed = [
            (True, None, None),
            (False, None, None),  # not picked: never valued
            (True, self.owner, None),  # another owner's unit: never valued
            (True, company_partner, None),  # the company's own partner as owner: valued
            (True, None, self.shelf_location),
            (True, None, self.customer_location),  # neither in nor out
            (True, None, None),
        ]
        incoming = self._move(self.supplier_location, self.stock_location, mixed)
        outgoing = self._move(self.stock_location, self.customer_location, mixed[:5])
        for move in (incoming, outgoing):
            for direction in (True, False):
                expected = account_lines(move, direction)
                self.assertEqual(valued_lines(move, direction).ids, expected.ids)
                answer = move._get_in_move_lines() if direction else move._get_out_move_lines()
                self.assertEqual(answer.ids, expected.ids)
        # Some lines valued, some not: the comparison says something.
        self.assertTrue(0 < len(incoming._get_in_move_lines()) < len(incoming.move_line_ids))
        self.assertTrue(0 < len(outgoing._get_out_move_lines()) < len(outgoing.move_line_ids))

    def test_another_modules_rule_is_followed(self):
        """A module excluding lines its own way: stock_account's loop runs, and asks it."""
        move = self._move(self.supplier_location, self.stock_location, [(True, None, None), (True, None, None)])
        self.assertEqual(len(move._get_in_move_lines()), 2)
        line_class = type(self.env["stock.move.line"])
        with patch.object(line_class, "_should_exclude_for_valuation", lambda line: True, create=True):
            self.assertIsNone(valued_lines(move, True))
            self.assertFalse(move._get_in_move_lines())
