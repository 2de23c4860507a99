"""Serial history: one typed row per done move line, the serial's record kept current, the Serial List."""

import json

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..models.serial_history import HISTORY_INDEX
from .serial_record_common import SerialRecordCase


@tagged("post_install", "-at_install")
class TestSerialHistory(SerialRecordCase):
    def _events(self, lot):
        history = self.env["serial.history"].search([("lot_id", "=", lot.id)], order="date, id")
        return history.mapped("event_type")

    def test_receive_move_ship_return(self):
        receipt = self._receive(self.product, ["H-1"])
        lot = self._find_lot(self.product, "H-1")
        self.assertEqual(lot.serial_state, "in_stock")
        self.assertEqual(lot.serial_location_id, self.stock_location)
        self.assertEqual(lot.serial_last_reference, receipt.name)

        transfer = self._create_internal_transfer(self.product, 1, serials=["H-1"])
        self._validate(transfer)
        self.assertEqual(lot.serial_location_id, self.shelf_location)
        delivery = self._ship(self.product, ["H-1"], location=self.shelf_location)
        self.assertEqual(lot.serial_state, "shipped")
        self.assertEqual(lot.serial_partner_id, self.partner)
        self.assertEqual(lot.serial_last_reference, delivery.name)

        self._return(delivery, lot)
        self.assertEqual(lot.serial_state, "in_stock")
        self.assertFalse(lot.serial_partner_id)
        self.assertEqual(self._events(lot), ["RECEIVE", "MOVEIN", "SHIP", "RETURN"])

        rows = self.env["serial.history"].search([("lot_id", "=", lot.id)], order="date, id")
        ship = rows.filtered(lambda row: row.event_type == "SHIP")
        self.assertEqual(ship.partner_id, self.partner)
        self.assertEqual(ship.location_dest_id, self.customer_location)
        self.assertEqual(ship.quantity, 1)
        self.assertEqual(ship.move_line_id.picking_id, delivery)
        action = ship.action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("stock.picking", delivery.id))

    def test_adjust_and_scrap(self):
        lot = self._stock_serials(self.product, ["H-ADJ"])
        self.assertEqual(lot.serial_state, "in_stock")
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "lot_id": lot.id,
                "scrap_qty": 1,
                "location_id": self.stock_location.id,
            }
        )
        scrap.action_validate()
        self.assertEqual(lot.serial_state, "scrapped")
        self.assertEqual(self._events(lot), ["ADJUST", "ADJUST"])
        row = self.env["serial.history"].search([("lot_id", "=", lot.id), ("scrap_id", "!=", False)])
        self.assertEqual(row.action_open_document()["res_model"], "stock.scrap")

    def test_build_and_consume(self):
        component = self._stock_serials(self.component, ["C-1"])
        production = self._produce(self.finished, "F-1", component)
        finished = self._find_lot(self.finished, "F-1")
        self.assertEqual(self._events(component), ["ADJUST", "CONSUME"])
        self.assertEqual(self._events(finished), ["BUILD"])
        self.assertEqual(component.serial_state, "consumed")
        self.assertEqual(finished.serial_state, "in_stock")
        row = self.env["serial.history"].search([("lot_id", "=", finished.id)])
        self.assertEqual(row.action_open_document()["res_id"], production.id)
        self.assertEqual(row.reference, production.name)

    def test_work_order_build_and_consume(self):
        component = self._stock_serials(self.component, ["C-W"])
        production = self._produce(self.finished, "F-W", component, with_work_order=True)
        self.assertTrue(production.workorder_ids)
        self.assertEqual(self._events(component), ["ADJUST", "WORKCONSUME"])
        self.assertEqual(self._events(self._find_lot(self.finished, "F-W")), ["WORKBUILD"])

    def test_transit_is_move_out(self):
        transit = self.env["stock.location"].create(
            {"name": "Record transit", "usage": "transit", "company_id": self.company.id}
        )
        self._stock_serials(self.product, ["H-T"])
        transfer = self._create_internal_transfer(self.product, 1, serials=["H-T"], location_dest=transit)
        self._validate(transfer)
        lot = self._find_lot(self.product, "H-T")
        self.assertEqual(self._events(lot), ["ADJUST", "MOVEOUT"])
        self.assertEqual(lot.serial_state, "in_stock")  # transit stock is on hand, as in Odoo's inventory
        self.assertEqual(lot.serial_location_id, transit)

    def test_history_reads_through_the_index(self):
        """A serial's history can be served by stock_move_line's (lot_id, date) index: the view lets the lot
        filter reach the move lines (no full scan of them, whatever their number) and the index leads with
        lot_id. Which index the planner picks on a nearly empty test table depends on its statistics, so the
        test checks what makes the index usable, not the planner's choice of the day."""
        lot = self._stock_serials(self.product, ["H-IDX"])
        query = self.env["serial.history"]._search([("lot_id", "=", lot.id)])
        sql = query.select()
        self.env.cr.execute(f"EXPLAIN (FORMAT JSON) {sql.code}", sql.params)
        plan = self.env.cr.fetchone()[0]
        nodes = []

        def walk(node):
            nodes.append(node)
            for child in node.get("Plans", []):
                walk(child)

        walk(plan[0]["Plan"])
        move_line_scans = [node for node in nodes if node.get("Relation Name") == "stock_move_line"]
        self.assertEqual(len(move_line_scans), 1, json.dumps(plan))
        scan = move_line_scans[0]
        lot_condition = f"lot_id = {lot.id}"
        self.assertIn(lot_condition, scan.get("Index Cond", "") + scan.get("Filter", ""), json.dumps(plan))
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'stock_move_line' AND indexname = %s",
            [HISTORY_INDEX],
        )
        (definition,) = self.env.cr.fetchone()
        self.assertRegex(definition, r"\(lot_id, date")

    def test_serial_list_action(self):
        self._stock_serials(self.product, ["H-L1"])
        action = self.env["ir.actions.act_window"]._for_xml_id("serial_tracking.stock_lot_action_serial_list")
        lots = self.env["stock.lot"].search(safe_eval(action["domain"]))
        self.assertIn("H-L1", lots.mapped("name"))
        self.assertTrue(all(product.tracking == "serial" for product in lots.product_id))
        lot = self._find_lot(self.product, "H-L1")
        history_action = lot.action_serial_history()
        self.assertEqual(history_action["res_model"], "serial.history")
        self.assertEqual(self.env["serial.history"].search_count(history_action["domain"]), 1)
        self.assertEqual(lot.serial_history_count, 1)
