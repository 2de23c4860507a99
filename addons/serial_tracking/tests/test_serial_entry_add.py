"""The serial entry wizard adding serials to a receipt: generate, paste, upload, list, counter, Confirm."""

import base64
import csv
import io

import openpyxl
import xlwt  # an Odoo 18.0 requirement: writes the old .xls format

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialEntryAdd(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Entry Widget")
        cls.env = cls.env(user=cls.stock_user)
        cls.product = cls.product.with_env(cls.env)

    def setUp(self):
        super().setUp()
        self.receipt = self._create_receipt(self.product, 5).with_env(self.env)
        self.move = self.receipt.move_ids

    def _open_form(self, move=None):
        action = (move or self.move).action_open_serial_entry()
        self.assertEqual(action["res_model"], "serial.entry.wizard")
        self.assertEqual(action["target"], "new")
        return Form(self.env["serial.entry.wizard"].with_context(**action["context"]))

    def _wizard_with(self, serials):
        """A saved wizard holding ``serials``, pasted as a user would."""
        form = self._open_form()
        form.entry_method = "paste"
        form.paste_text = "\n".join(serials)
        wizard = form.save()
        wizard.action_add_pasted()
        return wizard

    # ------------------------------------------------------------------ opening

    def test_open_from_receipt_is_add_mode_for_the_move_quantity(self):
        form = self._open_form()
        self.assertEqual(form.mode, "add")
        self.assertEqual(form.quantity, 5)
        self.assertEqual(form.location_id, self.receipt.location_dest_id)
        self.assertEqual(form.count_label, "Serial numbers (0 / 5)")
        self.assertFalse(form.can_confirm)

    def test_serials_button_in_the_transfer_and_the_detailed_operations(self):
        for model, view in (
            ("stock.picking", "stock.view_picking_form"),
            ("stock.move", "stock.view_stock_move_operations"),
        ):
            arch = self.env[model].get_view(self.env.ref(view).id)["arch"]
            self.assertIn('name="action_open_serial_entry"', arch, view)

    def test_open_refuses_untracked_product(self):
        plain = self.env["product.product"].sudo().create({"name": "Plain", "type": "consu", "is_storable": True})
        receipt = self._create_receipt(plain.with_env(self.env), 2)
        with self.assertRaisesRegex(UserError, "not tracked by serial"):
            receipt.with_env(self.env).move_ids.action_open_serial_entry()

    # ------------------------------------------------------------------ generate

    def test_generate_range_end_follows_start_and_counter_matches(self):
        form = self._open_form()
        form.gen_prefix = "SN-"
        form.gen_padding = 4
        form.gen_start = 7
        self.assertEqual(form.gen_end, 11, "End is computed from Start and the missing count")
        wizard = form.save()
        wizard.action_generate_range()
        self.assertEqual(wizard.line_ids.mapped("name"), [f"SN-{n:04d}" for n in range(7, 12)])
        self.assertEqual(wizard.count_label, "Serial numbers (5 / 5)")
        self.assertEqual(wizard.serials_summary, "SN-0007 – SN-0011 (5)")
        self.assertTrue(wizard.can_confirm, wizard.problem_text)

    def test_end_follows_start_after_a_first_batch(self):
        form = self._open_form()
        form.gen_prefix = "B-"
        form.gen_end = 2
        wizard = form.save()
        wizard.action_generate_range()
        with Form(wizard) as form:
            form.gen_start = 3
            self.assertEqual(form.gen_end, 5, "three serials are still missing")
        wizard.action_generate_range()
        self.assertEqual(wizard.line_ids.mapped("name"), ["B-1", "B-2", "B-3", "B-4", "B-5"])
        self.assertTrue(wizard.can_confirm, wizard.problem_text)

    def test_start_and_end_show_the_next_free_range_after_each_action(self):
        form = self._open_form()
        form.gen_prefix = "NX-"
        form.gen_padding = 3
        form.gen_end = 2
        wizard = form.save()
        wizard.action_generate_range()
        self.assertEqual((wizard.gen_start, wizard.gen_end), (3, 5), "NX-003 to NX-005 are next")
        wizard.paste_text = "NX-007"
        wizard.action_add_pasted()
        self.assertEqual((wizard.gen_start, wizard.gen_end), (8, 9), "after the highest listed, for the two missing")
        wizard.action_generate_range()
        self.assertEqual(wizard.line_ids.mapped("name"), ["NX-001", "NX-002", "NX-007", "NX-008", "NX-009"])

    def test_the_chosen_entry_method_is_kept_after_each_action(self):
        form = self._open_form()
        self.assertEqual(form.entry_method, "generate")
        form.entry_method = "paste"
        form.paste_text = "KT-1"
        wizard = form.save()
        reopened = wizard.action_add_pasted()
        self.assertEqual(reopened["res_id"], wizard.id, "the same wizard is shown again")
        self.assertEqual(wizard.entry_method, "paste")

    def test_generate_with_suffix_and_no_prefix(self):
        form = self._open_form()
        form.gen_start = 100
        form.gen_padding = 3
        form.gen_suffix = "-A"
        wizard = form.save()
        wizard.action_generate_range()
        self.assertEqual(wizard.line_ids.mapped("name"), ["100-A", "101-A", "102-A", "103-A", "104-A"])

    def test_generate_refuses_a_bad_range_and_adds_nothing(self):
        form = self._open_form()
        form.gen_start = 9
        form.gen_end = 3
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "Cannot generate serials: end 3 is before start 9"):
            wizard.action_generate_range()
        wizard.write({"gen_start": 1, "gen_end": 2, "gen_padding": -1})
        with self.assertRaisesRegex(UserError, "padding must be at least 0"):
            wizard.action_generate_range()
        self.assertFalse(wizard.line_ids)

    def test_generate_from_product_format_issues_the_missing_serials(self):
        self.product.sudo().serial_format = "FMT-[[INCNUM,NONE,3]]"
        wizard = self._wizard_with(["MANUAL-1", "MANUAL-2"])
        wizard.action_generate_from_format()
        names = wizard.line_ids.mapped("name")
        self.assertEqual(names[:2], ["MANUAL-1", "MANUAL-2"])
        self.assertEqual(len(names), 5)
        self.assertTrue(all(name.startswith("FMT-") for name in names[2:]), names)
        self.assertEqual(len(set(names)), 5)
        with self.assertRaisesRegex(UserError, "already entered"):
            wizard.action_generate_from_format()

    # ------------------------------------------------------------------ paste

    def test_paste_splits_on_lines_commas_semicolons_tabs_spaces_and_skips_repeats(self):
        form = self._open_form()
        form.entry_method = "paste"
        form.paste_text = "P1, P2;P3\tP4\nP5  P1\n\n"
        wizard = form.save()
        wizard.action_add_pasted()
        self.assertEqual(wizard.line_ids.mapped("name"), ["P1", "P2", "P3", "P4", "P5"])
        self.assertIn("1 already listed, skipped: P1", wizard.import_message)
        self.assertFalse(wizard.paste_text)
        self.assertTrue(wizard.can_confirm, wizard.problem_text)

    def test_long_lists_in_messages_are_summarised(self):
        names = [f"P-{n:02d}" for n in range(1, 13)]
        wizard = self._wizard_with(names)
        wizard.paste_text = " ".join(names)
        wizard.action_add_pasted()
        self.assertEqual(len(wizard.line_ids), 12)
        self.assertIn("12 already listed, skipped: P-01, P-02", wizard.import_message)
        self.assertIn("P-10 … and 2 more", wizard.import_message)
        self.assertNotIn("P-11", wizard.import_message)
        self.assertEqual(wizard.count_label, "Serial numbers (12 / 5): 7 too many")

    def test_paste_nothing_is_refused(self):
        form = self._open_form()
        form.entry_method = "paste"
        form.paste_text = " ,; "
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "Paste serial numbers first"):
            wizard.action_add_pasted()

    # ------------------------------------------------------------------ upload

    def _choose_file(self, filename, data):
        """The wizard as the dialog shows it right after a file is chosen, and the onchange's answer.

        The upload widget sets the file and its (invisible) name in one change; the onchange runs on a
        copy of the saved wizard, as the web client's onchange call does.
        """
        form = self._open_form()
        form.entry_method = "upload"
        saved = form.save()
        wizard = saved.new({"upload_file": base64.b64encode(data), "upload_filename": filename}, origin=saved)
        return wizard, wizard._onchange_upload_file()

    def _upload(self, filename, data):
        wizard, answer = self._choose_file(filename, data)
        self.assertIsNone(answer, answer)
        self.assertFalse(wizard.upload_file, "the file is imported, not kept")
        return wizard

    def test_upload_csv_removes_and_reports_duplicates(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for serial in ["C-1", "C-2", "C-1", "C-3", "C-4", "C-2", "C-5"]:
            writer.writerow([serial])
        wizard = self._upload("serials.csv", buffer.getvalue().encode())
        self.assertEqual(wizard.line_ids.mapped("name"), ["C-1", "C-2", "C-3", "C-4", "C-5"])
        self.assertIn("2 duplicates removed", wizard.import_message)
        self.assertIn("C-1 (row 3, first on row 1)", wizard.import_message)
        self.assertIn("C-2 (row 6, first on row 2)", wizard.import_message)
        self.assertFalse(wizard.upload_file)
        self.assertEqual(wizard.count_label, "Serial numbers (5 / 5)")

    def test_upload_xlsx(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for serial in ["X-10", "X-11", "X-12"]:
            sheet.append([serial])
        buffer = io.BytesIO()
        workbook.save(buffer)
        wizard = self._upload("serials.xlsx", buffer.getvalue())
        self.assertEqual(wizard.line_ids.mapped("name"), ["X-10", "X-11", "X-12"])
        self.assertEqual(wizard.count_label, "Serial numbers (3 / 5)")
        self.assertFalse(wizard.can_confirm)

    def test_upload_xls(self):
        workbook = xlwt.Workbook()
        sheet = workbook.add_sheet("Serials")
        for row, serial in enumerate(["OLDXL-1", "OLDXL-2", "OLDXL-1"]):
            sheet.write(row, 0, serial)
        buffer = io.BytesIO()
        workbook.save(buffer)
        wizard = self._upload("serials.xls", buffer.getvalue())
        self.assertEqual(wizard.line_ids.mapped("name"), ["OLDXL-1", "OLDXL-2"])
        self.assertIn("1 duplicates removed: OLDXL-1 (row 3, first on row 1)", wizard.import_message)

    def test_upload_txt(self):
        wizard = self._upload("serials.txt", b"T-1\nT-2\nT-3\nT-4\nT-5\n")
        self.assertEqual(wizard.line_ids.mapped("name"), ["T-1", "T-2", "T-3", "T-4", "T-5"])

    def test_upload_unreadable_file_names_the_file(self):
        wizard, answer = self._choose_file("scan.pdf", b"%PDF-1.4 not serials")
        self.assertEqual(answer["warning"]["title"], "File not imported")
        self.assertIn("scan.pdf", answer["warning"]["message"])
        self.assertFalse(wizard.line_ids)
        self.assertFalse(wizard.upload_file, "the file is dropped, so the same file can be chosen again")

    # ------------------------------------------------------------------ list management

    def test_show_all_delete_one_and_clear(self):
        wizard = self._wizard_with(["L-1", "L-2", "L-3", "L-4", "L-5"])
        self.assertEqual(wizard.serials_summary, "L-1 – L-5 (5)")
        wizard.action_show_all()
        self.assertTrue(wizard.show_all)
        with Form(wizard) as form:
            form.line_ids.remove(index=1)
            self.assertEqual(form.count_label, "Serial numbers (4 / 5)")
            self.assertFalse(form.can_confirm)
        self.assertEqual(wizard.line_ids.mapped("name"), ["L-1", "L-3", "L-4", "L-5"])
        self.assertEqual(wizard.serials_summary, "L-1\nL-3 – L-5 (3)")
        wizard.action_collapse()
        self.assertFalse(wizard.show_all)
        wizard.action_clear()
        self.assertFalse(wizard.line_ids)
        self.assertEqual(wizard.count_label, "Serial numbers (0 / 5)")

    # ------------------------------------------------------------------ problems shown live

    def test_pattern_problems_block_confirm(self):
        self.product.sudo().serial_pattern = "SN-####"
        wizard = self._wizard_with(["SN-0001", "SN-0002", "BAD-1", "SN-0004", "SN-12"])
        self.assertEqual(wizard.entered_count, 5)
        self.assertFalse(wizard.can_confirm)
        self.assertIn("BAD-1", wizard.problem_text)
        self.assertIn("SN-12", wizard.problem_text)
        self.assertNotIn("SN-0001", wizard.problem_text)
        with self.assertRaisesRegex(UserError, "BAD-1"):
            wizard.action_confirm()

    def test_existing_serials_are_reported(self):
        self._stock_serials(self.product.sudo(), ["OLD-1", "OLD-2"])
        wizard = self._wizard_with(["OLD-1", "NEW-2", "OLD-2", "NEW-4", "NEW-5"])
        self.assertFalse(wizard.can_confirm)
        self.assertIn("OLD-1", wizard.problem_text)
        self.assertIn("OLD-2", wizard.problem_text)
        self.assertNotIn("NEW-2", wizard.problem_text)

    def test_confirm_refused_until_counts_match(self):
        wizard = self._wizard_with(["Q-1", "Q-2", "Q-3"])
        self.assertEqual(wizard.count_label, "Serial numbers (3 / 5)")
        self.assertFalse(wizard.can_confirm)
        with self.assertRaisesRegex(UserError, "3 / 5"):
            wizard.action_confirm()
        self.assertFalse(self.move.move_line_ids.filtered("lot_name"))

    # ------------------------------------------------------------------ confirm

    def test_confirm_writes_all_lines_in_one_batch_and_validation_succeeds(self):
        wizard = self._wizard_with(["OK-1", "OK-2", "OK-3", "OK-4", "OK-5"])
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        line_model = type(self.env["stock.move.line"])
        original_create = line_model.create
        batches = []

        def counting_create(records, vals_list):
            batches.append(len(vals_list) if isinstance(vals_list, list) else 1)
            return original_create(records, vals_list)

        self.patch(line_model, "create", counting_create)
        result = wizard.action_confirm()
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        self.assertEqual(batches, [5], "one create call with all five lines")
        lines = self.move.move_line_ids
        self.assertEqual(sorted(lines.mapped("lot_name")), ["OK-1", "OK-2", "OK-3", "OK-4", "OK-5"])
        self.assertEqual(set(lines.mapped("quantity")), {1.0})
        self.assertEqual(lines.location_dest_id, self.move.location_dest_id)
        self.assertEqual(self.move.quantity, 5)

        self.assertIs(self._validate(self.receipt), True)
        self.assertEqual(self.receipt.state, "done")
        self.assertEqual(
            self._on_hand_serials(self.product, self.receipt.location_dest_id),
            ["OK-1", "OK-2", "OK-3", "OK-4", "OK-5"],
        )

    def test_reopening_shows_the_current_serials_which_can_be_replaced(self):
        self._wizard_with(["A-1", "A-2", "A-3", "A-4", "A-5"]).action_confirm()
        form = self._open_form()
        self.assertEqual(form.count_label, "Serial numbers (5 / 5)")
        self.assertEqual(form.serials_summary, "A-1 – A-5 (5)")
        self.assertTrue(form.can_confirm)
        wizard = form.save()
        wizard.action_clear()
        wizard.paste_text = "B-1 B-2 B-3 B-4 B-5"
        wizard.action_add_pasted()
        wizard.action_confirm()
        self.assertEqual(sorted(self.move.move_line_ids.mapped("lot_name")), ["B-1", "B-2", "B-3", "B-4", "B-5"])
        self.assertEqual(len(self.move.move_line_ids), 5)

    def test_lines_of_a_picked_move_are_picked(self):
        self.move.picked = True
        self._wizard_with(["PK-1", "PK-2", "PK-3", "PK-4", "PK-5"]).action_confirm()
        self.assertEqual(set(self.move.move_line_ids.mapped("picked")), {True})
        self.assertTrue(self.move.picked)

    def test_confirm_refused_once_the_move_is_done(self):
        wizard = self._wizard_with(["DN-1", "DN-2", "DN-3", "DN-4", "DN-5"])
        self._wizard_with(["OK-1", "OK-2", "OK-3", "OK-4", "OK-5"]).action_confirm()
        self._validate(self.receipt)
        with self.assertRaisesRegex(UserError, "already done"):
            wizard.action_confirm()
        self.assertEqual(self._on_hand_serials(self.product), ["OK-1", "OK-2", "OK-3", "OK-4", "OK-5"])

    def test_existing_lots_type_gets_lot_ids(self):
        """A receiving type that only takes existing lots: Confirm creates the lots and links them."""
        self.picking_type_in.sudo().write({"use_create_lots": False, "use_existing_lots": True})
        receipt = self._create_receipt(self.product, 2).with_env(self.env)
        form = self._open_form(receipt.move_ids)
        form.entry_method = "paste"
        form.paste_text = "EX-1 EX-2"
        wizard = form.save()
        wizard.action_add_pasted()
        wizard.action_confirm()
        lines = receipt.move_ids.move_line_ids
        self.assertEqual(sorted(lines.lot_id.mapped("name")), ["EX-1", "EX-2"])
        reopened = self._open_form(receipt.move_ids)
        self.assertEqual(reopened.count_label, "Serial numbers (2 / 2)")
        self.assertFalse(reopened.problem_text, "the move's own new lots are no clash")
        self.assertTrue(reopened.can_confirm)
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")

    def test_customer_return_takes_the_shipped_serials_back(self):
        self._stock_serials(self.product.sudo(), ["SHIP-1", "SHIP-2"])
        delivery = self._create_delivery(self.product, 2, serials=["SHIP-1", "SHIP-2"]).with_env(self.env)
        self._validate(delivery)
        return_form = Form(
            self.env["stock.return.picking"].with_context(active_id=delivery.id, active_model="stock.picking")
        )
        with return_form.product_return_moves.edit(0) as line:
            line.quantity = 2
        action = return_form.save().action_create_returns()
        return_picking = self.env["stock.picking"].browse(action["res_id"])
        form = self._open_form(return_picking.move_ids)
        self.assertEqual(form.mode, "add")
        wizard = form.save()
        wizard.action_clear()
        wizard.paste_text = "SHIP-1 SHIP-2"
        wizard.action_add_pasted()
        self.assertFalse(wizard.problem_text, "shipped serials may come back through a return")
        self.assertTrue(wizard.can_confirm)
        wizard.action_confirm()
        self._validate(return_picking)
        self.assertEqual(return_picking.state, "done")
        self.assertEqual(self._on_hand_serials(self.product), ["SHIP-1", "SHIP-2"])

    def test_putaway_rules_place_the_new_serials(self):
        self.env["stock.putaway.rule"].sudo().create(
            {
                "product_id": self.product.id,
                "location_in_id": self.stock_location.id,
                "location_out_id": self.shelf_location.id,
            }
        )
        self._wizard_with(["PA-1", "PA-2", "PA-3", "PA-4", "PA-5"]).action_confirm()
        self.assertEqual(self.move.move_line_ids.location_dest_id, self.shelf_location)
        self._validate(self.receipt)
        self.assertEqual(len(self._on_hand_serials(self.product, self.shelf_location)), 5)
