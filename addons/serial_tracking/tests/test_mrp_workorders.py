"""Produce all with work orders: an order of N serial units made on a routing is produced and closed in
one action, its work orders finished, N serials issued and the component serials shared out per unit."""

from odoo import Command
from odoo.tests import tagged

from .mrp_common import MrpSerialCase


@tagged("post_install", "-at_install")
class TestMrpWorkOrders(MrpSerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("mrp.group_mrp_routings")
        cls.finished = cls._create_serial_product("Routed Drone", serial_format="RD-[[INCNUM,NONE,4]]")
        cls.motor = cls._create_serial_product("Routed Drone Motor")
        bench = cls.env["mrp.workcenter"].create({"name": "Drone Bench", "time_efficiency": 100})
        test_bench = cls.env["mrp.workcenter"].create({"name": "Drone Test Bench"})
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": cls.motor.id, "product_qty": 2})],
                "operation_ids": [
                    Command.create({"name": "Assemble", "workcenter_id": bench.id, "time_cycle_manual": 10}),
                    Command.create({"name": "Test", "workcenter_id": test_bench.id, "time_cycle_manual": 5}),
                ],
            }
        )
        cls.motor_lots = cls._stock_serials(cls.motor, [f"RM-{n:02d}" for n in range(1, 9)])

    def test_produce_all_finishes_the_work_orders(self):
        production = self._mo(self.finished, 3)
        self.assertEqual(len(production.workorder_ids), 2)
        self._pick_component_serials(production, self.motor, self.motor_lots[:6])
        production.action_serial_produce_all()
        self.assertEqual(production.state, "done")
        self.assertEqual(production.qty_produced, 3)
        self.assertEqual(set(production.workorder_ids.mapped("state")), {"done"})
        self.assertEqual(set(production.workorder_ids.mapped("qty_produced")), {3})
        self.assertEqual(self.env["mrp.production"].search_count([("procurement_group_id", "=", production.procurement_group_id.id)]), 1)
        finished = production.move_finished_ids.move_line_ids.lot_id
        self.assertEqual(sorted(finished.mapped("name")), ["RD-0001", "RD-0002", "RD-0003"])
        self.assertEqual(self._on_hand_serials(self.finished), ["RD-0001", "RD-0002", "RD-0003"])
        self.assertEqual(
            {lot.name: sorted(lot.serial_component_lot_ids.mapped("name")) for lot in finished},
            {"RD-0001": ["RM-01", "RM-02"], "RD-0002": ["RM-03", "RM-04"], "RD-0003": ["RM-05", "RM-06"]},
        )

    def test_produce_all_after_a_work_order_was_started(self):
        production = self._mo(self.finished, 2)
        # Starting a work order sets a serial order to one unit: Odoo keeps the motor serials of that unit only.
        production.workorder_ids[0].button_start()
        self.assertEqual(production.qty_producing, 1)
        motor_move = production.move_raw_ids
        self.assertEqual(len(motor_move.move_line_ids.lot_id), 2)
        self.assertEqual(motor_move.action_open_serial_entry()["context"]["default_quantity"], 2)
        self._pick_component_serials(production, self.motor, self.motor_lots[6:8])
        production.action_serial_produce_all()
        self.assertEqual(production.state, "done")
        self.assertEqual(production.qty_produced, 2)
        self.assertEqual(set(production.workorder_ids.mapped("state")), {"done"})
        finished = production.move_finished_ids.move_line_ids.lot_id
        self.assertEqual(sorted(finished.mapped("name")), ["RD-0001", "RD-0002"])
        # The two chosen serials are kept; the other unit's two are reserved first in, first out.
        consumed = motor_move.move_line_ids.filtered(lambda line: line.quantity > 0).lot_id
        self.assertEqual(sorted(consumed.mapped("name")), ["RM-01", "RM-02", "RM-07", "RM-08"])
        self.assertEqual(sorted(finished.serial_component_lot_ids.mapped("name")), sorted(consumed.mapped("name")))
        self.assertEqual([len(lot.serial_component_lot_ids) for lot in finished], [2, 2])
