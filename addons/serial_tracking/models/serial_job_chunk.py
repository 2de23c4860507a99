from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools.bulk import BULK_CONTEXT_KEY, LINES_DONE_DATE_KEY, _method_overrides, column_values
from ..tools.opening_rows import (
    COUNTED_QUANTS_KEY,
    create_inventory_moves,
    line_values,
    new_lots_located,
    settle_counts,
)
from ..tools.picking_jobs import run_import_chunk, run_validation_chunk


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
        """Payload: [[product id, location id, serial], ...]. The serials of each product and location
        come in as one done inventory move from the product's inventory-adjustment location, one move
        line per serial, as Odoo's Physical Inventory books counted units (_get_inventory_move_values),
        then the counts are settled as its Apply settles them. Every chunk takes the bulk path, however
        small (tools/bulk.py)."""
        self.with_context(**{BULK_CONTEXT_KEY: True})._load_opening_stock()

    def _load_opening_stock(self):
        groups = {}
        # The payload as the cache holds it (reading the field deep-copies its thousands of rows), not
        # changed here.
        for product_id, location_id, serial in column_values(self, "payload")[0]:
            groups.setdefault((product_id, location_id), []).append(serial)
        products = self.env["product.product"].browse({key[0] for key in groups})
        locations = self.env["stock.location"].browse({key[1] for key in groups})
        quant_model, lot_model = self.env["stock.quant"], self.env["stock.lot"]
        located = new_lots_located(lot_model)
        # The chunk's lines are done on this date (tools/bulk.py LINES_DONE_DATE_KEY), and its new lots
        # are created with the record they then have (checked by the record's refresh once done).
        done_date = fields.Datetime.now()
        move_groups, lots_by_group, created_ids = [], {}, []
        for (product_id, location_id), names in groups.items():
            product, location = products.browse(product_id), locations.browse(location_id)
            vals = self._opening_stock_move_values(product, location, len(names))
            destination = locations.browse(line_values(vals)["location_dest_id"])
            new_lot_values = lot_model._serial_record_on_arrival(product, destination, done_date, vals["name"])
            if located:
                new_lot_values["location_id"] = destination.id
            lots, created = quant_model._serial_lots_and_created(product, names, location.company_id, new_lot_values)
            created_ids += created.ids
            lots_by_group[product_id, location_id] = lots
            move_groups.append((vals, lots))
        # Lines that can only pass the serial check are spared it, and are inserted as done: nothing
        # looks at them before their moves' done pass.
        passes = self._opening_stock_check_passes(lots_by_group, set(created_ids))
        moves = create_inventory_moves(self.env["stock.move"], move_groups, done_date=done_date if passes else None)
        if passes:
            moves.move_line_ids._serial_remember_checked()
        # The new lots were created with the location stock computes for them once their unit is in:
        # nothing the moves do changes it, nothing recomputes it (tools/opening_rows.py).
        cache = self.env.cr.cache
        cache[COUNTED_QUANTS_KEY] = {
            (location_id, lot_id) for (_product_id, location_id), lots in lots_by_group.items() for lot_id in lots.ids
        }
        cache[LINES_DONE_DATE_KEY] = done_date
        try:
            with self.env.protecting(
                [lot_model._fields["location_id"]], lot_model.browse(created_ids if located else ())
            ):
                moves._action_done()
            self.env.flush_all()  # the settled differences computed while the key holds
        finally:
            cache.pop(COUNTED_QUANTS_KEY, None)
            cache.pop(LINES_DONE_DATE_KEY, None)
        for (_product_id, location_id), lots in lots_by_group.items():
            settle_counts(quant_model.search([("lot_id", "in", lots.ids), ("location_id", "=", location_id)]))
        locations.write({"last_inventory_date": fields.Date.context_today(self)})

    def _opening_stock_check_passes(self, lots_by_group, created_ids):
        """Whether the serial check of the lines' _action_done can only pass: every lot was created by
        this chunk (a new lot is in no other product's scope, enforced when it is created, and neither
        on hand, shipped nor consumed) and the serials of each product and location fit the product's
        pattern, once each. One unit per line, one line per serial: the counts match. False when
        another module takes part in that check: it runs as usual."""
        line_model = self.env["stock.move.line"]
        if any(
            _method_overrides(line_model, method) - {"serial_tracking"}
            for method in ("_serial_check_done_lines", "_serial_group_problems")
        ):
            return False
        locations = self.env["stock.location"]
        for (product_id, location_id), lots in lots_by_group.items():
            if not created_ids.issuperset(lots.ids):
                return False
            product = self.env["product.product"].browse(product_id)
            product = product.with_company(locations.browse(location_id).company_id)
            names = column_values(lots, "name")
            if product._serial_problems(names, len(names)):
                return False
        return True

    def _opening_stock_move_values(self, product, location, count):
        """Odoo's inventory move values for ``count`` serials counted into ``location``, with its one
        line (tools/opening_rows.py makes it one line per serial)."""
        counted = self.env["stock.quant"].new({"product_id": product.id, "location_id": location.id})
        inventory_location = product.with_company(location.company_id).property_stock_inventory
        return counted.with_context(inventory_name=self.job_id.name)._get_inventory_move_values(
            count, inventory_location, location
        )

    def _run_receipt(self):
        run_validation_chunk(self)

    def _run_delivery(self):
        run_validation_chunk(self)

    def _run_import(self):
        run_import_chunk(self)
