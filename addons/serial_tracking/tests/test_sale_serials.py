"""Serials chosen on sale order lines: the entry dialog, the confirmation check, the delivery."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase

SERIALS = [f"SN-{n:04d}" for n in range(1, 13)]


@tagged("post_install", "-at_install")
class TestSaleSerials(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Sold Widget", serial_required_on_sale=True, serial_pattern="SN-####")
        cls.lots = cls._stock_serials(cls.product, SERIALS)
        cls.by_name = {lot.name: lot for lot in cls.lots}
        cls.plain = cls._create_serial_product("Unflagged Widget")
        cls._stock_serials(cls.plain, ["U-1", "U-2"])

    def _order(self, product, quantity, serials=(), lines=1):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity}) for _ in range(lines)
                ],
            }
        )
        if serials:
            order.order_line[0].serial_lot_ids = [Command.set([self.by_name[name].id for name in serials])]
        return order

    def _dialog(self, line):
        action = line.action_open_serial_entry()
        self.assertEqual(action["context"]["default_mode"], "remove")
        return Form(self.env["serial.entry.wizard"].with_context(**action["context"])).save()

    def test_dialog_picks_on_hand_serials_and_expands_a_pasted_range(self):
        order = self._order(self.product, 4)
        wizard = self._dialog(order.order_line)
        self.assertEqual(wizard.location_id, self.stock_location)
        self.assertEqual(sorted(wizard.available_lot_ids.mapped("name")), SERIALS)
        wizard.paste_text = "SN-0002 – SN-0004 (3)\nSN-0009"
        wizard.action_add_pasted()
        self.assertEqual(sorted(wizard.lot_ids.mapped("name")), ["SN-0002", "SN-0003", "SN-0004", "SN-0009"])
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        wizard.action_confirm()
        self.assertEqual(
            sorted(order.order_line.serial_lot_ids.mapped("name")), ["SN-0002", "SN-0003", "SN-0004", "SN-0009"]
        )
        # Reopened, the dialog shows the line's serials; a pasted serial not on hand selects nothing.
        wizard = self._dialog(order.order_line)
        self.assertEqual(len(wizard.lot_ids), 4)
        wizard.action_clear()
        wizard.paste_text = "SN-0001 SN-0099"
        with self.assertRaisesRegex(UserError, "SN-0099"):
            wizard.action_add_pasted()
        self.assertFalse(wizard.lot_ids)

    def test_confirmation_lists_every_problem_at_once(self):
        other = self._order(self.product, 1, ["SN-0005"])
        other.action_confirm()
        stray = self.env["stock.lot"].create(
            {"name": "XX-1", "product_id": self.product.id, "company_id": self.company.id}
        )
        order = self._order(self.product, 3, ["SN-0001", "SN-0005"], lines=2)
        first, second = order.order_line
        first.serial_lot_ids |= stray
        second.product_uom_qty = 1
        second.serial_lot_ids = self.by_name["SN-0001"]
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        message = str(caught.exception)
        for expected in (
            "not matching the pattern SN-####: XX-1",
            "not on hand in",
            "promised to another open order: SN-0005",
            "serials chosen more than once: SN-0001",
        ):
            self.assertIn(expected, message)
        self.assertEqual(order.state, "draft")
        first.serial_lot_ids = self.by_name["SN-0001"] | self.by_name["SN-0002"]
        with self.assertRaisesRegex(UserError, "2 serials for 3 units"):
            order.action_confirm()

    def test_delivery_reserves_exactly_the_sold_serials_and_ships_no_other(self):
        order = self._order(self.product, 2, ["SN-0011", "SN-0007"])
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(sorted(picking.move_line_ids.lot_id.mapped("name")), ["SN-0007", "SN-0011"])
        line = picking.move_line_ids.filtered(lambda l: l.lot_id.name == "SN-0011")
        line.lot_id = self.by_name["SN-0001"]
        with self.assertRaisesRegex(UserError, "SN-0001"):
            self._validate(picking)
        line.lot_id = self.by_name["SN-0011"]
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertNotIn("SN-0011", self._on_hand_serials(self.product))

    def test_cancelling_the_order_frees_its_serials(self):
        order = self._order(self.product, 1, ["SN-0003"])
        order.action_confirm()
        second = self._order(self.product, 1, ["SN-0003"])
        with self.assertRaisesRegex(UserError, "promised to another open order"):
            second.action_confirm()
        order._action_cancel()
        second.action_confirm()
        self.assertEqual(second.picking_ids.move_line_ids.lot_id.name, "SN-0003")

    def test_without_the_flag_orders_confirm_as_today(self):
        order = self._order(self.plain, 2)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(order.picking_ids.move_line_ids.lot_id), 2)

    def test_dialog_does_not_offer_serials_promised_to_another_open_order(self):
        # Deliveries reserved by hand: the promised serials are not reserved yet, only promised.
        self.picking_type_out.reservation_method = "manual"
        promised = self._order(self.product, 2, ["SN-0005", "SN-0006"])
        promised.action_confirm()
        self.assertFalse(promised.picking_ids.move_line_ids)
        order = self._order(self.product, 2)
        wizard = self._dialog(order.order_line)
        offered = wizard.available_lot_ids.mapped("name")
        self.assertTrue(offered)
        self.assertNotIn("SN-0005", offered)
        self.assertNotIn("SN-0006", offered)
        with self.assertRaisesRegex(UserError, "SN-0005"):
            wizard.paste_text = "SN-0005"
            wizard.action_add_pasted()
        wizard.lot_ids = self.by_name["SN-0006"]
        self.assertIn("SN-0006", wizard.problem_text)
        self.assertFalse(wizard.can_confirm)
        wizard.action_clear()
        wizard.action_auto_select()
        self.assertEqual(sorted(wizard.lot_ids.mapped("name")), ["SN-0001", "SN-0002"])
        # A draft quotation promises nothing: its serials stay on offer.
        self._order(self.product, 1, ["SN-0007"])
        self.assertIn("SN-0007", self._dialog(order.order_line).available_lot_ids.mapped("name"))
