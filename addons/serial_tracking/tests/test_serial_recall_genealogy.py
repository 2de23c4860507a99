"""Recall through each unit's own genealogy: a component serial of a produce-all order recalls the one
unit it went into, not every unit of the order (Odoo's consumption links tie each component line of the
order to every finished line); a lot without a per-unit genealogy still follows Odoo's links."""

from odoo import Command
from odoo.tests import tagged

from .mrp_common import MrpSerialCase


@tagged("post_install", "-at_install")
class TestSerialRecallGenealogy(MrpSerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit_product = cls._create_serial_product("Recall Scooter", serial_format="RSC-[[INCNUM,NONE,3]]")
        cls.motor = cls._create_serial_product("Recall Scooter Motor")
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.unit_product.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": cls.motor.id, "product_qty": 1})],
            }
        )
        cls.motor_lots = cls._stock_serials(cls.motor, [f"RSM-{n}" for n in range(1, 5)])

    def setUp(self):
        super().setUp()
        self.production = self._mo(self.unit_product, 4)
        self._pick_component_serials(self.production, self.motor, self.motor_lots)
        self.production.action_serial_produce_all()
        self.assertEqual(self.production.state, "done")
        self.units = self.production.move_finished_ids.move_line_ids.lot_id
        self.assertEqual(len(self.units), 4)
        # What Odoo links: every motor line to every unit line of the order.
        motor_lines = self.production.move_raw_ids.move_line_ids.filtered(
            lambda line: line.lot_id == self.motor_lots[0]
        )
        self.assertEqual(motor_lines.produce_line_ids.lot_id, self.units)

    def _recalled(self, lot, direction="built_from"):
        action = lot.action_serial_recall() if direction == "built_from" else lot._serial_recall(direction)
        return sorted(self.env["serial.recall"].browse(action["res_id"]).line_ids.mapped("lot_name"))

    def _unit_of(self, motor):
        units = self.units.filtered(lambda unit: motor in unit.serial_component_lot_ids)
        self.assertEqual(len(units), 1, motor.name)
        return units

    def test_a_component_recalls_the_unit_it_went_into(self):
        for motor in self.motor_lots:
            self.assertEqual(self._recalled(motor), [self._unit_of(motor).name], motor.name)

    def test_a_unit_recalls_its_own_components(self):
        for motor in self.motor_lots:
            self.assertEqual(self._recalled(self._unit_of(motor), "components"), [motor.name])

    def test_a_unit_without_its_own_genealogy_follows_odoos_links(self):
        unit = self._unit_of(self.motor_lots[0])
        unit.serial_component_lot_ids = [Command.clear()]
        self.assertEqual(self._recalled(unit, "components"), sorted(self.motor_lots.mapped("name")))
        # Every motor of the order is linked to that unit by Odoo; each still to its own unit as well.
        for motor in self.motor_lots[1:]:
            self.assertEqual(self._recalled(motor), sorted([unit.name, self._unit_of(motor).name]), motor.name)
        self.assertEqual(self._recalled(self.motor_lots[0]), [unit.name])
