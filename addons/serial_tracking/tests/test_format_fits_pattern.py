"""A generation format whose serials the product's own pattern refuses is refused when saved: on the
product (its own format, its shared sequence, its company's default), on the sequence, on the
company and in the settings. The message shows the format, the pattern and a sample serial."""

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestFormatFitsPattern(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.serial_default_format = False
        cls.Sequence = cls.env["serial.sequence"]

    def assertMisfit(self, action, *shown):
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            action()
        message = str(caught.exception)
        for text in shown:
            self.assertIn(text, message)
        return message

    def test_product_format_that_never_fits_is_refused(self):
        form = Form(self.env["product.template"].with_user(self.stock_manager))
        form.name = "Serial Phone 996"
        form.is_storable = True
        form.tracking = "serial"
        form.serial_pattern = "996*****"
        form.serial_auto_generate = True
        form.serial_format = "SN-[[YEAR]]-[[INCNUM,NONE,5]]"
        message = self.assertMisfit(
            form.save, "Serial Phone 996", "SN-[[YEAR]]-[[INCNUM,NONE,5]]", "996*****", "-00001", "has 13 characters"
        )
        self.assertIn("pattern '996*****' needs 8", message)
        self.assertFalse(self.env["product.template"].search([("name", "=", "Serial Phone 996")]), "nothing saved")

    def test_fitting_formats_are_accepted(self):
        phone = self._create_serial_product(
            "Phone", serial_pattern="996*****", serial_format="996[[INCNUM,NONE,5]]", serial_auto_generate=True
        )
        self.assertEqual(phone._serial_generate(1), ["99600001"])
        per_product = self.Sequence.create({"name": "PP", "code": "PPF", "format": "[[PRODUCT]]-[[INCNUM,NONE,3]]"})
        # The variant's internal reference fills [[PRODUCT]]; it is set after the template exists.
        widget = self._create_serial_product(
            "Widget", default_code="WID", serial_pattern="WID-###", serial_sequence_id=per_product.id
        )
        self.assertEqual(widget._serial_generate(1), ["WID-001"])
        # [[LOCATION]] is rendered with the company's main stock location, where receipts arrive.
        stock_name = self.warehouse.lot_stock_id.name
        located = self._create_serial_product(
            "Located", serial_pattern=f"{stock_name}-##", serial_format="[[LOCATION]]-[[INCNUM,NONE,2]]"
        )
        self.assertEqual(located._serial_generate(1, location=self.stock_location), [f"{stock_name}-01"])
        self.assertMisfit(lambda: located.write({"serial_pattern": "Shelf-##"}), f"{stock_name}-01", "Shelf-##")

    def test_product_with_misfitting_pattern_then_format(self):
        phone = self._create_serial_product("Phone", serial_format="SN-[[INCNUM,NONE,5]]")
        self.assertMisfit(lambda: phone.write({"serial_pattern": "996*****"}), "SN-00001", "996*****")
        fitting = self._create_serial_product("Fitting", serial_pattern="996*****")
        self.assertMisfit(lambda: fitting.write({"serial_format": "SN-[[INCNUM,NONE,5]]"}), "Fitting", "SN-00001")
        self.assertMisfit(lambda: fitting.write({"serial_format": "996[[INCNUM,NONE,4]]"}), "9960001", "needs 8")

    def test_shared_sequence_format(self):
        sequence = self.Sequence.create({"name": "Line", "code": "LINEF", "format": "L-[[INCNUM,NONE,6]]"})
        message = self.assertMisfit(
            lambda: self._create_serial_product("Phone", serial_pattern="996*****", serial_sequence_id=sequence.id),
            "Phone",
            "L-000001",
            "L-[[INCNUM,NONE,6]]",
            "996*****",
        )
        self.assertIn("position 1 is 'L', expected '9'", message)
        sequence.format = "996[[INCNUM,NONE,5]]"
        phone = self._create_serial_product("Phone", serial_pattern="996*****", serial_sequence_id=sequence.id)
        # Changing the sequence's format is checked against the products that use it.
        form = Form(sequence.with_user(self.stock_manager))
        form.format = "SN-[[INCNUM,NONE,5]]"
        self.assertMisfit(form.save, "Phone", "SN-00001", "996*****")
        self.assertEqual(sequence.format, "996[[INCNUM,NONE,5]]")
        self.assertEqual(phone._serial_generate(1), ["99600001"])

    def test_company_default_format(self):
        # A product without a format of its own generates from its company's default.
        phone = self._create_serial_product("Phone", serial_pattern="996*****")
        self.assertFalse(phone.serial_format)
        self.assertMisfit(
            lambda: self.company.write({"serial_default_format": "SN-[[YEAR]]-[[INCNUM,NONE,5]]"}),
            "Phone",
            "SN-[[YEAR]]-[[INCNUM,NONE,5]]",
            "996*****",
        )
        self.company.serial_default_format = "996[[INCNUM,NONE,5]]"
        self.assertEqual(phone._serial_generate(1), ["99600001"])
        # Products with a format or sequence of their own do not use the default: no check against it.
        own = self._create_serial_product("Own", serial_pattern="AB-###", serial_format="AB-[[INCNUM,NONE,3]]")
        self.company.serial_default_format = "996[[INCNUM,NONE,5,100]]"
        self.assertEqual(own._serial_generate(1), ["AB-001"])

    def test_settings_default_format(self):
        self._create_serial_product("Phone", serial_pattern="996*****")
        self.stock_manager.groups_id |= self.env.ref("base.group_system")
        settings = Form(
            self.env["res.config.settings"]
            .with_user(self.stock_manager)
            .with_context(allowed_company_ids=self.company.ids)
        )
        settings.group_stock_production_lot = True
        settings.serial_default_format = "SN-[[INCNUM,NONE,6]]"
        self.assertMisfit(lambda: settings.save().execute(), "Phone", "SN-000001", "996*****")
        self.assertFalse(self.company.serial_default_format)
