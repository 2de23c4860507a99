"""Browser tour: a user opens a receipt, enters serials with the wizard and confirms."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialEntryTour(HttpCase):
    def test_serial_entry_tour(self):
        product = self.env["product.product"].create(
            {"name": "Tour Widget", "type": "consu", "is_storable": True, "tracking": "serial"}
        )
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        picking_type = warehouse.in_type_id
        supplier = self.env.ref("stock.stock_location_suppliers")
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": supplier.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    (0, 0, {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": 3,
                        "product_uom": product.uom_id.id,
                        "location_id": supplier.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    })
                ],
            }
        )
        receipt.action_confirm()
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{receipt.id}",
            "serial_tracking_serial_entry",
            login="admin",
            timeout=120,
        )
        lines = receipt.move_ids.move_line_ids
        self.assertEqual(sorted(lines.mapped("lot_name")), ["TOUR-001", "TOUR-002", "TOUR-003"])
        self.assertEqual(set(lines.mapped("quantity")), {1.0})
