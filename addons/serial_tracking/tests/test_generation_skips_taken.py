"""Generation never hands out a serial that is already taken in the product's uniqueness scope: it
skips it, says how many it skipped, and checks whole batches (not one query per serial)."""

from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestGenerationSkipsTaken(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone = cls._create_serial_product(
            "Skip Phone", serial_pattern="996*****", serial_format="996[[INCNUM,NONE,5]]", serial_uniqueness="company"
        )
        # Another product of the company already used 99600001-3 (entered by hand, or another format).
        cls.other = cls._create_serial_product("Skip Other", serial_uniqueness="company")
        cls._stock_serials(cls.other, ["99600001", "99600002", "99600003"])

    def _open_wizard(self, picking):
        action = picking.move_ids.with_user(self.stock_user).action_open_serial_entry()
        return Form(self.env["serial.entry.wizard"].with_user(self.stock_user).with_context(**action["context"])).save()

    def test_dialog_skips_serials_taken_in_the_company_and_says_so(self):
        receipt = self._create_receipt(self.phone, 3)
        wizard = self._open_wizard(receipt)
        wizard.action_generate_from_format()
        self.assertEqual(wizard.line_ids.mapped("name"), ["99600004", "99600005", "99600006"])
        self.assertIn("Skipped 3 serial(s)", wizard.import_message)
        self.assertIn("99600001, 99600002, 99600003", wizard.import_message)
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        wizard.action_confirm()
        self._validate(receipt)
        self.assertEqual(self._on_hand_serials(self.phone), ["99600004", "99600005", "99600006"])

    def test_serials_listed_in_the_dialog_are_skipped_too(self):
        wizard = self._open_wizard(self._create_receipt(self.phone, 3))
        wizard.paste_text = "99600004"
        wizard.action_add_pasted()
        wizard.action_generate_from_format()
        self.assertEqual(wizard.line_ids.mapped("name"), ["99600004", "99600005", "99600006"])
        self.assertIn("Skipped 4 serial(s)", wizard.import_message)
        self.assertTrue(wizard.can_confirm, wizard.problem_text)

    def test_scope_decides_what_is_taken(self):
        """Per product: another product's serial is free, the product's own is taken."""
        per_product = self._create_serial_product("Skip Own", serial_format="996[[INCNUM,NONE,5]]")
        self._stock_serials(per_product, ["99600002"])
        self.assertEqual(per_product._serial_generate(3), ["99600001", "99600003", "99600004"])
        # Global scope: a serial of another company counts too.
        company_b = self._create_second_company()
        foreign = self._create_serial_product("Skip Foreign", company=company_b)
        self.env["stock.lot"].create({"name": "GL-01", "product_id": foreign.id, "company_id": company_b.id})
        worldwide = self._create_serial_product(
            "Skip Global", serial_format="GL-[[INCNUM,NONE,2]]", serial_uniqueness="global"
        )
        self.assertEqual(worldwide._serial_generate(1), ["GL-02"])

    def test_shared_sequence_skips_for_each_product_scope(self):
        sequence = self.env["serial.sequence"].create(
            {"name": "Shared", "code": "SKIPSEQ", "format": "996[[INCNUM,NONE,5]]"}
        )
        shared = self._create_serial_product("Skip Shared", serial_sequence_id=sequence.id, serial_uniqueness="company")
        self.assertEqual(shared._serial_generate(2), ["99600004", "99600005"])

    def test_auto_generation_skips_and_notes_it_on_the_transfer(self):
        self.phone.serial_auto_generate = True
        receipt = self._create_receipt(self.phone, 2)
        self.assertEqual(sorted(receipt.move_ids.move_line_ids.mapped("lot_name")), ["99600004", "99600005"])
        notes = receipt.message_ids.filtered(lambda message: "Skipped" in (message.body or ""))
        self.assertEqual(len(notes), 1, receipt.message_ids.mapped("body"))
        self.assertIn("99600001", notes.body)
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")

    def test_a_long_run_of_taken_serials_is_checked_in_batches(self):
        baseline = self._create_serial_product("Skip Baseline", serial_format="BS[[INCNUM,NONE,5]]")
        crowded = self._create_serial_product("Skip Crowded", serial_format="CR[[INCNUM,NONE,5]]")
        self.env["stock.lot"].create(
            [
                {"name": f"CR{value:05d}", "product_id": crowded.id, "company_id": self.company.id}
                for value in range(1, 401)
            ]
        )
        # The first generation of a product creates its store sequence and counter: warm the baseline;
        # the crowded product pays that once, within the margin below.
        baseline._serial_generate(1)
        self.env.flush_all()

        def queries(product):
            before = self.env.cr.sql_log_count
            names = product._serial_generate(3)
            return names, self.env.cr.sql_log_count - before

        names, skipping = queries(crowded)
        self.assertEqual(names, ["CR00401", "CR00402", "CR00403"])
        self.assertEqual(queries(baseline)[0], ["BS00002", "BS00003", "BS00004"])
        _names, plain = queries(baseline)
        # 400 taken serials cost a few rounds of (peek, one lookup, allocate), not 400 lookups.
        self.assertLess(skipping, plain + 30, f"{skipping} queries skipping 400 serials, {plain} without")
