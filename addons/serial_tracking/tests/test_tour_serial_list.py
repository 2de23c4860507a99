"""Browser tour: the Serial List, a serial's history and the document behind an event."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from ..tools import search_index
from .serial_record_common import SerialRecordCase


@tagged("post_install", "-at_install")
class TestSerialListTour(HttpCase, SerialRecordCase):
    def test_serial_list_tour(self):
        self.env.ref("base.user_admin").write(
            {"groups_id": [Command.link(self.env.ref("stock.group_production_lot").id)]}
        )
        self._receive(self.product, ["TOURLIST-1", "TOURLIST-2"])
        self._ship(self.product, ["TOURLIST-2"])
        search_index.drain(self.env)  # the search box searches the worker's index
        self.start_tour(
            "/odoo/action-serial_tracking.stock_lot_action_serial_list",
            "serial_tracking_serial_list",
            login="admin",
            timeout=120,
        )

    def test_serial_list_page_tour(self):
        self.env.ref("base.user_admin").write(
            {"groups_id": [Command.link(self.env.ref("stock.group_production_lot").id)]}
        )
        self.env["stock.lot"].create(
            [
                {"name": f"A-PGTOUR-{n:03d}", "product_id": self.product.id, "company_id": self.company.id}
                for n in range(230)
            ]
        )
        search_index.drain(self.env)
        self.start_tour(
            "/odoo/action-serial_tracking.stock_lot_action_serial_list",
            "serial_tracking_serial_list_page",
            login="admin",
            timeout=120,
        )
