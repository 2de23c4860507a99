"""Browser tour: a user picks the component serials of a manufacturing order with the serial entry dialog
and produces every unit at once."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMrpComponentSerialsTour(HttpCase):
    def test_mrp_component_serials_tour(self):
        admin = self.env.ref("base.user_admin")
        admin.write({"groups_id": [Command.link(self.env.ref("stock.group_production_lot").id)]})
        drone = self.env["product.product"].create({"name": "Tour Drone", "type": "consu", "is_storable": True, "tracking": "serial",
                                    "serial_format": "TD-[[INCNUM,NONE,4]]"})
        motor = self.env["product.product"].create({"name": "Tour Drone Motor", "type": "consu", "is_storable": True, "tracking": "serial"})
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": drone.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": motor.id, "product_qty": 1})],
            }
        )
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        for day, name in enumerate(("TM-01", "TM-02", "TM-03", "TM-04")):
            lot = self.env["stock.lot"].create({"name": name, "product_id": motor.id})
            self.env["stock.quant"]._update_available_quantity(
                motor, warehouse.lot_stock_id, 1, lot_id=lot, in_date=datetime(2024, 1, 1) + timedelta(days=day)
            )
        production = self.env["mrp.production"].create(
            {"product_id": drone.id, "product_qty": 2, "picking_type_id": warehouse.manu_type_id.id}
        )
        production.action_confirm()
        self.assertEqual(sorted(production.move_raw_ids.move_line_ids.lot_id.mapped("name")), ["TM-01", "TM-02"])

        self.start_tour(f"/odoo/action-mrp.mrp_production_action/{production.id}",
                        "serial_tracking_mrp_component_serials", login="admin", timeout=120)

        self.assertEqual(production.state, "done")
        consumed = production.move_raw_ids.move_line_ids.filtered(lambda line: line.quantity > 0).lot_id
        self.assertEqual(sorted(consumed.mapped("name")), ["TM-03", "TM-04"])
        finished = production.move_finished_ids.move_line_ids.lot_id
        self.assertEqual(sorted(finished.mapped("name")), ["TD-0001", "TD-0002"])
        self.assertEqual(sorted(finished.serial_component_lot_ids.mapped("name")), ["TM-03", "TM-04"])
        # The serials reserved at confirmation and unselected in the dialog stay on hand.
        kept = self.env["stock.lot"].search([("product_id", "=", motor.id), ("name", "in", ["TM-01", "TM-02"])])
        self.assertEqual(kept.mapped("product_qty"), [1, 1])
