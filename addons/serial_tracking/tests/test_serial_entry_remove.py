"""The serial entry wizard taking serials out of stock: on-hand list, search, Select all, Auto select (FIFO)."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase

SERIALS = ["R-01", "R-02", "R-03", "R-04", "R-05", "R-06"]


@tagged("post_install", "-at_install")
class TestSerialEntryRemove(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Remove Widget")
        cls.lots = cls._stock_serials(cls.product, SERIALS)
        # Incoming dates out of name order, so first-in-first-out is visibly not alphabetical.
        base = datetime(2024, 1, 1)
        age_days = {"R-04": 1, "R-02": 2, "R-06": 3, "R-01": 4, "R-05": 5, "R-03": 6}
        for quant in cls.env["stock.quant"].search([("lot_id", "in", cls.lots.ids)]):
            quant.sudo().in_date = base + timedelta(days=age_days[quant.lot_id.name])
        cls.fifo_order = sorted(SERIALS, key=age_days.get)
        cls.env = cls.env(user=cls.stock_user)
        cls.product = cls.product.with_env(cls.env)

    def _open(self, move):
        action = move.action_open_serial_entry()
        self.assertEqual(action["context"]["default_mode"], "remove")
        return Form(self.env["serial.entry.wizard"].with_context(**action["context"])).save()

    def test_opens_on_the_reservation_and_lists_every_on_hand_serial_first_in_first(self):
        delivery = self._create_delivery(self.product, 3).with_env(self.env)
        reserved = delivery.move_ids.move_line_ids.lot_id
        wizard = self._open(delivery.move_ids)
        self.assertEqual(wizard.location_id, delivery.location_id)
        self.assertEqual(wizard.lot_ids, reserved)
        self.assertEqual(wizard.count_label, "Serial numbers (3 / 3)")
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        self.assertEqual(wizard.available_lot_ids.mapped("name"), self.fifo_order, "selected ones stay listed")
        wizard.action_clear()
        self.assertEqual(wizard.available_lot_ids.mapped("name"), self.fifo_order)
        self.assertEqual(wizard.count_label, "Serial numbers (0 / 3)")
        self.assertFalse(wizard.can_confirm)

    def test_the_unsaved_dialog_counts_the_reservation_as_available(self):
        """On opening, the dialog is an unsaved wizard: the reserved serials are not "not on hand"."""
        delivery = self._create_delivery(self.product, 3).with_env(self.env)
        reserved = delivery.move_ids.move_line_ids.lot_id
        action = delivery.move_ids.action_open_serial_entry()
        form = Form(self.env["serial.entry.wizard"].with_context(**action["context"]))
        self.assertFalse(form.problem_text)
        self.assertTrue(form.can_confirm)
        self.assertEqual([lot.name for lot in form.lot_ids], [lot.name for lot in reserved])
        self.assertEqual([lot.name for lot in form.available_lot_ids], self.fifo_order)

    def test_selecting_and_unselecting_leaves_the_on_hand_list_in_its_order(self):
        delivery = self._create_delivery(self.product, 3).with_env(self.env)
        action = delivery.move_ids.action_open_serial_entry()
        form = Form(self.env["serial.entry.wizard"].with_context(**action["context"]))
        form.lot_ids.remove(index=0)
        self.assertEqual(form.count_label, "Serial numbers (2 / 3)")
        self.assertEqual([lot.name for lot in form.available_lot_ids], self.fifo_order)
        form.lot_ids.add(self.lots.with_env(self.env).filtered(lambda lot: lot.name == self.fifo_order[-1]))
        self.assertEqual(form.count_label, "Serial numbers (3 / 3)")
        self.assertEqual([lot.name for lot in form.available_lot_ids], self.fifo_order)

    def test_search_filters_and_select_all_takes_the_listed_ones_up_to_the_count(self):
        self._stock_serials(self.product.sudo(), ["Z-77"])
        delivery = self._create_delivery(self.product, 2).with_env(self.env)
        wizard = self._open(delivery.move_ids)
        wizard.action_clear()
        with Form(wizard) as form:
            form.search_text = "r-0"
            self.assertEqual(len(form.available_lot_ids), len(SERIALS))
            self.assertNotIn("Z-77", [lot.name for lot in form.available_lot_ids])
            form.search_text = "z-7"
            self.assertEqual([lot.name for lot in form.available_lot_ids], ["Z-77"])
        wizard.action_select_all()
        self.assertEqual(wizard.lot_ids.mapped("name"), ["Z-77"])
        self.assertEqual(wizard.count_label, "Serial numbers (1 / 2)")
        self.assertFalse(wizard.can_confirm)
        wizard.search_text = False
        wizard.action_select_all()
        self.assertEqual(wizard.lot_ids.mapped("name"), ["Z-77", self.fifo_order[0]], "one more was needed")
        self.assertEqual(wizard.count_label, "Serial numbers (2 / 2)")
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        with self.assertRaisesRegex(UserError, "2 serials are already selected"):
            wizard.action_select_all()

    def test_too_many_selected_says_how_many(self):
        delivery = self._create_delivery(self.product, 2).with_env(self.env)
        wizard = self._open(delivery.move_ids)
        wizard.lot_ids = [Command.set(self.lots.with_env(self.env).ids)]
        self.assertEqual(wizard.count_label, f"Serial numbers ({len(SERIALS)} / 2): {len(SERIALS) - 2} too many")
        self.assertFalse(wizard.can_confirm)

    def test_auto_select_is_first_in_first_out_and_confirm_writes_lot_lines(self):
        delivery = self._create_delivery(self.product, 3).with_env(self.env)
        wizard = self._open(delivery.move_ids)
        with self.assertRaisesRegex(UserError, "already selected"):
            wizard.action_auto_select()
        wizard.action_clear()
        wizard.action_auto_select()
        self.assertEqual(sorted(wizard.lot_ids.mapped("name")), sorted(self.fifo_order[:3]))
        self.assertEqual(wizard.count_label, "Serial numbers (3 / 3)")
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        wizard.action_confirm()
        lines = delivery.move_ids.move_line_ids
        self.assertEqual(sorted(lines.lot_id.mapped("name")), sorted(self.fifo_order[:3]))
        self.assertEqual(set(lines.mapped("quantity")), {1.0})
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(self._on_hand_serials(self.product), sorted(self.fifo_order[3:]))

    def test_auto_select_fills_only_the_missing_count(self):
        delivery = self._create_delivery(self.product, 3).with_env(self.env)
        wizard = self._open(delivery.move_ids)
        newest = wizard.available_lot_ids[-1]
        wizard.lot_ids = [Command.set(newest.ids)]
        wizard.action_auto_select()
        self.assertEqual(len(wizard.lot_ids), 3)
        self.assertIn(newest, wizard.lot_ids)
        self.assertEqual(sorted((wizard.lot_ids - newest).mapped("name")), sorted(self.fifo_order[:2]))

    def test_chosen_serials_replace_the_reservation(self):
        delivery = self._create_delivery(self.product, 2).with_env(self.env)
        reserved = delivery.move_ids.move_line_ids.lot_id
        self.assertEqual(len(reserved), 2)
        wanted = self.lots.with_env(self.env).filtered(lambda lot: lot not in reserved)[:2]
        wizard = self._open(delivery.move_ids)
        wizard.lot_ids = [Command.set(wanted.ids)]
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        wizard.action_confirm()
        self.assertEqual(delivery.move_ids.move_line_ids.lot_id, wanted)
        self._validate(delivery)
        self.assertEqual(self._on_hand_serials(self.product), sorted((self.lots - wanted).mapped("name")))

    def test_serials_reserved_by_another_move_or_elsewhere_cannot_be_chosen(self):
        other = self._create_delivery(self.product, 2).with_env(self.env)
        taken = other.move_ids.move_line_ids.lot_id
        elsewhere_location = (
            self.env["stock.location"]
            .sudo()
            .create(
                {
                    "name": "Other warehouse shelf",
                    "usage": "internal",
                    "location_id": self.warehouse.view_location_id.id,
                }
            )
        )
        elsewhere = self._stock_serials(self.product.sudo(), ["FAR-1"], location=elsewhere_location)
        delivery = self._create_delivery(self.product, 2).with_env(self.env)
        wizard = self._open(delivery.move_ids)
        self.assertFalse(wizard.available_lot_ids & taken)
        self.assertNotIn("FAR-1", wizard.available_lot_ids.mapped("name"))
        # Written behind the screen's back: Confirm checks again on the server.
        wizard.lot_ids = [Command.set((taken[:1] | elsewhere).ids)]
        self.assertFalse(wizard.can_confirm)
        self.assertIn("FAR-1", wizard.problem_text)
        with self.assertRaisesRegex(UserError, "FAR-1"):
            wizard.action_confirm()

    def test_internal_transfer_moves_the_chosen_serials(self):
        transfer = self._create_internal_transfer(self.product, 2).with_env(self.env)
        wizard = self._open(transfer.move_ids)
        wizard.lot_ids = [
            Command.set(self.lots.with_env(self.env).filtered(lambda lot: lot.name in ("R-05", "R-06")).ids)
        ]
        wizard.action_confirm()
        self._validate(transfer)
        self.assertEqual(self._on_hand_serials(self.product, self.shelf_location), ["R-05", "R-06"])

    def test_clear_empties_the_selection(self):
        delivery = self._create_delivery(self.product, 2).with_env(self.env)
        wizard = self._open(delivery.move_ids)
        self.assertEqual(len(wizard.lot_ids), 2)
        wizard.action_clear()
        self.assertFalse(wizard.lot_ids)
        self.assertEqual(len(wizard.available_lot_ids), len(SERIALS))
