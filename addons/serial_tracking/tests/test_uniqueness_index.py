import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.stock_lot import SERIAL_UNIQUE_INDEX
from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestUniquenessIndex(SerialTrackingCase):
    """The database, not only Python, refuses a second lot with the same serial in its scope."""

    def test_index_is_unique(self):
        self.env.cr.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [SERIAL_UNIQUE_INDEX])
        (definition,) = self.env.cr.fetchone()
        self.assertIn("UNIQUE", definition)
        self.assertIn("(serial_unique_key)", definition)

    def test_key_follows_the_scope(self):
        product = self._create_serial_product("Keyed")
        lot = self.env["stock.lot"].create({"name": "K-1", "product_id": product.id, "company_id": self.company.id})
        self.assertEqual(lot.serial_unique_key, f"product:{product.id}:{self.company.id}:K-1")
        product.serial_uniqueness = "company"
        self.assertEqual(lot.serial_unique_key, f"company:{self.company.id}:K-1")
        product.serial_uniqueness = "global"
        self.assertEqual(lot.serial_unique_key, "global:K-1")
        lot_product = self.env["product.product"].create({"name": "By lot", "is_storable": True, "tracking": "lot"})
        batch = self.env["stock.lot"].create({"name": "K-1", "product_id": lot_product.id})
        self.assertFalse(batch.serial_unique_key, "lots of lot-tracked products carry no key")

    def test_database_refuses_a_duplicate_key(self):
        product = self._create_serial_product("Global", serial_uniqueness="global")
        other = self._create_serial_product("Product scope")
        lot = self.env["stock.lot"].create({"name": "DUP", "product_id": product.id})
        twin = self.env["stock.lot"].create({"name": "DUP", "product_id": other.id})
        self.assertNotEqual(lot.serial_unique_key, twin.serial_unique_key)
        # Past every Python check, straight in SQL: the index itself refuses the duplicate.
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE stock_lot SET serial_unique_key = %s WHERE id = %s", [lot.serial_unique_key, twin.id]
            )

    def test_python_check_names_company_scope_duplicates(self):
        first = self._create_serial_product("First", serial_uniqueness="company")
        second = self._create_serial_product("Second", serial_uniqueness="company")
        self.env["stock.lot"].create({"name": "C-1", "product_id": first.id, "company_id": self.company.id})
        with self.assertRaises(ValidationError) as caught:
            self.env["stock.lot"].create({"name": "C-1", "product_id": second.id, "company_id": self.company.id})
        self.assertIn("C-1", str(caught.exception))

    def test_two_transactions_cannot_both_register_a_serial(self):
        """Two users validating the same serial at the same moment: the second waits for the first
        and, once the first commits, is refused with a ValidationError naming the serial."""
        dbname = self.env.cr.dbname
        cr1 = db_connect(dbname).cursor()
        cr2 = db_connect(dbname).cursor()
        committed_product = None
        try:
            for cr in (cr1, cr2):
                # Never hang the suite: a wait longer than this fails the statement instead.
                cr.execute("SET lock_timeout = '3s'")
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            vals = {"is_storable": True, "tracking": "serial", "serial_uniqueness": "global"}
            product1 = env1["product.product"].create(dict(vals, name="Race product 1"))
            product2 = env2["product.product"].create(dict(vals, name="Race product 2"))

            env1["stock.lot"].create({"name": "RACE-0001", "product_id": product1.id})
            # The first transaction has not committed: the second one must wait on the index.
            with self.assertRaises(psycopg2.errors.LockNotAvailable), mute_logger("odoo.sql_db"):
                env2["stock.lot"].create({"name": "RACE-0001", "product_id": product2.id})

            cr1.commit()
            committed_product = product1.id
            with self.assertRaises(ValidationError) as caught, mute_logger("odoo.sql_db"):
                env2["stock.lot"].create({"name": "RACE-0001", "product_id": product2.id})
            self.assertIn("RACE-0001", str(caught.exception))
            cr2.rollback()
        finally:
            cr1.rollback()
            cr2.rollback()
            if committed_product:
                cleanup = api.Environment(cr1, SUPERUSER_ID, {})
                product = cleanup["product.product"].browse(committed_product)
                cleanup["stock.lot"].search([("product_id", "=", product.id)]).unlink()
                product.product_tmpl_id.unlink()
                cr1.commit()
            cr1.close()
            cr2.close()
