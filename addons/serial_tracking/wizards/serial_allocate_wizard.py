"""Serials given to stock received without them (the worklist "Serials to allocate")."""

from odoo import _, fields, models
from odoo.tools import float_is_zero


class SerialAllocateWizard(models.TransientModel):
    _name = "serial.allocate.wizard"
    _inherit = "serial.entry.dialog"
    _description = "Allocate serial numbers to stock without them"

    mode = fields.Selection(
        selection_add=[("allocate", "Allocate serials")], default="allocate", ondelete={"allocate": "cascade"}
    )
    line_ids = fields.One2many("serial.allocate.wizard.line", "wizard_id", string="Serial numbers")

    def _dialog_title(self):
        return _("Allocate serials: %(product)s", product=self.product_id.display_name)

    def _count_label(self, entered):
        label = super()._count_label(entered)
        waiting = int(self.quantity) - entered
        if entered and waiting > 0 and float_is_zero(self.quantity % 1, precision_digits=6):
            return _("%(label)s: %(count)s left without serial", label=label, count=waiting)
        return label

    def _count_allows_confirm(self, entered):
        """Any number of serials from one up to the units waiting: the others keep waiting."""
        if not entered or not float_is_zero(self.quantity % 1, precision_digits=6):
            return False
        return entered <= int(self.quantity)

    def _apply_serials(self, names):
        self.env["serial.allocation.todo"]._allocate_serials(self.product_id, self.location_id, names)
        return self._done_notification(self._allocated_message(len(names)))

    def _allocated_message(self, count):
        message = _(
            "%(count)s serials allocated to %(product)s at %(location)s.",
            count=count,
            product=self.product_id.display_name,
            location=self.location_id.display_name,
        )
        waiting = int(self.quantity) - count
        if waiting > 0:
            message = _("%(message)s %(count)s unit(s) still without serial.", message=message, count=waiting)
        return message
