"""The serial check runs once per validation, and again only for lines that changed after it ran."""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestValidationOnce(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Checked-once scanner", serial_pattern="CO-###")

    @contextmanager
    def _counting_checks(self):
        """Count the calls of the serial check (each still runs for real) inside the block."""
        model_class = type(self.env["stock.move.line"])
        original = model_class._serial_check_done_lines
        calls = []

        def counted(lines):
            calls.append(lines.ids)
            return original(lines)

        with patch.object(model_class, "_serial_check_done_lines", counted):
            yield calls

    def test_picking_validation_checks_once(self):
        receipt = self._create_receipt(self.product, 3, ["CO-001", "CO-002", "CO-003"])
        with self._counting_checks() as calls:
            self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual(sorted(calls[0]), sorted(receipt.move_line_ids.ids))

    def test_validation_of_a_picking_with_nothing_picked_checks_once(self):
        receipt = self._create_receipt(self.product, 2, ["CO-011", "CO-012"])
        receipt.move_ids.picked = False
        self.assertFalse(any(receipt.move_line_ids.mapped("picked")))
        with self._counting_checks() as calls:
            self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(len(calls), 1, calls)

    def test_several_pickings_validated_together_check_once(self):
        first = self._create_receipt(self.product, 1, ["CO-021"])
        second = self._create_receipt(self.product, 1, ["CO-022"])
        # A picking not to backorder: Odoo then finishes the two pickings in two batches.
        with self._counting_checks() as calls:
            (first | second).with_context(
                skip_backorder=True, picking_ids_not_to_backorder=second.ids
            ).button_validate()
        self.assertEqual((first | second).mapped("state"), ["done", "done"])
        self.assertEqual(len(calls), 1, calls)

    def test_refused_validation_checks_once_and_writes_nothing(self):
        receipt = self._create_receipt(self.product, 2, ["CO-031", "BAD"])
        with self._counting_checks() as calls, self.assertRaisesRegex(UserError, "BAD"):
            self._validate(receipt)
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual(receipt.state, "assigned")

    def test_a_line_changed_after_the_check_is_checked_again(self):
        receipt = self._create_receipt(self.product, 2, ["CO-041", "CO-042"])
        lines = receipt._serial_lines_being_validated()
        lines._serial_check_done_lines()
        lines._serial_remember_checked()
        lines[1].lot_name = "BAD"
        with self.assertRaisesRegex(UserError, "BAD"):
            receipt.with_context(skip_sanity_check=True, skip_backorder=True).button_validate()
        self.assertEqual(receipt.state, "assigned")

    def test_inventory_adjustment_checks_once(self):
        lot = self.env["stock.lot"].create({"name": "CO-051", "product_id": self.product.id})
        quant = self._counted_quants(lot)
        with self._counting_checks() as calls:
            quant.action_apply_inventory()
        self.assertEqual(self._on_hand_serials(self.product), ["CO-051"])
        self.assertEqual(len(calls), 1, calls)
