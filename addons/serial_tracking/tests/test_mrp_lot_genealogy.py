"""Genealogy per finished serial for lot-tracked components: each unit records the component lots its
share of the consumed quantity came from; the recall from a component lot finds every finished serial."""

from odoo import Command
from odoo.tests import tagged

from .mrp_common import MrpSerialCase


@tagged("post_install", "-at_install")
class TestMrpLotGenealogy(MrpSerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finished = cls._create_serial_product("Glued Drone", serial_format="GD-[[INCNUM,NONE,4]]")
        cls.motor = cls._create_serial_product("Glued Drone Motor")
        cls.glue = cls.env["product.product"].create(
            {"name": "Glue", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": cls.motor.id, "product_qty": 1}),
                    Command.create({"product_id": cls.glue.id, "product_qty": 1}),
                ],
            }
        )
        cls.motor_lots = cls._stock_serials(cls.motor, [f"GM-{n:02d}" for n in range(1, 11)])
        cls.glue_lots = cls.env["stock.lot"].create(
            [{"name": name, "product_id": cls.glue.id, "company_id": cls.company.id} for name in ("G-1", "G-2")]
        )
        for lot in cls.glue_lots:
            cls.env["stock.quant"]._update_available_quantity(cls.glue, cls.stock_location, 20, lot_id=lot)

    def _genealogy(self, production):
        finished = production.move_finished_ids.move_line_ids.lot_id
        return {lot.name: sorted(lot.serial_component_lot_ids.mapped("name")) for lot in finished}

    def _glue_lots_per_unit(self, production):
        """The glue lots of each finished serial, units in serial order."""
        return [
            [name for name in components if name.startswith("G-")]
            for _unit, components in sorted(self._genealogy(production).items())
        ]

    def test_each_unit_links_the_lot_it_was_made_with(self):
        production = self._mo(self.finished, 10)
        self._pick_component_serials(production, self.motor, self.motor_lots)
        self._set_component_lots(production, self.glue, {self.glue_lots[0]: 10})
        production.action_serial_produce_all()
        self.assertEqual(production.state, "done")
        genealogy = self._genealogy(production)
        self.assertEqual(len(genealogy), 10)
        for index, name in enumerate(sorted(genealogy), 1):
            self.assertEqual(genealogy[name], ["G-1", f"GM-{index:02d}"], name)
        self.assertEqual(len(self.glue_lots[0].serial_finished_lot_ids), 10)
        # The recall from the lot finds every finished serial made with it.
        recall = self.env["serial.recall"].browse(self.glue_lots[0].action_serial_recall()["res_id"])
        self.assertEqual(sorted(recall.line_ids.mapped("lot_name")), sorted(genealogy))
        self.assertFalse(self.glue_lots[1].serial_finished_lot_ids)

    def test_two_lots_are_shared_out_by_quantity(self):
        production = self._mo(self.finished, 4)
        self._pick_component_serials(production, self.motor, self.motor_lots[:4])
        # 3 units of G-1 then 1 of G-2: the first three units used G-1, the fourth G-2.
        self._set_component_lots(production, self.glue, {self.glue_lots[0]: 3, self.glue_lots[1]: 1})
        production.action_serial_produce_all()
        self.assertEqual(self._glue_lots_per_unit(production), [["G-1"], ["G-1"], ["G-1"], ["G-2"]])
        # The genealogy dialog shows the lots and proposes the same split; one lot in many units is no error.
        wizard = self.env["serial.genealogy.wizard"].browse(production.action_serial_genealogy()["res_id"])
        self.assertIn(self.glue_lots[0], wizard.consumed_lot_ids)
        wizard.action_propose_even_split()
        wizard.action_confirm()
        self.assertEqual(
            [sorted(line.finished_lot_id.serial_component_lot_ids.mapped("name"))[0] for line in
             wizard.line_ids.sorted(lambda line: line.finished_lot_id.name)],
            ["G-1", "G-1", "G-1", "G-2"],
        )

    def test_a_unit_straddling_two_lots_links_both(self):
        production = self._mo(self.finished, 2)
        self._pick_component_serials(production, self.motor, self.motor_lots[:2])
        self._set_component_lots(production, self.glue, {self.glue_lots[0]: 1.5, self.glue_lots[1]: 0.5})
        production.action_serial_produce_all()
        self.assertEqual(self._glue_lots_per_unit(production), [["G-1"], ["G-1", "G-2"]])

    def test_one_unit_order_records_its_lot(self):
        production = self._mo(self.finished, 1)
        production.action_generate_serial()
        self._pick_component_serials(production, self.motor, self.motor_lots[:1])
        self._set_component_lots(production, self.glue, {self.glue_lots[1]: 1})
        production.button_mark_done()
        self.assertEqual(
            sorted(production.lot_producing_id.serial_component_lot_ids.mapped("name")), ["G-2", "GM-01"]
        )
