"""Recall: every finished serial built from a component (any depth), where it is, who got it; the reverse."""

import io

import openpyxl

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .serial_record_common import SerialRecordCase


@tagged("post_install", "-at_install")
class TestSerialRecall(HttpCase, SerialRecordCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.system = cls._create_serial_product("Record System")
        # C-1 -> F-1 -> S-1 (shipped); C-2 -> F-2 (in stock): two levels of assembly.
        cls.component_lots = cls._stock_serials(cls.component, ["RC-1", "RC-2"])
        cls._produce(cls.finished, "RF-1", cls.component_lots[0])
        cls._produce(cls.finished, "RF-2", cls.component_lots[1])
        cls._produce(cls.system, "RS-1", cls._find_lot(cls.finished, "RF-1"))
        cls.delivery = cls._ship(cls.system, ["RS-1"])

    def _recall(self, lot, direction="built_from"):
        action = lot._serial_recall(direction) if direction != "built_from" else lot.action_serial_recall()
        return self.env["serial.recall"].browse(action["res_id"])

    def test_built_from_a_component_at_any_depth(self):
        recall = self._recall(self.component_lots[0])
        self.assertEqual(sorted(recall.line_ids.mapped("lot_name")), ["RF-1", "RS-1"])
        system_line = recall.line_ids.filtered(lambda line: line.lot_name == "RS-1")
        self.assertEqual(system_line.serial_state, "shipped")
        self.assertEqual(system_line.shipped_partner_id, self.partner)
        self.assertEqual(system_line.shipped_date, self.delivery.move_line_ids.date)
        self.assertEqual(system_line.location_id, self.customer_location)
        consumed = recall.line_ids.filtered(lambda line: line.lot_name == "RF-1")
        self.assertEqual(consumed.serial_state, "consumed")
        self.assertEqual((recall.line_count, recall.customer_count), (2, 1))

    def test_reverse_what_it_was_built_from(self):
        recall = self._recall(self._find_lot(self.system, "RS-1"), "components")
        self.assertEqual(sorted(recall.line_ids.mapped("lot_name")), ["RC-1", "RF-1"])
        switched = self.env["serial.recall"].browse(recall.action_switch_direction()["res_id"])
        self.assertEqual(switched.direction, "built_from")
        self.assertFalse(switched.line_ids)

    def test_export_xlsx(self):
        # A recall belongs to its creator: the stock user makes their own.
        recall = (
            self.env["serial.recall"]
            .with_user(self.stock_user)
            .browse(self.component_lots[0].with_user(self.stock_user).action_serial_recall()["res_id"])
        )
        self.authenticate(self.stock_user.login, self.stock_user.login)
        response = self.url_open(recall.action_export_xlsx()["url"])
        self.assertEqual(response.status_code, 200, response.text[:300])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("Serial", "Product", "State", "Current location", "Shipped to", "Shipped on"))
        by_serial = {row[0]: row for row in rows[1:]}
        self.assertEqual(sorted(by_serial), ["RF-1", "RS-1"])
        self.assertEqual(
            by_serial["RS-1"][1:5], ("Record System", "Shipped", "Partners/Customers", "Serial Test Partner")
        )
        # Excel keeps times to the millisecond.
        self.assertLess(abs((by_serial["RS-1"][5] - self.delivery.move_line_ids.date).total_seconds()), 1)
        # Another user neither sees nor exports it.
        other = self.env["serial.recall"].with_user(self.stock_manager).search([("id", "=", recall.id)])
        self.assertFalse(other)
        self.authenticate(self.stock_manager.login, self.stock_manager.login)
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(recall.action_export_xlsx()["url"]).status_code, 403)
