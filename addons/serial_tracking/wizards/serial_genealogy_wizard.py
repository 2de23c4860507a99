from collections import Counter

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..tools.messages import format_serial_list


class SerialGenealogyWizard(models.TransientModel):
    """Which component serials went into which finished serial of one manufacturing order: the
    current record (or an even split of the consumed serials) to review and edit."""

    _name = "serial.genealogy.wizard"
    _description = "Component serials per finished serial"

    production_id = fields.Many2one("mrp.production", required=True, ondelete="cascade")
    consumed_lot_ids = fields.Many2many(
        "stock.lot", "serial_genealogy_wizard_consumed_rel", "wizard_id", "lot_id",
        compute="_compute_consumed_lot_ids", string="Consumed serials",
    )
    line_ids = fields.One2many("serial.genealogy.wizard.line", "wizard_id", string="Finished serials")

    @api.depends("production_id")
    def _compute_consumed_lot_ids(self):
        for wizard in self:
            wizard.consumed_lot_ids = wizard.production_id._serial_consumed_lots()

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards.filtered(lambda w: not w.line_ids):
            wizard.line_ids = [
                Command.create({"finished_lot_id": lot.id, "component_lot_ids": [Command.set(lot.serial_component_lot_ids.ids)]})
                for lot in wizard.production_id._serial_finished_lots()
            ]
        return wizards

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Component serials per unit: %(order)s", order=self.production_id.name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_propose_even_split(self):
        """Share each component's consumed serials out evenly over the finished serials, in order, and
        its lots by quantity."""
        self.ensure_one()
        lines = self.line_ids.sorted(lambda line: line.finished_lot_id.name)
        shares = self.production_id._serial_component_shares(lines.finished_lot_id)
        for line in lines:
            line.component_lot_ids = [Command.set(shares[line.finished_lot_id].ids)]
        return self._reopen()

    def action_confirm(self):
        """Record the assignment: only serials this order consumed, each in one finished serial."""
        self.ensure_one()
        assigned = Counter(lot for line in self.line_ids for lot in line.component_lot_ids._origin)
        problems = []
        foreign = [lot.name for lot in assigned if lot not in self.consumed_lot_ids]
        if foreign:
            problems.append(_("not consumed by %(order)s: %(serials)s", order=self.production_id.name,
                              serials=format_serial_list(self.env, foreign, inline=True)))
        # A lot goes into many units; a serial into one.
        twice = [lot.name for lot, count in assigned.items() if count > 1 and lot.product_id.tracking == "serial"]
        if twice:
            problems.append(_("assigned to more than one unit: %(serials)s",
                              serials=format_serial_list(self.env, twice, inline=True)))
        if problems:
            raise UserError(_("The component serials cannot be recorded:\n%(problems)s", problems="\n".join(problems)))
        for line in self.line_ids:
            line.finished_lot_id.serial_component_lot_ids = [Command.set(line.component_lot_ids._origin.ids)]
        return {"type": "ir.actions.act_window_close"}
