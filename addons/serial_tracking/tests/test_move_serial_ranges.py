"""A transfer's operations list shows each move's serials as collapsed ranges."""

from odoo.tests import tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestMoveSerialRanges(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Ranged Widget")

    def test_entered_serials_show_as_ranges_before_and_after_validation(self):
        serials = ["RG-001", "RG-002", "RG-003", "RG-007", "RG-008"]
        receipt = self._create_receipt(self.product, 5, serials)
        self.assertFalse(receipt.move_line_ids.lot_id, "lot names only, before validation")
        self.assertEqual(receipt.move_ids.serial_ranges, "RG-001 – RG-003 (3), RG-007 – RG-008 (2)")
        self._validate(receipt)
        self.assertEqual(receipt.move_ids.serial_ranges, "RG-001 – RG-003 (3), RG-007 – RG-008 (2)")

    def test_many_ranges_are_cut_short(self):
        serials = [f"CUT-{number:03d}" for number in range(1, 20, 2)]
        receipt = self._create_receipt(self.product, len(serials), serials)
        self.assertEqual(receipt.move_ids.serial_ranges, "CUT-001, CUT-003, CUT-005 … and 7 more")

    def test_moves_without_serials_show_nothing(self):
        receipt = self._create_receipt(self.product, 2)
        self.assertFalse(receipt.move_ids.serial_ranges)

    def test_shown_in_the_operations_list_of_a_transfer(self):
        # The column is for users of Lots & Serial Numbers, as the stock user is.
        pickings = self.env["stock.picking"].with_user(self.stock_user)
        arch = pickings.get_view(self.env.ref("stock.view_picking_form").id)["arch"]
        self.assertIn('name="serial_ranges"', arch)
