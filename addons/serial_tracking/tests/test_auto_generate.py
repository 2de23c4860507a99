"""Auto-generation: entering a quantity on an incoming move fills in serials from the product's format."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestAutoGenerate(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product(
            "Auto Widget", serial_auto_generate=True, serial_format="AG-[[INCNUM,NONE,4]]"
        )
        cls.manual_product = cls._create_serial_product(
            "Manual Widget", serial_auto_generate=False, serial_format="MW-[[INCNUM,NONE,4]]"
        )

    def _names(self, move):
        return sorted(move.move_line_ids.mapped("lot_name"))

    def test_manual_receipt_gets_serials_when_confirmed(self):
        receipt = self._create_receipt(self.product, 3)
        self.assertEqual(self._names(receipt.move_ids), ["AG-0001", "AG-0002", "AG-0003"])
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self._on_hand_serials(self.product), ["AG-0001", "AG-0002", "AG-0003"])

    def test_the_entry_wizard_shows_the_generated_serials(self):
        receipt = self._create_receipt(self.product, 3)
        action = receipt.move_ids.action_open_serial_entry()
        form = Form(self.env["serial.entry.wizard"].with_context(**action["context"]))
        self.assertEqual(form.count_label, "Serial numbers (3 / 3)")
        self.assertEqual(form.serials_summary, "AG-0001 – AG-0003 (3)")
        self.assertTrue(form.can_confirm)

    def test_quantity_changes_issue_only_the_missing_serials(self):
        receipt = self._create_receipt(self.product, 3)
        move = receipt.move_ids
        move.quantity = 5
        self.assertEqual(self._names(move), ["AG-0001", "AG-0002", "AG-0003", "AG-0004", "AG-0005"])
        move.quantity = 4
        self.assertEqual(len(move.move_line_ids), 4)
        self.assertEqual(len(set(self._names(move))), 4)
        kept = set(self._names(move))
        move.quantity = 5
        names = self._names(move)
        self.assertTrue(kept <= set(names))
        self.assertIn("AG-0006", names, "a dropped number is never issued again")
        self._validate(receipt)
        self.assertEqual(len(self._on_hand_serials(self.product)), 5)

    def test_quantity_entered_in_the_picking_form(self):
        picking_form = Form(self.env["stock.picking"].with_user(self.stock_user))
        picking_form.picking_type_id = self.picking_type_in
        picking_form.partner_id = self.partner
        with picking_form.move_ids_without_package.new() as move_form:
            move_form.product_id = self.product
            move_form.product_uom_qty = 2
        picking = picking_form.save()
        picking.action_confirm()
        self.assertEqual(self._names(picking.move_ids), ["AG-0001", "AG-0002"])
        with Form(picking) as picking_form:
            with picking_form.move_ids_without_package.edit(0) as move_form:
                move_form.quantity = 4
        self.assertEqual(self._names(picking.move_ids), ["AG-0001", "AG-0002", "AG-0003", "AG-0004"])

    def test_receipt_from_purchase_order(self):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_qty": 4, "price_unit": 10})],
            }
        )
        order.button_confirm()
        receipt = order.picking_ids
        self.assertEqual(len(receipt), 1)
        self.assertEqual(self._names(receipt.move_ids), ["AG-0001", "AG-0002", "AG-0003", "AG-0004"])
        self._validate(receipt)
        self.assertEqual(order.order_line.qty_received, 4)

    def test_purchase_quantity_changes_keep_the_issued_serials(self):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_qty": 4, "price_unit": 10})],
            }
        )
        order.button_confirm()
        move = order.picking_ids.move_ids
        self.assertEqual(self._names(move), ["AG-0001", "AG-0002", "AG-0003", "AG-0004"])
        order.order_line.product_qty = 3
        self.assertEqual(move.product_uom_qty, 3)
        self.assertEqual(self._names(move), ["AG-0001", "AG-0002", "AG-0003"])
        order.order_line.product_qty = 5
        self.assertEqual(self._names(move), ["AG-0001", "AG-0002", "AG-0003", "AG-0005", "AG-0006"])

    def test_without_auto_generate_lines_stay_empty(self):
        receipt = self._create_receipt(self.manual_product, 2)
        self.assertEqual(receipt.move_ids.move_line_ids.mapped("lot_name"), [False, False])

    def test_serials_typed_by_the_user_are_kept(self):
        receipt = self._create_receipt(self.product, 2, serials=["TYPED-1", "TYPED-2"])
        receipt.move_ids.quantity = 3
        names = self._names(receipt.move_ids)
        self.assertEqual(names, ["AG-0003", "TYPED-1", "TYPED-2"])

    def test_deliveries_are_not_filled(self):
        self._stock_serials(self.product, ["S-1", "S-2"])
        delivery = self._create_delivery(self.product, 2)
        self.assertEqual(sorted(delivery.move_ids.move_line_ids.lot_id.mapped("name")), ["S-1", "S-2"])
        issued = [
            name for name in delivery.move_ids.move_line_ids.mapped("lot_name") if name and name.startswith("AG-")
        ]
        self.assertFalse(issued)

    def test_products_sharing_a_sequence_draw_from_one_counter(self):
        sequence = self.env["serial.sequence"].create(
            {"name": "Shared", "code": "shared-auto", "format": "SH-[[INCNUM,NONE,3]]"}
        )
        first = self._create_serial_product("Shared A", serial_auto_generate=True, serial_sequence_id=sequence.id)
        second = self._create_serial_product("Shared B", serial_auto_generate=True, serial_sequence_id=sequence.id)
        receipt_a = self._create_receipt(first, 2)
        receipt_b = self._create_receipt(second, 2)
        self.assertEqual(self._names(receipt_a.move_ids), ["SH-001", "SH-002"])
        self.assertEqual(self._names(receipt_b.move_ids), ["SH-003", "SH-004"])

    def test_auto_generate_without_any_format_says_what_is_missing(self):
        self.company.sudo().serial_default_format = False
        product = self._create_serial_product("No format", serial_auto_generate=True, serial_format=False)
        with self.assertRaisesRegex(UserError, "No format.*no serial format"):
            self._create_receipt(product, 2)
