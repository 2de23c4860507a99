from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from serial_core import store
from serial_core.errors import StoreError

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialSequence(SerialTrackingCase):
    """serial.sequence mirrors a serial_core store sequence in Odoo's database and transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sequence = cls.env["serial.sequence"]
        cls.sequence = cls.Sequence.create({"name": "Line 1", "code": "LINE1", "format": "L1-[[INCNUM,NONE,4]]"})

    def test_create_write_unlink_keep_the_store_in_step(self):
        cr = self.env.cr
        row = store.get_sequence(cr, "LINE1", company=self.company.id)
        self.assertEqual(row.format, "L1-[[INCNUM,NONE,4]]")
        self.assertEqual(row.name, "Line 1")

        self.sequence.write({"format": "L1X-[[INCNUM,NONE,3]]", "gap_free": True, "name": "Line one"})
        row = store.get_sequence(cr, "LINE1", company=self.company.id)
        self.assertEqual((row.format, row.gap_free, row.name), ("L1X-[[INCNUM,NONE,3]]", True, "Line one"))

        self.sequence.unlink()
        with self.assertRaises(StoreError):
            store.get_sequence(cr, "LINE1", company=self.company.id)

    def test_the_store_is_the_one_owner(self):
        """A change made in the store (as `serials sequence update` makes it) is what Odoo shows and
        searches; a change made in Odoo is what the store holds. Neither side keeps a copy."""
        cr = self.env.cr
        store.update_sequence(
            cr, "LINE1", company=self.company.id, name="Line renamed", format="LR-[[INCNUM,NONE,2]]", gap_free=True
        )
        self.sequence.invalidate_recordset()
        self.assertEqual(
            (self.sequence.name, self.sequence.format, self.sequence.gap_free),
            ("Line renamed", "LR-[[INCNUM,NONE,2]]", True),
        )
        self.assertEqual(self.Sequence.search([("name", "ilike", "renamed")]), self.sequence)
        self.assertIn(self.sequence, self.Sequence.search([("gap_free", "=", True)]))
        self.assertEqual(self.sequence._peek(1), ["LR-01"])

        form = Form(self.sequence.with_user(self.stock_manager))
        form.format = "LO-[[INCNUM,NONE,3]]"
        form.save()
        self.assertEqual(store.get_sequence(cr, "LINE1", company=self.company.id).format, "LO-[[INCNUM,NONE,3]]")
        cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", [self.Sequence._table])
        self.assertFalse(
            {"name", "format", "gap_free"} & {row[0] for row in cr.fetchall()},
            "Odoo's table keeps no copy of what the store holds",
        )

    def test_code_and_company_are_fixed(self):
        with self.assertRaises(UserError):
            self.sequence.code = "OTHER"

    def test_bad_format_is_refused_with_the_engine_message(self):
        with self.assertRaises(ValidationError) as caught:
            self.Sequence.create({"name": "Bad", "code": "BAD", "format": "SN-[[NOPE]]"})
        self.assertIn("NOPE", str(caught.exception))

    def test_code_unique_per_company(self):
        company_b = self._create_second_company()
        other = self.Sequence.create(
            {"name": "B", "code": "LINE1", "format": "B-[[INCNUM,NONE,2]]", "company_id": company_b.id}
        )
        self.assertEqual(other.code, "LINE1", "another company may use the same code")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.Sequence.create({"name": "Twin", "code": "LINE1", "format": "T-[[INCNUM,NONE,2]]"})

    def _previewed(self, sequence=None, user=None):
        sequence = (sequence or self.sequence).with_user(user or self.env.user)
        action = sequence.action_preview()
        self.assertEqual(action["tag"], "display_notification")
        return action["params"]["message"].splitlines()

    def test_preview_issues_nothing(self):
        self.assertEqual(self._previewed(), ["L1-0001", "L1-0002", "L1-0003", "L1-0004", "L1-0005"])
        self.assertEqual(self._previewed()[0], "L1-0001", "a preview issues nothing")
        self.assertEqual(self.sequence._allocate(2), ["L1-0001", "L1-0002"])
        self.assertEqual(self._previewed(user=self.stock_user)[0], "L1-0003", "stock users may preview")

    def test_preview_shows_product_tokens_as_placeholders(self):
        sequence = self.Sequence.create({"name": "PP", "code": "PPV", "format": "[[PRODUCT]]-[[INCNUM,NONE,2]]"})
        self.assertEqual(self._previewed(sequence)[:2], ["<PRODUCT>-01", "<PRODUCT>-02"])

    def test_set_next_number_wizard(self):
        """Enter 17 as the last number issued: the next serial issued is 18."""
        action = self.sequence.with_user(self.stock_manager).action_open_set_next()
        self.assertEqual(action["res_model"], "serial.sequence.set.next")
        wizard_form = Form(
            self.env["serial.sequence.set.next"].with_user(self.stock_manager).with_context(**action["context"])
        )
        wizard_form.last_issued = 17
        self.assertEqual(wizard_form.next_serial, "L1-0018")
        result = wizard_form.save().action_apply()
        self.assertEqual(result["params"]["message"].splitlines()[0], "L1-0018", "the wizard shows what comes next")
        self.assertEqual(result["params"]["next"], {"type": "ir.actions.act_window_close"})
        self.assertEqual(self.sequence._allocate(1), ["L1-0018"])
        self.assertEqual(self.sequence._peek(1), ["L1-0019"])

    def test_set_next_needs_a_product_for_product_series(self):
        sequence = self.Sequence.create(
            {"name": "Per product", "code": "PP", "format": "[[PRODUCT]]-[[INCNUM,NONE,3]]"}
        )
        product = self._create_serial_product("Widget", default_code="WID", serial_sequence_id=sequence.id)
        wizard = self.env["serial.sequence.set.next"].create({"sequence_id": sequence.id, "last_issued": 4})
        self.assertTrue(wizard.needs_product)
        with self.assertRaises(UserError):
            wizard.action_apply()
        # Choosing the product shows its series' last number; then the user enters the new one.
        wizard.product_id = product
        self.assertEqual(wizard.last_issued, 0)
        wizard.last_issued = 4
        self.assertEqual(wizard.next_serial, "WID-005")
        wizard.action_apply()
        self.assertEqual(product._serial_generate(1), ["WID-005"])

    def test_products_share_the_counter(self):
        first = self._create_serial_product("First", serial_sequence_id=self.sequence.id)
        second = self._create_serial_product("Second", serial_sequence_id=self.sequence.id)
        self.assertEqual(first._serial_generate(2), ["L1-0001", "L1-0002"])
        self.assertEqual(second._serial_generate(1), ["L1-0003"])
        self.assertEqual(first._serial_preview(2), ["L1-0004", "L1-0005"])
        self.assertEqual(second._serial_generate(1), ["L1-0004"], "preview issued nothing")
        self.assertEqual(self.sequence.product_count, 2)

    def test_product_own_format_and_company_default(self):
        own = self._create_serial_product("Own format", serial_format="OWN-[[INCNUM,NONE,3]]")
        self.assertEqual(own._serial_generate(2), ["OWN-001", "OWN-002"])
        own.serial_format = "NEW-[[INCNUM,NONE,3]]"
        self.assertEqual(own._serial_generate(1), ["NEW-001"], "a new format starts a new series")

        bare = self._create_serial_product("No format")
        with self.assertRaises(UserError) as caught:
            bare._serial_generate(1)
        self.assertIn("no serial format", str(caught.exception))
        self.company.serial_default_format = "DEF-[[INCNUM,NONE,2]]"
        self.assertEqual(bare._serial_generate(1), ["DEF-01"])

    def test_generation_rolls_back_with_the_transaction(self):
        """Counters live in the same transaction: a rolled-back savepoint gives its numbers back
        only for gap-free sequences (the store's documented behaviour)."""
        gap_free = self.Sequence.create(
            {"name": "GF", "code": "GF", "format": "GF-[[INCNUM,NONE,2]]", "gap_free": True}
        )
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            self.assertEqual(gap_free._allocate(3), ["GF-01", "GF-02", "GF-03"])
            raise RuntimeError("abort")
        self.assertEqual(gap_free._allocate(1), ["GF-01"])

    def test_stock_user_reads_but_cannot_configure(self):
        sequence = self.sequence.with_user(self.stock_user)
        self.assertEqual(sequence.name, "Line 1")
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            sequence.write({"name": "Hijacked"})
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            self.env["serial.sequence.set.next"].with_user(self.stock_user).create(
                {"sequence_id": self.sequence.id, "last_issued": 1}
            )
