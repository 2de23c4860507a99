from odoo import api, models
from odoo.tools import float_compare


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _serial_adjust(self, product, location, add_names=(), remove_lots=None, remove_unserialized=0, reason=None):
        """One inventory adjustment of serial units of ``product`` at ``location``; returns the lots of
        ``add_names`` in their order.

        add_names: serials of units coming in, one unit each; their lots are created unless the product
        already has them in the location's company. remove_lots: serials taken out, one unit each (from
        the quants under ``location``). remove_unserialized: units without serial taken out, oldest first
        (allocation: the same units come back with their serials).

        Each unit is one inventory move, as Odoo's Physical Inventory makes it (_get_inventory_move_values,
        as Odoo's own move_quants does), done directly rather than through counted quantities: the quants
        then end as any done move leaves them, with no counted quantity waiting in Physical Inventory,
        where applying it would set the stock back to the count.
        """
        company = location.company_id or self.env.company
        inventory_location = product.with_company(company).property_stock_inventory
        lots = self._serial_lots(product, list(add_names), company)
        incoming = [self.new({"product_id": product.id, "location_id": location.id, "lot_id": lot.id}) for lot in lots]
        outgoing = []
        for quant in self._serial_quants_of_lots(product, location, remove_lots):
            outgoing.append((quant, 1))
        remaining = remove_unserialized
        for quant in self._serial_unserialized_quants(product, location):
            if float_compare(remaining, 0, precision_rounding=product.uom_id.rounding) <= 0:
                break
            taken = min(quant.quantity, remaining)
            outgoing.append((quant, taken))
            remaining -= taken
        move_vals = [
            quant.with_context(inventory_name=reason)._get_inventory_move_values(1, inventory_location, location)
            for quant in incoming
        ] + [
            quant.with_context(inventory_name=reason)._get_inventory_move_values(quantity, quant.location_id, inventory_location)
            for quant, quantity in outgoing
        ]
        if move_vals:
            self.env["stock.move"].create(move_vals)._action_done()
        return lots

    @api.model
    def _serial_lots(self, product, names, company):
        """The lots of ``names`` (in that order) of ``product`` in ``company``: the existing ones, and
        new ones, created in one batch, for the others."""
        existing = {
            lot.name: lot
            for lot in self.env["stock.lot"].search(
                [("product_id", "=", product.id), ("name", "in", names), ("company_id", "in", [company.id, False])]
            )
        }
        new_names = [name for name in names if name not in existing]
        created = self.env["stock.lot"].create(
            [{"name": name, "product_id": product.id, "company_id": company.id} for name in new_names]
        )
        by_name = dict(existing, **{lot.name: lot for lot in created})
        return self.env["stock.lot"].browse([by_name[name].id for name in names])

    @api.model
    def _serial_quants_of_lots(self, product, location, lots):
        """The positive quants of ``lots`` under ``location``, one per lot."""
        if not lots:
            return self.browse()
        quants = self.search(
            [
                ("product_id", "=", product.id),
                ("lot_id", "in", lots.ids),
                ("location_id", "child_of", location.id),
                ("quantity", ">", 0),
            ],
            order="in_date, id",
        )
        first_by_lot = {}
        for quant in quants:
            first_by_lot.setdefault(quant.lot_id, quant)
        return self.browse([quant.id for quant in first_by_lot.values()])

    @api.model
    def _serial_unserialized_quants(self, product, location):
        """Loose company stock of ``product`` at ``location`` without serial, oldest first: the units
        listed in "Serials to allocate"."""
        return self.search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", location.id),
                ("lot_id", "=", False),
                ("package_id", "=", False),
                ("owner_id", "=", False),
                ("quantity", ">", 0),
            ],
            order="in_date, id",
        )
