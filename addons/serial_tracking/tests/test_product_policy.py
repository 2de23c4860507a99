from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestProductPolicy(SerialTrackingCase):
    """The serial_* fields of product.template: defaults, the product form, constraints."""

    def test_defaults(self):
        product = self._create_serial_product("Defaults")
        self.assertTrue(product.serial_required_on_receipt)
        self.assertFalse(product.serial_required_on_sale)
        self.assertFalse(product.serial_auto_generate)
        self.assertEqual(product.serial_uniqueness, "product")
        self.assertEqual(product.serial_entity_rule, "none")

    def test_form_sets_the_policy_of_a_serial_product(self):
        form = Form(self.env["product.template"].with_user(self.stock_manager))
        form.name = "Pattern phone"
        form.is_storable = True
        form.tracking = "serial"
        form.serial_pattern = "996*****"
        form.serial_required_on_sale = True
        form.serial_required_on_receipt = False
        form.serial_uniqueness = "company"
        form.serial_auto_generate = True
        form.serial_format = "996[[INCNUM,NONE,5]]"
        template = form.save()
        self.assertEqual(template.serial_pattern, "996*****")
        self.assertTrue(template.serial_required_on_sale)
        self.assertFalse(template.serial_required_on_receipt)
        self.assertEqual(template.serial_uniqueness, "company")
        self.assertEqual(template.product_variant_id._serial_generate(1), ["99600001"])

    def test_policy_fields_are_on_the_inventory_tab_for_serial_products_only(self):
        arch = self.env["product.template"].get_view(self.env.ref("product.product_template_form_view").id)["arch"]
        self.assertIn('name="serial_policy"', arch)
        self.assertIn("tracking != 'serial'", arch)
        for field in (
            "serial_pattern",
            "serial_required_on_receipt",
            "serial_required_on_sale",
            "serial_auto_generate",
            "serial_format",
            "serial_sequence_id",
            "serial_uniqueness",
            "serial_entity_rule",
        ):
            self.assertIn(f'name="{field}"', arch)

    def test_bad_format_raises_the_format_error(self):
        with self.assertRaises(ValidationError) as caught:
            self._create_serial_product("Bad format", serial_format="SN-[[INCNUM,NONE,4]]-[[INCNUM,NONE,4]]")
        self.assertIn("Bad format", str(caught.exception))
        self.assertIn("position", str(caught.exception))

    def test_bad_pattern_raises_the_pattern_error(self):
        with self.assertRaises(ValidationError) as caught:
            self._create_serial_product("Bad pattern", serial_pattern="AB\\")
        self.assertIn("Bad pattern", str(caught.exception))

    def _assert_refused_naming(self, product, vals, named, not_named):
        """Writing ``vals`` is refused by a message naming exactly the offending serials."""
        with self.assertRaises(ValidationError) as caught:
            product.write(vals)
        message = str(caught.exception)
        for serial in named:
            self.assertIn(serial, message)
        for serial in not_named:
            self.assertNotIn(serial, message)

    def test_new_pattern_must_fit_existing_serials(self):
        product = self._create_serial_product("Patterned")
        self._stock_serials(product, ["99600001", "ABCDEFGH", "12345678"])
        self._assert_refused_naming(
            product, {"serial_pattern": "996*****"}, named=["ABCDEFGH", "12345678"], not_named=["99600001"]
        )
        product.serial_pattern = "********"
        self.assertEqual(product.serial_pattern, "********")

    def test_wider_scope_must_fit_existing_serials(self):
        first = self._create_serial_product("First")
        second = self._create_serial_product("Second")
        self._stock_serials(first, ["S-1", "S-2"])
        self._stock_serials(second, ["S-1", "S-2", "S-3"])
        self._assert_refused_naming(second, {"serial_uniqueness": "company"}, named=["S-1", "S-2"], not_named=["S-3"])
        third = self._create_serial_product("Third")
        self._stock_serials(third, ["T-1"])
        third.serial_uniqueness = "global"
        self.assertEqual(third.serial_uniqueness, "global")

    def test_shared_sequence_of_another_company_is_refused(self):
        company_b = self._create_second_company()
        sequence_b = self.env["serial.sequence"].create(
            {"name": "B", "code": "B", "format": "B-[[INCNUM,NONE,3]]", "company_id": company_b.id}
        )
        with self.assertRaises(ValidationError) as caught:
            self._create_serial_product("Company A product", company=self.company, serial_sequence_id=sequence_b.id)
        self.assertIn("compan", str(caught.exception).lower())

    def test_product_form_loads_for_users_without_lots(self):
        """The policy group hides on 'tracking', a field only lot users see: the form must still load."""
        # Lots & Serial Numbers off for internal users, as on a database without demo data (whose demo
        # switches it on for everyone).
        lot_group = self.env.ref("stock.group_production_lot")
        self.env.ref("base.group_user").implied_ids -= lot_group
        user = new_test_user(self.env, login="serial_plain_manager", groups="stock.group_stock_manager")
        self.assertFalse(user.has_group("stock.group_production_lot"))
        form = Form(self.env["product.template"].with_user(user))
        form.name = "Plain"
        template = form.save()
        self.assertEqual(template.serial_uniqueness, "product")
