"""Inventory adjustments through "Adjust Serials": the wizard without a move adds or removes serials."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase

ADJUST_VIEW = "serial_tracking.serial_adjust_wizard_view_form_start"


@tagged("post_install", "-at_install")
class TestSerialEntryAdjust(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Adjust Widget", serial_pattern="AJ-###")
        cls.env = cls.env(user=cls.stock_user)
        cls.product = cls.product.with_env(cls.env)

    def _start(self, adjust_mode, quantity):
        """The first step as a user without multi-locations sees it: the location is the warehouse stock."""
        form = Form(self.env["serial.adjust.wizard"], view=ADJUST_VIEW)
        form.adjust_mode = adjust_mode
        form.product_id = self.product
        form.quantity = quantity
        wizard = form.save()
        action = wizard.action_start_adjustment()
        self.assertEqual(action["res_id"], wizard.id)
        return wizard

    def _inventory_moves(self):
        return self.env["stock.move"].search([("product_id", "=", self.product.id), ("is_inventory", "=", True)])

    def test_positive_adjustment_brings_the_new_serials_in(self):
        wizard = self._start("add", 3)
        self.assertEqual(wizard.mode, "add")
        self.assertEqual(wizard.location_id, self.stock_location, "the warehouse stock by default")
        self.assertEqual(wizard.count_label, "Serial numbers (0 / 3)")
        wizard.paste_text = "AJ-001 AJ-002 AJ-003"
        wizard.action_add_pasted()
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        wizard.action_confirm()
        self.assertEqual(self._on_hand_serials(self.product), ["AJ-001", "AJ-002", "AJ-003"])
        moves = self._inventory_moves()
        self.assertEqual(len(moves), 3)
        self.assertEqual(set(moves.mapped("state")), {"done"})

    def test_positive_adjustment_checks_pattern_and_existing_serials(self):
        self._stock_serials(self.product.sudo(), ["AJ-001"])
        wizard = self._start("add", 2)
        wizard.paste_text = "AJ-001 BAD"
        wizard.action_add_pasted()
        self.assertFalse(wizard.can_confirm)
        self.assertIn("AJ-001", wizard.problem_text)
        self.assertIn("BAD", wizard.problem_text)
        with self.assertRaisesRegex(UserError, "BAD"):
            wizard.action_confirm()
        self.assertEqual(self._on_hand_serials(self.product), ["AJ-001"])

    def test_negative_adjustment_takes_the_chosen_serials_out(self):
        self._stock_serials(self.product.sudo(), ["AJ-101", "AJ-102", "AJ-103"], location=self.shelf_location)
        wizard = self._start("remove", 2)
        self.assertEqual(wizard.location_id, self.stock_location)
        self.assertEqual(wizard.mode, "remove")
        self.assertEqual(len(wizard.available_lot_ids), 3, "serials on the shelf under the stock location")
        wizard.search_text = "102"
        wizard.action_select_all()
        wizard.search_text = False
        wizard.action_auto_select()
        self.assertEqual(wizard.count_label, "Serial numbers (2 / 2)")
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        wizard.action_confirm()
        remaining = self._on_hand_serials(self.product)
        self.assertEqual(len(remaining), 1)
        self.assertNotIn("AJ-102", remaining)

    def test_start_refuses_untracked_products_and_bad_counts(self):
        plain = self.env["product.product"].sudo().create({"name": "Plain", "type": "consu", "is_storable": True})
        wizard = self.env["serial.adjust.wizard"].create(
            {"product_id": plain.id, "location_id": self.stock_location.id, "quantity": 1.5}
        )
        with self.assertRaisesRegex(UserError, "not tracked by serial(.|\\n)*whole number above zero, not 1.5"):
            wizard.action_start_adjustment()

    def test_auto_generating_product_gets_its_serials_when_the_count_is_entered(self):
        self.product.sudo().write({"serial_auto_generate": True, "serial_format": "AJ-[[INCNUM,NONE,3]]"})
        wizard = self._start("add", 2)
        self.assertEqual(wizard.line_ids.mapped("name"), ["AJ-001", "AJ-002"])
        self.assertEqual(wizard.count_label, "Serial numbers (2 / 2)")
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        wizard.action_confirm()
        self.assertEqual(self._on_hand_serials(self.product), ["AJ-001", "AJ-002"])
