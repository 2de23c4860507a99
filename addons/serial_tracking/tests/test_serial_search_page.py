"""The Serial List's pages searched through the index: the same records, order and count as Odoo's own
query of the same search (serials holding the term, and lots of products, partners and documents whose
name holds it), whichever path answers (the walk in name order for a term many serials share,
Odoo's own sort for a term few serials hold, Odoo's own query for any other order)."""

from odoo.tests import tagged

from ..tools import search_index
from .serial_record_common import SerialRecordCase

SPECIFICATION = {"name": {}, "product_id": {"fields": {"display_name": {}}}, "serial_state": {}}


@tagged("post_install", "-at_install")
class TestSerialSearchPage(SerialRecordCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.probe = cls._create_serial_product("Page Probe A")
        cls.other_probe = cls._create_serial_product("Page Probe B")
        cls.other_company = cls.env["res.company"].create({"name": "Page Probe Other Company"})
        Lot = cls.env["stock.lot"]
        # More serials hold "qzk" than Odoo sorts itself, some of them in the middle (sorting first).
        names = [f"QZK-{n:04d}" for n in range(260)] + [f"MID-QZK-{n:02d}" for n in range(30)]
        Lot.create([{"name": name, "product_id": cls.probe.id, "company_id": cls.company.id} for name in names])
        Lot.create(
            [
                {"name": f"QZK-B{n:02d}", "product_id": cls.other_probe.id, "company_id": cls.company.id}
                for n in range(20)
            ]
        )
        Lot.create(
            [
                {"name": f"QZK-C{n:02d}", "product_id": cls.probe.id, "company_id": cls.other_company.id}
                for n in range(10)
            ]
        )
        search_index.drain(cls.env)

    def _pages(self, term, extra=(), order="name ASC", offset=0, user=None):
        """(the page through the index, the page by Odoo's own query of the search), as the web client
        asks for them."""
        lots = self.env["stock.lot"].with_user(user) if user else self.env["stock.lot"]
        base = [("product_id.tracking", "=", "serial"), *extra]

        def page(leaf):
            lots.env.invalidate_all()
            return lots.web_search_read(
                [*base, leaf], SPECIFICATION, offset=offset, limit=80, order=order, count_limit=10001
            )

        return page(("serial_search", "ilike", term)), page(search_index.search_domain(lots.env, "ilike", term)[0])

    def _assert_same_page(self, term, **kwargs):
        indexed, odoo = self._pages(term, **kwargs)
        self.assertEqual([row["name"] for row in indexed["records"]], [row["name"] for row in odoo["records"]])
        self.assertEqual(indexed, odoo)
        return indexed

    def _answered_by_index(self, term, order="name ASC", offset=0):
        lots = self.env["stock.lot"]
        domain = [("product_id.tracking", "=", "serial"), ("serial_search", "ilike", term)]
        return search_index.indexed_search(lots, domain, offset, 80, order, lots._search) is not None

    def test_a_shared_term_pages_in_name_order_through_the_walk(self):
        self.assertTrue(self._answered_by_index("qzk"))
        first = self._assert_same_page("qzk")
        self.assertEqual(first["length"], 320)
        self.assertEqual(first["records"][0]["name"], "MID-QZK-00", "a serial holding the term inside sorts first")
        for offset in (80, 240):
            self.assertTrue(self._answered_by_index("qzk", offset=offset))
            self._assert_same_page("qzk", offset=offset)

    def test_lots_of_a_product_holding_the_term_take_their_place_in_name_order(self):
        kit = self._create_serial_product("Qzk Repair Kit")
        self.env["stock.lot"].create(
            [{"name": name, "product_id": kit.id, "company_id": self.company.id} for name in ("AAA-KIT-1", "ZZZ-KIT-2")]
        )
        search_index.drain(self.env)
        self.assertTrue(self._answered_by_index("qzk"))
        first = self._assert_same_page("qzk")
        self.assertEqual([row["name"] for row in first["records"][:2]], ["AAA-KIT-1", "MID-QZK-00"])
        self.assertEqual(first["length"], 322)
        last = self._assert_same_page("qzk", offset=320)
        self.assertEqual(last["records"][-1]["name"], "ZZZ-KIT-2")

    def test_the_rest_of_the_domain_and_the_record_rules_apply(self):
        only_b = self._assert_same_page("qzk", extra=[("product_id", "=", self.other_probe.id)])
        self.assertEqual([row["name"] for row in only_b["records"]], [f"QZK-B{n:02d}" for n in range(20)])
        own_company = self._assert_same_page("qzk", user=self.stock_user)
        self.assertEqual(own_company["length"], 310)
        self.assertNotIn("QZK-C00", [row["name"] for row in own_company["records"]])

    def test_a_term_few_serials_hold_sorts_in_any_order(self):
        self.assertTrue(self._answered_by_index("qzk-01", order="id DESC"))
        page = self._assert_same_page("qzk-01", order="id DESC")
        self.assertEqual(page["length"], 101, "QZK-0100 to QZK-0199 and MID-QZK-01")

    def test_a_three_character_term_few_serials_hold_is_walked_in_name_order(self):
        # The term is its own gram: every entry the walk reads is a match, so no count is needed first.
        self.assertTrue(self._answered_by_index("mid"))
        page = self._assert_same_page("mid")
        self.assertEqual([row["name"] for row in page["records"]], [f"MID-QZK-{n:02d}" for n in range(30)])
        self.assertTrue(self._answered_by_index("mid", order="id DESC"))
        self._assert_same_page("mid", order="id DESC")

    def test_another_order_of_a_shared_term_is_odoos_own_query(self):
        self.assertFalse(self._answered_by_index("qzk", order="product_id ASC, name DESC"))
        self._assert_same_page("qzk", order="product_id ASC, name DESC")
        self._assert_same_page("qzk", order="name DESC")

    def test_counts_stop_at_their_limit(self):
        lots = self.env["stock.lot"]
        base = [("product_id.tracking", "=", "serial")]
        every = lots.search_count([*base, ("name", "ilike", "qzk")])
        self.assertGreaterEqual(every, 310)
        domain = [*base, ("serial_search", "ilike", "qzk")]
        self.assertEqual(lots.search_count(domain, limit=100), 100)
        self.assertEqual(lots.search_count(domain, limit=1000), every)
        self.assertEqual(lots.search_count(domain), every)
