"""The allocation dialog opened from the worklist "Serials to allocate": new serials for stock received without them."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialEntryAllocate(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Allocate Widget", serial_format="AL-[[INCNUM,NONE,3]]")
        cls._stock_without_serials(cls.product, 3)
        cls.env = cls.env(user=cls.stock_user)
        cls.product = cls.product.with_env(cls.env)

    def _todo(self):
        return self.env["serial.allocation.todo"].search([("product_id", "=", self.product.id)])

    def _open_form(self):
        todo = self._todo()
        self.assertEqual(len(todo), 1)
        action = todo.action_allocate_serials()
        self.assertEqual(action["res_model"], "serial.allocate.wizard")
        return Form(self.env["serial.allocate.wizard"].with_context(**action["context"]))

    def _pasted(self, text):
        """The saved dialog after ``text`` was pasted, as a user pastes it."""
        form = self._open_form()
        form.entry_method = "paste"
        form.paste_text = text
        wizard = form.save()
        wizard.action_add_pasted()
        return wizard

    def test_allocate_pasted_serials_empties_the_worklist(self):
        form = self._open_form()
        self.assertEqual(form.mode, "allocate")
        self.assertEqual(form.location_id, self.stock_location)
        self.assertEqual(form.count_label, "Serial numbers (0 / 3)")
        form.entry_method = "paste"
        form.paste_text = "OLD-A\nOLD-B\nOLD-C"
        wizard = form.save()
        reopened = wizard.action_add_pasted()
        self.assertEqual(reopened["name"], "Allocate serials: Allocate Widget", "the dialog keeps its title")
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        done = wizard.action_confirm()
        self.assertEqual(self._on_hand_serials(self.product), ["OLD-A", "OLD-B", "OLD-C"])
        self.assertFalse(self._todo())
        self.assertEqual(done["tag"], "display_notification", "the user is told it worked")
        self.assertEqual(done["params"]["type"], "success")
        self.assertEqual(done["params"]["message"], "3 serials allocated to Allocate Widget at WH/Stock.")

    def test_allocate_from_the_product_format(self):
        wizard = self._open_form().save()
        wizard.action_generate_from_format()
        self.assertEqual(wizard.count_label, "Serial numbers (3 / 3)")
        wizard.action_confirm()
        serials = self._on_hand_serials(self.product)
        self.assertEqual(len(serials), 3)
        self.assertTrue(all(serial.startswith("AL-") for serial in serials), serials)

    def test_fewer_serials_than_waiting_units_are_allocated_the_rest_keep_waiting(self):
        wizard = self._pasted("ONLY-1 ONLY-2")
        self.assertEqual(wizard.count_label, "Serial numbers (2 / 3): 1 left without serial")
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        done = wizard.action_confirm()
        self.assertEqual(
            done["params"]["message"],
            "2 serials allocated to Allocate Widget at WH/Stock. 1 unit(s) still without serial.",
        )
        self.assertEqual(self._on_hand_serials(self.product), ["ONLY-1", "ONLY-2"])
        self.assertEqual(self._todo().quantity, 1)

    def test_more_serials_than_waiting_units_are_refused(self):
        wizard = self._pasted("MANY-1 MANY-2 MANY-3 MANY-4")
        self.assertEqual(wizard.count_label, "Serial numbers (4 / 3): 1 too many")
        self.assertFalse(wizard.can_confirm)
        with self.assertRaisesRegex(UserError, "4 / 3"):
            wizard.action_confirm()
        wizard.action_clear()
        with self.assertRaisesRegex(UserError, "0 / 3"):
            wizard.action_confirm()
        self.assertEqual(self._todo().quantity, 3)

    def test_existing_serials_cannot_be_allocated_again(self):
        self._stock_serials(self.product.sudo(), ["TAKEN-1"])
        wizard = self._pasted("TAKEN-1 FREE-2 FREE-3")
        self.assertIn("TAKEN-1", wizard.problem_text)
        self.assertFalse(wizard.can_confirm)
        with self.assertRaisesRegex(UserError, "TAKEN-1"):
            wizard.action_confirm()
