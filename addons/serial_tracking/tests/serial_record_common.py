"""Fixtures of the serial record tests: manufacturing orders, returns and scraps of serial units."""

from odoo import Command
from odoo.tests import Form

from .common import SerialTrackingCase


class SerialRecordCase(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Record Widget")
        cls.component = cls._create_serial_product("Record Component")
        cls.finished = cls._create_serial_product("Record Assembly")
        cls.workcenter = cls.env["mrp.workcenter"].create({"name": "Record Bench"})

    @classmethod
    def _bom(cls, finished, component, with_work_order=False):
        bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": finished.product_tmpl_id.id,
                "product_qty": 1,
                "type": "normal",
                "bom_line_ids": [Command.create({"product_id": component.id, "product_qty": 1})],
            }
        )
        if with_work_order:
            bom.operation_ids = [Command.create({"name": "Assemble", "workcenter_id": cls.workcenter.id})]
        return bom

    @classmethod
    def _produce(cls, finished, serial, component_lot, with_work_order=False):
        """A done manufacturing order building ``serial`` of ``finished`` from one unit ``component_lot``."""
        bom = cls._bom(finished, component_lot.product_id, with_work_order)
        production = cls.env["mrp.production"].create(
            {"product_id": finished.id, "product_qty": 1, "bom_id": bom.id, "product_uom_id": finished.uom_id.id}
        )
        production.action_confirm()
        raw_move = production.move_raw_ids
        raw_move.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            {
                **cls._move_line_vals(raw_move, 1),
                "lot_id": component_lot.id,
            }
        )
        production = cls._set_producing_serial(production, serial)
        production.button_mark_done()
        return production

    @classmethod
    def _return(cls, picking, lots):
        """A validated return of ``lots`` from a done ``picking``."""
        wizard = Form(cls.env["stock.return.picking"].with_context(active_id=picking.id, active_model="stock.picking"))
        wizard = wizard.save()
        wizard.product_return_moves.quantity = len(lots)
        action = wizard.action_create_returns()
        returned = cls.env["stock.picking"].browse(action["res_id"])
        cls._set_move_serials(returned.move_ids, lots.mapped("name"))
        cls._validate(returned)
        return returned

    @classmethod
    def _ship(cls, product, names, location=None):
        delivery = cls._create_delivery(product, len(names), serials=names, location=location)
        cls._validate(delivery)
        return delivery

    @classmethod
    def _receive(cls, product, names):
        receipt = cls._create_receipt(product, len(names), serials=names)
        cls._validate(receipt)
        return receipt
