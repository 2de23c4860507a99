from odoo import _, models
from odoo.exceptions import UserError

from ..tools.messages import format_serial_list


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _serial_confirmation_problems(self):
        problems = []
        for order in self:
            problems += order.order_line._serial_sale_problems()
            twice = order.order_line._serial_order_duplicates(order.order_line)
            if twice:
                problems.append(
                    _(
                        "%(order)s: serials chosen more than once: %(serials)s",
                        order=order.name,
                        serials=format_serial_list(self.env, twice, inline=True),
                    )
                )
        return problems

    def action_confirm(self):
        # Every problem of every line in one message, before Odoo confirms anything.
        problems = self._serial_confirmation_problems()
        if problems:
            raise UserError(
                _(
                    "The order cannot be confirmed until its serial numbers are right:\n%(problems)s",
                    problems=format_serial_list(self.env, problems),
                )
            )
        result = super().action_confirm()
        for order in self:
            entities = (
                self.env["serial.entity"]
                .sudo()
                .search([("lot_id", "in", order.order_line.serial_lot_ids.ids), ("state", "=", "in_stock")])
            )
            entities.write({"state": "sold", "partner_id": order.partner_id.id})
        return result
