"""Serials chosen on a sale order line, delivered in two or three steps (pick, pack, ship): the first
step reserves exactly those serials, every step ships only those, cancelling the order frees them."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SerialTrackingCase

SERIALS = [f"SN-{n:04d}" for n in range(1, 7)]


@tagged("post_install", "-at_install")
class TestSaleSerialsMultiStep(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Chain Widget", serial_required_on_sale=True, serial_pattern="SN-####")
        cls.lots = cls._stock_serials(cls.product, SERIALS)
        cls.by_name = {lot.name: lot for lot in cls.lots}

    def _order(self, serials):
        """A quotation of one line carrying ``serials``, one unit each."""
        return self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": len(serials),
                                              "serial_lot_ids": [Command.set([self.by_name[n].id for n in serials])]})],
            }
        )

    def _confirmed_order(self, serials):
        order = self._order(serials)
        order.action_confirm()
        return order

    def _problems_of_a_new_order(self, serials):
        return "\n".join(self._order(serials)._serial_confirmation_problems())

    def _lots(self, picking):
        return sorted(picking.move_line_ids.filtered(lambda line: line.quantity > 0).lot_id.mapped("name"))

    def _check_chain(self, delivery_steps, step_count):
        self.warehouse.delivery_steps = delivery_steps
        # Not the oldest serials (SN-0001, SN-0002), which Odoo itself would reserve first.
        sold = ["SN-0002", "SN-0005"]
        order = self._confirmed_order(["SN-0005", "SN-0002"])
        # Odoo 18 makes the first step on confirmation and pushes each next one when the step before is done.
        picking = order.picking_ids
        self.assertEqual(picking.location_id, self.stock_location)
        steps = []
        while picking:
            steps.append(picking)
            self.assertEqual(len(picking), 1, "each step is one picking")
            self.assertEqual(self._lots(picking), sold, picking.name)
            line = picking.move_line_ids.filtered(lambda l: l.lot_id.name == "SN-0005")
            line.lot_id = self.by_name["SN-0001"]
            with self.assertRaisesRegex(UserError, "these others cannot be shipped for it: SN-0001"):
                self._validate(picking)
            line.lot_id = self.by_name["SN-0005"]
            self._validate(picking)
            self.assertEqual(picking.state, "done", picking.name)
            if picking.location_dest_id != self.customer_location:
                # Between steps the serials are still promised to the order: no other order may take them.
                self.assertIn("promised to another open order: SN-0002", self._problems_of_a_new_order(["SN-0002"]))
            picking = picking.move_ids.move_dest_ids.picking_id
        self.assertEqual(len(steps), step_count)
        self.assertEqual(steps[-1].location_dest_id, self.customer_location)
        self.assertEqual(self._on_hand_serials(self.product), ["SN-0001", "SN-0003", "SN-0004", "SN-0006"])
        shipped = self.env["stock.move.line"].search(
            [("lot_id", "in", self.lots.ids), ("location_dest_id", "=", self.customer_location.id), ("state", "=", "done")]
        )
        self.assertEqual(sorted(shipped.lot_id.mapped("name")), sold)
        self.assertEqual(order.order_line.qty_delivered, 2)

    def test_pick_ship_reserves_and_ships_only_the_sold_serials(self):
        self._check_chain("pick_ship", 2)

    def test_pick_pack_ship_reserves_and_ships_only_the_sold_serials(self):
        self._check_chain("pick_pack_ship", 3)

    def test_cancelling_a_multi_step_order_frees_its_serials(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._confirmed_order(["SN-0004"])
        self.assertEqual(self._lots(order.picking_ids), ["SN-0004"])
        self.assertIn("promised to another open order: SN-0004", self._problems_of_a_new_order(["SN-0004"]))
        order._action_cancel()
        self.assertEqual(set(order.picking_ids.mapped("state")), {"cancel"})
        second = self._confirmed_order(["SN-0004"])
        self.assertEqual(self._lots(second.picking_ids), ["SN-0004"])

    def test_a_partial_pick_leaves_the_other_sold_serial_to_its_backorder(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._confirmed_order(["SN-0003", "SN-0006"])
        pick = order.picking_ids
        pick.move_line_ids.filtered(lambda l: l.lot_id.name == "SN-0006").unlink()
        pick.move_ids.picked = True
        pick.with_context(cancel_backorder=False)._action_done()
        self.assertEqual(self._lots(pick.backorder_ids), ["SN-0006"])
        ship = pick.move_ids.move_dest_ids.picking_id
        self.assertEqual(self._lots(ship), ["SN-0003"])
        self._validate(ship)
        self.assertEqual(ship.state, "done")
        self._validate(pick.backorder_ids)
        self.assertEqual(self._lots(pick.backorder_ids.move_ids.move_dest_ids.picking_id), ["SN-0006"])

    def test_an_entity_stays_sold_through_the_pick_until_shipped(self):
        self.warehouse.delivery_steps = "pick_ship"
        self.product.serial_entity_rule = "on_order"
        order = self._confirmed_order(["SN-0001"])
        entity = self.env["serial.entity"].search([("lot_id", "=", self.by_name["SN-0001"].id)])
        self.assertEqual(entity.state, "sold")
        pick = order.picking_ids
        self._validate(pick)
        self.assertEqual((entity.state, entity.partner_id, entity.location_id), ("sold", self.partner, pick.location_dest_id))
        ship = pick.move_ids.move_dest_ids.picking_id
        self._validate(ship)
        self.assertEqual((entity.state, entity.location_id), ("delivered", self.customer_location))
        self.assertEqual(entity.picking_ids, pick | ship)
