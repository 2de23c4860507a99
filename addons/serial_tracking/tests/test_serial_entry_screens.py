"""Each serial entry flow shows the shared dialog's screen, with only its own additions."""

from lxml import etree

from odoo.tests import tagged

from .common import SerialTrackingCase

SHARED_FIELDS = (
    "count_label",
    "entry_method",
    "gen_prefix",
    "paste_text",
    "upload_file",
    "line_ids",
    "lot_ids",
    "available_lot_ids",
    "search_text",
    "problem_text",
)


@tagged("post_install", "-at_install")
class TestSerialEntryScreens(SerialTrackingCase):
    def _form(self, model):
        return etree.fromstring(self.env[model].get_view(view_type="form")["arch"])

    def _confirm_hints(self, form):
        return [" ".join(span.text.split()) for span in form.xpath("//footer/span") if span.get("invisible") != "True"]

    def test_every_flow_shows_the_shared_screen(self):
        for model in ("serial.entry.wizard", "serial.allocate.wizard", "serial.adjust.wizard"):
            form = self._form(model)
            for name in SHARED_FIELDS:
                self.assertTrue(form.xpath(f"//field[@name='{name}']"), f"{model}: {name}")
            self.assertTrue(form.xpath("//footer/button[@name='action_confirm']"), model)

    def test_confirm_hint_of_each_flow(self):
        exact = ["Confirm becomes available when the serial count equals the quantity and nothing is wrong."]
        self.assertEqual(self._confirm_hints(self._form("serial.entry.wizard")), exact)
        self.assertEqual(self._confirm_hints(self._form("serial.adjust.wizard")), exact)
        self.assertEqual(
            self._confirm_hints(self._form("serial.allocate.wizard")),
            ["Confirm becomes available with one serial or more, up to the units waiting, and nothing wrong."],
        )

    def test_a_move_shows_its_transfer(self):
        self.assertTrue(self._form("serial.entry.wizard").xpath("//field[@name='picking_id']"))
        self.assertFalse(self._form("serial.allocate.wizard").xpath("//field[@name='picking_id']"))
