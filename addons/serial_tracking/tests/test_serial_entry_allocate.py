"""The serial entry wizard opened from the worklist "Serials to allocate" (mode 'allocate')."""

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
        self.assertEqual(action["res_model"], "serial.entry.wizard")
        return Form(self.env["serial.entry.wizard"].with_context(**action["context"]))

    def test_allocate_pasted_serials_empties_the_worklist(self):
        form = self._open_form()
        self.assertEqual(form.mode, "allocate")
        self.assertEqual(form.location_id, self.stock_location)
        self.assertEqual(form.count_label, "Serial numbers (0 / 3)")
        form.paste_text = "OLD-A\nOLD-B\nOLD-C"
        wizard = form.save()
        reopened = wizard.action_add_pasted()
        self.assertEqual(reopened["name"], "Allocate serials: Allocate Widget", "the dialog keeps its title")
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        wizard.action_confirm()
        self.assertEqual(self._on_hand_serials(self.product), ["OLD-A", "OLD-B", "OLD-C"])
        self.assertFalse(self._todo())

    def test_allocate_from_the_product_format(self):
        wizard = self._open_form().save()
        wizard.action_generate_from_format()
        self.assertEqual(wizard.count_label, "Serial numbers (3 / 3)")
        wizard.action_confirm()
        serials = self._on_hand_serials(self.product)
        self.assertEqual(len(serials), 3)
        self.assertTrue(all(serial.startswith("AL-") for serial in serials), serials)

    def test_counts_must_match_before_allocating(self):
        form = self._open_form()
        form.paste_text = "ONLY-1 ONLY-2"
        wizard = form.save()
        wizard.action_add_pasted()
        self.assertFalse(wizard.can_confirm)
        with self.assertRaisesRegex(UserError, "2 / 3"):
            wizard.action_confirm()
        self.assertEqual(self._todo().quantity, 3)

    def test_existing_serials_cannot_be_allocated_again(self):
        self._stock_serials(self.product.sudo(), ["TAKEN-1"])
        form = self._open_form()
        form.paste_text = "TAKEN-1 FREE-2 FREE-3"
        wizard = form.save()
        wizard.action_add_pasted()
        self.assertIn("TAKEN-1", wizard.problem_text)
        self.assertFalse(wizard.can_confirm)
        with self.assertRaisesRegex(UserError, "TAKEN-1"):
            wizard.action_confirm()
