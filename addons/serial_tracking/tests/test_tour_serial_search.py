"""Browser tour: Find Serial and the Serial List's search box find a serial by a fragment inside it."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from ..tools import search_index
from .serial_record_common import SerialRecordCase


@tagged("post_install", "-at_install")
class TestSerialSearchTour(HttpCase, SerialRecordCase):
    def test_find_serial_tour(self):
        self.env.ref("base.user_admin").write(
            {"groups_id": [Command.link(self.env.ref("stock.group_production_lot").id)]}
        )
        self._receive(self.product, ["TOURFIND-77310-A", "TOURFIND-77420-B", "TOURFIND-88530-C"])
        search_index.drain(self.env)  # what the worker does within seconds of the commit
        self.start_tour(
            "/odoo/action-serial_tracking.serial_find_wizard_action",
            "serial_tracking_find_serial",
            login="admin",
            timeout=120,
        )
