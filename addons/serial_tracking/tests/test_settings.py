from odoo.exceptions import ValidationError
from odoo.tests import Form

from .common import SerialTrackingCase


class TestSettings(SerialTrackingCase):
    """Inventory settings: the default format and uniqueness of new serial products."""

    def _set_defaults(self, fmt, uniqueness):
        settings = Form(self.env["res.config.settings"].with_user(self.stock_manager).with_context(
            allowed_company_ids=self.company.ids))
        settings.group_stock_production_lot = True
        settings.serial_default_format = fmt
        settings.serial_default_uniqueness = uniqueness
        settings.save().execute()

    def test_settings_are_stored_on_the_company(self):
        self.stock_manager.groups_id |= self.env.ref("base.group_system")
        self._set_defaults("CO-[[YEAR]]-[[INCNUM,NONE,4]]", "company")
        self.assertEqual(self.company.serial_default_format, "CO-[[YEAR]]-[[INCNUM,NONE,4]]")
        self.assertEqual(self.company.serial_default_uniqueness, "company")

    def test_new_serial_products_get_the_defaults(self):
        self.company.write({"serial_default_format": "NEW-[[INCNUM,NONE,3]]", "serial_default_uniqueness": "global"})
        product = self._create_serial_product("Gets defaults")
        self.assertEqual(product.serial_format, "NEW-[[INCNUM,NONE,3]]")
        self.assertEqual(product.serial_uniqueness, "global")
        self.assertEqual(product._serial_generate(1), ["NEW-001"])
        explicit = self._create_serial_product("Explicit", serial_format="E-[[INCNUM,NONE,2]]", serial_uniqueness="product")
        self.assertEqual((explicit.serial_format, explicit.serial_uniqueness), ("E-[[INCNUM,NONE,2]]", "product"))

    def test_product_becoming_serial_tracked_gets_the_defaults(self):
        product = self.env["product.product"].create({"name": "Later tracked", "is_storable": True})
        self.company.write({"serial_default_format": "LT-[[INCNUM,NONE,3]]", "serial_default_uniqueness": "company"})
        product.tracking = "serial"
        self.assertEqual(product.serial_format, "LT-[[INCNUM,NONE,3]]")
        self.assertEqual(product.serial_uniqueness, "company")

    def test_product_form_fills_the_defaults_when_tracking_becomes_serial(self):
        self.company.write({"serial_default_format": "PF-[[INCNUM,NONE,3]]", "serial_default_uniqueness": "global"})
        form = Form(self.env["product.template"].with_user(self.stock_manager))
        form.name = "Form tracked"
        form.is_storable = True
        form.tracking = "serial"
        self.assertEqual(form.serial_format, "PF-[[INCNUM,NONE,3]]")
        self.assertEqual(form.serial_uniqueness, "global")

    def test_bad_default_format_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.company.serial_default_format = "SN-[[INCNUM,SOMETIMES,3]]"
        self.assertIn("SOMETIMES", str(caught.exception))
