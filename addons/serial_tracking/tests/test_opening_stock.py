"""Opening stock from a file: every problem found with its row before anything is written, and a
load that leaves what Odoo's own inventory adjustment leaves."""

import base64
from contextlib import closing
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models import serial_job_chunk
from ..models.stock_lot import StockLot
from ..models.stock_move_line import StockMoveLine
from ..models.stock_quant import StockQuant
from ..tools import opening_rows
from ..tools.opening_stock import OpeningStockPlan, create_opening_stock_job
from .common import RUN_STAMPS, SerialTrackingCase

# Stamps and bookkeeping that differ between any two runs.


class OpeningStockCase(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Opening scanner", serial_pattern="OS-###")
        cls.product.write({"default_code": "OS-SCAN", "barcode": "4006381333931", "standard_price": 7.0})
        cls.stock_name = cls.stock_location.complete_name
        cls.shelf_location.barcode = "OS-SHELF-BC"

    def _wizard(self, data, file_name="stock.csv"):
        return self.env["serial.opening.stock.wizard"].create(
            {"file": base64.b64encode(data), "file_name": file_name, "company_id": self.company.id}
        )

    def _plan(self, data, file_name="stock.csv"):
        return OpeningStockPlan(self.env, data, file_name, self.company)

    def _load(self, data, chunk_size=2):
        """Check, create the job (chunks of ``chunk_size``) and run it as the worker would."""
        plan = self._plan(data)
        self.assertEqual(plan.messages, [])
        job = create_opening_stock_job(plan, chunk_size=chunk_size)
        job._run()
        return job

    def _written(self):
        """What a load writes: lots, moves and jobs (their counts)."""
        return (
            self.env["stock.lot"].search_count([]),
            self.env["stock.move"].search_count([]),
            self.env["serial.job"].search_count([]),
        )


@tagged("post_install", "-at_install")
class TestOpeningStockProblems(OpeningStockCase):
    def test_every_problem_named_with_its_row_and_nothing_written(self):
        untracked = self.env["product.product"].create(
            {"name": "Opening cable", "default_code": "OS-CABLE", "type": "consu", "is_storable": True}
        )
        self._stock_serials(self.product, ["OS-900"])
        data = self._csv_file(
            [
                ("OS-SCAN", self.stock_name, "OS-001"),
                ("NO-SUCH", self.stock_name, "OS-002"),
                ("OS-SCAN", "WH/Nowhere", "OS-003"),
                ("OS-CABLE", self.stock_name, "OS-004"),
                ("OS-SCAN", self.stock_name, "BAD-1"),
                ("OS-SCAN", self.stock_name, "OS-001"),
                ("OS-SCAN", self.stock_name, "OS-900"),
                ("OS-SCAN", "", "OS-005"),
            ]
        )
        before = self._written()
        wizard = self._wizard(data)
        wizard.action_check()
        self.assertEqual(wizard.state, "problems")
        expected = [
            "row 3: unknown product NO-SUCH",
            "row 4: unknown location WH/Nowhere",
            f"row 5: {untracked.display_name} is not tracked by serial number",
            "row 6: BAD-1",
            "row 7: OS-001 of OS-SCAN repeats row 2",
            "row 8: OS-900 of",
            "row 9: no location",
        ]
        lines = wizard.problems.splitlines()
        self.assertEqual(len(lines), len(expected), wizard.problems)
        for line, start in zip(lines, expected, strict=False):
            self.assertIn(start, line)
        self.assertIn("already used", lines[5])
        with self.assertRaisesRegex(UserError, "Nothing was loaded: 7 problem"):
            wizard.action_load()
        self.assertEqual(self._written(), before)

    def test_quantity_file_problems(self):
        no_format = self._create_serial_product("Opening drill")
        no_format.default_code = "OS-DRILL"
        self.product.serial_format = "OS-[[INCNUM,NONE,3]]"
        data = self._csv_file(
            [
                ("OS-SCAN", self.stock_name, "2.5"),
                ("OS-SCAN", self.stock_name, "0"),
                ("OS-SCAN", self.stock_name, "two"),
                ("OS-DRILL", self.stock_name, "3"),
                ("OS-SCAN", self.stock_name, "4"),
            ],
            header=("Product", "Location", "Quantity"),
        )
        before = self._written()
        plan = self._plan(data)
        self.assertTrue(plan.file.by_quantity)
        messages = plan.messages
        self.assertEqual(len(messages), 4, messages)
        for message, row in zip(messages, (2, 3, 4), strict=False):
            self.assertTrue(message.startswith(f"row {row}: quantity"), message)
            self.assertIn("whole number", message)
        self.assertTrue(messages[3].startswith("row 5:") and "no serial format" in messages[3], messages[3])
        with self.assertRaises(UserError):
            create_opening_stock_job(plan)
        self.assertEqual(self._written(), before)
        self.assertEqual(self.product._serial_preview(1), ["OS-001"], "a serial was issued for a refused file")

    def test_unreadable_file_is_a_user_error(self):
        with self.assertRaisesRegex(UserError, "unsupported file type"):
            self._plan(b"product,location,serial\n", "stock.pdf")
        with self.assertRaisesRegex(UserError, "must name the columns"):
            self._plan(self._csv_file([("OS-SCAN", self.stock_name, "OS-001")], header=("product", "bin", "colour")))


@tagged("post_install", "-at_install")
class TestOpeningStockLoad(OpeningStockCase):
    def test_serials_loaded_in_chunks_as_inventory_moves(self):
        data = self._csv_file(
            [
                ("OS-SCAN", self.stock_name, "OS-101"),
                ("4006381333931", "OS-SHELF-BC", "OS-102"),  # product and location by barcode
                ("OS-SCAN", self.stock_name, "OS-103"),
                ("OS-SCAN", self.shelf_location.complete_name, "OS-104"),
                ("OS-SCAN", self.stock_name, "OS-105"),
            ]
        )
        wizard = self._wizard(data)
        wizard.action_check()
        self.assertEqual(wizard.state, "checked", wizard.problems)
        self.assertIn("5 serial(s)", wizard.summary)
        job = self._load(data, chunk_size=2)
        self.assertRecordValues(job, [{"state": "done", "done_count": 5, "total_count": 5, "error": False}])
        self.assertEqual(len(job.chunk_ids), 3)
        self.assertEqual(set(job.chunk_ids.mapped("state")), {"done"})
        self.assertEqual(self._on_hand_serials(self.product, self.shelf_location), ["OS-102", "OS-104"])
        self.assertEqual(self._on_hand_serials(self.product), ["OS-101", "OS-102", "OS-103", "OS-104", "OS-105"])
        moves = self.env["stock.move"].search([("product_id", "=", self.product.id)])
        # One inventory move per chunk, product and location (chunks: 101 103 | 105 102 | 104), a line per serial.
        self.assertEqual(sorted(moves.mapped("quantity")), [1.0, 1.0, 1.0, 2.0])
        self.assertEqual(
            sorted(moves.move_line_ids.lot_id.mapped("name")), ["OS-101", "OS-102", "OS-103", "OS-104", "OS-105"]
        )
        self.assertEqual(set(moves.move_line_ids.mapped("quantity")), {1.0})
        self.assertEqual(moves.location_id, self.product.property_stock_inventory)
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertTrue(all(moves.mapped("is_inventory")))
        self.assertEqual(set(moves.mapped("name")), {job.name})

    def test_quantities_generate_serials_from_the_format(self):
        self.product.serial_format = "OS-[[INCNUM,NONE,3]]"
        self._stock_serials(self.product, ["OS-002"])  # taken: generation skips it
        data = self._csv_file(
            [("OS-SCAN", self.stock_name, 3), ("OS-SCAN", self.shelf_location.complete_name, 2)],
            header=("product", "location", "quantity"),
        )
        job = self._load(data, chunk_size=4)
        self.assertRecordValues(job, [{"state": "done", "done_count": 5, "total_count": 5}])
        self.assertEqual(self._on_hand_serials(self.product, self.shelf_location), ["OS-005", "OS-006"])
        self.assertEqual(
            self._on_hand_serials(self.product), ["OS-001", "OS-002", "OS-003", "OS-004", "OS-005", "OS-006"]
        )

    def test_load_leaves_what_odoos_inventory_adjustment_leaves(self):
        """One serial counted into stock with Odoo's Physical Inventory (counted quantity, Apply),
        and the same serial loaded from a file: every stored field of the lot, quant, move, move
        line and valuation layer is the same (the reason given to Odoo's apply is the job's name)."""
        self.product.categ_id = self.env["product.category"].create(
            {"name": "Opening valued", "property_cost_method": "standard", "property_valuation": "real_time"}
        )

        def odoo_flow():
            lot = self.env["stock.lot"].create(
                {"name": "OS-777", "product_id": self.product.id, "company_id": self.company.id}
            )
            quant = self._counted_quants(lot)
            quant.with_context(inventory_name="Opening stock from stock.csv").action_apply_inventory()

        def file_flow():
            job = self._load(self._csv_file([("OS-SCAN", self.stock_name, "OS-777")]))
            self.assertEqual(job.name, "Opening stock from stock.csv")

        odoo_rows, file_rows = self._run_rolled_back(odoo_flow), self._run_rolled_back(file_flow)
        for model, rows in odoo_rows.items():
            self.assertTrue(rows, f"Odoo's flow left no {model}")
            differing = [
                (name, value, dict(file_row).get(name))
                for odoo_row, file_row in zip(rows, file_rows[model], strict=False)
                for name, value in odoo_row
                if dict(file_row).get(name) != value
            ]
            self.assertEqual(
                file_rows[model],
                rows,
                f"{model} differs from Odoo's inventory adjustment (field, Odoo's, file's): {differing}",
            )

    def test_line_copies_leave_what_line_creates_leave(self):
        """Several serials of one product and location: their move lines written as copies of the first
        line's row (tools/opening_rows.py) and created one by one through the ORM (the path taken when
        another module overrides stock.move.line's create) leave the same lots, quants, moves, lines and
        valuation, every stored field."""
        self.product.categ_id = self.env["product.category"].create(
            {"name": "Opening valued", "property_cost_method": "standard", "property_valuation": "real_time"}
        )
        data = self._csv_file([("OS-SCAN", self.stock_name, f"OS-{number}") for number in (201, 202, 203, 204)])

        def file_flow():
            self._load(data, chunk_size=10)

        with patch.object(opening_rows, "copy_row", wraps=opening_rows.copy_row) as copy_row:
            copied = self._run_rolled_back(file_flow)
        self.assertEqual(copy_row.call_count, 1, "the lines were not written as copies")
        with patch.object(opening_rows, "KNOWN_LINE_CREATE", frozenset()):
            created = self._run_rolled_back(file_flow)
        self.assertEqual(len(created["stock.move.line"]), 4)
        for model, rows in created.items():
            self.assertEqual(copied[model], rows, f"{model}: the copied lines leave other records")

    def test_lines_inserted_done_leave_what_the_done_pass_leaves(self):
        """A chunk whose serial check can only pass inserts the copies of its lines as done, dated as its
        done pass dates lines (tools/opening_rows.py): the same records as copies the done pass makes
        done, every stored field, with no copy's row updated."""
        data = self._csv_file([("OS-SCAN", self.stock_name, f"OS-{number}") for number in (401, 402, 403, 404, 405)])
        updated = {}

        def file_flow(key):
            before = self._lines_updated()
            self._load(data, chunk_size=10)
            self.env.flush_all()
            updated[key] = self._lines_updated() - before
            lines = self.env["stock.move"].search([("product_id", "=", self.product.id)]).move_line_ids
            self.assertEqual(len(set(lines.mapped("date"))), 1, "the lines of one chunk are done at once")

        inserted_done = self._run_rolled_back(lambda: file_flow("inserted done"))
        with patch.object(
            serial_job_chunk,
            "create_inventory_moves",
            lambda move_model, groups, done_date=None: opening_rows.create_inventory_moves(move_model, groups),
        ):
            made_done = self._run_rolled_back(lambda: file_flow("made done"))
        # The first line, created by the ORM, is written as before (twice); each of the 4 copies was
        # written once more when made done.
        self.assertEqual(updated, {"inserted done": 2, "made done": 6})
        for model, rows in made_done.items():
            self.assertEqual(inserted_done[model], rows, f"{model}: lines inserted done leave other records")

    def test_lots_created_with_the_record_their_move_gives_them(self):
        """A chunk's new lots are created with their serial record as it is once their move is done
        (stock.lot._serial_record_on_arrival): the record's refresh then finds nothing to write, and
        computes the same record from scratch. A wrong guess is corrected by the refresh."""
        self.product.write({"serial_warranty_months": 12, "serial_warranty_starts": "receipt"})
        data = self._csv_file([("OS-SCAN", self.stock_name, f"OS-{number}") for number in (501, 502, 503)])
        before = self._rows_updated("stock_lot")
        job = self._load(data, chunk_size=10)
        self.env.flush_all()
        # Only the first lot, created by the ORM, is written after its insert, as any lot the ORM
        # creates (its computed uniqueness key and location): its copies are not, the record of none.
        self.assertEqual(self._rows_updated("stock_lot") - before, 2, "lots written again once done")
        lots = self.env["stock.lot"].search([("product_id", "=", self.product.id)], order="name")
        done = self.env["stock.move.line"].search([("lot_id", "=", lots[0].id), ("state", "=", "done")])
        start = done.date.date()
        expected = {
            "serial_state": "in_stock",
            "serial_location_id": self.stock_location.id,
            "serial_partner_id": False,
            "serial_last_reference": job.name,
            "serial_last_date": done.date,
            "serial_warranty_start": start,
            "serial_warranty_end": start + relativedelta(months=12),
        }
        self.assertRecordValues(lots, [expected] * 3)
        self.assertEqual(lots[0].serial_last_move_line_id, done)
        self.env.cr.execute(
            "UPDATE stock_lot SET serial_state = NULL, serial_location_id = NULL, serial_last_reference = NULL, "
            "serial_last_date = NULL, serial_warranty_start = NULL, serial_warranty_end = NULL WHERE id = ANY(%s)",
            [lots.ids],
        )
        lots._serial_refresh_record()
        self.assertRecordValues(lots, [expected] * 3)

        wrong = dict(lots._serial_record_on_arrival(self.product, self.shelf_location, done.date, "elsewhere"))
        with patch.object(StockLot, "_serial_record_on_arrival", autospec=True, return_value=wrong):
            self._load(self._csv_file([("OS-SCAN", self.stock_name, "OS-504")]), chunk_size=10)
        lot = self.env["stock.lot"].search([("product_id", "=", self.product.id), ("name", "=", "OS-504")])
        self.assertEqual(lot.serial_location_id, self.stock_location)
        self.assertEqual(lot.serial_last_reference, job.name)

    def _lines_updated(self):
        return self._rows_updated("stock_move_line")

    def _rows_updated(self, table):
        self.env.cr.execute("SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s", [table])
        return self.env.cr.fetchone()[0]

    def test_lots_created_at_their_location_leave_what_computed_locations_leave(self):
        """New lots created with the location stock would compute for them (tools/opening_rows.py
        new_lots_located) and lots whose location stock computes once their unit is in (the path taken
        when another module computes or inverts that field) leave the same records, every stored field."""
        data = self._csv_file(
            [("OS-SCAN", self.stock_name, f"OS-{number}") for number in (301, 302, 303)]
            + [("OS-SCAN", self.shelf_location.complete_name, "OS-304")]
        )

        def file_flow():
            self._load(data, chunk_size=10)

        with patch.object(
            StockQuant, "_serial_lots_and_created", autospec=True, side_effect=StockQuant._serial_lots_and_created
        ) as lots_made:
            located = self._run_rolled_back(file_flow)
        self.assertEqual(
            [call.args[4]["location_id"] for call in lots_made.call_args_list],
            [self.stock_location.id, self.shelf_location.id],
        )
        with patch.object(opening_rows, "KNOWN_LOT_LOCATION", frozenset()):
            computed = self._run_rolled_back(file_flow)
        self.assertEqual(
            sorted(row["location_id"] for row in map(dict, computed["stock.lot"])),
            sorted([self.stock_location.id] * 3 + [self.shelf_location.id]),
        )
        for model, rows in computed.items():
            self.assertEqual(located[model], rows, f"{model}: the lots created at their location leave other records")

    def test_another_modules_lot_location_is_computed_by_it(self):
        """When another module computes the lots' location, the lots are created without one and its
        compute sets it."""
        lot_class = type(self.env["stock.lot"])

        def compute_no_location(lots):
            for lot in lots:
                lot.location_id = False

        with patch.object(lot_class, "_compute_single_location", compute_no_location, create=True):
            self._load(self._csv_file([("OS-SCAN", self.stock_name, "OS-401"), ("OS-SCAN", self.stock_name, "OS-402")]))
            lots = self.env["stock.lot"].search([("name", "in", ["OS-401", "OS-402"])])
            self.assertEqual(self._on_hand_serials(self.product), ["OS-401", "OS-402"])
            self.assertEqual(lots.mapped("location_id"), self.env["stock.location"])
            self.assertFalse(opening_rows.new_lots_located(self.env["stock.lot"]))

    def test_serial_check_spared_only_when_it_can_only_pass(self):
        """A chunk's new lots fitting the pattern: its lines skip the serial check of _action_done.
        A serial stocked since the file was checked, or a pattern changed since: the check runs and
        refuses them, with its message."""
        check = patch.object(
            StockMoveLine, "_serial_check_done_lines", autospec=True, side_effect=StockMoveLine._serial_check_done_lines
        )

        def job_of(*serials):
            rows = [("OS-SCAN", self.stock_name, serial) for serial in serials]
            return create_opening_stock_job(self._plan(self._csv_file(rows)), chunk_size=10)

        pattern_changed = job_of("OS-405", "OS-406")
        self.product.serial_pattern = "OS-9##"
        with check as checked:
            pattern_changed._run()
        self.assertEqual(pattern_changed.state, "failed")
        self.assertIn("OS-405", pattern_changed.error)
        self.assertEqual(checked.call_count, 1)
        self.product.serial_pattern = "OS-###"

        fresh = job_of("OS-501", "OS-502")
        with check as checked:
            fresh._run()
        self.assertEqual(fresh.state, "done", fresh.error)
        self.assertEqual(checked.call_count, 0)

        stocked_since = job_of("OS-503", "OS-504")
        self._stock_serials(self.product, ["OS-504"], location=self.shelf_location)
        with check as checked:
            stocked_since._run()
        self.assertEqual(stocked_since.state, "failed")
        self.assertIn("already used", stocked_since.error)
        self.assertIn("OS-504", stocked_since.error)
        self.assertEqual(checked.call_count, 1)

        self.assertEqual(self._on_hand_serials(self.product), ["OS-501", "OS-502", "OS-504"])

    def test_existing_lots_found_by_sql_as_by_search(self):
        """A chunk (superuser) finds a product's existing lots by name in SQL: the same lots as the
        search a user's environment makes, whose company or none, never another product's."""
        other_product = self._create_serial_product("Opening other")
        second_company = self._create_second_company()
        lot_model = self.env["stock.lot"]
        own = lot_model.create({"name": "OS-701", "product_id": self.product.id, "company_id": self.company.id})
        shared = lot_model.create({"name": "OS-702", "product_id": self.product.id, "company_id": False})
        lot_model.create({"name": "OS-703", "product_id": other_product.id, "company_id": self.company.id})
        lot_model.sudo().create({"name": "OS-704", "product_id": self.product.id, "company_id": second_company.id})
        names = ["OS-701", "OS-702", "OS-703", "OS-704", "OS-705"]
        quants = self.env["stock.quant"]
        by_sql = quants.sudo()._serial_existing_lots(self.product, names, self.company)
        by_search = quants.with_user(self.stock_user)._serial_existing_lots(self.product, names, self.company)
        self.assertEqual(by_sql.ids, (own | shared).sorted("id").ids)
        self.assertEqual(by_search.ids, by_sql.ids)

    def _run_rolled_back(self, flow):
        with closing(self.env.cr.savepoint()):
            flow()
            self.env.flush_all()
            moves = self.env["stock.move"].search([("product_id", "=", self.product.id)])
            snapshot = {
                "stock.lot": self._rows(self.env["stock.lot"].search([("product_id", "=", self.product.id)])),
                "stock.quant": self._rows(self.env["stock.quant"].search([("product_id", "=", self.product.id)])),
                "stock.move": self._rows(moves),
                "stock.move.line": self._rows(moves.move_line_ids),
                "stock.valuation.layer": self._rows(moves.stock_valuation_layer_ids),
                "account.move.line": self._rows(moves.account_move_ids.line_ids),
            }
        self.env.invalidate_all()
        return snapshot

    def _rows(self, records):
        return self._stored_rows(
            records,
            RUN_STAMPS,
            by_name=(
                "stock.lot",
                "stock.move",
                "stock.quant",
                "stock.move.line",
                "stock.valuation.layer",
                "account.move",
            ),
        )
