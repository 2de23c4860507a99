"""Entities: one record per serial item, created on order or on receipt, reused, counted on the product."""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialEntities(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.car = cls._create_serial_product(
            "Serial Car A6", serial_entity_rule="on_receipt", serial_entity_parameter="Chassis number"
        )
        cls.model_a6 = cls.env["serial.entity.model"].create(
            {"brand": "Audi", "name": "A6", "serial_pattern": "XY123***", "product_id": cls.car.id}
        )

    def _entities(self, product):
        return self.env["serial.entity"].search([("product_id", "=", product.id)])

    def test_receipt_creates_one_entity_per_serial_and_a_later_receipt_reuses_it(self):
        self.assertEqual(self.car.serial_entity_model_id, self.model_a6)
        receipt = self._create_receipt(self.car, 2, serials=["XY123001", "XY123002"])
        self._validate(receipt)
        entities = self._entities(self.car)
        self.assertEqual(sorted(entities.mapped("parameter_value")), ["XY123001", "XY123002"])
        self.assertEqual(set(entities.mapped("parameter_name")), {"Chassis number"})
        self.assertEqual(entities.model_id, self.model_a6)
        self.assertEqual(set(entities.mapped("state")), {"in_stock"})
        self.assertEqual(entities.picking_ids, receipt)
        self.env.invalidate_all()
        self.assertEqual(self.car.serial_entity_purchased_count, 2)

        delivery = self._create_delivery(self.car, 1, serials=["XY123001"])
        self._validate(delivery)
        first = entities.filtered(lambda e: e.parameter_value == "XY123001")
        self.assertEqual((first.state, first.partner_id), ("delivered", self.partner))
        # The customer sends it back: a return receipt of the same serial.
        wizard = Form(
            self.env["stock.return.picking"].with_context(active_id=delivery.id, active_model="stock.picking")
        )
        wizard = wizard.save()
        wizard.product_return_moves.quantity = 1
        back = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        self._set_move_serials(back.move_ids, ["XY123001"])
        self._validate(back)
        self.assertEqual(self._entities(self.car), entities, "the returned serial keeps its entity")
        self.assertEqual(first.picking_ids, receipt | delivery | back)
        self.assertEqual(first.state, "in_stock")

    def test_saving_a_sale_line_with_a_serial_creates_the_entity_on_order(self):
        bike = self._create_serial_product("Serial Bike", serial_entity_rule="on_order")
        lots = self._stock_serials(bike, ["B-1", "B-2"])
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": bike.id, "product_uom_qty": 1, "serial_lot_ids": [Command.set(lots[:1].ids)]}
                    )
                ],
            }
        )
        entity = self._entities(bike)
        self.assertEqual(entity.lot_id, lots[0])
        self.assertEqual(entity.sale_line_ids, order.order_line)
        self.assertEqual(bike.serial_entity_sold_count, 0, "a quotation does not count as sold")
        order.action_confirm()
        self.assertEqual((entity.state, entity.partner_id), ("sold", self.partner))
        self.env.invalidate_all()  # the counts are computed live, never stored
        self.assertEqual(bike.serial_entity_sold_count, 1)
        # Saving again never duplicates it.
        order.order_line.serial_lot_ids = [Command.set(lots[:1].ids)]
        self.assertEqual(self._entities(bike), entity)

    def test_a_product_cannot_be_linked_to_a_second_model(self):
        with self.assertRaisesRegex(ValidationError, "each model needs its own product"):
            self.env["serial.entity.model"].create({"brand": "Audi", "name": "A4", "product_id": self.car.id})
        a4 = self.env["serial.entity.model"].create({"brand": "Audi", "name": "A4"})
        other = self._create_serial_product("Serial Car A4")
        a4.product_id = other
        with self.assertRaisesRegex(ValidationError, "each model needs its own product"):
            self.car.serial_entity_model_id = a4

    def test_product_form_shows_the_entities_tab_counts(self):
        # The tab is for users of Lots & Serial Numbers (not granted by a database without demo data).
        self.env.user.groups_id |= self.env.ref("stock.group_production_lot")
        with Form(self.car.product_tmpl_id) as form:
            self.assertEqual(form.serial_entity_model_id, self.model_a6)
            self.assertEqual(form.serial_entity_purchased_count, 0)
        action = self.car.product_tmpl_id.action_open_serial_entities()
        self.assertEqual(action["res_model"], "serial.entity")

    def test_without_a_rule_no_entity_is_created(self):
        plain = self._create_serial_product("Serial Plain")
        self._validate(self._create_receipt(plain, 1, serials=["P-1"]))
        self.assertFalse(self._entities(plain))
