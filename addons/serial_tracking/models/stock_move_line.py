from collections import defaultdict
from functools import partial

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import OrderedSet, float_compare, float_is_zero

from ..tools import search_index
from ..tools.bulk import (
    BULK_SYNCED_KEY,
    QUANTS_MOVED_CONTEXT_KEY,
    assign_new_lots,
    bulk_candidates,
    column_values,
    company_links_consistent,
    finish_moved_lines,
    move_quants,
)
from ..tools.messages import format_serial_list, format_units
from ..tools.policy import SERIAL_UNIQUENESS, STOCKED_USAGES

# Record of the lines whose serial check passed in the current transaction, with what they held then
# (cursor cache, dropped at commit and rollback): a picking checks its lines before Odoo's checks and the
# backorder question, and _action_done skips the check for lines that have not changed since.
CHECKED_LINES_KEY = "serial_tracking.checked_lines"


class StockMoveLine(models.Model):
    # Bulk validations flush thousands of these rows with the same values (serial_uniform_write_mixin).
    _name = "stock.move.line"
    _inherit = ["stock.move.line", "serial.uniform.write.mixin"]

    # ------------------------------------------------------------------ classification

    def _serial_direction(self):
        """'in' (units enter stock), 'sale' (stock to a customer), 'out' (stock to anywhere else),
        'internal' (stock to stock) or 'other' (neither end in stock, e.g. a dropship)."""
        self.ensure_one()
        from_stock = self.location_id.usage in STOCKED_USAGES
        to_stock = self.location_dest_id.usage in STOCKED_USAGES
        if not from_stock:
            return "in" if to_stock else "other"
        if to_stock:
            return "internal"
        return "sale" if self.location_dest_id.usage == "customer" else "out"

    def _serial_name(self):
        return self.lot_id.name or self.lot_name or False

    def _serial_is_return(self):
        """A return (or an unbuild giving components back) may bring a shipped or consumed serial in."""
        move = self.move_id
        return bool(move.origin_returned_move_id or move.unbuild_id)

    def _serial_may_lack_serial(self):
        """Whether this line of a serial product may be done without a serial under the product's policy.

        Units enter without a serial only when the product does not require serials at receipt; they then
        wait in "Serials to allocate". Units that have no serial may leave stock (or move within it)
        without one, unless they go to a customer and the product requires serials at sale; whether
        enough such units are on hand is checked by _serial_check_done_lines.
        """
        self.ensure_one()
        product = self.product_id
        if product.lot_valuated:
            # stock_account values such products per serial: every unit needs one.
            return False
        direction = self._serial_direction()
        if direction == "in":
            return product.product_tmpl_id._serial_may_enter_without_serial()
        if direction == "sale":
            return not product.serial_required_on_sale
        return direction in ("out", "internal")

    # ------------------------------------------------------------------ server-side validation

    def _serial_lines_to_check(self):
        """The lines of serial products with a quantity (read by column: thousands in large operations)."""
        serial_products = set(self.product_id.filtered(lambda product: product.tracking == "serial").ids)
        rounding = {uom.id: uom.rounding for uom in self.product_uom_id}
        columns = zip(
            self._ids,
            *(column_values(self, name) for name in ("product_id", "quantity", "product_uom_id")),
            strict=True,
        )
        return self.browse(
            [
                line_id
                for line_id, product_id, quantity, uom_id in columns
                if product_id in serial_products and float_compare(quantity, 0, precision_rounding=rounding[uom_id]) > 0
            ]
        )

    def _serial_names(self):
        """{line id: the line's serial (_serial_name)}, lot names read once per lot."""
        lot_ids = column_values(self, "lot_id")
        lots = self.env["stock.lot"].browse({lot_id for lot_id in lot_ids if lot_id})
        lot_names = dict(zip(lots._ids, column_values(lots, "name"), strict=True))
        return {
            line_id: (lot_names[lot_id] if lot_id else False) or lot_name or False
            for line_id, lot_id, lot_name in zip(self._ids, lot_ids, column_values(self, "lot_name"), strict=True)
        }

    def _serial_incoming_ids(self):
        """Ids of the lines bringing units in (direction 'in'), returns excepted: _serial_direction and
        _serial_is_return asked once per pair of locations and per move."""
        directions, returns = {}, {}
        incoming = []
        columns = zip(
            self._ids,
            *(column_values(self, name) for name in ("location_id", "location_dest_id", "move_id")),
            strict=True,
        )
        for line_id, source, destination, move in columns:
            if (source, destination) not in directions:
                directions[source, destination] = self.browse(line_id)._serial_direction()
            if directions[source, destination] != "in":
                continue
            if move not in returns:
                returns[move] = self.browse(line_id)._serial_is_return()
            if not returns[move]:
                incoming.append(line_id)
        return incoming

    def _serial_check_done_lines(self):
        """Every serial rule broken by these lines (about to be done), in ONE UserError.

        Per product and operation: whole quantities, serial count = quantity, no serial twice, the
        product's pattern (units entering stock), required serials (receipt / sale policy), uniqueness in
        the product's scope and no new entry of a serial already on hand, shipped or consumed (except
        through a return).
        """
        lines = self._serial_lines_to_check()
        if not lines:
            return
        # Ids first, records per group after: adding lines one by one to a recordset is quadratic.
        groups = defaultdict(list)
        columns = zip(
            lines._ids, *(column_values(lines, name) for name in ("picking_id", "move_id", "product_id")), strict=True
        )
        for line_id, picking_id, move_id, product_id in columns:
            operation = ("picking", picking_id) if picking_id else ("move", move_id or line_id)
            groups[(operation, product_id)].append(line_id)

        sections = []
        for (_operation, product_id), group_ids in groups.items():
            group = lines.browse(group_ids)
            product = self.env["product.product"].browse(product_id)
            problems = group._serial_group_problems(product)
            if problems:
                reference = group[0].picking_id.name or group[0].reference or group[0].move_id.name or ""
                sections.append(
                    _(
                        "%(product)s (%(reference)s):\n%(problems)s",
                        product=product.display_name,
                        reference=reference,
                        problems=format_serial_list(self.env, problems),
                    )
                )
        if sections:
            raise UserError(_("The serial numbers cannot be accepted:\n\n%(sections)s", sections="\n\n".join(sections)))

    _SERIAL_CHECKED_FIELDS = (
        "product_id",
        "lot_id",
        "lot_name",
        "quantity",
        "product_uom_id",
        "location_id",
        "location_dest_id",
        "move_id",
        "picking_id",
        "company_id",
    )

    def _serial_check_states(self):
        """{line id: what the serial check of the line looked at}: any change makes a new check
        necessary. Read column by column (thousands of lines in a large validation)."""
        columns = [column_values(self, name) for name in self._SERIAL_CHECKED_FIELDS]
        return dict(zip(self._ids, zip(*columns, strict=True), strict=True))

    def _serial_checked_lines(self):
        """{line id: check state} of the lines that passed the serial check in this transaction."""
        cr = self.env.cr
        if CHECKED_LINES_KEY not in cr.cache:
            cr.cache[CHECKED_LINES_KEY] = {}
            forget = partial(cr.cache.pop, CHECKED_LINES_KEY, None)
            cr.postcommit.add(forget)
            cr.postrollback.add(forget)
        return cr.cache[CHECKED_LINES_KEY]

    def _serial_remember_checked(self):
        """Record that these lines passed the serial check as they are now (until commit or rollback)."""
        self._serial_checked_lines().update(self._serial_check_states())

    def _serial_forget_checked(self):
        """Whether every line of self passed the serial check in this transaction and is unchanged since;
        the record of these lines is dropped either way."""
        checked = self._serial_checked_lines()
        unchanged = all(checked.get(line_id) == state for line_id, state in self._serial_check_states().items())
        for line_id in self.ids:
            checked.pop(line_id, None)
        return unchanged

    def _serial_group_problems(self, product):
        """Problems (texts) of the lines of one product in one operation."""
        product = product.with_company(self[0].company_id)
        rounding = product.uom_id.rounding
        serial_names = self._serial_names()
        with_serial = self.browse([line_id for line_id in self._ids if serial_names[line_id]])
        without_serial = self - with_serial
        lacking_allowed = without_serial.filtered(lambda line: line._serial_may_lack_serial())
        lacking_refused = without_serial - lacking_allowed
        problems = []

        quantities = dict(zip(self._ids, column_values(self, "quantity_product_uom"), strict=True))
        if any(not float_is_zero(q - round(q), precision_rounding=rounding) for q in quantities.values()):
            problems.append(_("serial-tracked quantities must be whole numbers (one unit per serial)"))

        # The quantity the entered serials must cover: units that may go without a serial are not counted.
        required = sum(quantities[line_id] for line_id in with_serial._ids) + sum(
            quantities[line_id] for line_id in lacking_refused._ids
        )
        if float_is_zero(required - round(required), precision_rounding=rounding):
            required = int(round(required))
        serials = [serial_names[line_id] for line_id in with_serial._ids]
        # The pattern binds only units entering stock (returns excepted): serials already in stock keep
        # the name they came in with.
        incoming = self.browse(with_serial._serial_incoming_ids())
        incoming_names = {serial_names[line_id] for line_id in incoming._ids}
        for problem in product._serial_problems(serials, required):
            if problem.kind == "fractional_quantity":
                continue  # reported above, per line
            if problem.kind == "pattern" and problem.serial not in incoming_names:
                continue
            problems.append(problem.message)

        if lacking_refused:
            units = format_units(sum(lacking_refused.mapped("quantity_product_uom")))
            directions = set(lacking_refused.mapped(lambda line: line._serial_direction()))
            if product.lot_valuated:
                problems.append(
                    _(
                        "%(units)s unit(s) have no serial number; the product is valued per serial, so "
                        "every unit needs one",
                        units=units,
                    )
                )
            elif "in" in directions:
                problems.append(_("serial numbers are required at receipt: %(units)s unit(s) have none", units=units))
            elif "sale" in directions:
                problems.append(_("serial numbers are required at sale: %(units)s unit(s) have none", units=units))
            else:
                problems.append(_("%(units)s unit(s) have no serial number", units=units))

        if incoming:
            names = [serial_names[line_id] for line_id in incoming._ids]
            company = self[0].company_id
            conflicts = product._serial_conflicts(names, company=company)
            if conflicts:
                problems.append(
                    _(
                        "already used (on hand, shipped, consumed or taken in the uniqueness scope '%(scope)s'): "
                        "%(serials)s",
                        scope=dict(SERIAL_UNIQUENESS)[product.serial_uniqueness],
                        serials=", ".join(conflicts),
                    )
                )

        leaving = lacking_allowed.filtered(lambda line: line._serial_direction() != "in")
        problems += leaving._serial_unserialized_shortfalls()
        return problems

    def _serial_unserialized_shortfalls(self):
        """Lines taking units without a serial out of a location need that many units without a serial."""
        if not self:
            return []
        problems = []
        needed = defaultdict(float)
        for line in self:
            needed[line.location_id] += line.quantity_product_uom
        product = self.product_id
        # One query for all source locations: a picking may take units from hundreds of bins.
        on_hand = dict(
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "=", product.id),
                    ("location_id", "in", [loc.id for loc in needed]),
                    ("lot_id", "=", False),
                ],
                ["location_id"],
                ["quantity:sum"],
            )
        )
        for location, quantity in needed.items():
            available = on_hand.get(location, 0.0)
            if float_compare(available, quantity, precision_rounding=product.uom_id.rounding) < 0:
                problems.append(
                    _(
                        "%(needed)s unit(s) without serial number taken from %(location)s, which holds %(available)s "
                        "such unit(s): choose serial numbers",
                        needed=format_units(quantity),
                        location=location.display_name,
                        available=format_units(available),
                    )
                )
        return problems

    # ------------------------------------------------------------------ done

    def _serial_lines_done_without_serial(self):
        """Lines the policy lets through without a serial that Odoo's own _action_done would refuse
        ("You need to supply a Lot/Serial Number"): those of a type using lots, or of no type at all."""
        lines = self._serial_lines_to_check()
        serial_names = lines._serial_names()
        return lines.browse([line_id for line_id in lines._ids if not serial_names[line_id]]).filtered(
            lambda line: not line.is_inventory
            and line._serial_may_lack_serial()
            and (
                not line.move_id.picking_type_id
                or line.move_id.picking_type_id.use_create_lots
                or line.move_id.picking_type_id.use_existing_lots
            )
        )

    def _action_done(self):
        # One hook for pickings, inventory adjustments and plain moves: all of them end here. A picking's
        # lines were checked by its _sanity_check moments ago: once per validation is enough.
        self._serial_lots_named().filtered("serial_blocked")._serial_check_not_blocked()
        if not self._serial_lines_to_check()._serial_forget_checked():
            self._serial_check_done_lines()
        # Odoo 18.0 refuses every tracked line without a lot under a type that uses lots, in a check
        # written inline in _action_done before its quant loop (no method to override, nothing in the
        # context to exempt a line). So Odoo moves the other lines, and the lines our policy accepts
        # without a serial go through the same per-line steps right after (see below).
        without_serial = self._serial_lines_done_without_serial()
        with_serial = self - without_serial
        # Large serial operations: lots and quants in batches (tools/bulk.py), the rest by Odoo.
        bulk = bulk_candidates(with_serial)
        if bulk:
            assign_new_lots(bulk)
            bulk = move_quants(bulk)
        if bulk and bulk == with_serial:
            with_serial = with_serial.with_context(**{QUANTS_MOVED_CONTEXT_KEY: True})
        try:
            if bulk and bulk == with_serial and finish_moved_lines(bulk):
                result = None  # what Odoo's _action_done returns
            else:
                result = super(StockMoveLine, with_serial)._action_done()
        finally:
            self.env.cr.cache.get(BULK_SYNCED_KEY, set()).difference_update(bulk.ids)
        without_serial._serial_action_done_without_serial(done_before=with_serial)
        search_index.notify_worker(self.env)  # the serial search index follows the lines done
        return result

    def _check_company(self, fnames=None):
        # The lines of a bulk operation: the same checks, each link checked once (tools/bulk.py);
        # Odoo's own check runs when one fails, for its message.
        bulk_ids = self.env.cr.cache.get(BULK_SYNCED_KEY)
        if bulk_ids and len(self) > 1 and bulk_ids.issuperset(self.ids) and company_links_consistent(self, fnames):
            return None
        return super()._check_company(fnames)

    def _synchronize_quant(self, quantity, location, action="available", in_date=False, **quants_value):
        if self.id in self.env.cr.cache.get(BULK_SYNCED_KEY, ()):
            return 0, False  # moved already, with the batch (tools/bulk.py)
        return super()._synchronize_quant(quantity, location, action=action, in_date=in_date, **quants_value)

    def _serial_action_done_without_serial(self, done_before=None):
        """Move the quants of lines done without a serial with the steps of Odoo 18.0's quant loop in
        stock.move.line._action_done, in its order: release the line's reservation at the source, take
        the units there (from the line's package and owner), put them at the destination (result
        package) with their in-date, and when the source went below what is reserved there, free other
        lines' reservations (_free_reservation), never those of lines just done (``done_before``).
        tests/test_done_without_serial.py compares the result with an untracked product's, field by field."""
        if not self:
            return
        self._check_company()
        quants_cache = self.env["stock.quant"]._get_quants_by_products_locations(
            self.product_id, self.location_id | self.location_dest_id, extra_domain=[("lot_id", "=", False)]
        )
        ml_ids_to_ignore = OrderedSet(done_before.ids if done_before else [])
        for line in self.with_context(quants_cache=quants_cache):
            quantity = line.quantity_product_uom
            line._synchronize_quant(-quantity, line.location_id, action="reserved")
            available_qty, in_date = line._synchronize_quant(-quantity, line.location_id)
            line._synchronize_quant(quantity, line.location_dest_id, package=line.result_package_id, in_date=in_date)
            if available_qty < 0:
                line._free_reservation(
                    line.product_id,
                    line.location_id,
                    abs(available_qty),
                    lot_id=line.lot_id,
                    package_id=line.package_id,
                    owner_id=line.owner_id,
                    ml_ids_to_ignore=ml_ids_to_ignore,
                )
            ml_ids_to_ignore.add(line.id)
        self.write({"date": fields.Datetime.now()})

    # ------------------------------------------------------------------ blocked serials

    @api.model_create_multi
    def create(self, vals_list):
        # Reserving or choosing a blocked serial on any operation is refused here, before Odoo reserves it.
        self.env["stock.lot"].browse(
            {vals["lot_id"] for vals in vals_list if vals.get("lot_id")}
        )._serial_check_not_blocked()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("lot_id"):
            self.env["stock.lot"].browse(vals["lot_id"])._serial_check_not_blocked()
        return super().write(vals)

    def _serial_lots_named(self):
        """The lots of these lines: set as lot_id, or blocked lots a typed lot_name will resolve to."""
        lots = self.lot_id
        typed = {
            line_id: lot_name
            for line_id, lot_id, lot_name in zip(
                self._ids, column_values(self, "lot_id"), column_values(self, "lot_name"), strict=True
            )
            if not lot_id and lot_name
        }
        if typed:
            lots |= self.env["stock.lot"].search(
                [
                    ("name", "in", list(dict.fromkeys(typed.values()))),
                    ("product_id", "in", self.browse(list(typed)).product_id.ids),
                    ("serial_blocked", "=", True),
                ]
            )
        return lots
