from odoo import Command, models
from odoo.tools import float_compare

from ..tools.labels import serial_labels_action


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _serial_lines_being_validated(self):
        """Lines with a quantity that validation will process: the picked ones, or all of a picking
        where nothing is picked yet (Validate then picks everything)."""
        lines = self.env["stock.move.line"]
        for picking in self:
            with_quantity = picking.move_line_ids.filtered(
                lambda line: float_compare(line.quantity, 0, precision_rounding=line.product_uom_id.rounding) > 0
            )
            picked = with_quantity.filtered("picked")
            lines |= picked or with_quantity
        return lines

    def _sanity_check(self, separate_pickings=True):
        # Our rules first: their message names every offending serial and the policy (e.g. serials
        # required at receipt), where Odoo's only says a lot is missing.
        lines = self._serial_lines_being_validated()
        lines._serial_check_done_lines()
        lines._serial_remember_checked()
        return super()._sanity_check(separate_pickings=separate_pickings)

    def _get_lot_move_lines_for_sanity_check(self, none_done_picking_ids, separate_pickings=True):
        lines = super()._get_lot_move_lines_for_sanity_check(none_done_picking_ids, separate_pickings)
        # Lines the product's policy lets through without a serial (receive now, serialize later).
        return lines.filtered(
            lambda line: line.lot_id or line.lot_name or line.product_id.tracking != "serial"
            or not line._serial_may_lack_serial()
        )

    def _action_done(self):
        result = super()._action_done()
        self._serial_update_entities()
        return result

    def _serial_update_entities(self):
        """Receipts create the entities of products creating them on receipt (an existing entity of the
        serial is reused); every done transfer links the entities it moved and updates where they are."""
        entities = self.env["serial.entity"]
        for picking in self.filtered(lambda p: p.state == "done"):
            lines = picking.move_line_ids.filtered(lambda line: line.lot_id and line.quantity > 0)
            if not lines:
                continue
            receiving = lines.filtered(
                lambda line: line.product_id.serial_entity_rule == "on_receipt"
                and line.location_id.usage in ("supplier", "customer", "inventory")
            )
            found = entities._serial_entities_for(receiving.lot_id) if receiving else {}
            for entity in entities.sudo().search([("lot_id", "in", lines.lot_id.ids)]):
                found.setdefault(entity.lot_id, entity)
            for line in lines.filtered(lambda line: line.lot_id in found):
                destination = line.location_dest_id
                values = {"picking_ids": [Command.link(picking.id)], "location_id": destination.id}
                if line.move_id.purchase_line_id:
                    values["purchase_line_ids"] = [Command.link(line.move_id.purchase_line_id.id)]
                if destination.usage == "customer":
                    values.update(state="delivered", partner_id=picking.partner_id.id)
                elif destination.usage in ("internal", "transit") and not (
                    line.move_id.sale_line_id and line.location_id.usage in ("internal", "transit")
                ):
                    # An earlier step of a sale's delivery (pick, pack) leaves a sold unit sold.
                    values.update(state="in_stock", partner_id=False)
                found[line.lot_id].write(values)

    # ------------------------------------------------------------------ labels

    def _serial_label_lots(self):
        lines = self.move_line_ids.filtered(lambda line: line.lot_id and line.product_id.tracking == "serial")
        return lines.sorted(lambda line: (line.picking_id.id, line.move_id.id, line.id)).lot_id

    def action_serial_print_labels(self):
        return serial_labels_action(self, self._serial_label_lots())
