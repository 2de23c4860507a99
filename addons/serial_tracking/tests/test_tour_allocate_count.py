"""Browser tours: allocating some of the waiting units, and a physical count leading to Adjust Serials."""

from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAllocateAndCountTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        # Screens show serials only to users of the Lots & Serial Numbers group.
        cls.env.ref("base.user_admin").write(
            {"groups_id": [Command.link(cls.env.ref("stock.group_production_lot").id)]}
        )

    def _product(self, name):
        return self.env["product.product"].create(
            {"name": name, "type": "consu", "is_storable": True, "tracking": "serial"}
        )

    def _on_hand_serials(self, product):
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("lot_id", "!=", False), ("quantity", ">", 0)]
        )
        return sorted(quants.lot_id.mapped("name"))

    def test_allocate_some_of_the_waiting_units(self):
        product = self._product("Allocate Tour Widget")
        self.env["stock.quant"]._update_available_quantity(product, self.stock, 5)
        self.start_tour(
            "/odoo/action-serial_tracking.serial_allocation_todo_action",
            "serial_tracking_allocate_some",
            login="admin",
            timeout=120,
        )
        self.assertEqual(self._on_hand_serials(product), ["AT-1", "AT-2", "AT-3"])
        todo = self.env["serial.allocation.todo"].search([("product_id", "=", product.id)])
        self.assertEqual(todo.quantity, 2)

    def test_count_without_serials_goes_through_adjust_serials(self):
        product = self._product("Count Tour Widget")
        count = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create({"product_id": product.id, "location_id": self.stock.id, "inventory_quantity": 2})
        )
        self.start_tour("/odoo/physical-inventory", "serial_tracking_count_without_serials", login="admin", timeout=120)
        self.assertEqual(self._on_hand_serials(product), ["CT-001", "CT-002"])
        self.assertFalse(count.inventory_quantity_set)
        self.assertEqual(product.qty_available, 2)
