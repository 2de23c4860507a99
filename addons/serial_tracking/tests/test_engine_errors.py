"""Malformed patterns and formats, through every field that takes one (product pattern and format,
sequence format, company default format and its setting, entity model pattern), are refused with a
message a person can act on (an Odoo UserError / ValidationError naming the field's owner and the
fault), never an engine exception reaching the screen as "Oops! Something went wrong"."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase

# (malformed pattern, words of the engine's explanation)
BAD_PATTERNS = [
    ("CBL\\", "ends with an escape"),
    ("996**\\", "ends with an escape"),
]
# (malformed format, words of the engine's explanation)
BAD_FORMATS = [
    ("SN-[[NOPE]]", "unknown token [[NOPE]]"),
    ("SN-[[YEAR]]", "has no counter token"),
    ("SN-[[INCNUM,SOMETIMES,3]]", "RESET 'SOMETIMES'"),
    ("SN-[[INCNUM,NONE,3", "unclosed '[['"),
    ("[[INCNUM,NONE,3]]-[[INCNUM,NONE,3]]", "second counter token"),
    ("SN-[[INCNUM,NONE,99]]", "DIGITS 99 is out of range"),
    ("SN-[[INCNUM, NONE, 3]]", "no spaces are allowed"),
    ("SN-[[date]]-[[INCNUM,NONE,3]]", "upper case"),
]
ENGINE_ERROR_NAMES = ("PatternError", "FormatError", "SerialError", "Traceback")


@tagged("post_install", "-at_install")
class TestEngineErrors(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cable = cls._create_serial_product("Cable", serial_pattern="CBL###")
        cls._stock_serials(cls.cable, ["CBL001", "CBL002"])
        cls.fresh = cls._create_serial_product("Fresh")
        cls.sequence = cls.env["serial.sequence"].create(
            {"name": "Line", "code": "LINEX", "format": "LX-[[INCNUM,NONE,3]]"}
        )

    def assertRefused(self, action, *words):
        """``action`` raises a UserError (ValidationError included) whose message holds ``words``, and
        nothing of it is written."""
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            action()
        message = str(caught.exception)
        for word in words:
            self.assertIn(word, message)
        for name in ENGINE_ERROR_NAMES:
            self.assertNotIn(name, message)
        return message

    def assertRefusedInForms(self, record, field, value, words, new_values, new_subject, subject):
        """``value`` in ``field`` is refused in the form of a new record (``new_values`` typed first,
        in order) and in the form of ``record``."""
        form = Form(self.env[record._name].with_user(self.stock_manager))
        for name, new_value in new_values.items():
            setattr(form, name, new_value)
        setattr(form, field, value)
        self.assertRefused(form.save, new_subject, words)
        form = Form(record.with_user(self.stock_manager))
        setattr(form, field, value)
        self.assertRefused(form.save, subject, words)

    def _product_form(self, product):
        return Form(product.product_tmpl_id.with_user(self.stock_manager))

    def test_product_pattern(self):
        for pattern, words in BAD_PATTERNS:
            for product in (self.fresh, self.cable):
                with self.subTest(pattern=pattern, product=product.name):
                    form = self._product_form(product)
                    form.serial_pattern = pattern
                    self.assertRefused(form.save, f"Serial pattern of {product.name}", words)
                    self.assertRefused(
                        lambda: product.product_tmpl_id.write({"serial_pattern": pattern}),  # noqa: B023
                        f"Serial pattern of {product.name}",
                        words,
                    )
        self.assertEqual(self.cable.serial_pattern, "CBL###")

    def test_entity_model_pattern(self):
        model = self.env["serial.entity.model"].create({"brand": "Audi", "name": "A6", "serial_pattern": "WAU*****"})
        for pattern, words in BAD_PATTERNS:
            with self.subTest(pattern=pattern):
                self.assertRefusedInForms(
                    model,
                    "serial_pattern",
                    pattern,
                    words,
                    {"brand": "Audi", "name": "A4"},
                    "Serial pattern of Audi A4",
                    "Serial pattern of Audi A6",
                )
        self.assertEqual(model.serial_pattern, "WAU*****")

    def test_product_format(self):
        for fmt, words in BAD_FORMATS:
            with self.subTest(fmt=fmt):
                form = self._product_form(self.fresh)
                form.serial_format = fmt
                self.assertRefused(form.save, "Serial format of Fresh", words)

    def test_sequence_format(self):
        for fmt, words in BAD_FORMATS:
            with self.subTest(fmt=fmt):
                self.assertRefusedInForms(
                    self.sequence,
                    "format",
                    fmt,
                    words,
                    {"name": "Bad", "code": "BAD"},
                    "Format of serial sequence BAD",
                    "Format of serial sequence LINEX",
                )
        self.assertEqual(self.sequence.format, "LX-[[INCNUM,NONE,3]]")

    def test_company_default_format(self):
        for fmt, words in BAD_FORMATS:
            with self.subTest(fmt=fmt):
                self.assertRefused(
                    lambda: self.company.write({"serial_default_format": fmt}),  # noqa: B023
                    f"Default serial format of {self.company.name}",
                    words,
                )

    def test_settings_default_format(self):
        self.stock_manager.groups_id |= self.env.ref("base.group_system")
        for fmt, words in BAD_FORMATS:
            with self.subTest(fmt=fmt):
                settings = Form(
                    self.env["res.config.settings"]
                    .with_user(self.stock_manager)
                    .with_context(allowed_company_ids=self.company.ids)
                )
                settings.group_stock_production_lot = True
                settings.serial_default_format = fmt
                self.assertRefused(lambda: settings.save().execute(), "Default serial format", words)  # noqa: B023
        self.assertFalse(self.company.serial_default_format)
