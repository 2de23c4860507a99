"""What the bulk path writes: each row once where Odoo's flow leaves it once, and the checks it keeps.

The bulk path inserts new lots with the location their line takes them to (the ORM's computation of
the lot's location then finds it there and writes nothing), leaves the serials it links to the lines
in the cache for the lines' next flush, and checks the serial quantities of the quants it creates
from what it knows of their lots.
"""

from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.stock.models.stock_lot import StockLot as StockLotOfStock

from ..tools import bulk
from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestBulkWrites(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Bulk writes router")
        cls.company.serial_bulk_threshold = 0

    def _rows_updated(self):
        """{table: rows updated so far in this transaction} of the lot and move line tables."""
        self.env.cr.execute(
            "SELECT relname, n_tup_upd FROM pg_stat_xact_user_tables WHERE relname IN ('stock_lot', 'stock_move_line')"
        )
        return dict(self.env.cr.fetchall())

    def test_each_new_lot_and_line_is_written_once(self):
        """Odoo's flow writes each new lot's row twice (its location, then the addon's record fields)
        and each line's twice (its lot, then done): the bulk path once each."""
        names = [f"BW-{index:03d}" for index in range(10)]
        receipt = self._create_receipt(self.product, len(names), serials=names)
        self.env.flush_all()
        before = self._rows_updated()
        # Patched in stock's own class: the registry's class reaches it, and stock stays the only module
        # defining the computation (the bulk path only works it out for stock's).
        with patch.object(
            StockLotOfStock,
            "_compute_single_location",
            autospec=True,
            side_effect=StockLotOfStock._compute_single_location,
        ) as computes:
            self.assertIs(self._validate(receipt), True)
            self.env.flush_all()
        after = self._rows_updated()
        computed = {lot_id for call in computes.call_args_list for lot_id in call.args[0].ids}
        self.assertEqual(receipt.state, "done")
        lot_rows, line_rows = (after[table] - before.get(table, 0) for table in ("stock_lot", "stock_move_line"))
        # The first lot is created by the ORM, its location then computed and written: its copies are not.
        self.assertLess(lot_rows, 2 * len(names), "new lots written again for their location")
        self.assertLess(line_rows, 2 * len(names), "lines written for their lot, then again when done")
        self.env.invalidate_all()
        lots = receipt.move_line_ids.lot_id
        self.assertEqual(sorted(lots.mapped("name")), names)
        self.assertEqual(lots.location_id, self.stock_location)
        self.assertEqual(receipt.move_line_ids.mapped("state"), ["done"] * len(names))
        # Their location is worked out from the quants the batch made, not read back lot by lot.
        self.assertLessEqual(len(computed & set(lots.ids)), 1, "the new lots' location computed from their quants")

    def test_lots_with_quants_elsewhere_are_located_by_odoo(self):
        """Lots with quants the batch did not read (their inventory adjustment's): Odoo computes their
        location."""
        names = [f"BW-MOVED-{index}" for index in range(5)]
        self._stock_serials(self.product, names)
        transfer = self._create_internal_transfer(self.product, len(names), serials=names)
        self.assertIs(self._validate(transfer), True)
        self.env.invalidate_all()
        lots = transfer.move_line_ids.lot_id
        self.assertEqual(len(lots), len(names))
        self.assertEqual(lots.location_id, self.shelf_location)

    def test_a_wrong_location_guess_is_corrected(self):
        names = [f"BW-GUESS-{index}" for index in range(3)]
        lots = bulk.create_lots(
            self.env["stock.lot"],
            [{"name": name, "product_id": self.product.id} for name in names],
            presets={"location_id": [self.shelf_location.id] * len(names)},
        )
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(self.product, self.stock_location, 1, lot_id=lot)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(lots.mapped("location_id"), self.stock_location)

    def test_a_serial_received_where_it_is_in_a_package_is_refused(self):
        """Odoo refuses a second unit of a serial in one location, whatever the packages: so does
        the bulk path for the quants it creates."""
        self._stock_serials(self.product, ["BW-PACKED"])
        lot = self._find_lot(self.product, "BW-PACKED")
        package = self.env["stock.quant.package"].create({"name": "BW package"})
        quant = self.env["stock.quant"].search([("lot_id", "=", lot.id), ("location_id", "=", self.stock_location.id)])
        quant.sudo().package_id = package
        receipt = self._create_receipt(self.product, 1)
        receipt.move_line_ids.write({"lot_id": lot.id, "quantity": 1})
        with self.assertRaisesRegex(ValidationError, "already been assigned"):
            bulk.move_quants(receipt.move_line_ids)

    def test_odoos_quant_loop_is_left_out_only_for_known_modules(self):
        """Lines whose quants the batch moved skip Odoo's per-line loop (each line's quant moves found
        done), unless a module the bulk path does not know overrides the lines' _action_done."""
        line_class = type(self.env["stock.move.line"])
        for run, (known, loop_calls) in enumerate(((bulk.KNOWN_LINE_DONE, 0), (frozenset(), 3 * 4)), 1):
            names = [f"BW-LOOP-{run}-{index}" for index in range(4)]
            receipt = self._create_receipt(self.product, len(names), serials=names)
            with (
                patch.object(bulk, "KNOWN_LINE_DONE", known),
                patch.object(
                    line_class, "_synchronize_quant", autospec=True, side_effect=line_class._synchronize_quant
                ) as synchronize,
            ):
                self.assertIs(self._validate(receipt), True)
            self.assertEqual(synchronize.call_count, loop_calls)
            self.env.invalidate_all()
            self.assertEqual(receipt.move_line_ids.mapped("state"), ["done"] * len(names))
            self.assertEqual(receipt.move_line_ids.lot_id.location_id, self.stock_location)
            self.assertEqual(self.product.with_context(location=self.stock_location.id).qty_available, 4 * run)

    def test_lot_names_checked_without_the_trigram_index(self):
        """Stock's unique-lot constraint runs on the lots created in bulk with bitmap scans off, the only
        way PostgreSQL reads the names' trigram index (tools/bulk.py names_matched_exactly); it still
        refuses a duplicate, and the setting is back as it was afterwards."""
        cr = self.env.cr
        settings = []
        read_group = StockLotOfStock._read_group

        def grouped_by_name(lots, domain, groupby=(), *args, **kwargs):
            # The constraint's query (lots grouped by name): the planner's setting while it runs.
            if "name" in groupby:
                cr.execute("SHOW enable_bitmapscan")
                settings.append(cr.fetchone()[0])
            return read_group(lots, domain, groupby, *args, **kwargs)

        lot_model = self.env["stock.lot"].with_context(tracking_disable=True)
        values = [{"name": f"BW-TRGM-{index}", "product_id": self.product.id} for index in range(3)]
        with patch.object(StockLotOfStock, "_read_group", autospec=True, side_effect=grouped_by_name):
            lots = bulk.create_lots(lot_model, values)
            self.assertEqual(settings[-1], "off")
            with self.assertRaises(ValidationError), cr.savepoint():
                bulk.create_lots(lot_model.sudo(), [dict(vals, company_id=False) for vals in values])
        self.assertEqual(lots.mapped("name"), [vals["name"] for vals in values])
        cr.execute("SHOW enable_bitmapscan")
        self.assertEqual(cr.fetchone()[0], "on")
