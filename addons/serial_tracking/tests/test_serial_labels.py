"""Barcode labels of serials, downloaded as a PDF from Odoo, scanned back."""

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .label_pdf import read_barcodes
from .serial_record_common import SerialRecordCase


@tagged("post_install", "-at_install")
class TestSerialLabels(HttpCase, SerialRecordCase):
    def _download(self, action):
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.authenticate(self.stock_user.login, self.stock_user.login)
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        return read_barcodes(response.content)

    def test_selected_serials_code128(self):
        lots = self._stock_serials(self.product, ["LB-001", "LB-002", "LB-003"])
        self.assertEqual(
            self._download(lots.action_serial_print_labels()), [("LB-001", False), ("LB-002", False), ("LB-003", False)]
        )

    def test_gs1_when_the_product_has_a_gtin(self):
        self.product.barcode = "09506000134352"
        lots = self._stock_serials(self.product, ["G-1"])
        self.assertEqual(self._download(lots.action_serial_print_labels()), [("0109506000134352" + "21G-1", True)])

    def test_picking_and_production_serials(self):
        receipt = self._receive(self.product, ["LP-1", "LP-2"])
        self.assertEqual(
            sorted(self._download(receipt.action_serial_print_labels())), [("LP-1", False), ("LP-2", False)]
        )
        component = self._stock_serials(self.component, ["LC-1"])
        production = self._produce(self.finished, "LF-1", component)
        self.assertEqual(self._download(production.action_serial_print_labels()), [("LF-1", False)])

    def test_unprintable_serial_is_named(self):
        self.product.barcode = "09506000134352"
        lots = self._stock_serials(self.product, ["SERIAL WITH SPACES"])
        action = lots.action_serial_print_labels()
        self.authenticate(self.stock_user.login, self.stock_user.login)
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 422)
        self.assertIn("'SERIAL WITH SPACES' cannot be encoded as GS1-128", response.text)

    def test_other_company_records_are_refused(self):
        other = self.env["res.company"].create({"name": "Label Other Co"})
        lot = self.env["stock.lot"].create({"name": "X-1", "product_id": self.product.id, "company_id": other.id})
        self.authenticate(self.stock_user.login, self.stock_user.login)
        with mute_logger("odoo.http"):
            response = self.url_open(lot.action_serial_print_labels()["url"])
        self.assertEqual(response.status_code, 403)
