"""The serial entry dialog above the bulk threshold: serials kept as text (no line record per serial),
shown as ranges with the counter, checked before anything is written, and given to the move by a
serial job (kind import) in chunks; the transfer is locked while that job is open."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase

THRESHOLD = 5
COUNT = 12
SERIALS = [f"BK-{number:04d}" for number in range(1, COUNT + 1)]


@tagged("post_install", "-at_install")
class TestSerialEntryBulk(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.serial_bulk_threshold = THRESHOLD
        cls.product = cls._create_serial_product("Bulk entry widget")
        cls.env = cls.env(user=cls.stock_user)
        cls.product = cls.product.with_env(cls.env)

    def setUp(self):
        super().setUp()
        self.receipt = self._create_receipt(self.product, COUNT).with_env(self.env)
        self.move = self.receipt.move_ids

    def _generated_wizard(self, prefix="BK-"):
        action = self.move.action_open_serial_entry()
        form = Form(self.env["serial.entry.wizard"].with_context(**action["context"]))
        self.assertTrue(form.serials_as_text, "a quantity above the threshold is kept as text from the start")
        form.gen_prefix = prefix
        form.gen_padding = 4
        wizard = form.save()
        wizard.action_generate_range()
        return wizard

    def _job(self):
        return self.env["serial.job"].search([("picking_id", "=", self.receipt.id)])

    def test_serials_kept_as_text_shown_as_ranges(self):
        wizard = self._generated_wizard()
        self.assertFalse(wizard.line_ids, "no transient line per serial")
        self.assertEqual(wizard.serial_names_text.split("\n"), SERIALS)
        self.assertEqual(wizard.serials_summary, "BK-0001 – BK-0012 (12)")
        self.assertEqual(wizard.count_label, f"Serial numbers ({COUNT} / {COUNT})")
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        with self.assertRaisesRegex(UserError, "shown as ranges"):
            wizard.action_show_all()
        # Adding more keeps them as text; a repeat is skipped and reported as below the threshold.
        wizard.paste_text = "BK-0012 BK-0013"
        wizard.action_add_pasted()
        self.assertEqual(wizard.serial_names_text.split("\n"), [*SERIALS, "BK-0013"])
        self.assertIn("BK-0012", wizard.import_message)
        self.assertEqual(wizard.count_label, f"Serial numbers ({COUNT + 1} / {COUNT}): 1 too many")
        wizard.action_clear()
        self.assertFalse(wizard.serial_names_text)
        self.assertEqual(wizard.entered_count, 0)

    def test_a_list_growing_past_the_threshold_turns_to_text(self):
        small = self._create_receipt(self.product, 3).with_env(self.env)
        action = small.move_ids.action_open_serial_entry()
        wizard = Form(self.env["serial.entry.wizard"].with_context(**action["context"])).save()
        self.assertFalse(wizard.serials_as_text)
        wizard.paste_text = "S-1 S-2"
        wizard.action_add_pasted()
        self.assertEqual(wizard.line_ids.mapped("name"), ["S-1", "S-2"])
        wizard.paste_text = " ".join(f"S-{number}" for number in range(3, 9))
        wizard.action_add_pasted()
        self.assertTrue(wizard.serials_as_text)
        self.assertFalse(wizard.line_ids)
        self.assertEqual(wizard.serial_names_text.split("\n"), [f"S-{number}" for number in range(1, 9)])

    def test_confirm_adds_the_lines_through_a_job_in_chunks(self):
        wizard = self._generated_wizard()
        result = wizard.action_confirm()
        self.assertEqual(result["tag"], "display_notification")
        job = self._job()
        self.assertRecordValues(
            job, [{"kind": "import", "state": "queued", "total_count": COUNT, "user_id": self.stock_user.id}]
        )
        self.assertEqual(job.sudo().chunk_ids.mapped("count"), [5, 5, 2])
        self.assertFalse(self.move.move_line_ids.filtered("lot_name"), "nothing written before the job runs")
        # Busy: neither Validate nor a second Confirm while the job is open.
        self.assertIn(job.name, self.receipt.serial_job_notice)
        with self.assertRaisesRegex(UserError, "being given its serials by the serial job"):
            self._validate(self.receipt)
        again = self._generated_wizard(prefix="BX-")
        self.assertFalse(again.can_confirm)
        with self.assertRaisesRegex(UserError, "being given its serials"):
            again.action_confirm()

        job.sudo()._run()
        self.assertRecordValues(job, [{"state": "done", "done_count": COUNT}])
        lines = self.move.move_line_ids
        self.assertEqual(sorted(lines.mapped("lot_name")), SERIALS)
        self.assertEqual(set(lines.mapped("quantity")), {1.0})
        self.assertEqual(self.move.quantity, COUNT)
        # Reopened, the move's serials come back as text and ranges.
        action = self.move.action_open_serial_entry()
        reopened = Form(self.env["serial.entry.wizard"].with_context(**action["context"]))
        self.assertEqual(reopened.serials_summary, "BK-0001 – BK-0012 (12)")

        validation = self._validate(self.receipt.with_context(serial_validate_in_job=True))
        self.assertEqual(validation["tag"], "display_notification")
        (self._job() - job).sudo()._run()
        self.assertEqual(self.receipt.state, "done")
        self.assertEqual(self._on_hand_serials(self.product.sudo()), SERIALS)

    def test_rules_are_checked_before_anything_is_written(self):
        self.product.sudo().serial_pattern = "BK-####"
        self._stock_serials(self.product.sudo(), ["BK-0003"])
        wizard = self._generated_wizard()
        wizard.paste_text = "BAD-1"
        wizard.action_add_pasted()
        self.assertFalse(wizard.can_confirm)
        with self.assertRaises(UserError) as caught:
            wizard.action_confirm()
        message = caught.exception.args[0]
        for named in ("BAD-1", "BK-0003", f"{COUNT + 1} / {COUNT}"):
            self.assertIn(named, message)
        self.assertFalse(self._job())
        self.assertFalse(self.move.move_line_ids.filtered("lot_name"))
