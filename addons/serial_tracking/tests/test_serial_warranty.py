"""Warranty: months on the product, started at delivery (or receipt), end date on the serial, lookup."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import tagged

from .serial_record_common import SerialRecordCase


@tagged("post_install", "-at_install")
class TestSerialWarranty(SerialRecordCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.serial_warranty_months = 24

    def test_warranty_starts_at_delivery(self):
        with freeze_time("2026-03-10 09:00:00"):
            lot = self._stock_serials(self.product, ["W-1"])
        self.assertFalse(lot.serial_warranty_end)
        self.assertEqual(lot.serial_warranty_status, "Warranty of 24 months not started")
        with freeze_time("2026-04-15 12:00:00"):
            self._ship(self.product, ["W-1"])
        self.assertEqual(lot.serial_warranty_start, date(2026, 4, 15))
        self.assertEqual(lot.serial_warranty_end, date(2028, 4, 15))
        history = self.env["serial.history"].search([("lot_id", "=", lot.id), ("event_type", "=", "SHIP")])
        self.assertEqual(history.serial_warranty_end, date(2028, 4, 15))
        found = self.env["stock.lot"].search([("serial_warranty_end", ">=", "2028-01-01"), ("name", "=", "W-1")])
        self.assertEqual(found, lot)

    def test_warranty_from_receipt_and_term_change(self):
        self.product.serial_warranty_starts = "receipt"
        with freeze_time("2026-01-31 10:00:00"):
            self._receive(self.product, ["W-2"])
        lot = self._find_lot(self.product, "W-2")
        self.assertEqual(lot.serial_warranty_end, date(2028, 1, 31))
        self.product.serial_warranty_months = 1
        # A shorter term changes every existing serial's end at once (Jan 31 + 1 month = Feb 28).
        self.assertEqual(lot.serial_warranty_end, date(2026, 2, 28))
        self.product.serial_warranty_months = 0
        self.assertFalse(lot.serial_warranty_end)
        self.assertEqual(lot.serial_warranty_status, "No warranty")

    def test_lookup_answers_covered_until(self):
        start = datetime.now() - relativedelta(months=1)
        with freeze_time(start):
            self._stock_serials(self.product, ["W-3"])
            self._ship(self.product, ["W-3"])
        end = start.date() + relativedelta(months=24)
        lookup = self.env["serial.warranty.lookup"].create({"serial": " W-3 "})
        self.assertEqual(lookup.answer, f"W-3 (Record Widget): Covered until {end}")
        expired = self.env["serial.warranty.lookup"].create({"serial": "NO-SUCH"})
        self.assertEqual(expired.answer, "No serial NO-SUCH.")

    def test_expired(self):
        with freeze_time("2020-01-01 10:00:00"):
            self._stock_serials(self.product, ["W-4"])
            self._ship(self.product, ["W-4"])
        lot = self._find_lot(self.product, "W-4")
        self.assertEqual(lot.serial_warranty_status, "Expired on 2022-01-01")
