from odoo import _, fields, models
from odoo.exceptions import UserError


class SerialJobChunk(models.Model):
    """One transaction's worth of a serial job: its rows, and whether they are done."""

    _name = "serial.job.chunk"
    _description = "Serial job chunk"
    _order = "job_id, sequence"

    job_id = fields.Many2one("serial.job", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(required=True, help="Chunks run in this order, from 1.")
    state = fields.Selection([("pending", "Pending"), ("done", "Done")], required=True, default="pending")
    count = fields.Integer(required=True, help="Serials of this chunk.")
    payload = fields.Json(help="What the chunk does, for its job kind's runner.")

    _sql_constraints = [
        ("job_sequence_unique", "unique(job_id, sequence)", "A job's chunks have distinct numbers."),
    ]

    def _run(self):
        self.ensure_one()
        runner = getattr(self, f"_run_{self.job_id.kind}", None)
        if runner is None:
            raise UserError(_("Jobs of kind %(kind)s have no runner.", kind=self.job_id.kind))
        runner()

    def _run_opening_stock(self):
        """Payload: [[product id, location id, serial], ...]. Each product and location's serials come
        in as one inventory adjustment, as Odoo's Physical Inventory would book them."""
        groups = {}
        for product_id, location_id, serial in self.payload:
            groups.setdefault((product_id, location_id), []).append(serial)
        products = self.env["product.product"].browse({key[0] for key in groups})
        locations = self.env["stock.location"].browse({key[1] for key in groups})
        products.fetch(["tracking"])
        locations.fetch(["company_id"])
        reason = self.job_id.name
        quant_model = self.env["stock.quant"]
        for (product_id, location_id), names in groups.items():
            lots = quant_model._serial_adjust(
                products.browse(product_id), locations.browse(location_id), add_names=names, reason=reason
            )
            # What Odoo's Apply does to the counted quants afterwards: the count is settled.
            quant_model.search([("lot_id", "in", lots.ids), ("location_id", "=", location_id)]).write(
                {"inventory_diff_quantity": 0})
        locations.write({"last_inventory_date": fields.Date.context_today(self)})
