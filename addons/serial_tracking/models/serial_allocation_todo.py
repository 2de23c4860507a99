from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..tools.messages import format_serial_list
from ..tools.policy import STOCKED_USAGES


class SerialAllocationTodo(models.Model):
    """Worklist "Serials to allocate": on-hand units of serial products that carry no serial.

    They come from receipts validated without serials (receive now, serialize later) and from stock
    that existed before the product was switched to serial tracking ("Serial tracking not
    initialized"). One row per product and stock location (STOCKED_USAGES), read live from stock_quant.
    Quants in a package or with an owner are left out: allocation works on loose company stock.
    """

    _name = "serial.allocation.todo"
    _description = "Serials to Allocate"
    _auto = False
    _order = "product_id, location_id"
    _rec_name = "product_id"

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    quantity = fields.Float(string="Units Without Serial", readonly=True, digits="Product Unit of Measure")
    uom_id = fields.Many2one("uom.uom", readonly=True)
    in_date = fields.Datetime(string="Oldest Arrival", readonly=True)

    @property
    def _table_query(self):
        # The rows are computed from other models' tables: pending ORM writes to them must reach the
        # database before any query of this model (search, read or group) runs.
        self.env["stock.quant"].flush_model()
        self.env["stock.location"].flush_model(["usage", "warehouse_id"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["tracking", "uom_id"])
        usages = ", ".join(f"'{usage}'" for usage in STOCKED_USAGES)  # constants, not user input
        return f"""
            SELECT MIN(quant.id) AS id,
                   quant.product_id,
                   product.product_tmpl_id,
                   quant.location_id,
                   location.warehouse_id,
                   quant.company_id,
                   SUM(quant.quantity) AS quantity,
                   template.uom_id,
                   MIN(quant.in_date) AS in_date
              FROM stock_quant quant
              JOIN stock_location location ON location.id = quant.location_id
              JOIN product_product product ON product.id = quant.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE quant.lot_id IS NULL
               AND quant.package_id IS NULL
               AND quant.owner_id IS NULL
               AND template.tracking = 'serial'
               AND location.usage IN ({usages})
          GROUP BY quant.product_id, product.product_tmpl_id, quant.location_id, location.warehouse_id,
                   quant.company_id, template.uom_id
            HAVING SUM(quant.quantity) > 0
        """

    def action_allocate_serials(self):
        """Open the allocation dialog to give these units their serials."""
        self.ensure_one()
        return self.env["serial.allocate.wizard"]._dialog_action(
            _("Allocate serials: %(product)s", product=self.product_id.display_name),
            {
                "default_mode": "allocate",
                "default_product_id": self.product_id.id,
                "default_location_id": self.location_id.id,
                "default_quantity": self.quantity,
            },
        )

    @api.model
    def _allocate_serials(self, product, location, serial_names):
        """Give ``serial_names`` to as many units without serial of ``product`` at ``location``.

        The lots are created and the units move onto them in one inventory adjustment (one batch of
        moves, stock.quant._serial_adjust): the unserialized quantity goes down by the number of serials
        and one unit per serial comes in, so history and valuation show where each serial came from.
        Raises UserError listing every bad serial; nothing is written then.
        """
        names = list(serial_names)
        if not names:
            raise UserError(_("No serial numbers to allocate."))
        if product.tracking != "serial":
            raise UserError(_("%(product)s is not tracked by unique serial.", product=product.display_name))
        quants = self.env["stock.quant"]._serial_unserialized_quants(product, location)
        lacking = sum(quants.mapped("quantity"))
        if float_compare(len(names), lacking, precision_rounding=product.uom_id.rounding) > 0:
            raise UserError(
                _(
                    "%(count)s serials given, but only %(lacking)s unit(s) of %(product)s at %(location)s lack one.",
                    count=len(names),
                    lacking=lacking,
                    product=product.display_name,
                    location=location.display_name,
                )
            )
        problems = [p.message for p in product._serial_problems(names, len(names))]
        company = location.company_id or self.env.company
        conflicts = product._serial_conflicts(names, company=company)
        if conflicts:
            problems.append(_("already used: %(serials)s", serials=", ".join(conflicts)))
        if problems:
            raise UserError(
                _(
                    "The serial numbers cannot be allocated to %(product)s:\n%(problems)s",
                    product=product.display_name,
                    problems=format_serial_list(self.env, problems),
                )
            )
        return self.env["stock.quant"]._serial_adjust(
            product, location, add_names=names, remove_unserialized=len(names), reason=_("Serials allocated")
        )
