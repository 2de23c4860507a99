import logging

from odoo import _, models
from odoo.exceptions import RedirectWarning
from odoo.tools import float_compare

from ..tools.messages import format_serial_list, format_units
from ..tools.policy import STOCKED_USAGES


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def action_apply_inventory(self):
        # Before Odoo's own flow: it would first ask in its "Tracked Products" dialog whether to count
        # these units without serial, and validation would then refuse them in the words of a receipt.
        self._serial_refuse_counts_without_serial()
        return super().action_apply_inventory()

    def _serial_counts_without_serial(self):
        """Counts of units without serial that would add units to stock where every unit needs a serial."""
        return self.filtered(
            lambda quant: quant.product_id.tracking == "serial"
            and not quant.lot_id
            and quant.location_id.usage in STOCKED_USAGES
            and float_compare(quant.inventory_diff_quantity, 0, precision_rounding=quant.product_uom_id.rounding) > 0
            and not quant.product_id.product_tmpl_id._serial_may_enter_without_serial()
        )

    def _serial_refuse_counts_without_serial(self):
        """Refuse such counts in the count's words, with a button to Adjust Serials for the first one."""
        counts = self._serial_counts_without_serial()
        if not counts:
            return
        details = [
            self.env._(  # a plain _() finds no environment inside the comprehension
                "%(product)s at %(location)s: counted %(counted)s, %(on_hand)s in stock, so %(extra)s more without a "
                "serial number",
                product=quant.product_id.display_name,
                location=quant.location_id.display_name,
                counted=format_units(quant.inventory_quantity),
                on_hand=format_units(quant.quantity),
                extra=format_units(quant.inventory_diff_quantity),
            )
            for quant in counts
        ]
        first = counts[0]
        action = self.env["ir.actions.act_window"]._for_xml_id("serial_tracking.serial_entry_adjust_action")
        action["context"] = {
            "default_adjust_mode": "add",
            "default_product_id": first.product_id.id,
            "default_location_id": first.location_id.id,
            "default_quantity": first.inventory_diff_quantity,
            "default_counted_quant_ids": first.ids,
        }
        refusal = RedirectWarning(
            _(
                "Every unit of these products needs a serial number, so units cannot be counted into stock "
                "without one:\n%(details)s\n\nAdd the counted units with their serial numbers through Adjust "
                "Serials; it replaces the count.",
                details=format_serial_list(self.env, details),
            ),
            action,
            _("Adjust Serials"),
        )
        # A refusal the user acts on, not a fault: odoo.http logs it at this level, as it does a UserError.
        refusal.loglevel = logging.WARNING
        raise refusal
