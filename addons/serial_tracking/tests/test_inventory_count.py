"""Physical Inventory: a count of units without serial of a product needing serials leads to Adjust Serials."""

from odoo.exceptions import RedirectWarning
from odoo.tests import Form, tagged

from .common import SerialTrackingCase

ADJUST_VIEW = "serial_tracking.serial_adjust_wizard_view_form_start"


@tagged("post_install", "-at_install")
class TestInventoryCountWithoutSerial(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Counted Widget", serial_pattern="CW-###")
        cls.later_product = cls._create_serial_product("Counted later", serial_required_on_receipt=False)
        cls.env = cls.env(user=cls.stock_user)
        cls.product = cls.product.with_env(cls.env)
        cls.later_product = cls.later_product.with_env(cls.env)

    def _count(self, product, quantity):
        """A counted line without serial, as Physical Inventory saves it before Apply."""
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create({"product_id": product.id, "location_id": self.stock_location.id, "inventory_quantity": quantity})
        )
        self.assertTrue(quant.inventory_quantity_set)
        return quant

    def _apply_refused(self, quants):
        with self.assertRaises(RedirectWarning) as caught:
            quants.action_apply_inventory()
        message, action, button_text = caught.exception.args[:3]
        return message, action, button_text

    def test_count_is_refused_in_its_own_words_with_adjust_serials_offered(self):
        count = self._count(self.product, 2)
        message, action, button_text = self._apply_refused(count)
        self.assertIn("Counted Widget at WH/Stock: counted 2, 0 in stock, so 2 more without a serial number", message)
        self.assertIn("Adjust Serials", message)
        self.assertNotIn("receipt", message, "a count is no receipt")
        self.assertEqual(button_text, "Adjust Serials")
        self.assertEqual(action["res_model"], "serial.adjust.wizard")
        self.assertEqual(action["target"], "new")
        self.assertEqual(self.product.qty_available, 0)
        self.assertTrue(count.inventory_quantity_set, "the count waits for the user's choice")

    def test_adjust_serials_from_the_count_brings_the_units_in_and_settles_the_count(self):
        count = self._count(self.product, 2)
        action = self._apply_refused(count)[1]
        form = Form(self.env["serial.adjust.wizard"].with_context(**action["context"]), view=ADJUST_VIEW)
        self.assertEqual(form.adjust_mode, "add")
        self.assertEqual(form.product_id, self.product)
        self.assertEqual(form.quantity, 2)
        wizard = form.save()
        self.assertEqual(wizard.location_id, self.stock_location)
        wizard.action_start_adjustment()
        wizard.paste_text = "CW-001 CW-002"
        wizard.action_add_pasted()
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        done = wizard.action_confirm()
        self.assertEqual(done["params"]["message"], "2 serials of Counted Widget added at WH/Stock.")
        self.assertEqual(self._on_hand_serials(self.product), ["CW-001", "CW-002"])
        self.assertEqual(self.product.qty_available, 2)
        self.assertFalse(count.inventory_quantity_set, "no count of units without serial is left to apply")
        self.assertEqual(count.inventory_diff_quantity, 0)

    def test_apply_all_is_refused_the_same_way(self):
        self._count(self.product, 1)
        counts = self.env["stock.quant"].search([("product_id", "=", self.product.id)])
        wizard = self.env["stock.inventory.adjustment.name"].create({"quant_ids": [(6, 0, counts.ids)]})
        with self.assertRaises(RedirectWarning):
            wizard.action_apply()

    def test_product_received_without_serials_on_purpose_keeps_odoo_flow(self):
        product = self.later_product
        count = self._count(product, 2)
        action = count.action_apply_inventory()
        self.assertEqual(action["res_model"], "stock.track.confirmation", "Odoo asks to confirm, as usual")
        confirmation = self.env["stock.track.confirmation"].with_context(**action["context"]).create({})
        confirmation.action_confirm()
        self.assertEqual(product.qty_available, 2)
        todo = self.env["serial.allocation.todo"].search([("product_id", "=", product.id)])
        self.assertEqual(todo.quantity, 2, "the units wait for their serials")

    def test_counting_fewer_units_without_serial_is_applied(self):
        self._stock_without_serials(self.product.sudo(), 3)
        quant = self.env["stock.quant"].search([("product_id", "=", self.product.id), ("lot_id", "=", False)])
        quant.with_context(inventory_mode=True).inventory_quantity = 1
        self.assertIsNone(quant.action_apply_inventory())
        self.assertEqual(self.product.qty_available, 1)
