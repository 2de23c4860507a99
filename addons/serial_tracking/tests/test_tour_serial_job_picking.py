"""Browser tour: with the bulk threshold below a receipt's serial count, the serial entry dialog shows
ranges and hands the serials to a job, and Validate hands the validation to another; the receipt says
so each time, and is done once the jobs have run."""

from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialJobPickingTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.serial_bulk_threshold = 5
        cls.product = cls.env["product.product"].create(
            {"name": "Bulk tour widget", "type": "consu", "is_storable": True, "tracking": "serial"}
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.env.ref("base.user_admin").write(
            {"groups_id": [Command.link(cls.env.ref("stock.group_production_lot").id)]}
        )
        location = cls.env.ref("stock.stock_location_suppliers")
        cls.receipt = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.in_type_id.id,
                "location_id": location.id,
                "location_dest_id": cls.warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.product.name,
                            "product_id": cls.product.id,
                            "product_uom_qty": 12,
                            "product_uom": cls.product.uom_id.id,
                            "location_id": location.id,
                            "location_dest_id": cls.warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        cls.receipt.action_confirm()

    def _run_tour(self, tour):
        url = f"/odoo/action-stock.action_picking_tree_all/{self.receipt.id}"
        self.start_tour(url, tour, login="admin", timeout=120)

    def _open_job(self):
        return self.env["serial.job"].search(
            [("picking_id", "=", self.receipt.id), ("state", "in", ("queued", "running"))]
        )

    def test_bulk_entry_and_validation_through_jobs(self):
        self._run_tour("serial_tracking_bulk_entry")
        entry_job = self._open_job()
        self.assertEqual(entry_job.kind, "import")
        entry_job._run()
        self.assertEqual(len(self.receipt.move_line_ids.filtered("lot_name")), 12)

        self._run_tour("serial_tracking_bulk_validate")
        validation_job = self._open_job()
        self.assertEqual(validation_job.kind, "receipt")
        self.assertEqual(self.receipt.state, "assigned")
        validation_job._run()
        self.assertEqual(validation_job.state, "done")
        self.assertEqual(self.receipt.state, "done")
        self.assertEqual(len(self.receipt.move_line_ids.lot_id), 12)
