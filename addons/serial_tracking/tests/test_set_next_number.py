"""Set Next Number: opens at the series' last number issued, moves forward freely, moves back only
when confirmed, after naming the serials that exist already; the preview lists one serial a line."""

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSetNextNumber(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sequence = cls.env["serial.sequence"].create(
            {"name": "Set Next", "code": "SETNX", "format": "SX-[[INCNUM,NONE,4]]"}
        )
        cls.product = cls._create_serial_product("Set Next Widget", serial_sequence_id=cls.sequence.id)
        # 1-20 issued; 7 and 12 are on hand.
        issued = cls.product._serial_generate(20)
        cls._stock_serials(cls.product, [issued[6], issued[11]])

    def _form(self):
        action = self.sequence.with_user(self.stock_manager).action_open_set_next()
        self.assertEqual(action["name"], "Set Next Number")
        return Form(self.env[action["res_model"]].with_user(self.stock_manager).with_context(**action["context"]))

    def test_opens_at_the_last_number_issued(self):
        form = self._form()
        self.assertEqual(form.last_issued, 20)
        self.assertEqual(form.next_serial, "SX-0021")
        self.assertFalse(form.moves_back)

    def test_moving_forward_needs_no_confirmation(self):
        form = self._form()
        form.last_issued = 30
        self.assertFalse(form.moves_back)
        result = form.save().action_apply()
        self.assertEqual(result["params"]["message"].splitlines()[0], "SX-0031")
        self.assertEqual(self.sequence._allocate(1), ["SX-0031"])

    def test_moving_back_names_the_existing_serials_and_needs_a_confirmation(self):
        form = self._form()
        form.last_issued = 5
        self.assertTrue(form.moves_back)
        self.assertEqual(form.current_last_issued, 20)
        self.assertIn("Numbers 6 to 20 (SX-0006 to SX-0020)", form.move_back_warning)
        self.assertIn("2 of them already exist as serials: SX-0007, SX-0012", form.move_back_warning)
        wizard = form.save()
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        self.assertIn("SX-0007, SX-0012", str(caught.exception))
        self.assertIn("Issue these numbers again", str(caught.exception))
        self.assertEqual(self.sequence._peek(1), ["SX-0021"], "nothing moved")

        wizard.confirm_move_back = True
        wizard.action_apply()
        self.assertEqual(self.sequence._peek(1), ["SX-0006"])
        # Generation then skips the serials that exist.
        self.assertEqual(self.product._serial_generate(2), ["SX-0006", "SX-0008"])

    def test_serials_of_other_products_outside_the_scope_do_not_collide(self):
        other = self._create_serial_product("Set Next Other")
        self._stock_serials(other, ["SX-0009"])
        form = self._form()
        form.last_issued = 5
        self.assertIn("SX-0007, SX-0012", form.move_back_warning)
        self.assertNotIn("SX-0009", form.move_back_warning, "per-product scope: another product's serial is free")

    def test_going_back_over_serials_that_do_not_exist(self):
        form = self._form()
        form.last_issued = 13
        self.assertIn("Numbers 14 to 20", form.move_back_warning)
        self.assertIn("None of them exists as a serial yet.", form.move_back_warning)

    def test_per_product_series_opens_at_that_product(self):
        per_product = self.env["serial.sequence"].create(
            {"name": "Per product", "code": "SETNXP", "format": "[[PRODUCT]]-[[INCNUM,NONE,3]]"}
        )
        gadget = self._create_serial_product("Gadget", default_code="GAD", serial_sequence_id=per_product.id)
        gadget._serial_generate(4)
        action = per_product.with_user(self.stock_manager).action_open_set_next()
        form = Form(self.env[action["res_model"]].with_user(self.stock_manager).with_context(**action["context"]))
        self.assertTrue(form.needs_product)
        form.product_id = gadget
        self.assertEqual(form.last_issued, 4)
        self.assertEqual(form.next_serial, "GAD-005")
        form.last_issued = 9
        result = form.save().action_apply()
        self.assertEqual(
            result["params"]["message"].splitlines()[0], "GAD-010", "the preview shows the product's series"
        )

    def test_preview_lists_one_serial_a_line(self):
        params = self.sequence.action_preview()["params"]
        self.assertEqual(params["message"].splitlines(), ["SX-0021", "SX-0022", "SX-0023", "SX-0024", "SX-0025"])
        self.assertEqual(params["className"], "o_serial_preview")


@tagged("post_install", "-at_install")
class TestSetNextNumberTour(HttpCase):
    """The dialog in the browser: opens at 20, going back to 5 shows the existing serials and needs the
    box ticked; the preview shows one serial a line."""

    def test_set_next_number_tour(self):
        sequence = self.env["serial.sequence"].create(
            {"name": "Tour Sequence", "code": "SETNXT", "format": "ST-[[INCNUM,NONE,4]]"}
        )
        product = self.env["product.product"].create(
            {
                "name": "Tour Sequence Widget",
                "is_storable": True,
                "tracking": "serial",
                "serial_sequence_id": sequence.id,
            }
        )
        issued = product._serial_generate(20)
        self.env["stock.lot"].create({"name": issued[6], "product_id": product.id})
        self.start_tour(
            f"/odoo/action-serial_tracking.serial_sequence_action/{sequence.id}",
            "serial_tracking_set_next",
            login="admin",
            timeout=120,
        )
        self.assertEqual(sequence._peek(1), ["ST-0006"])
