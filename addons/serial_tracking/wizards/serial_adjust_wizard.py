"""Inventory > Adjustments > Adjust Serials: serials brought into stock or taken out without a move of
a document; a first step chooses the product, location, direction and count."""

from odoo import Command, _, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from ..tools.policy import STOCKED_USAGES


class SerialAdjustWizard(models.TransientModel):
    _name = "serial.adjust.wizard"
    _inherit = "serial.entry.dialog"
    _description = "Adjust serial numbers in stock"

    # Which way the inventory adjustment goes; the first step copies it into mode.
    adjust_mode = fields.Selection(
        [("add", "Add serials (stock increase)"), ("remove", "Remove serials (stock decrease)")],
        string="Adjustment",
        default="add",
    )
    # Adjust Serials opened from a physical count: the counts of units without serial it replaces.
    counted_quant_ids = fields.Many2many("stock.quant", string="Counts replaced")
    line_ids = fields.One2many("serial.adjust.wizard.line", "wizard_id", string="Serial numbers")

    def action_start_adjustment(self):
        """The first step: check the product, location and count, then enter the serials."""
        self.ensure_one()
        problems = []
        if self.product_id.tracking != "serial":
            problems.append(_("%(product)s is not tracked by serial number.", product=self.product_id.display_name))
        if self.location_id.usage not in STOCKED_USAGES:
            problems.append(_("%(location)s is not a stock location.", location=self.location_id.display_name))
        if self.quantity <= 0 or not float_is_zero(self.quantity % 1, precision_digits=6):
            problems.append(
                _("The number of serials must be a whole number above zero, not %(quantity)g.", quantity=self.quantity)
            )
        if problems:
            raise UserError("\n".join(problems))
        self.write(
            {
                "mode": self.adjust_mode,
                "line_ids": [Command.clear()],
                "serial_names_text": False,
                "lot_ids": [Command.clear()],
            }
        )
        if self.mode == "add" and self.product_id.serial_auto_generate:
            # Auto-generating products get their serials as soon as the quantity is entered.
            return self.action_generate_from_format()
        return self._reopen()

    def _apply_serials(self, names):
        """One inventory move per serial, all done at once (stock.quant._serial_adjust)."""
        label = _("Serials adjusted: %(product)s", product=self.product_id.display_name)
        quants = self.env["stock.quant"]
        if self.mode == "remove":
            quants._serial_adjust(self.product_id, self.location_id, remove_lots=self.lot_ids, reason=label)
            return self._done_notification(
                _(
                    "%(count)s serials of %(product)s removed from %(location)s.",
                    count=len(names),
                    product=self.product_id.display_name,
                    location=self.location_id.display_name,
                )
            )
        quants._serial_adjust(self.product_id, self.location_id, add_names=names, reason=label)
        # The physical count these serials came from is settled: its units are now in stock.
        self.counted_quant_ids.action_clear_inventory_quantity()
        return self._done_notification(
            _(
                "%(count)s serials of %(product)s added at %(location)s.",
                count=len(names),
                product=self.product_id.display_name,
                location=self.location_id.display_name,
            )
        )
