from collections import Counter

from odoo import Command, _, api, fields, models
from odoo.tools import float_is_zero

from ..tools.messages import format_serial_list, format_units
from ..tools.policy import STOCKED_USAGES


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    serial_lot_ids = fields.Many2many(
        "stock.lot",
        "sale_order_line_serial_lot_rel",
        "line_id",
        "lot_id",
        string="Serial Numbers",
        copy=False,
        domain="[('product_id', '=', product_id)]",
        help="The units sold: one on-hand serial per unit. The delivery reserves exactly these.",
    )
    serial_required_on_sale = fields.Boolean(related="product_id.serial_required_on_sale")

    def _serial_quantity(self):
        """The line's quantity in the product's unit (serials count units)."""
        self.ensure_one()
        return self.product_uom._compute_quantity(self.product_uom_qty, self.product_id.uom_id, round=False)

    def _serial_promised_to_others(self, lots):
        """Those of ``lots`` promised to a confirmed order other than these lines' and not delivered for it yet."""
        if not lots:
            return self.env["stock.lot"]
        others = self.sudo().search(
            [("serial_lot_ids", "in", lots.ids), ("state", "=", "sale"), ("order_id", "not in", self.order_id.ids)]
        )
        promised = self.env["stock.lot"]
        for other in others:
            # Delivered: out of stock for the customer (a multi-step delivery's pick leaves them in stock).
            delivered = other.move_ids.filtered(
                lambda m: m.state == "done" and m.location_dest_id.usage not in STOCKED_USAGES
            ).move_line_ids.lot_id
            promised |= other.serial_lot_ids - delivered
        return lots & promised

    def _serial_promised_elsewhere(self):
        """Serials of these lines promised to another confirmed order and not delivered for it yet."""
        return self._serial_promised_to_others(self.serial_lot_ids)

    def _serial_sale_problems(self):
        """One message per thing wrong with the serials of each line requiring them (no duplicates
        across lines of the same order: the order checks those)."""
        problems = []
        for line in self.filtered(lambda l: l.product_id.tracking == "serial" and l.product_id.serial_required_on_sale):
            product = line.product_id
            label = _("%(order)s, %(product)s", order=line.order_id.name, product=product.display_name)
            quantity = line._serial_quantity()
            names = line.serial_lot_ids.mapped("name")
            if not float_is_zero(quantity % 1, precision_digits=6):
                problems.append(_("%(line)s: %(quantity)s is not a whole number of units", line=label,
                                  quantity=format_units(quantity)))
            elif len(names) != int(round(quantity)):
                problems.append(_("%(line)s: %(count)s serials for %(quantity)s units", line=label,
                                  count=len(names), quantity=format_units(quantity)))
            misfits = [p.serial for p in product._serial_problems(names, len(names)) if p.kind == "pattern"]
            if misfits:
                problems.append(_("%(line)s: not matching the pattern %(pattern)s: %(serials)s", line=label,
                                  pattern=product.serial_pattern, serials=format_serial_list(self.env, misfits, inline=True)))
            warehouse = line.order_id.warehouse_id
            quants = self.env["stock.quant"].sudo().search(
                [
                    ("lot_id", "in", line.serial_lot_ids.ids),
                    ("location_id", "child_of", warehouse.view_location_id.id),
                    ("location_id.usage", "in", STOCKED_USAGES),
                    ("quantity", ">", 0),
                ]
            )
            missing = line.serial_lot_ids - quants.lot_id
            if missing:
                problems.append(_("%(line)s: not on hand in %(warehouse)s: %(serials)s", line=label,
                                  warehouse=warehouse.name, serials=format_serial_list(self.env, missing.mapped("name"), inline=True)))
            promised = line._serial_promised_elsewhere()
            if promised:
                problems.append(_("%(line)s: promised to another open order: %(serials)s", line=label,
                                  serials=format_serial_list(self.env, promised.mapped("name"), inline=True)))
        return problems

    def action_open_serial_entry(self):
        """Choose the line's serials among the warehouse's on-hand serials (or paste them)."""
        self.ensure_one()
        return self.env["serial.entry.wizard"]._dialog_action(
            _("Serial numbers: %(product)s", product=self.product_id.display_name),
            {
                "default_mode": "remove",
                "default_sale_line_id": self.id,
                "default_product_id": self.product_id.id,
                "default_location_id": self.order_id.warehouse_id.lot_stock_id.id,
                "default_quantity": self._serial_quantity(),
            },
        )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._serial_register_entities()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if "serial_lot_ids" in vals:
            self._serial_register_entities()
        return result

    def _serial_register_entities(self):
        """Saving a line that carries serials creates their entities (products creating them on order)
        and links the line to every entity of its serials."""
        entities = self.env["serial.entity"]
        for line in self.filtered("serial_lot_ids"):
            lots = line.serial_lot_ids
            if line.product_id.serial_entity_rule == "on_order":
                found = entities._serial_entities_for(lots)
            else:
                found = {entity.lot_id: entity for entity in entities.sudo().search([("lot_id", "in", lots.ids)])}
            entities.concat(*found.values()).write({"sale_line_ids": [Command.link(line.id)]})

    @api.model
    def _serial_order_duplicates(self, lines):
        """Serial names appearing on more than one unit of the order's lines."""
        counts = Counter(name for line in lines for name in line.serial_lot_ids.mapped("name"))
        return [name for name, count in counts.items() if count > 1]
