"""Browser tour: a user opens a receipt, enters serials with the wizard and confirms."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialEntryTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Tour Widget", "type": "consu", "is_storable": True, "tracking": "serial"}
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        # The detailed operations show lots only to users of the Lots & Serial Numbers group.
        cls.env.ref("base.user_admin").write(
            {"groups_id": [Command.link(cls.env.ref("stock.group_production_lot").id)]}
        )

    def _picking(self, picking_type, location, location_dest, quantity):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": location.id,
                "location_dest_id": location_dest.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": quantity,
                            "product_uom": self.product.uom_id.id,
                            "location_id": location.id,
                            "location_dest_id": location_dest.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _run_tour_on(self, picking, tour):
        """Run ``tour`` as admin, starting on the form of ``picking``."""
        self.start_tour(f"/odoo/action-stock.action_picking_tree_all/{picking.id}", tour, login="admin", timeout=120)

    def test_serial_entry_tour(self):
        receipt = self._picking(
            self.warehouse.in_type_id, self.env.ref("stock.stock_location_suppliers"), self.warehouse.lot_stock_id, 5
        )
        self._run_tour_on(receipt, "serial_tracking_serial_entry")
        self.assertEqual(receipt.state, "done")
        lines = receipt.move_ids.move_line_ids
        self.assertEqual(
            sorted(lines.lot_id.mapped("name")), ["TOUR-001", "TOUR-002", "TOUR-010", "TOUR-011", "TOUR-012"]
        )
        self.assertEqual(set(lines.mapped("quantity")), {1.0})

    def test_serial_remove_tour(self):
        stock = self.warehouse.lot_stock_id
        lots = self.env["stock.lot"].create(
            [{"name": name, "product_id": self.product.id} for name in ("D-1", "D-2", "D-3")]
        )
        for days, lot in enumerate(lots):
            self.env["stock.quant"]._update_available_quantity(
                self.product, stock, 1, lot_id=lot, in_date=datetime(2024, 1, 1) + timedelta(days=days)
            )
        delivery = self._picking(self.warehouse.out_type_id, stock, self.env.ref("stock.stock_location_customers"), 2)
        self.assertEqual(sorted(delivery.move_ids.move_line_ids.lot_id.mapped("name")), ["D-1", "D-2"])
        self._run_tour_on(delivery, "serial_tracking_serial_remove")
        self.assertEqual(delivery.state, "done")
        lines = delivery.move_ids.move_line_ids
        self.assertEqual(sorted(lines.lot_id.mapped("name")), ["D-1", "D-3"])
        self.assertEqual(self.product.with_context(location=stock.id).qty_available, 1)
