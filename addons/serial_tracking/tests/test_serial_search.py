"""The serial search index: changes become searchable once the worker's drain runs (here in-process, the
function the RQ job calls), fragments inside serials, products, partners and documents, short terms."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from serial_core import search_index as engine

from ..tools import search_index
from .serial_record_common import SerialRecordCase


@tagged("post_install", "-at_install")
class TestSerialSearch(SerialRecordCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Quillfeather Components"})
        cls.customer = cls.env["res.partner"].create({"name": "Brambleton Repairs"})

    def _found(self, term):
        """Names of the lots the Serial List's search box shows for ``term``."""
        return set(self.env["stock.lot"].search([("serial_search", "ilike", term)]).mapped("name"))

    def _lot(self, name, product=None, company=None):
        return self.env["stock.lot"].create(
            {"name": name, "product_id": (product or self.product).id, "company_id": (company or self.company).id}
        )

    def test_a_new_lot_is_found_by_a_fragment_once_the_drain_ran(self):
        self._lot("ZQX-99600123-K")
        self.assertNotIn("ZQX-99600123-K", self._found("9600123"), "not indexed before the worker's drain")
        search_index.drain(self.env)
        for fragment in ("ZQX", "zqx-996", "600123", "0123-k", "99600123", "ZQX-99600123-K"):
            self.assertEqual(self._found(fragment), {"ZQX-99600123-K"}, fragment)
        self.assertFalse(self._found("600124"))
        self.env.cr.execute(f"SELECT count(*) FROM {engine.CHANGE_TABLE}")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "the drain empties the change log")

    def test_a_rename_replaces_the_old_fragments(self):
        lot = self._lot("WRN-OLD-4417")
        search_index.drain(self.env)
        lot.name = "WRN-NEW-5528"
        self.assertEqual(self._found("OLD-4417"), {"WRN-NEW-5528"}, "until the drain the index holds the old name")
        self.assertFalse(self._found("NEW-55"))
        search_index.drain(self.env)
        self.assertFalse(self._found("OLD-4417"))
        self.assertEqual(self._found("NEW-55"), {"WRN-NEW-5528"})

    def test_a_deleted_lot_leaves_the_index(self):
        lot = self._lot("DLT-7781")
        search_index.drain(self.env)
        lot_id = lot.id
        lot.unlink()
        search_index.drain(self.env)
        self.env.cr.execute(f"SELECT count(*) FROM {engine.SUFFIX_TABLE} WHERE lot_id = %s", (lot_id,))
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_done_moves_make_the_partners_and_documents_searchable(self):
        receipt = self._create_receipt(self.product, 2, serials=["MVD-1001", "MVD-1002"])
        receipt.partner_id = self.vendor
        self._validate(receipt)
        search_index.drain(self.env)
        self.assertEqual(self._found("Quillfeather"), {"MVD-1001", "MVD-1002"})
        self.assertEqual(self._found(receipt.name), {"MVD-1001", "MVD-1002"})
        delivery = self._create_delivery(self.product, 1, serials=["MVD-1002"])
        delivery.partner_id = self.customer
        self.assertFalse(self._found("Brambleton"), "a delivery not done yet links nothing")
        self._validate(delivery)
        self.assertFalse(self._found("Brambleton"), "linked once the drain ran")
        search_index.drain(self.env)
        self.assertEqual(self._found("bramblet"), {"MVD-1002"})
        self.assertEqual(self._found(delivery.name), {"MVD-1002"})

    def test_sale_and_manufacturing_order_numbers_and_products(self):
        self._receive(self.product, ["SLD-3001"])
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        self._set_move_serials(order.picking_ids.move_ids, ["SLD-3001"])
        self._validate(order.picking_ids)
        self._receive(self.component, ["CMP-3002"])
        component_lot = self._find_lot(self.component, "CMP-3002")
        production = self._produce(self.finished, "FIN-3003", component_lot)
        search_index.drain(self.env)
        self.assertEqual(self._found(order.name), {"SLD-3001"})
        self.assertEqual(self._found(production.name), {"FIN-3003", "CMP-3002"}, "built by it and consumed into it")
        self.assertEqual(self._found("Record Assembly"), {"FIN-3003"}, "by product name")
        self.assertIn("SLD-3001", self._found("record widg"))

    def test_a_fragment_most_serials_share_is_answered_within_the_limit(self):
        self.env["stock.lot"].create(
            [
                {"name": f"SHR996{n:05d}", "product_id": self.product.id, "company_id": self.company.id}
                for n in range(300)
            ]
        )
        search_index.drain(self.env)
        found = search_index.find_lot_ids(self.env, "shr996", 50)
        self.assertEqual(len(found), 50)
        self.assertEqual(len(set(found)), 50, "each lot once")
        self.assertEqual(len(self._found("SHR996")), 300, "the search box keeps every match")
        self.assertEqual(self._found("R99600017"), {"SHR99600017"})

    def test_terms_shorter_than_three_characters_are_refused(self):
        for term in ("99", "  a ", ""):
            with self.assertRaisesRegex(UserError, "Type at least 3 characters"):
                self._found(term)
        wizard = self.env["serial.find.wizard"].create({"term": "ab"})
        with self.assertRaisesRegex(UserError, "Type at least 3 characters"):
            wizard.action_find()

    def test_find_serial_opens_the_one_match_or_the_searched_list(self):
        one = self._lot("FND-ONLY-8080")
        self._lot("FND-PAIR-1")
        self._lot("FND-PAIR-2")
        search_index.drain(self.env)
        action = self.env["serial.find.wizard"].create({"term": "only-80"}).action_find()
        self.assertEqual((action["res_model"], action["res_id"]), ("stock.lot", one.id))
        action = self.env["serial.find.wizard"].create({"term": "FND-PAIR"}).action_find()
        self.assertEqual(action["context"], {"search_default_serial_search": "FND-PAIR"})
        self.assertEqual(action["xml_id"], "serial_tracking.stock_lot_action_serial_list")

    def test_find_serial_applies_the_users_record_rules(self):
        other_company = self.env["res.company"].create({"name": "Search Other Company"})  # not the user's
        self._lot("RUL-5151", self._create_serial_product("Other Widget", company=other_company), other_company)
        search_index.drain(self.env)
        self.assertEqual(self._found("RUL-515"), {"RUL-5151"})
        lots = self.env["stock.lot"].with_user(self.stock_user).search([("serial_search", "ilike", "RUL-515")])
        self.assertFalse(lots, "a lot of a company the user is not in stays hidden")
