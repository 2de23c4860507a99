from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

from ..tools.labels import serial_labels_action
from ..tools.messages import format_units


def even_split(finished_lots, component_lots):
    """{finished lot: component lots}: the component serials shared out in order, as evenly as the
    counts allow (the first units take one more when the division leaves a remainder)."""
    if not finished_lots:
        return {}
    share, extra = divmod(len(component_lots), len(finished_lots))
    split, start = {}, 0
    for index, lot in enumerate(finished_lots):
        stop = start + share + (1 if index < extra else 0)
        split[lot] = component_lots[start:stop]
        start = stop
    return split


def lot_split(finished_lots, consumed):
    """{finished lot: component lots}: ``consumed`` is [(lot, quantity)] in consumption order; each
    finished unit takes an equal share of the total quantity and links every lot that share overlaps."""
    total = sum(quantity for _lot, quantity in consumed)
    if not finished_lots or total <= 0:
        return {lot: [] for lot in finished_lots}
    share = total / len(finished_lots)
    # Shares and lot runs as [start, end) on the consumed quantity; a tolerance absorbs float rounding.
    tolerance = share * 1e-6
    runs, start = [], 0.0
    for lot, quantity in consumed:
        runs.append((start, start + quantity, lot))
        start += quantity
    split = {}
    for index, finished in enumerate(finished_lots):
        low, high = index * share, (index + 1) * share
        lots = []
        for run_start, run_end, lot in runs:
            if min(high, run_end) - max(low, run_start) > tolerance and lot not in lots:
                lots.append(lot)
        split[finished] = lots
    return split


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    # ------------------------------------------------------------------ finished serials

    def _serial_numbered(self):
        """Whether the product issues its serials from its format or a shared sequence."""
        product = self.product_id
        company = self.company_id or self.env.company
        return product.tracking == "serial" and bool(
            product.serial_sequence_id or product.serial_format or company.serial_default_format
        )

    def _prepare_stock_lot_values(self):
        # Odoo numbers the finished serial "next after the newest lot" of the product; the product's
        # format or shared sequence issues it instead (the pattern is checked when the MO is done).
        if not self._serial_numbered():
            return super()._prepare_stock_lot_values()
        self.ensure_one()
        name = self.product_id._serial_generate(1, location=self.location_dest_id)[0]
        return {"product_id": self.product_id.id, "name": name, "company_id": self.company_id.id}

    # ------------------------------------------------------------------ produce all units at once

    def _serial_check_component_serials(self):
        """Every serial component needs one serial per unit consumed: one message per short move."""
        problems = []
        for move in self.move_raw_ids.filtered(lambda m: m.has_tracking == "serial" and m.state not in ("done", "cancel")):
            needed = move.product_uom._compute_quantity(move.product_uom_qty, move.product_id.uom_id)
            chosen = move.move_line_ids.filtered(lambda line: line.lot_id and line.quantity > 0)
            if float_compare(len(chosen), needed, precision_rounding=move.product_id.uom_id.rounding):
                problems.append(
                    _("%(component)s: %(chosen)s of %(needed)s serials chosen",
                      component=move.product_id.display_name, chosen=len(chosen), needed=format_units(needed))
                )
        return problems

    def _serial_reserve_missing_components(self):
        """Reserve the component serials of the units not being produced yet, keeping those chosen.

        Starting a work order sets a serial product's order to one unit, and Odoo then keeps the
        component serials of that unit only: producing every unit needs the others back, reserved as
        confirming the order reserved them. Any other short count is the user's to fix (refused after).
        """
        producing = self.qty_producing - self.qty_produced
        if float_compare(producing, 0, precision_rounding=self.product_uom_id.rounding) <= 0:
            return
        for move in self.move_raw_ids.filtered(lambda m: m.has_tracking == "serial" and m.state not in ("done", "cancel")):
            chosen = move.move_line_ids.filtered(lambda line: line.lot_id and line.quantity > 0)
            for_units_producing = move.product_uom._compute_quantity(producing * move.unit_factor, move.product_id.uom_id)
            if float_compare(len(chosen), for_units_producing, precision_digits=6):
                continue
            (move.move_line_ids - chosen).unlink()
            move.picked = False
            move._action_assign()

    def action_serial_produce_all(self):
        """Produce and close the whole order in one action: one finished serial per unit, issued from
        the product's format or shared sequence, all on this one order (Odoo's mass produce splits it
        into one order per unit)."""
        self.ensure_one()
        if self.product_id.tracking != "serial":
            raise UserError(_("%(product)s is not tracked by serial number.", product=self.product_id.display_name))
        if self.state not in ("confirmed", "progress", "to_close"):
            raise UserError(_("Only a confirmed manufacturing order can be produced."))
        quantity = self.product_uom_id._compute_quantity(self.product_qty - self.qty_produced, self.product_id.uom_id)
        if quantity <= 0 or not float_is_zero(quantity % 1, precision_digits=6):
            raise UserError(
                _("%(quantity)s units of a serial product cannot be produced: the quantity must be a whole number.",
                  quantity=format_units(quantity))
            )
        quantity = int(round(quantity))
        self._serial_reserve_missing_components()
        problems = self._serial_check_component_serials()
        if problems:
            raise UserError(
                _("Choose the component serials of %(order)s first (Serials on each component line):\n%(problems)s",
                  order=self.name, problems="\n".join(problems))
            )
        names = self.product_id._serial_generate(quantity, location=self.location_dest_id)
        lots = self.env["stock.lot"].create(
            [{"name": name, "product_id": self.product_id.id, "company_id": self.company_id.id} for name in names]
        )
        self._serial_set_producing(quantity, lots)
        return self.with_context(skip_redirection=True).button_mark_done()

    def _serial_set_producing(self, quantity, lots):
        """Set the order to produce ``quantity`` units now, the finished move holding one line per lot
        of ``lots`` (or lines without serial when ``lots`` is empty: serialize later).

        Odoo's _set_qty_producing caps serial products at one unit per order, so the components are
        set here the way it sets them, for all units at once.
        """
        self.qty_producing = self.product_id.uom_id._compute_quantity(quantity, self.product_uom_id)
        for move in self.move_raw_ids | self.move_byproduct_ids:
            if move.state in ("done", "cancel") or (move.manual_consumption and move.picked):
                continue
            if move.sudo()._should_bypass_set_qty_producing():
                continue
            new_quantity = (self.qty_producing - self.qty_produced) * move.unit_factor
            move._set_quantity_done(float_round(new_quantity, precision_rounding=move.product_uom.rounding))
            move.picked = True
        finished = self.move_finished_ids.filtered(
            lambda m: m.product_id == self.product_id and m.state not in ("done", "cancel")
        )
        # Left unpicked: Odoo counts a picked finished move as produced already, and picks it when done.
        if lots:
            finished._serial_replace_lines(lots=lots)
        else:
            finished._set_quantity_done(self.qty_producing - self.qty_produced)

    def action_serial_produce_without_serials(self):
        """Produce every unit now and give them serials later ("Serials to allocate"), for products
        that do not require serials on receipt."""
        self.ensure_one()
        if self.product_id.serial_required_on_receipt:
            raise UserError(
                _("%(product)s requires serials when units come in: use 'Produce all with serials'.",
                  product=self.product_id.display_name)
            )
        quantity = self.product_uom_id._compute_quantity(self.product_qty - self.qty_produced, self.product_id.uom_id)
        self.lot_producing_id = False
        self._serial_set_producing(quantity, self.env["stock.lot"])
        return self.with_context(skip_redirection=True).button_mark_done()

    def _prepare_finished_extra_vals(self):
        # Lines already holding one serial each (produce all) keep them.
        finished = self.move_finished_ids.filtered(lambda m: m.product_id == self.product_id)
        if len(finished.move_line_ids.lot_id) > 1:
            return {}
        return super()._prepare_finished_extra_vals()

    # ------------------------------------------------------------------ genealogy

    def _serial_finished_lots(self):
        return self.move_finished_ids.filtered(
            lambda m: m.product_id == self.product_id and m.state == "done"
        ).move_line_ids.lot_id.sorted("name")

    def _serial_consumed_lines(self):
        """Done lines of serial- and lot-tracked components, in consumption order."""
        lines = self.move_raw_ids.filtered(lambda m: m.state == "done" and m.has_tracking in ("serial", "lot")).move_line_ids
        return lines.filtered(lambda line: line.lot_id and line.quantity > 0).sorted("id")

    def _serial_consumed_lots(self):
        """Serials and lots of the components this order consumed, in consumption order."""
        return self._serial_consumed_lines().lot_id

    def _serial_component_shares(self, finished_lots):
        """{finished lot: component serials and lots}: each component's serials shared out evenly in
        order; its lots by quantity (each unit takes an equal share of the quantity consumed, and links
        the lots that share came from)."""
        shares = {lot: self.env["stock.lot"] for lot in finished_lots}
        lines = self._serial_consumed_lines()
        for component in lines.product_id:
            component_lines = lines.filtered(lambda line: line.product_id == component)
            if component.tracking == "serial":
                split = even_split(list(finished_lots), list(component_lines.lot_id))
            else:
                split = lot_split(list(finished_lots), [(line.lot_id, line.quantity_product_uom) for line in component_lines])
            for lot, share in split.items():
                shares[lot] |= self.env["stock.lot"].concat(*share)
        return shares

    def _serial_record_genealogy(self):
        """Give each finished serial that has no component serials yet its share of the component
        serials and lots consumed (per component, so every unit gets its part of each component)."""
        for production in self.filtered(lambda p: p.product_id.tracking == "serial"):
            finished = production._serial_finished_lots()
            if not finished or finished.serial_component_lot_ids:
                continue
            for lot, components in production._serial_component_shares(finished).items():
                if components:
                    lot.serial_component_lot_ids = components

    def _post_inventory(self, cancel_backorder=False):
        result = super()._post_inventory(cancel_backorder=cancel_backorder)
        self._serial_record_genealogy()
        return result

    def action_serial_genealogy(self):
        """Show and edit which component serials went into which finished serial."""
        self.ensure_one()
        if not self._serial_finished_lots():
            raise UserError(_("%(order)s has no finished serials yet.", order=self.name))
        return self.env["serial.genealogy.wizard"].create({"production_id": self.id})._reopen()

    # ------------------------------------------------------------------ labels

    def _serial_label_lots(self):
        """The finished serials: produced (done lines) or being produced (lot_producing_id)."""
        lots = self.move_finished_ids.move_line_ids.lot_id | self.lot_producing_id
        return lots.filtered(lambda lot: lot.product_id.tracking == "serial")

    def action_serial_print_labels(self):
        return serial_labels_action(self, self._serial_label_lots())
