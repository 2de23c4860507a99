"""Browser tour: a salesperson picks the serials of a quotation line with the serial entry dialog."""

from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSaleSerialsTour(HttpCase):
    def test_sale_serials_tour(self):
        product = self.env["product.product"].create(
            {
                "name": "Tour Sold Widget",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "serial_required_on_sale": True,
            }
        )
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        for name in ("TS-0001", "TS-0002", "TS-0003", "TS-0004", "TS-0005"):
            lot = self.env["stock.lot"].create({"name": name, "product_id": product.id})
            self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 1, lot_id=lot)
        admin = self.env.ref("base.user_admin")
        admin.write({"groups_id": [Command.link(self.env.ref("stock.group_production_lot").id)]})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Tour Customer"}).id,
                "warehouse_id": warehouse.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3})],
            }
        )
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "serial_tracking_sale_serials",
            login="admin",
            timeout=120,
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(sorted(order.order_line.serial_lot_ids.mapped("name")), ["TS-0002", "TS-0003", "TS-0004"])
        self.assertEqual(
            sorted(order.picking_ids.move_line_ids.lot_id.mapped("name")), ["TS-0002", "TS-0003", "TS-0004"]
        )
