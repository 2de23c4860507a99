"""Rows flushed with the same values are written in one statement, with what the ORM would write."""

from odoo.models import UPDATE_BATCH_SIZE
from odoo.tests import tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestUniformWrites(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Uniform writes router")
        count = UPDATE_BATCH_SIZE + 50
        cls.lots = cls.env["stock.lot"].create(
            [{"name": f"UW-{index:04d}", "product_id": cls.product.id} for index in range(count)]
        )

    def _flush_statements(self, records):
        before = self.env.cr.sql_log_count
        records.flush_recordset()
        return self.env.cr.sql_log_count - before

    def _rows(self, lots):
        self.env.cr.execute(
            "SELECT id, ref, write_uid, write_date FROM stock_lot WHERE id = ANY(%s) ORDER BY id", [lots.ids]
        )
        return self.env.cr.fetchall()

    def test_same_values_in_one_statement(self):
        """More rows than the ORM writes per statement, one value: one UPDATE (the ORM's takes two)."""
        user = self.stock_user
        self.lots.with_user(user).write({"ref": "UW batch"})
        self.assertEqual(self._flush_statements(self.lots), 1)
        now = self.env.cr.now()
        self.assertEqual(self._rows(self.lots), [(lot_id, "UW batch", user.id, now) for lot_id in self.lots.ids])

    def test_other_values_left_to_the_orm(self):
        """The few rows whose values differ go through the ORM's own statements, each its value."""
        odd = self.lots[:3]
        self.lots.write({"ref": "UW common"})
        for lot in odd:
            lot.ref = f"UW own {lot.name}"
        self.assertEqual(self._flush_statements(self.lots), 2)
        self.env.invalidate_all()
        refs = dict((lot_id, ref) for lot_id, ref, _uid, _date in self._rows(self.lots))
        self.assertEqual({refs[lot.id] for lot in self.lots - odd}, {"UW common"})
        self.assertEqual([refs[lot.id] for lot in odd], [f"UW own {lot.name}" for lot in odd])
        self.assertEqual(self.lots.mapped("ref"), [refs[lot_id] for lot_id in self.lots.ids])
