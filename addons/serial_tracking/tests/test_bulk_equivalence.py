"""The bulk path of large serial operations leaves exactly the records Odoo's own flow leaves.

One purchase and one sale of the same serials are made once; then, in two rolled-back runs from that
same start, the receipt is generated and validated and the delivery reserved and validated: once by
Odoo's own flow (threshold above the count) and once by the bulk path (threshold 0). Every stored
field of the lots, done move lines, quants, moves, valuation layers, the purchase line's received and
the sale line's delivered quantity are compared, records of the runs matched by their content (ids of
records created during a run differ: lots are compared by name).
"""

from contextlib import closing, contextmanager

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.bulk import company_links_consistent
from .common import RUN_STAMPS, SerialTrackingCase

COUNT = 40


@tagged("post_install", "-at_install")
class TestBulkEquivalence(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Bulk equivalence scanner")
        cls.product.write({"standard_price": 12.5, "sale_ok": True, "purchase_ok": True})
        cls.untracked_product = cls.env["product.product"].create(
            {"name": "Bulk equivalence cable", "type": "consu", "is_storable": True, "standard_price": 2.0}
        )
        purchase = cls.env["purchase.order"].create(
            {
                "partner_id": cls.partner.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_qty": COUNT, "price_unit": 12.5}),
                    Command.create({"product_id": cls.untracked_product.id, "product_qty": 3, "price_unit": 2.0}),
                ],
            }
        )
        purchase.button_confirm()
        cls.purchase_line = purchase.order_line[0]
        cls.receipt = purchase.picking_ids
        sale = cls.env["sale.order"].create(
            {
                "partner_id": cls.partner.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": COUNT - 5})],
            }
        )
        sale.action_confirm()
        cls.sale_line = sale.order_line
        cls.delivery = sale.picking_ids

    def _receive_and_deliver(self):
        """Generate + validate the receipt, then reserve + validate the delivery (as the bench does)."""
        receipt_move = self.receipt.move_ids.filtered(lambda move: move.product_id == self.product)
        receipt_move._generate_serial_numbers("EQ-00001", COUNT)
        self.receipt.move_ids.picked = True
        self.assertIs(self.receipt.button_validate(), True)
        self.delivery.action_assign()
        self.delivery.move_ids.picked = True
        self.assertIs(self.delivery.button_validate(), True)

    def _rows(self, records):
        return self._stored_rows(records, RUN_STAMPS)

    def _snapshot(self):
        self.env.flush_all()
        products = self.product | self.untracked_product
        pickings = self.receipt | self.delivery
        return {
            "stock.lot": self._rows(self.env["stock.lot"].search([("product_id", "=", self.product.id)])),
            "stock.move.line": self._rows(pickings.move_line_ids),
            "stock.quant": self._rows(self.env["stock.quant"].search([("product_id", "in", products.ids)])),
            "stock.move": self._rows(pickings.move_ids),
            "stock.valuation.layer": self._rows(
                self.env["stock.valuation.layer"].search([("product_id", "in", products.ids)])
            ),
            "stock.picking": self._rows(pickings),
            "received / delivered": [self.purchase_line.qty_received, self.sale_line.qty_delivered],
        }

    @contextmanager
    def _rolled_back(self, threshold):
        """A run with ``threshold``, undone at its end (closing() rolls the savepoint back)."""
        with closing(self.env.cr.savepoint()):
            self.env.company.serial_bulk_threshold = threshold
            self.env.flush_all()
            yield
            self.env.flush_all()
        self.env.invalidate_all()

    def _run(self, threshold):
        """The flow with ``threshold``, rolled back afterwards; returns its records' snapshot."""
        with self._rolled_back(threshold):
            self._receive_and_deliver()
            snapshot = self._snapshot()
        return snapshot

    def test_bulk_path_leaves_the_records_of_odoos_flow(self):
        odoo_flow = self._run(threshold=COUNT)
        bulk_flow = self._run(threshold=0)
        self.assertEqual(len(odoo_flow["stock.lot"]), COUNT)
        self.assertEqual(odoo_flow["received / delivered"], [COUNT, COUNT - 5])
        self.assertTrue(odoo_flow["stock.valuation.layer"], "the valued product leaves valuation layers")
        for model, rows in odoo_flow.items():
            only_odoo = [row for row in rows if row not in bulk_flow[model]]
            only_bulk = [row for row in bulk_flow[model] if row not in rows]
            self.assertEqual(
                bulk_flow[model],
                rows,
                f"{model} differs between Odoo's flow and the bulk path; only in Odoo's: {only_odoo[:2]}; "
                f"only in the bulk path's: {only_bulk[:2]}",
            )

    def _run_reservation(self, threshold):
        """Receipt validated, then the delivery reserved only (its lines and the quants' reserved
        quantities, before validation resets them), with ``threshold``; returns the snapshot and the
        queries of the reservation."""
        with self._rolled_back(threshold):
            receipt_move = self.receipt.move_ids.filtered(lambda move: move.product_id == self.product)
            receipt_move._generate_serial_numbers("EQ-00001", COUNT)
            self.receipt.move_ids.picked = True
            self.assertIs(self.receipt.button_validate(), True)
            # The receipt reserved the waiting delivery already: reserved again, measured.
            self.delivery.do_unreserve()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.delivery.action_assign()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            snapshot = self._snapshot()
        return snapshot, queries

    def test_bulk_reservation_leaves_the_records_of_odoos(self):
        """A serial delivery reserved above the threshold: the lines and reserved quants Odoo's
        reservation leaves, in far fewer queries (one create and one write per chunk of quants)."""
        odoo_flow, odoo_queries = self._run_reservation(threshold=COUNT)
        bulk_flow, bulk_queries = self._run_reservation(threshold=0)
        delivery_lines = [row for row in odoo_flow["stock.move.line"] if ("state", "assigned") in row]
        self.assertEqual(len(delivery_lines), COUNT - 5, "every unit sold is reserved, one line per serial")
        reserved = [row for row in odoo_flow["stock.quant"] if ("reserved_quantity", 1.0) in row]
        self.assertEqual(len(reserved), COUNT - 5)
        for model in ("stock.move.line", "stock.quant", "stock.move", "stock.picking"):
            self.assertEqual(bulk_flow[model], odoo_flow[model], f"{model} differs after the reservation")
        self.assertLess(bulk_queries, odoo_queries - 2 * (COUNT - 5), (bulk_queries, odoo_queries))

    def test_bulk_path_refuses_a_lot_of_another_company_as_odoo_does(self):
        """The bulk lines' company check (each link checked once) refuses what Odoo's refuses, with
        Odoo's message: a line linked (behind the ORM's back) to another company's lot."""
        other_company = self.env["res.company"].create({"name": "Bulk equivalence other company"})
        stranger = self.env["stock.lot"].create(
            {"name": "EQ-00007", "product_id": self.product.id, "company_id": other_company.id}
        )
        # The batched check itself, on the lines as they reach it (the quants' own company check
        # would refuse this lot later in the flow as well).
        with self._rolled_back(0):
            receipt_move = self.receipt.move_ids.filtered(lambda move: move.product_id == self.product)
            receipt_move._generate_serial_numbers("EQ-00001", COUNT)
            lines = receipt_move.move_line_ids
            self.assertIs(company_links_consistent(lines), True)
            self.env.flush_all()
            self.env.cr.execute("UPDATE stock_move_line SET lot_id = %s WHERE id = %s", (stranger.id, lines[6].id))
            self.env.invalidate_all()
            self.assertIs(company_links_consistent(lines), False)
            self.assertIs(company_links_consistent(lines - lines[6]), True)
        messages = {}
        for threshold in (COUNT, 0):
            with self._rolled_back(threshold):
                receipt_move = self.receipt.move_ids.filtered(lambda move: move.product_id == self.product)
                receipt_move._generate_serial_numbers("EQ-00001", COUNT)
                self.receipt.move_ids.picked = True
                line = receipt_move.move_line_ids.filtered(lambda line: line.lot_name == stranger.name)
                self.env.flush_all()
                self.env.cr.execute("UPDATE stock_move_line SET lot_id = %s WHERE id = %s", (stranger.id, line.id))
                self.env.invalidate_all()
                with self.assertRaises(UserError) as refusal:
                    self.receipt.button_validate()
                messages[threshold] = str(refusal.exception)
        self.assertIn("Incompatible companies", messages[0])
        self.assertEqual(messages[0], messages[COUNT])

    def test_bulk_path_is_taken_above_the_threshold(self):
        """The comparison above means something only if the bulk path really ran: Odoo's flow moves
        quants line by line (several queries per serial in each picking), the bulk path in batches."""
        queries = {}
        for threshold in (COUNT, 0):
            with self._rolled_back(threshold):
                before = self.env.cr.sql_log_count
                self._receive_and_deliver()
                self.env.flush_all()
                queries[threshold] = self.env.cr.sql_log_count - before
        self.assertLess(queries[0], queries[COUNT] - 5 * COUNT, queries)
