"""The serial checks run at every validation: their query count must not grow with the number of lines.

Odoo's assertQueryCount pins exact numbers that change between Odoo builds; here the same check is
measured on a small and a large operation in one run and the two counts are compared.
"""

from odoo import Command
from odoo.tests import tagged

from .common import SerialTrackingCase

# Extra queries the large operation may take (a prefetch split in two, a sequence read); a per-line query
# would add hundreds.
SLACK = 5


@tagged("post_install", "-at_install")
class TestValidationQueries(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product(
            "Query-counted scanner", serial_pattern="QC######", serial_uniqueness="company"
        )

    def _check_queries(self, lines):
        """Queries taken by the validation check of ``lines``, starting from an empty cache."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.env["stock.move.line"].browse(lines.ids)._serial_check_done_lines()
        return self.env.cr.sql_log_count - before

    def _receipt_check_queries(self, count):
        serials = [f"QC{count:03d}{index:03d}" for index in range(count)]
        receipt = self._create_receipt(self.product, count, serials)
        return self._check_queries(receipt._serial_lines_being_validated())

    def _delivery_check_queries(self, shelf_count):
        """A delivery taking one unit without serial from each of ``shelf_count`` shelves."""
        shelves = self.env["stock.location"].create(
            [
                {
                    "name": f"Query shelf {shelf_count}-{index}",
                    "location_id": self.stock_location.id,
                    "usage": "internal",
                }
                for index in range(shelf_count)
            ]
        )
        for shelf in shelves:
            self._stock_without_serials(self.product, 1, location=shelf)
        delivery = self._create_delivery(self.product, shelf_count)
        move = delivery.move_ids
        move.move_line_ids.unlink()
        move.write(
            {
                "move_line_ids": [
                    Command.create(dict(self._move_line_vals(move, 1), location_id=shelf.id, picked=True))
                    for shelf in shelves
                ]
            }
        )
        self.assertEqual(len(delivery._serial_lines_being_validated()), shelf_count)
        return self._check_queries(delivery._serial_lines_being_validated())

    def test_receipt_check_does_not_query_per_line(self):
        small = self._receipt_check_queries(50)
        large = self._receipt_check_queries(500)
        self.assertLessEqual(large, small + SLACK, f"50 serials: {small} queries, 500 serials: {large}")

    def test_delivery_without_serials_does_not_query_per_location(self):
        small = self._delivery_check_queries(5)
        large = self._delivery_check_queries(50)
        self.assertLessEqual(large, small + SLACK, f"5 shelves: {small} queries, 50 shelves: {large}")
