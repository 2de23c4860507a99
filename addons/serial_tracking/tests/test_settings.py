import datetime
import re

from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from serial_core.formats import CONTEXT_TOKENS, DATE_TOKENS, RESETS, parse_format

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSettings(SerialTrackingCase):
    """Inventory settings: the default format and uniqueness of new serial products."""

    def _set_defaults(self, fmt, uniqueness):
        settings = Form(
            self.env["res.config.settings"]
            .with_user(self.stock_manager)
            .with_context(allowed_company_ids=self.company.ids)
        )
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
        explicit = self._create_serial_product(
            "Explicit", serial_format="E-[[INCNUM,NONE,2]]", serial_uniqueness="product"
        )
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

    def test_default_format_field_explains_its_tokens_with_an_example_that_holds(self):
        arch = self.env["res.config.settings"].get_view(self.env.ref("stock.res_config_settings_view_form").id)["arch"]
        root = etree.fromstring(arch)
        field = root.xpath("//field[@name='serial_default_format']")[0]
        self.assertNotIn("[[", field.get("placeholder"), "the placeholder does not look like a format someone saved")
        self.assertIn("w-100", field.get("class"), "the field takes the setting's full width")
        help_text = "".join(root.xpath("//div[contains(@class, 'o_serial_format_help')]")[0].itertext())
        for token in [*DATE_TOKENS, *CONTEXT_TOKENS, "INCNUM"]:
            self.assertIn(f"[[{token}", help_text)
        for reset in RESETS:
            self.assertIn(reset, help_text)
        example = re.search(r"Example: (\S+) gives\s+(\S+),", help_text)
        year = int(example.group(2).split("-")[1])
        rendered = parse_format(example.group(1)).render(1, datetime.date(year, 6, 1), {})
        self.assertEqual(rendered, example.group(2))
