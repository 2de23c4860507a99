"""The serials of one stock move (new serials coming in, or on-hand serials going out) or of one sale
order line (on-hand serials promised to the customer)."""

from odoo import Command, _, api, fields, models

from ..tools.picking_jobs import create_import_job


class SerialEntryWizard(models.TransientModel):
    _name = "serial.entry.wizard"
    _inherit = "serial.entry.dialog"
    _description = "Serial numbers of a move or a sale order line"

    move_id = fields.Many2one("stock.move", ondelete="cascade")
    # A sale order line's serials (remove mode: chosen among the warehouse's on-hand serials).
    sale_line_id = fields.Many2one("sale.order.line", ondelete="cascade")
    picking_id = fields.Many2one(related="move_id.picking_id")
    line_ids = fields.One2many("serial.entry.wizard.line", "wizard_id", string="Serial numbers")

    @api.model
    def default_get(self, fields_list):
        """Open on the move's current serials, so the user reviews or edits them rather than starts over."""
        values = super().default_get(fields_list)
        move = self.env["stock.move"].browse(values.get("move_id"))
        sale_line = self.env["sale.order.line"].browse(values.get("sale_line_id"))
        if sale_line and "lot_ids" in fields_list and "lot_ids" not in values:
            values["lot_ids"] = [Command.set(sale_line.serial_lot_ids.ids)]
        if not move:
            return values
        open_lines = move.move_line_ids.filtered(lambda line: line.state not in ("done", "cancel"))
        if values.get("mode") == "remove":
            if "lot_ids" in fields_list and "lot_ids" not in values:
                values["lot_ids"] = [Command.set(open_lines.lot_id.ids)]
        elif "line_ids" in fields_list and "line_ids" not in values:
            names = dict.fromkeys(
                line.lot_name or line.lot_id.name for line in open_lines if line.lot_name or line.lot_id
            )
            if len(names) > move.company_id.serial_bulk_threshold:
                values.update(serials_as_text=True, serial_names_text="\n".join(names))
            else:
                values["line_ids"] = [
                    Command.create({"name": name, "sequence": index}) for index, name in enumerate(names, 1)
                ]
        return values

    @api.depends("move_id")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.move_id.company_id or self.env.company

    def _on_hand_quants(self):
        free = super()._on_hand_quants()
        if self.sale_line_id:
            # Serials promised to another open order are not on offer (its confirmation would refuse them).
            promised = self.sale_line_id._serial_promised_to_others(free.lot_id)
            free = free.filtered(lambda quant: quant.lot_id not in promised)
        return free

    def _own_open_move_lines(self):
        return self.move_id.move_line_ids.filtered(lambda line: line.state not in ("done", "cancel"))

    def _conflicting_serials(self, names):
        # A return brings back serials that went out: they exist, and that is expected.
        if self.move_id.origin_returned_move_id:
            return []
        # Lots this move created itself (types taking existing lots only) and never stocked anywhere
        # are this entry's own serials, not clashes.
        own_names = set(self._own_open_move_lines().lot_id.filtered(lambda lot: not lot.quant_ids).mapped("name"))
        return [name for name in super()._conflicting_serials(names) if name not in own_names]

    def _problem_messages(self):
        messages = super()._problem_messages()
        busy = self.move_id.picking_id._serial_open_jobs()[:1]
        if busy:
            messages.append(busy.picking_id._serial_job_busy_message(busy))
        return messages

    def _confirm_problems(self, names):
        messages = super()._confirm_problems(names)
        if self.move_id.state in ("done", "cancel"):
            messages.append(
                _(
                    "The move of %(product)s is already %(state)s.",
                    product=self.product_id.display_name,
                    state=self.move_id.state,
                )
            )
        return messages

    def _apply_serials(self, names):
        if self.sale_line_id:
            self.sale_line_id.serial_lot_ids = [Command.set(self.lot_ids.ids)]
        elif self.mode == "remove":
            quants = self._on_hand_quants().filtered(lambda quant: quant.lot_id in self.lot_ids)
            locations = {quant.lot_id.id: quant.location_id.id for quant in quants}
            self.move_id._serial_replace_lines(lots=self.lot_ids, lot_locations=locations)
        elif self._above_bulk_threshold(len(names)):
            job = create_import_job(self.move_id, names)
            return self._done_notification(
                _(
                    '%(count)s serials of %(product)s are being added by the serial job "%(job)s" '
                    "(Inventory > Operations > Serial Jobs).",
                    count=len(names),
                    product=self.product_id.display_name,
                    job=job.name,
                )
            )
        else:
            self.move_id._serial_replace_lines(names=names)
        return {"type": "ir.actions.act_window_close"}
