from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from serial_core import ranges
from serial_core.errors import SerialError

from ..tools.bulk import BULK_CONTEXT_KEY, bulk_reservation_possible, fill_serial_lines, reserve_serials
from ..tools.policy import STOCKED_USAGES
from ..tools.valued_lines import valued_lines

# Transaction-local store (cursor cache) of serials taken off unreserved lines, by move id, so the
# lines Odoo recreates right after (a receipt's demand edited) get the same serials back.
KEPT_SERIALS_KEY = "serial_tracking.kept_autofill_serials"
# Ranges shown in a transfer's operations list; the serial entry dialog shows them all.
MAX_SHOWN_RANGES = 3


class StockMove(models.Model):
    _inherit = "stock.move"

    serial_ranges = fields.Char(
        compute="_compute_serial_ranges",
        help="The serials of the detailed operations, consecutive ones collapsed into ranges.",
    )

    @api.depends("has_tracking", "move_line_ids.lot_id", "move_line_ids.lot_name")
    def _compute_serial_ranges(self):
        for move in self:
            names = [line.lot_id.name or line.lot_name for line in move.move_line_ids if line.lot_id or line.lot_name]
            if move.has_tracking != "serial" or not names:
                move.serial_ranges = False
                continue
            try:
                runs = [str(run) for run in ranges.collapse(dict.fromkeys(names))]
            except SerialError:
                runs = list(dict.fromkeys(names))  # names no range can hold: listed as they are
            shown = ", ".join(runs[:MAX_SHOWN_RANGES])
            if len(runs) > MAX_SHOWN_RANGES:
                shown = _("%(ranges)s … and %(count)s more", ranges=shown, count=len(runs) - MAX_SHOWN_RANGES)
            move.serial_ranges = shown

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
            raise UserError(
                _(
                    "The move of %(product)s is already %(state)s.",
                    product=self.product_id.display_name,
                    state=self.state,
                )
            )
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

    def _serial_replace_lines(self, names=(), lots=None, lot_locations=None, keep_open_lines=False):
        """Replace the move's open lines with one quantity-1 line per serial, in one create call.

        names: new serial names (add mode); lots: existing stock.lot records (remove mode), with
        lot_locations mapping a lot id to the location it is taken from. keep_open_lines: add the
        lines after the open ones (a serial job's later chunks).
        """
        self.ensure_one()
        picked = self.picked
        if not keep_open_lines:
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

    def _generate_serial_numbers(self, next_serial, next_serial_count=False, location_id=False):
        count = next_serial_count or self.next_serial_count
        if not count or count <= self.company_id.serial_bulk_threshold or self.picking_type_id.use_existing_lots:
            return super()._generate_serial_numbers(next_serial, next_serial_count, location_id)
        # Large counts: the same lines, in batches (Odoo writes each line on its own).
        names = [vals["lot_name"] for vals in self.env["stock.lot"].generate_lot_names(next_serial, count)]
        fill_serial_lines(self, names)
        return True

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
                lambda line, rounding=rounding: not line.lot_name
                and not line.lot_id
                and line.state not in ("done", "cancel")
                and not float_is_zero(line.quantity, precision_rounding=rounding)
            )
            if not lines:
                continue
            kept = self.env.cr.cache.get(KEPT_SERIALS_KEY, {}).pop(move.id, [])
            names = kept[: len(lines)]
            if len(names) < len(lines):
                listed = names + [line.lot_name for line in move.move_line_ids if line.lot_name]
                generated, skipped = move.product_id._serial_generate_free(
                    len(lines) - len(names), location=move.location_dest_id, exclude=listed
                )
                names += generated
                if skipped and move.picking_id:
                    move.picking_id.message_post(body=move.product_id._serial_skipped_note(skipped))
            move.write(
                {"move_line_ids": [(1, line.id, {"lot_name": name}) for line, name in zip(lines, names, strict=False)]}
            )

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
        self._serial_reserve_sold()
        return result

    # ------------------------------------------------------------------ serials chosen on the sale order

    def _serial_sold_lots(self):
        """The serials the sale order line of this delivery move promised and this step has not moved yet.

        A multi-step delivery (pick, pack, ship) moves them once per step: Odoo 18 pushes each next
        step as a copy of the move before it, sale line included, chained by move_orig_ids."""
        self.ensure_one()
        line = self.sale_line_id
        moved = line.move_ids.filtered(
            lambda m: m.state == "done" and m.location_id == self.location_id
        ).move_line_ids.lot_id
        return line.serial_lot_ids - moved

    def _serial_sold_moves(self):
        return self.filtered(
            lambda m: m.sale_line_id.serial_lot_ids
            and m.has_tracking == "serial"
            and m.location_id.usage in STOCKED_USAGES
            and m.state not in ("draft", "done", "cancel")
        )

    def _serial_reserve_sold(self):
        """Reserve exactly the serials chosen on the sale order line, wherever they are in the source.

        Only the first step reserves from stock; a later step takes what the step before it brought
        (Odoo reserves those from the chained moves, and every step ships sold serials only)."""
        for move in self._serial_sold_moves().filtered(lambda m: not m.move_orig_ids):
            lots = move._serial_sold_lots()
            if set(move.move_line_ids.lot_id.ids) == set(lots.ids):
                continue
            move.move_line_ids.filtered(lambda line: line.state not in ("done", "cancel")).unlink()
            quants = self.env["stock.quant"].search(
                [
                    ("lot_id", "in", lots.ids),
                    ("location_id", "child_of", move.location_id.id),
                    ("location_id.usage", "in", STOCKED_USAGES),
                    ("quantity", ">", 0),
                ]
            )
            free = quants.filtered(lambda q: q.quantity - q.reserved_quantity > 0)
            locations = {quant.lot_id.id: quant.location_id.id for quant in free}
            move._serial_replace_lines(lots=free.lot_id, lot_locations=locations)
            move._recompute_state()

    def _action_done(self, cancel_backorder=False):
        # A delivery of serials chosen on the sale order ships those and no others.
        for move in self._serial_sold_moves():
            others = (
                move.move_line_ids.filtered(lambda line: line.quantity > 0).lot_id - move.sale_line_id.serial_lot_ids
            )
            if others:
                raise UserError(
                    _(
                        "%(order)s sold %(product)s with chosen serials; these others cannot be shipped for it: "
                        "%(serials)s",
                        order=move.sale_line_id.order_id.name,
                        product=move.product_id.display_name,
                        serials=", ".join(others.mapped("name")),
                    )
                )
        # Every kind of move (transfer, adjustment, scrap, production, unbuild) is done here, after its
        # lines: the serials' record follows in the same transaction.
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves.move_line_ids.lot_id._serial_refresh_record()
        return moves

    def _update_reserved_quantity(self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True):
        # Large serial reservations: the same lines and quants, in batches (tools/bulk.py).
        if (
            self.product_id.tracking == "serial"
            and (self.picking_type_id.use_create_lots or self.picking_type_id.use_existing_lots)
            and (self.env.context.get(BULK_CONTEXT_KEY) or need > self.company_id.serial_bulk_threshold)
            and bulk_reservation_possible(self)
        ):
            reserve_quantities = self.env["stock.quant"]._get_reserve_quantity(
                self.product_id,
                location_id,
                need,
                product_packaging_id=self.product_packaging_id,
                uom_id=self.product_uom,
                lot_id=lot_id or self.env["stock.lot"],
                package_id=package_id or self.env["stock.quant.package"],
                owner_id=owner_id or self.env["res.partner"],
                strict=strict,
            )
            taken = reserve_serials(self, reserve_quantities)
            if taken is not None:
                return taken
        return super()._update_reserved_quantity(
            need, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id, strict=strict
        )

    def _set_quantity_done(self, qty):
        result = super()._set_quantity_done(qty)
        self._serial_autofill_missing()
        return result

    # ------------------------------------------------------------------ serial record

    # ------------------------------------------------------------------ valuation

    # The lines stock_account values, read by column (tools/valued_lines.py): moves of thousands of
    # serial lines are asked for them several times while they are done.
    def _get_in_move_lines(self):
        self.ensure_one()
        lines = valued_lines(self, incoming=True)
        return super()._get_in_move_lines() if lines is None else lines

    def _get_out_move_lines(self):
        lines = valued_lines(self, incoming=False) if len(self) == 1 else None
        return super()._get_out_move_lines() if lines is None else lines
