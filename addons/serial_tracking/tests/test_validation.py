from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestServerValidation(SerialTrackingCase):
    """The serial rules hold when a picking, an adjustment or a plain move is done."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Pattern scanner", serial_pattern="996*****")

    def _return_picking(self, picking, quantity=1):
        """Return ``picking`` through Odoo's own return wizard (18.0: stock.return.picking)."""
        wizard = (
            self.env["stock.return.picking"].with_context(active_id=picking.id, active_model="stock.picking").create({})
        )
        wizard.product_return_moves.quantity = quantity
        action = wizard.action_create_returns()
        return self.env["stock.picking"].browse(action["res_id"])

    # ------------------------------------------------------------------ pattern, count, quantities

    def test_pattern_lists_every_bad_serial(self):
        receipt = self._create_receipt(self.product, 4, ["99600001", "12345678", "996ABC", "99600002"])
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        message = str(caught.exception)
        self.assertIn("12345678", message)
        self.assertIn("996ABC", message)
        self.assertNotIn("99600001:", message)
        self.assertEqual(receipt.state, "assigned")
        self.assertFalse(self._find_lot(self.product, "99600001"), "nothing is written when validation fails")

    def test_long_list_of_bad_serials_is_cut_without_translation_warning(self):
        serials = [f"BAD{index:05d}" for index in range(60)]
        receipt = self._create_receipt(self.product, 60, serials)
        with self.assertNoLogs("odoo.tools.translate", "WARNING"), self.assertRaises(UserError) as caught:
            self._validate(receipt)
        message = str(caught.exception)
        self.assertIn("BAD00000", message)
        self.assertIn("… and 10 more", message)

    def test_matching_serials_are_received(self):
        receipt = self._create_receipt(self.product, 2, ["99600001", "99600002"])
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self._on_hand_serials(self.product), ["99600001", "99600002"])

    def test_count_must_equal_quantity(self):
        receipt = self._create_receipt(self.product, 3)
        move = receipt.move_ids
        self._set_move_serials(move, ["99600001", "99600002"])
        self._set_move_quantity_without_serials_added(move, 1)
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("2 / 3 serial numbers entered", str(caught.exception))
        self.assertIn("required at receipt", str(caught.exception))

    def _set_move_quantity_without_serials_added(self, move, quantity):
        self.env["stock.move.line"].create(dict(self._move_line_vals(move, quantity), picked=True))

    def test_serial_line_of_two_units_is_a_count_mismatch(self):
        receipt = self._create_receipt(self.product, 2)
        self._set_move_serials(receipt.move_ids, ["99600001"], quantity_per_line=2)
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("1 / 2 serial numbers entered", str(caught.exception))

    def test_whole_quantities_only(self):
        receipt = self._create_receipt(self.product, 2)
        self._set_move_serials(receipt.move_ids, ["99600001", "99600002"], quantity_per_line=0.5)
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("whole numbers", str(caught.exception))

    def test_duplicates_within_a_picking(self):
        receipt = self._create_receipt(self.product, 3, ["99600001", "99600001", "99600002"])
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("99600001 is entered 2 times", str(caught.exception))

    def test_duplicates_across_moves_of_one_picking(self):
        receipt = self._create_receipt(self.product, 1)
        receipt.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.supplier_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ]
            }
        )
        receipt.action_confirm()
        for move in receipt.move_ids:
            self._set_move_serials(move, ["99600007"])
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("99600007 is entered 2 times", str(caught.exception))

    def test_one_error_lists_every_problem_of_every_product(self):
        other = self._create_serial_product("Other serial product", serial_pattern="AB##")
        receipt = self._create_receipt(self.product, 2)
        receipt.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "name": other.name,
                            "product_id": other.id,
                            "product_uom_qty": 2,
                            "product_uom": other.uom_id.id,
                            "location_id": self.supplier_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ]
            }
        )
        receipt.action_confirm()
        move_a, move_b = receipt.move_ids.sorted("id")
        self._set_move_serials(move_a, ["X1", "X2"])
        self._set_move_serials(move_b, ["AB1", "AB12"])
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        message = str(caught.exception)
        for serial in ("X1", "X2", "AB1"):
            self.assertIn(f"{serial}:", message)
        self.assertIn(self.product.display_name, message)
        self.assertIn(other.display_name, message)

    # ------------------------------------------------------------------ uniqueness and reuse

    def test_serial_already_on_hand_cannot_come_in_again(self):
        self._stock_serials(self.product, ["99600001"], location=self.shelf_location)
        receipt = self._create_receipt(self.product, 2, ["99600001", "99600002"])
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("99600001", str(caught.exception))
        self.assertNotIn("99600002", str(caught.exception).split("already used")[1])

    def test_product_scope_allows_the_same_serial_for_another_product(self):
        other = self._create_serial_product("Product-scope twin")
        self._stock_serials(self.product, ["99600001"])
        receipt = self._create_receipt(other, 1, ["99600001"])
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")

    def test_company_scope_refuses_a_serial_of_another_product(self):
        other = self._create_serial_product("Company-scope product", serial_uniqueness="company")
        self._stock_serials(self.product, ["99600001"])
        receipt = self._create_receipt(other, 2, ["99600001", "C-2"])
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("99600001", str(caught.exception))
        self.assertIn("company", str(caught.exception))

    def test_company_scope_allows_the_serial_in_another_company(self):
        company_b = self._create_second_company()
        other = self._create_serial_product("Company-scope product", serial_uniqueness="company", company=company_b)
        self._stock_serials(self.product, ["99600001"])
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        picking = (
            self.env["stock.picking"]
            .with_company(company_b)
            .create(
                {
                    "picking_type_id": warehouse_b.in_type_id.id,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": warehouse_b.lot_stock_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": other.name,
                                "product_id": other.id,
                                "product_uom_qty": 1,
                                "product_uom": other.uom_id.id,
                                "location_id": self.supplier_location.id,
                                "location_dest_id": warehouse_b.lot_stock_id.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        self._set_move_serials(picking.move_ids, ["99600001"])
        self._validate(picking.with_company(company_b))
        self.assertEqual(picking.state, "done")

    def test_global_scope_refuses_a_serial_of_another_company(self):
        company_b = self._create_second_company()
        product_b = self._create_serial_product("Company B product", company=company_b)
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        self._stock_serials(product_b, ["G-1"], location=warehouse_b.lot_stock_id)
        global_product = self._create_serial_product("Global product", serial_uniqueness="global")
        receipt = self._create_receipt(global_product, 1, ["G-1"])
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("G-1", str(caught.exception))

    def test_shipped_serial_cannot_be_received_again_but_can_be_returned(self):
        self._stock_serials(self.product, ["99600001"])
        delivery = self._create_delivery(self.product, 1, ["99600001"])
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")

        receipt = self._create_receipt(self.product, 1, ["99600001"])
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("99600001", str(caught.exception))

        customer_return = self._return_picking(delivery)
        self._set_move_serials(customer_return.move_ids, ["99600001"])
        self._validate(customer_return)
        self.assertEqual(customer_return.state, "done")
        self.assertEqual(self._on_hand_serials(self.product), ["99600001"])

    def test_consumed_serial_cannot_come_in_again(self):
        lot = self._stock_serials(self.product, ["99600003"])
        production_location = self.product.with_company(self.company).property_stock_production
        consume = self.env["stock.move"].create(
            {
                "name": "consume",
                "product_id": self.product.id,
                "product_uom_qty": 1,
                "product_uom": self.product.uom_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": production_location.id,
            }
        )
        consume._action_confirm()
        consume._action_assign()
        consume.move_line_ids.write({"lot_id": lot.id, "quantity": 1, "picked": True})
        consume.picked = True
        consume._action_done()
        self.assertEqual(consume.state, "done")

        receipt = self._create_receipt(self.product, 1, ["99600003"])
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("99600003", str(caught.exception))

    # ------------------------------------------------------------------ adjustments and plain moves

    def test_inventory_adjustment_is_validated(self):
        lots = self.env["stock.lot"].create(
            [
                {"name": name, "product_id": self.product.id, "company_id": self.company.id}
                for name in ("BAD-1", "BAD-2")
            ]
        )
        quants = self._counted_quants(lots)
        with self.assertRaises(UserError) as caught:
            quants.action_apply_inventory()
        self.assertIn("BAD-1", str(caught.exception))
        self.assertIn("BAD-2", str(caught.exception))

    def test_plain_move_is_validated(self):
        move = self.env["stock.move"].create(
            {
                "name": "plain move",
                "product_id": self.product.id,
                "product_uom_qty": 1,
                "product_uom": self.product.uom_id.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": self.stock_location.id,
            }
        )
        move._action_confirm()
        self._set_move_serials(move, ["NOPE"])
        with self.assertRaises(UserError) as caught:
            move._action_done()
        self.assertIn("NOPE", str(caught.exception))

    # ------------------------------------------------------------------ required at receipt / at sale

    def test_required_at_receipt_refuses_a_receipt_without_serials(self):
        receipt = self._create_receipt(self.product, 2)
        self._set_move_quantity_without_serials(receipt.move_ids)
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("required at receipt", str(caught.exception))
        self.assertIn("0 / 2", str(caught.exception))

    def test_required_at_sale_refuses_a_delivery_without_serials(self):
        self.product.serial_required_on_sale = True
        self._stock_without_serials(self.product, 2)
        delivery = self._create_delivery(self.product, 2)
        self._set_move_quantity_without_serials(delivery.move_ids)
        with self.assertRaises(UserError) as caught:
            self._validate(delivery)
        self.assertIn("required at sale", str(caught.exception))

    def test_not_required_at_sale_delivers_units_without_serials(self):
        self._stock_without_serials(self.product, 2)
        delivery = self._create_delivery(self.product, 2)
        self._set_move_quantity_without_serials(delivery.move_ids)
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(self.product.qty_available, 0)

    def test_units_without_serial_must_exist_to_leave_without_one(self):
        self._stock_serials(self.product, ["99600001", "99600002"])
        delivery = self._create_delivery(self.product, 2)
        self._set_move_quantity_without_serials(delivery.move_ids)
        with self.assertRaises(UserError) as caught:
            self._validate(delivery)
        self.assertIn("choose serial numbers", str(caught.exception))

    def test_delivery_with_serials(self):
        self._stock_serials(self.product, ["99600001", "99600002"])
        delivery = self._create_delivery(self.product, 1, ["99600002"])
        self._validate(delivery)
        self.assertEqual(self._on_hand_serials(self.product), ["99600001"])


@tagged("post_install", "-at_install")
class TestValidationInOtherFlows(SerialTrackingCase):
    """The same rules hold for manufacturing orders and sale deliveries (mrp, sale_stock)."""

    def _manufacture(self, product, serial_name):
        """A confirmed manufacturing order of one unit (one component), producing ``serial_name``."""
        component = self.env["product.product"].create({"name": "Screw", "is_storable": False})
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": component.id, "product_qty": 2})],
            }
        )
        form = Form(self.env["mrp.production"])
        form.product_id = product
        form.bom_id = bom
        form.product_qty = 1
        production = form.save()
        production.action_confirm()
        return self._set_producing_serial(production, serial_name)

    def test_manufactured_serial_follows_the_pattern(self):
        product = self._create_serial_product("Built", serial_pattern="MO-###")
        production = self._manufacture(product, "MO-001")
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        self.assertEqual(self._on_hand_serials(product), ["MO-001"])

        wrong = self._manufacture(product, "WRONG-1")
        with self.assertRaises(UserError) as caught:
            wrong.button_mark_done()
        self.assertIn("WRONG-1", str(caught.exception))

    def test_sale_delivery_requires_serials_when_asked(self):
        product = self._create_serial_product("Sold", serial_required_on_sale=True)
        self._stock_without_serials(product, 1)
        lot = self._stock_serials(product, ["SOLD-1"])
        # The order carries its serial (its confirmation requires it); the delivery then ships a unit without one.
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": 1, "serial_lot_ids": [Command.set(lot.ids)]}
                    )
                ],
            }
        )
        order.action_confirm()
        delivery = order.picking_ids
        self.assertEqual(len(delivery), 1)
        self._set_move_quantity_without_serials(delivery.move_ids, 1)
        with self.assertRaises(UserError) as caught:
            self._validate(delivery)
        self.assertIn("required at sale", str(caught.exception))
