"""Fixtures of the manufacturing tests: confirmed orders and component serials chosen in the dialog."""

from odoo.tests import Form

from .common import SerialTrackingCase


class MrpSerialCase(SerialTrackingCase):
    def _mo(self, product, quantity):
        """A confirmed manufacturing order of ``quantity`` units of ``product``, made with the form."""
        form = Form(self.env["mrp.production"])
        form.product_id = product
        form.product_qty = quantity
        production = form.save()
        production.action_confirm()
        return production

    def _pick_component_serials(self, production, component, lots):
        """Choose ``lots`` for the component's move with the serial entry dialog (remove mode)."""
        move = production.move_raw_ids.filtered(lambda m: m.product_id == component)
        action = move.action_open_serial_entry()
        wizard = Form(self.env["serial.entry.wizard"].with_context(**action["context"])).save()
        wizard.action_clear()
        wizard.lot_ids = lots
        self.assertTrue(wizard.can_confirm, wizard.problem_text)
        wizard.action_confirm()
        return move

    def _set_component_lots(self, production, component, quantities):
        """The component's consumption as {lot: quantity}, one line per lot, as the detailed operations set it."""
        move = production.move_raw_ids.filtered(lambda m: m.product_id == component)
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [dict(move._prepare_move_line_vals(quantity=quantity), lot_id=lot.id) for lot, quantity in quantities.items()]
        )
        move.picked = True
        return move
