"""The product form's message about on-hand units without serial numbers."""

from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestProductUnallocatedMessage(SerialTrackingCase):
    def test_units_received_without_serials_on_purpose_are_waiting(self):
        product = self._create_serial_product("Later serialized", serial_required_on_receipt=False)
        receipt = self._create_receipt(product, 4)
        self._set_move_quantity_without_serials(receipt.move_ids)
        self._validate(receipt)
        form = Form(product.product_tmpl_id.with_user(self.stock_user))
        self.assertEqual(form.serial_unallocated_text, "4 units are waiting for serials.")

    def test_stock_from_before_serial_tracking_is_not_initialized(self):
        product = self._create_serial_product("Tracked late")
        self._stock_without_serials(product, 3)
        form = Form(product.product_tmpl_id.with_user(self.stock_user))
        self.assertEqual(
            form.serial_unallocated_text, "Serial tracking not initialized: 3 units in stock have no serial number."
        )

    def test_no_message_when_every_unit_has_its_serial(self):
        product = self._create_serial_product("Fully serialized")
        self._stock_serials(product, ["FS-1"])
        self.assertFalse(product.product_tmpl_id.serial_unallocated_text)
