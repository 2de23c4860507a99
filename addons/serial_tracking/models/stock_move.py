from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from ..tools.policy import STOCKED_USAGES

# Transaction-local store (cursor cache) of serials taken off unreserved lines, by move id, so the
# lines Odoo recreates right after (a receipt's demand edited) get the same serials back.
KEPT_SERIALS_KEY = "serial_tracking.kept_autofill_serials"


class StockMove(models.Model):
    _inherit = "stock.move"

    # ------------------------------------------------------------------ serial entry wizard

    def _serial_entry_mode(self):
        """'remove' when the move takes units out of stock (their serials exist), else 'add'."""
        self.ensure_one()
        if self.location_id.usage in STOCKED_USAGES:
            return "remove"
        return "add"

    def _serial_required_count(self):
        """Serials the move needs: its quantity when one is set, else its demand (product UoM)."""
        self.ensure_one()
        quantity = self.quantity or self.product_uom_qty
        return self.product_uom._compute_quantity(quantity, self.product_id.uom_id, round=False)

    def action_open_serial_entry(self):
        self.ensure_one()
        if self.has_tracking != "serial":
            raise UserError(_("%(product)s is not tracked by serial number.", product=self.product_id.display_name))
        if self.state in ("done", "cancel"):
            raise UserError(_("The move of %(product)s is already %(state)s.", product=self.product_id.display_name, state=self.state))
        mode = self._serial_entry_mode()
        return self.env["serial.entry.wizard"]._dialog_action(
            _("Serial numbers: %(product)s", product=self.product_id.display_name),
            {
                "default_mode": mode,
                "default_move_id": self.id,
                "default_product_id": self.product_id.id,
                "default_location_id": (self.location_id if mode == "remove" else self.location_dest_id).id,
                "default_quantity": self._serial_required_count(),
            },
        )

    def _serial_replace_lines(self, names=(), lots=None, lot_locations=None):
        """Replace the move's open lines with one quantity-1 line per serial, in one create call.

        names: new serial names (add mode); lots: existing stock.lot records (remove mode), with
        lot_locations mapping a lot id to the location it is taken from.
        """
        self.ensure_one()
        picked = self.picked
        self.move_line_ids.filtered(lambda line: line.state not in ("done", "cancel")).unlink()
        base = self._prepare_move_line_vals(quantity=1)
        base["picked"] = picked
        # Putaway rules apply as for lines Odoo creates itself, computed up front so the create stays one batch.
        base["location_dest_id"] = self.location_dest_id._get_putaway_strategy(
            self.product_id, quantity=1, packaging=self.product_packaging_id
        ).id
        vals_list = []
        if lots is not None:
            for lot in lots:
                vals = dict(base, lot_id=lot.id, lot_name=False)
                if lot_locations and lot.id in lot_locations:
                    vals["location_id"] = lot_locations[lot.id]
                vals_list.append(vals)
        else:
            vals_list = [dict(base, lot_name=name) for name in names]
            if not self.picking_type_id.use_create_lots:
                # Types that only accept existing lots need the lots first (as Odoo's own import does).
                self._create_lot_ids_from_move_line_vals(vals_list, self.product_id.id, self.company_id.id)
        return self.env["stock.move.line"].create(vals_list)

    # ------------------------------------------------------------------ auto-generation

    def _serial_autofill_candidates(self):
        """Open moves bringing serial units in through a type that creates serials, whose product
        auto-generates serials. Returns and production moves keep Odoo's own serial handling."""
        return self.filtered(
            lambda move: move.has_tracking == "serial"
            and move.product_id.serial_auto_generate
            and move.picking_type_id.use_create_lots
            and move.location_id.usage not in STOCKED_USAGES
            and not move.origin_returned_move_id
            and not move.production_id
            and not move.raw_material_production_id
            and move.state not in ("done", "cancel")
        )

    def _serial_autofill_missing(self):
        """Give every open quantity line without a serial a newly issued one.

        Only lines that still lack a serial are filled, so raising the quantity issues serials
        for the new units only; lowering it lets Odoo drop open lines (their numbers are skipped,
        never issued twice). Lines Odoo recreated after unreserving get their former serials back.
        """
        for move in self._serial_autofill_candidates():
            rounding = move.product_uom.rounding
            lines = move.move_line_ids.filtered(
                lambda line: not line.lot_name
                and not line.lot_id
                and line.state not in ("done", "cancel")
                and not float_is_zero(line.quantity, precision_rounding=rounding)
            )
            if not lines:
                continue
            kept = self.env.cr.cache.get(KEPT_SERIALS_KEY, {}).pop(move.id, [])
            names = kept[: len(lines)]
            if len(names) < len(lines):
                names += move.product_id._serial_generate(len(lines) - len(names), location=move.location_dest_id)
            move.write({"move_line_ids": [(1, line.id, {"lot_name": name}) for line, name in zip(lines, names)]})

    def _do_unreserve(self):
        """Remember the serials of auto-filled lines Odoo is about to drop: when a receipt's demand
        changes, Odoo unreserves and recreates its lines, which must keep their serials."""
        kept = self.env.cr.cache.setdefault(KEPT_SERIALS_KEY, {})
        for move in self._serial_autofill_candidates():
            names = [
                line.lot_name
                for line in move.move_line_ids.sorted("id")
                if line.lot_name and not line.lot_id and not line.picked
            ]
            if names:
                kept.setdefault(move.id, []).extend(names)
        return super()._do_unreserve()

    def _action_assign(self, force_qty=False):
        result = super()._action_assign(force_qty=force_qty)
        self._serial_autofill_missing()
        return result

    def _set_quantity_done(self, qty):
        result = super()._set_quantity_done(qty)
        self._serial_autofill_missing()
        return result

    # ------------------------------------------------------------------ serial record

    def _action_done(self, cancel_backorder=False):
        # Every kind of move (transfer, adjustment, scrap, production, unbuild) is done here, after its
        # lines: the serials' record follows in the same transaction.
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves.move_line_ids.lot_id._serial_refresh_record()
        return moves
