import logging
from collections import defaultdict

from odoo import _, api, models
from odoo.exceptions import RedirectWarning
from odoo.tools import SQL, float_compare

from ..tools.bulk import BULK_RESERVED_KEY, QUANTS_MOVED_CONTEXT_KEY, create_lots
from ..tools.messages import format_serial_list, format_units
from ..tools.opening_rows import COUNTED_QUANTS_KEY
from ..tools.policy import STOCKED_USAGES


class StockQuant(models.Model):
    # Bulk validations flush thousands of these rows with the same values (serial_uniform_write_mixin).
    _name = "stock.quant"
    _inherit = ["stock.quant", "serial.uniform.write.mixin"]

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
        lots = self._serial_lots(product, list(add_names), company, location)
        incoming = [self.new({"product_id": product.id, "location_id": location.id, "lot_id": lot.id}) for lot in lots]
        outgoing = [(quant, 1) for quant in self._serial_quants_of_lots(product, location, remove_lots)]
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
            quant.with_context(inventory_name=reason)._get_inventory_move_values(
                quantity, quant.location_id, inventory_location
            )
            for quant, quantity in outgoing
        ]
        if move_vals:
            self.env["stock.move"].create(move_vals)._action_done()
        return lots

    @api.model
    def _serial_lots(self, product, names, company, location=None):
        """The lots of ``names`` (in that order) of ``product`` in ``company``: the existing ones, and
        new ones, created in one batch, for the others (inserted in ``location``, given when the caller
        puts them there: see tools/bulk.create_lots' presets)."""
        return self._serial_lots_and_created(product, names, company, location=location)[0]

    @api.model
    def _serial_lots_and_created(self, product, names, company, new_lot_values=None, location=None):
        """_serial_lots, and the lots it created (given ``new_lot_values`` too)."""
        existing = {lot.name: lot for lot in self._serial_existing_lots(product, names, company)}
        new_names = [name for name in names if name not in existing]
        created = create_lots(
            self.env["stock.lot"],
            [dict(new_lot_values or {}, name=name, product_id=product.id, company_id=company.id) for name in new_names],
            presets={"location_id": [location.id if location else None] * len(new_names)},
        )
        by_name = dict(existing, **{lot.name: lot for lot in created})
        return self.env["stock.lot"].browse([by_name[name].id for name in names]), created

    @api.model
    def _serial_existing_lots(self, product, names, company):
        """The lots of ``product`` named ``names`` in ``company`` or without company, by id."""
        domain = [("product_id", "=", product.id), ("name", "in", names), ("company_id", "in", [company.id, False])]
        lot_model = self.env["stock.lot"]
        if not self.env.su:  # record rules apply
            return lot_model.search(domain, order="id")
        # The name's only index is a trigram one: asked for thousands of names at once (a job's chunk),
        # PostgreSQL may pick it once the product has many lots and spend a minute on one chunk. The
        # names are matched among the product's lots instead, as the search matches them.
        lot_model.flush_model(["name", "product_id", "company_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM stock_lot WHERE product_id = %s AND (company_id = %s OR company_id IS NULL) "
                "AND (name || '') = ANY(%s) ORDER BY id",
                product.id,
                company.id,
                list(names),
            )
        )
        return lot_model.browse(row[0] for row in self.env.cr.fetchall())

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

    @api.depends("inventory_quantity")
    def _compute_inventory_diff_quantity(self):
        result = super()._compute_inventory_diff_quantity()
        # Quants an opening-stock chunk brings its counted serials into: the count settles them
        # (tools/opening_rows.py settle_counts); created settled, they need no second write.
        counted = self.env.cr.cache.get(COUNTED_QUANTS_KEY)
        if counted:
            for quant in self:
                if (quant.location_id.id, quant.lot_id.id) in counted:
                    quant.inventory_diff_quantity = 0
        return result

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
        action = self.env["ir.actions.act_window"]._for_xml_id("serial_tracking.serial_adjust_wizard_action")
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

    def _get_reserve_quantity(
        self,
        product_id,
        location_id,
        quantity,
        product_packaging_id=None,
        uom_id=None,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
    ):
        # Reserving passes blocked serials by; unreserving (a negative quantity) still finds them.
        quants = self
        if float_compare(quantity, 0, precision_rounding=product_id.uom_id.rounding) > 0:
            quants = self.with_context(serial_skip_blocked=True)
        return super(StockQuant, quants)._get_reserve_quantity(
            product_id,
            location_id,
            quantity,
            product_packaging_id=product_packaging_id,
            uom_id=uom_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    def _update_reserved_quantity(
        self, product_id, location_id, quantity, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        reserved = self.env.cr.cache.get(BULK_RESERVED_KEY)
        key = (product_id.id, location_id.id, lot_id.id if lot_id else False)
        key += (package_id.id or False if package_id else False, owner_id.id or False if owner_id else False)
        if reserved and key in reserved:
            reserved.discard(key)  # reserved with its batch (tools/bulk.py reserve_serials)
            return None
        return super()._update_reserved_quantity(
            product_id, location_id, quantity, lot_id=lot_id, package_id=package_id, owner_id=owner_id, strict=strict
        )

    def _gather(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False, qty=0):
        quants = super()._gather(
            product_id, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id, strict=strict, qty=qty
        )
        if self.env.context.get("serial_skip_blocked"):
            quants = quants.filtered(lambda quant: not quant.lot_id.serial_blocked)
        return quants

    @api.model
    def _get_quants_by_products_locations(self, product_ids, location_ids, extra_domain=False):
        if self.env.context.get(QUANTS_MOVED_CONTEXT_KEY):
            # The quants of every line were moved with their batch (tools/bulk.py): Odoo's quant loop
            # looks none up.
            return defaultdict(lambda: self.env["stock.quant"])
        return super()._get_quants_by_products_locations(product_ids, location_ids, extra_domain=extra_domain)
