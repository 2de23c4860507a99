"""Manufacturing: finished serials from the product's format, many units in one action, component
serials picked with the serial entry dialog, genealogy per unit, serialize later."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestMrpSerials(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finished = cls._create_serial_product(
            "Serial Drone", serial_format="DR-[[INCNUM,NONE,4]]", serial_pattern="DR-####"
        )
        cls.motor = cls._create_serial_product("Serial Motor")
        cls.screw = cls.env["product.product"].create({"name": "Plain Screw", "type": "consu", "is_storable": True})
        cls.bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": cls.motor.id, "product_qty": 2}),
                    Command.create({"product_id": cls.screw.id, "product_qty": 4}),
                ],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.screw, cls.stock_location, 100)
        cls.motor_lots = cls._stock_serials(cls.motor, [f"M-{n:02d}" for n in range(1, 9)])
        # A lot of the finished product numbered far ahead: Odoo's "next after the newest lot" would follow it.
        cls.env["stock.lot"].create({"name": "DR-9000", "product_id": cls.finished.id, "company_id": cls.company.id})

    def _mo(self, quantity, product=None):
        form = Form(self.env["mrp.production"])
        form.product_id = product or self.finished
        form.product_qty = quantity
        production = form.save()
        production.action_confirm()
        return production

    def _pick_components(self, production, names):
        move = production.move_raw_ids.filtered(lambda m: m.product_id == self.motor)
        action = move.action_open_serial_entry()
        self.assertEqual(action["context"]["default_mode"], "remove")
        wizard = Form(self.env["serial.entry.wizard"].with_context(**action["context"])).save()
        wizard.action_clear()
        wizard.lot_ids = self.motor_lots.filtered(lambda lot: lot.name in names)
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        wizard.action_confirm()
        return move

    def test_generate_serial_issues_from_the_format_not_after_the_newest_lot(self):
        production = self._mo(1)
        production.action_generate_serial()
        self.assertEqual(production.lot_producing_id.name, "DR-0001")
        self._pick_components(production, ["M-01", "M-02"])
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        # One unit: every component serial consumed belongs to it.
        self.assertEqual(sorted(production.lot_producing_id.serial_component_lot_ids.mapped("name")), ["M-01", "M-02"])
        self.assertEqual(self.motor_lots[0].serial_finished_lot_ids, production.lot_producing_id)

    def test_pattern_is_checked_on_the_finished_serial(self):
        production = self._mo(1)
        production.lot_producing_id = self.env["stock.lot"].create(
            {"name": "BAD-1", "product_id": self.finished.id, "company_id": self.company.id}
        )
        self._pick_components(production, ["M-01", "M-02"])
        with self.assertRaisesRegex(UserError, "BAD-1"):
            production.button_mark_done()

    def test_produce_all_makes_n_units_on_one_order_with_an_even_genealogy(self):
        production = self._mo(3)
        self._pick_components(production, ["M-01", "M-02", "M-03", "M-04", "M-05", "M-06"])
        production.action_serial_produce_all()
        self.assertEqual(production.state, "done")
        self.assertEqual(
            self.env["mrp.production"].search_count(
                [("procurement_group_id", "=", production.procurement_group_id.id)]
            ),
            1,
        )
        finished_lines = production.move_finished_ids.move_line_ids
        self.assertEqual(sorted(finished_lines.lot_id.mapped("name")), ["DR-0001", "DR-0002", "DR-0003"])
        self.assertEqual(set(finished_lines.mapped("quantity")), {1.0})
        self.assertEqual(self._on_hand_serials(self.finished), ["DR-0001", "DR-0002", "DR-0003"])
        self.assertEqual(production.qty_produced, 3)
        genealogy = {lot.name: sorted(lot.serial_component_lot_ids.mapped("name")) for lot in finished_lines.lot_id}
        self.assertEqual(
            genealogy, {"DR-0001": ["M-01", "M-02"], "DR-0002": ["M-03", "M-04"], "DR-0003": ["M-05", "M-06"]}
        )
        # Consumed serials are gone: not on hand, and a later order cannot pick them.
        self.assertEqual(self._on_hand_serials(self.motor), ["M-07", "M-08"])
        second = self._mo(1)
        move = second.move_raw_ids.filtered(lambda m: m.product_id == self.motor)
        action = move.action_open_serial_entry()
        wizard = Form(self.env["serial.entry.wizard"].with_context(**action["context"])).save()
        self.assertEqual(sorted((wizard.available_lot_ids | wizard.lot_ids).mapped("name")), ["M-07", "M-08"])
        wizard.lot_ids = self.motor_lots.filtered(lambda lot: lot.name == "M-01")
        self.assertIn("M-01", wizard.problem_text)
        self.assertFalse(wizard.can_confirm)

    def test_produce_all_refuses_a_short_component_count(self):
        production = self._mo(2)
        move = production.move_raw_ids.filtered(lambda m: m.product_id == self.motor)
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(dict(move._prepare_move_line_vals(quantity=1), lot_id=self.motor_lots[0].id))
        with self.assertRaisesRegex(UserError, "Serial Motor: 1 of 4 serials chosen"):
            production.action_serial_produce_all()
        self.assertEqual(production.state, "confirmed")
        self.assertFalse(
            self.env["stock.lot"].search([("product_id", "=", self.finished.id), ("name", "=like", "DR-0%")])
        )

    def test_genealogy_wizard_edits_and_refuses_foreign_or_repeated_serials(self):
        production = self._mo(2)
        self._pick_components(production, ["M-01", "M-02", "M-03", "M-04"])
        production.action_serial_produce_all()
        action = production.action_serial_genealogy()
        wizard = self.env["serial.genealogy.wizard"].browse(action["res_id"])
        self.assertEqual(sorted(wizard.consumed_lot_ids.mapped("name")), ["M-01", "M-02", "M-03", "M-04"])
        first, second = wizard.line_ids.sorted(lambda line: line.finished_lot_id.name)
        by_name = {lot.name: lot for lot in self.motor_lots}
        with Form(wizard) as form:
            with form.line_ids.edit(0) as line:
                line.component_lot_ids.clear()
                for name in ("M-01", "M-03", "M-04"):
                    line.component_lot_ids.add(by_name[name])
            with form.line_ids.edit(1) as line:
                line.component_lot_ids.clear()
                line.component_lot_ids.add(by_name["M-02"])
        wizard.action_confirm()
        self.assertEqual(
            sorted(first.finished_lot_id.serial_component_lot_ids.mapped("name")), ["M-01", "M-03", "M-04"]
        )
        self.assertEqual(second.finished_lot_id.serial_component_lot_ids.mapped("name"), ["M-02"])

        wizard = self.env["serial.genealogy.wizard"].browse(production.action_serial_genealogy()["res_id"])
        wizard.line_ids[0].component_lot_ids |= by_name["M-07"]
        wizard.line_ids[1].component_lot_ids |= by_name["M-01"]
        with self.assertRaises(UserError) as caught:
            wizard.action_confirm()
        self.assertIn("M-07", str(caught.exception))
        self.assertIn("assigned to more than one unit: M-01", str(caught.exception))
        wizard.action_propose_even_split()
        self.assertEqual(
            [
                sorted(line.component_lot_ids.mapped("name"))
                for line in wizard.line_ids.sorted(lambda genealogy_line: genealogy_line.finished_lot_id.name)
            ],
            [["M-01", "M-02"], ["M-03", "M-04"]],
        )

    def test_produce_later_without_serials_when_not_required_on_receipt(self):
        self.finished.serial_required_on_receipt = False
        production = self._mo(2)
        self._pick_components(production, ["M-01", "M-02", "M-03", "M-04"])
        production.action_serial_produce_without_serials()
        self.assertEqual(production.state, "done")
        todo = self.env["serial.allocation.todo"].search([("product_id", "=", self.finished.id)])
        self.assertEqual(todo.quantity, 2)
        self.assertEqual(todo.location_id, production.location_dest_id)

    def test_produce_later_is_refused_when_serials_are_required(self):
        production = self._mo(1)
        with self.assertRaisesRegex(UserError, "requires serials"):
            production.action_serial_produce_without_serials()

    def test_fractional_quantity_is_refused(self):
        production = self._mo(1.5)
        with self.assertRaisesRegex(UserError, "whole number"):
            production.action_serial_produce_all()
