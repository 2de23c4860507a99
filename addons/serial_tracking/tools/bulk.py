"""The bulk path of large serial validations: Odoo's per-line lot and quant work, batched.

Odoo 18's stock.move.line._action_done creates each new lot's link with one write per line and moves
quants one line at a time (stock.quant._update_available_quantity: one create or write per serial and
location, each running the serial-quantity constraint with its own query). For thousands of serial
lines that is nearly all of the validation time. Here the same updates are worked out in memory, in
the order Odoo would apply them and with its rules (which quant it picks, in_date, reservation), and
written in a few batched ORM calls; Odoo's _action_done then runs as usual and skips the quant moves
of these lines (see stock.move.line._synchronize_quant). Whenever Odoo would do more than plain
moves (a negative quant compensated from untracked stock, a reservation freed elsewhere, two quants it
could pick between), the bulk path steps aside and Odoo's own loop moves every line.
"""

from collections import defaultdict
from contextlib import contextmanager

from odoo import fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare, float_round, split_every

# Transaction-local store (cursor cache): ids of the lines whose quants the bulk path has moved.
BULK_SYNCED_KEY = "serial_tracking.bulk_synced_lines"
WRITE_CHUNK = 1000  # quants per write
# Transaction-local store (cursor cache): (product, location, lot, package, owner) ids of the quants the
# bulk reservation has reserved already (stock.quant._update_reserved_quantity skips them once).
BULK_RESERVED_KEY = "serial_tracking.bulk_reserved_quants"


def column_values(records, field_name):
    """The values of the stored field ``field_name`` of ``records``, in their order, as the ORM's cache
    holds them (an id or None for a many2one), for loops over thousands of records: one pass over the
    cache instead of one field access (and one record built) per record. Pending computations of the
    field are done first and missing values fetched, as a field access would."""
    field = records._fields[field_name]
    assert field.store and field.column_type, field_name
    if field.compute:
        records._recompute_recordset([field_name])
    cache = records.env.cache
    values = cache.get_until_miss(records, field)
    if len(values) < len(records):
        records.fetch([field_name])
        values = cache.get_until_miss(records, field)
    return values


class NotBulkable(Exception):
    """The batch needs one of Odoo's special cases: Odoo's own per-line path handles it."""


# Context key: every line of the _action_done under way had its quants moved with its batch (stock.quant's
# _get_quants_by_products_locations then has nothing to look up for Odoo's quant loop).
QUANTS_MOVED_CONTEXT_KEY = "serial_quants_moved"

# Context key: the lines are a bulk operation whatever their number (a serial job's chunk: its last
# one may be smaller than the threshold).
BULK_CONTEXT_KEY = "serial_bulk"


def bulk_candidates(lines):
    """The serial lines of ``lines`` the bulk path may move, when there are more than the company's
    threshold (or the context says BULK_CONTEXT_KEY): storable serial products, one unit per line, a
    serial given."""
    products = {product.id: product for product in lines.product_id}
    serial_rounding = {
        product_id: product.uom_id.rounding
        for product_id, product in products.items()
        if product.tracking == "serial" and product.is_storable
    }
    columns = zip(
        lines._ids,
        *(column_values(lines, name) for name in ("product_id", "lot_id", "lot_name", "quantity_product_uom")),
        strict=True,
    )
    lines = lines.browse(
        [
            line_id
            for line_id, product_id, lot_id, lot_name, quantity in columns
            if product_id in serial_rounding
            and (lot_id or lot_name)
            and float_compare(quantity, 1, precision_rounding=serial_rounding[product_id]) == 0
        ]
    )
    if not lines or lines.env.context.get(BULK_CONTEXT_KEY):
        return lines
    threshold = min(lines.company_id.mapped("serial_bulk_threshold") or [lines.env.company.serial_bulk_threshold])
    return lines if len(lines) > threshold else lines.browse()


def _bypassing_reservation(lines):
    """{line id: whether the line's move bypasses reservation at the line's source}, asked once per
    move and source."""
    answers = {}
    moves, locations = lines.env["stock.move"], lines.env["stock.location"]
    by_line = {}
    for line_id, move_id, location_id in zip(
        lines._ids, column_values(lines, "move_id"), column_values(lines, "location_id"), strict=True
    ):
        if (move_id, location_id) not in answers:
            answers[move_id, location_id] = moves.browse(move_id)._should_bypass_reservation(
                locations.browse(location_id)
            )
        by_line[line_id] = answers[move_id, location_id]
    return by_line


def assign_new_lots(lines):
    """Lots for the lines that Odoo's _action_done would give a new or existing lot by name
    (types creating lots, a lot name, no lot yet): one search and one create per product and company,
    as Odoo does, and the links written in one statement instead of one write per line."""
    env = lines.env
    moves = env["stock.move"]
    creating = {}  # move id -> whether its type creates lots
    groups = defaultdict(list)  # (product id, company id) -> [(line id, lot name)]
    for line_id, lot_id, lot_name, move_id, product_id, company_id in zip(
        lines._ids,
        *(column_values(lines, name) for name in ("lot_id", "lot_name", "move_id", "product_id", "company_id")),
        strict=True,
    ):
        if lot_id or not lot_name:
            continue
        if move_id not in creating:
            creating[move_id] = bool(moves.browse(move_id).picking_type_id.use_create_lots)
        if creating[move_id]:
            groups[product_id, company_id].append((line_id, lot_name))
    # stock's _prepare_new_lot_vals is the line's lot name and product: built here from the columns
    # unless another module overrides it.
    plain_vals = not _method_overrides(env["stock.move.line"], "_prepare_new_lot_vals") - {"stock"}
    lot_by_line = {}
    create_vals, create_lines = [], []
    destinations = _foreseen_locations(lines)
    for (product_id, company_id), group in groups.items():
        existing = env["stock.lot"].search(
            [
                "|",
                ("company_id", "=", False),
                ("company_id", "=", company_id or False),
                ("product_id", "=", product_id),
                ("name", "in", [lot_name for _line_id, lot_name in group]),
            ]
        )
        by_name = {lot.name: lot.id for lot in existing}
        for line_id, lot_name in group:
            if lot_name in by_name:
                lot_by_line[line_id] = by_name[lot_name]
            else:
                create_vals.append(
                    {"name": lot_name, "product_id": product_id}
                    if plain_vals
                    else env["stock.move.line"].browse(line_id)._prepare_new_lot_vals()
                )
                create_lines.append(line_id)
    if create_vals:
        lots = create_lots(
            env["stock.lot"],
            create_vals,
            presets={"location_id": [destinations.get(line_id) for line_id in create_lines]},
        )
        lot_by_line.update(zip(create_lines, lots.ids, strict=True))
    if not lot_by_line:
        return
    # Odoo's write of lot_id on such a line only moves its reservation, which these lines do not have
    # (their source bypasses reservation; the others are written through the ORM). One UPDATE, then
    # the cache and every stored field depending on lot_id are told, as a write would.
    linked = env["stock.move.line"].browse(list(lot_by_line))
    bypassing = _bypassing_reservation(linked)
    for line in linked.browse([line_id for line_id in lot_by_line if not bypassing[line_id]]):
        line.lot_id = lot_by_line.pop(line.id)
    if lot_by_line:
        write_per_record(env["stock.move.line"].browse(list(lot_by_line)), "lot_id", list(lot_by_line.values()))


def _foreseen_locations(lines):
    """{line id: the location the line's new lot will be in}: its destination, where the line puts
    the lot's one unit (a new lot has no other stock), unless the line goes nowhere else."""
    return {
        line_id: destination
        for line_id, source, destination in zip(
            lines._ids, column_values(lines, "location_id"), column_values(lines, "location_dest_id"), strict=True
        )
        if destination != source
    }


def write_per_record(records, field_name, values):
    """Writes values[i] into field_name of records[i] as the ORM's write does, for a stored field
    whose write has no side effect beyond the column (callers make sure), in one cache update instead
    of one write per record: the values (and the write stamps) wait in the cache for the next flush of
    the records, which writes them with the records' other pending values in one pass over the rows;
    every stored field depending on the field is told, as the ORM's write tells it."""
    env = records.env
    field = records._fields[field_name]
    if field.relational:
        records.modified([field_name], before=True)
    cache = env.cache
    cache.update(records, field, [field.convert_to_cache(value, records) for value in values], dirty=True)
    if records._log_access:
        cache.update(records, records._fields["write_uid"], [env.uid] * len(records), dirty=True)
        cache.update(records, records._fields["write_date"], [env.cr.now()] * len(records), dirty=True)
    for inverse in records.pool.field_inverses[field]:
        env[inverse.model_name].invalidate_model([inverse.name])
    records.modified([field_name])


# The columns of a quant the bulk path reads: its place, then its quantities and in-date.
QUANT_COLUMNS = (
    "product_id",
    "location_id",
    "lot_id",
    "package_id",
    "owner_id",
    "quantity",
    "reserved_quantity",
    "in_date",
)


class QuantMoves:
    """Odoo's stock.quant._update_available_quantity, replayed in memory for a batch of lines.

    Records are handled by id (read column by column): a batch holds thousands of lines."""

    LINE_COLUMNS = (
        "move_id",
        "product_id",
        "location_id",
        "location_dest_id",
        "lot_id",
        "package_id",
        "result_package_id",
        "owner_id",
        "quantity_product_uom",
    )

    def __init__(self, lines):
        self.env = lines.env
        self.now = fields.Datetime.now()
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "in", lines.product_id.ids),
                    ("location_id", "in", (lines.location_id | lines.location_dest_id).ids),
                    "|",
                    ("lot_id", "in", lines.lot_id.ids),
                    ("lot_id", "=", False),
                ]
            )
        )
        self.rounding = {product.id: product.uom_id.rounding for product in lines.product_id | quants.product_id}
        self.bypassing = {}  # location id -> whether it bypasses reservation
        self.states = defaultdict(list)  # (product, location, lot, package, owner) ids -> quant states
        columns = zip(quants._ids, *(column_values(quants, name) for name in QUANT_COLUMNS), strict=True)
        for quant_id, product, location, lot, package, owner, quantity, reserved, in_date in columns:
            self.states[self._key(product, location, lot, package, owner)].append(
                {
                    "quant": quant_id,
                    "lot": lot or False,
                    "quantity": quantity,
                    "reserved": reserved,
                    "in_date": in_date,
                    "original": (quantity, reserved, in_date),
                }
            )

    @staticmethod
    def _key(product, location, lot, package, owner):
        """The key of a quant from the ids (or None) of its product, location, lot, package, owner."""
        return product, location, lot or False, package or False, owner or False

    def bypasses_reservation(self, location_id):
        if location_id not in self.bypassing:
            self.bypassing[location_id] = self.env["stock.location"].browse(location_id).should_bypass_reservation()
        return self.bypassing[location_id]

    def update(self, product, location, lot, package, owner, quantity=0.0, reserved=0.0, in_date=None):
        """What _update_available_quantity(strict) does, on ids: returns (available, in_date)."""
        rounding = self.rounding[product]
        own = self.states[self._key(product, location, lot, package, owner)]
        untracked = self.states[self._key(product, location, False, package, owner)] if lot else []
        gathered = own + untracked
        if lot and quantity > 0:
            gathered = own
        incoming = (
            []
            if self.bypasses_reservation(location)
            else [
                state["in_date"]
                for state in gathered
                if state["in_date"] and float_compare(state["quantity"], 0, precision_rounding=rounding) > 0
            ]
        )
        if in_date:
            incoming.append(in_date)
        in_date = min(incoming) if incoming else self.now
        # Odoo takes the first by lot_id: the serial's quant, else an untracked one. A tie is its
        # database's pick, which we cannot foresee.
        candidates = [state for state in gathered if state["lot"]] or gathered
        if len(candidates) > 1:
            raise NotBulkable()
        if candidates:
            state = candidates[0]
        else:
            state = {
                "quant": None,
                "lot": lot or False,
                "quantity": 0.0,
                "reserved": 0.0,
                "in_date": None,
                "vals": {
                    "product_id": product,
                    "location_id": location,
                    "lot_id": lot or False,
                    "package_id": package or False,
                    "owner_id": owner or False,
                },
            }
            own.append(state)
        state["in_date"] = in_date
        state["quantity"] += quantity
        state["reserved"] += reserved
        counted = own if lot else gathered
        return sum(state["quantity"] - state["reserved"] for state in counted), in_date

    def untracked_available(self, product, location, package, owner):
        untracked = self.states[self._key(product, location, False, package, owner)]
        available = sum(state["quantity"] - state["reserved"] for state in untracked)
        return max(available, 0.0)

    def move_lines(self, lines):
        """The three quant updates of each line in Odoo's _action_done (reservation at the source,
        units out of the source, units into the destination), in the lines' order."""
        moves = lines.env["stock.move"]
        bypass = {}  # (move id, location id) -> move._should_bypass_reservation(location)
        columns = zip(*(column_values(lines, name) for name in self.LINE_COLUMNS), strict=True)
        for move, product, source, destination, lot, package, result_package, owner, quantity in columns:
            if (move, source) not in bypass:
                bypass[move, source] = moves.browse(move)._should_bypass_reservation(
                    lines.env["stock.location"].browse(source)
                )
            if not bypass[move, source]:
                self.update(product, source, lot, package, owner, reserved=-quantity)
            available, in_date = self.update(product, source, lot, package, owner, quantity=-quantity)
            if available < 0:
                # Odoo would take units from untracked stock, or free other operations' reservations.
                if self.untracked_available(product, source, package, owner) > 0:
                    raise NotBulkable()
                if not bypass[move, source]:
                    raise NotBulkable()
            available, _in_date = self.update(
                product, destination, lot, result_package, owner, quantity=quantity, in_date=in_date
            )
            if available < 0 and self.untracked_available(product, destination, result_package, owner) > 0:
                raise NotBulkable()

    def apply(self):
        """New quants in one create; changed ones in one write per set of new values."""
        create_vals = []
        writes = defaultdict(list)
        for states in self.states.values():
            for state in states:
                if state["quant"] is None:
                    create_vals.append(
                        dict(
                            state["vals"],
                            quantity=state["quantity"],
                            reserved_quantity=state["reserved"],
                            in_date=state["in_date"],
                        )
                    )
                    continue
                vals = {}
                quantity, reserved, in_date = state["original"]
                if state["quantity"] != quantity:
                    vals["quantity"] = state["quantity"]
                if state["reserved"] != reserved:
                    vals["reserved_quantity"] = state["reserved"]
                if state["in_date"] != in_date:
                    vals["in_date"] = state["in_date"]
                if vals:
                    writes[tuple(sorted(vals.items()))].append(state["quant"])
        quant_model = self.env["stock.quant"].sudo()
        # New quants first: the lots' location, computed from their quants, is then computed once for
        # the new and the changed quants together (after the changes only, it is computed twice).
        if create_vals:
            self.check_new_serial_quantities()
            create_quants(quant_model, create_vals, checked=True)
        for vals, quant_ids in writes.items():
            # stock's serial constraint on a write queries one OR term per quant: chunks keep the
            # statement within what PostgreSQL parses (10,000 terms exhaust its parser).
            for chunk in split_every(WRITE_CHUNK, quant_ids):
                quant_model.browse(chunk).write(dict(vals))
        self.locate_lots()

    def locate_lots(self):
        """stock.lot's location (stock's _compute_single_location: the one location where the lot has
        units, else none) of the lots whose every quant the plan holds (a new lot's), worked out from the
        plan and assigned as the computation assigns it (written only where it changes), instead of
        each lot's quants read back. Lots whose location is not in the cache (a changed value could not
        be told), with quants elsewhere, or a module computing the location otherwise: left to the ORM."""
        lot_model = self.env["stock.lot"]
        field = lot_model._fields["location_id"]
        if field.compute != "_compute_single_location" or _method_overrides(lot_model, field.compute) != {"stock"}:
            return
        held = defaultdict(int)  # lot id -> quants in the plan
        stocked = defaultdict(set)  # lot id -> locations where the plan gives it units
        for (product, location, lot, _package, _owner), states in self.states.items():
            if not lot:
                continue
            for state in states:
                held[lot] += 1
                if float_compare(state["quantity"], 0, precision_rounding=self.rounding[product]) > 0:
                    stocked[lot].add(location)
        missing = set(self.env.cache.get_missing_ids(lot_model.browse(held), field))
        candidates = [lot_id for lot_id in held if lot_id not in missing]
        if not candidates:
            return
        self.env.cr.execute(
            SQL("SELECT lot_id, COUNT(*) FROM stock_quant WHERE lot_id = ANY(%s) GROUP BY lot_id", candidates)
        )
        lots_by_location = defaultdict(list)
        for lot_id, count in self.env.cr.fetchall():
            if count == held[lot_id]:
                locations = stocked[lot_id]
                lots_by_location[next(iter(locations)) if len(locations) == 1 else False].append(lot_id)
        located = lot_model.browse([lot_id for lot_ids in lots_by_location.values() for lot_id in lot_ids])
        with self.env.protecting([field], located):
            for location_id, lot_ids in lots_by_location.items():
                lot_model.browse(lot_ids).location_id = location_id

    def check_new_serial_quantities(self):
        """stock.quant's check_quantity on the quants apply() creates (a serial at most once per
        location, whatever its package and owner), from the states: they hold every quant of these
        products, locations and lots, read at the start and moved since."""
        totals = defaultdict(float)  # (product, location, lot) -> quantity
        created = set()
        for (product, location, lot, _package, _owner), states in self.states.items():
            if not lot:
                continue
            for state in states:
                totals[product, location, lot] += state["quantity"]
                if state["quant"] is None:
                    created.add((product, location, lot))
        products, locations = self.env["product.product"], self.env["stock.location"]
        for product_id, location_id, lot_id in created:
            product = products.browse(product_id)
            if (
                product.tracking == "serial"
                and locations.browse(location_id).usage != "inventory"
                and float_compare(
                    abs(totals[product_id, location_id, lot_id]), 1, precision_rounding=self.rounding[product_id]
                )
                > 0
            ):
                raise_serial_assigned(product, self.env["stock.lot"].browse(lot_id))


def raise_serial_assigned(product, lot):
    """stock.quant's check_quantity's error."""
    raise ValidationError(
        product.env._(
            "The serial number has already been assigned: \n Product: %(product)s, Serial Number: %(serial_number)s",
            product=product.display_name,
            serial_number=lot.name,
        )
    )


def create_quants(quant_model, vals_list, checked=False):
    """stock.quant's create outside inventory mode, for many quants at once.

    stock's create override handles the inventory mode; outside it, it creates the given quants one
    call each (an INSERT and a serial-quantity constraint query per quant: over a millisecond of
    ORM work each). When no other module overrides stock.quant's create and no stored field of a
    quant depends on its lot, quants differing only by lot are one ORM-created quant and SQL copies
    of its row with another lot_id (dependent fields told as the ORM's create does), and the serial
    constraint is checked once for all (by the caller when ``checked``: QuantMoves knows every quant of
    these lots). Otherwise every record goes through every override.
    """
    if quant_model._is_inventory_mode() or _create_overrides(quant_model) - {"stock"}:
        return quant_model.create(vals_list)
    if _fields_depending_on(quant_model, "lot_id"):
        return models.BaseModel.create(quant_model, vals_list)
    lots_by_rest = defaultdict(list)
    for vals in vals_list:
        lots_by_rest[tuple(sorted((key, value) for key, value in vals.items() if key != "lot_id"))].append(
            vals.get("lot_id")
        )
    quant_ids = []
    for rest, lot_ids in lots_by_rest.items():
        prototype = models.BaseModel.create(quant_model, [dict(rest, lot_id=lot_ids[0])])
        quant_ids += prototype.ids + copy_row(prototype, "lot_id", lot_ids[1:])
    quants = quant_model.browse(quant_ids)
    if not checked:
        check_serial_quantities(quants)
    return quants


# Modules whose stock.lot create create_lots knows: stock (a check of the context, made here too),
# stock_account (the cost of a valued product's lots: the product's, the same for each lot) and this
# addon (unique guard, search index and audit log, run here for the copies too).
KNOWN_LOT_CREATE = {"stock", "stock_account", "serial_tracking"}


@contextmanager
def names_matched_exactly(cr):
    """Keeps PostgreSQL from answering the statements run inside (stock.lot's unique-lot constraint,
    a search by name) for thousands of serial names at once through the names' trigram index: an
    equality on each name there walks the entries of all the lots sharing its trigrams, which serials
    numbered alike all do (95 s for one constraint check of 5,000 names among 100,000 lots, where
    reading the product's lots takes 0.05 s). A GIN index is only read through bitmap scans: those are
    off inside. On an error the setting stays until the transaction or savepoint is rolled back."""
    cr.execute("SELECT current_setting('enable_bitmapscan')")
    previous = cr.fetchone()[0]
    cr.execute("SET LOCAL enable_bitmapscan = off")
    yield
    cr.execute(SQL("SELECT set_config('enable_bitmapscan', %s, true)", previous))


def create_lots(lot_model, vals_list, presets=None):
    """stock.lot's create for many lots at once; returns the lots in the order of ``vals_list``.

    An ORM create costs a few milliseconds per lot (defaults, company check, stored computes, the
    unique-lot constraint's grouped query run again as computes land). When the only overrides of
    stock.lot's create are those of KNOWN_LOT_CREATE and the chatter is off (tracking_disable, as in
    the serial jobs: mail.thread's create then only creates), lots whose values differ only by name are
    one ORM-created lot and SQL copies of its row under the other names (copy_row). The stored fields
    computed from the name (the addon's uniqueness key) are computed by the ORM for the copies, and the
    constraints on the given fields run on all of them (Odoo's unique lot, the addon's scope, any other
    module's). Bypassed for the copies: only the create overrides listed, whose effect is reproduced.
    Otherwise every lot goes through every override.

    ``presets`` ({field name: [value or None per vals]}): stored computed fields whose value the caller
    foresees once the lots are used (the location a new lot will be in): the copies are inserted with
    it, so that when the ORM computes the field and finds the same value it writes nothing (one pass
    over the rows less); a wrong guess only costs that pass.
    """
    plain = (
        lot_model.env.context.get("tracking_disable")
        and not _create_overrides(lot_model) - KNOWN_LOT_CREATE
        and all(vals.get("name") and isinstance(vals["name"], str) for vals in vals_list)
    )
    indexes_by_rest = defaultdict(list)
    try:
        for index, vals in enumerate(vals_list):
            indexes_by_rest[tuple(sorted((key, value) for key, value in vals.items() if key != "name"))].append(index)
    except TypeError:  # values that are not plain (commands, lists): the ORM's job
        plain = False
    if not plain or len(vals_list) < 2:
        with names_matched_exactly(lot_model.env.cr):
            return lot_model.create(vals_list)
    lot_model._check_create()
    ids = [None] * len(vals_list)
    for rest, indexes in indexes_by_rest.items():
        prototype = lot_model.create([vals_list[indexes[0]]])
        copied = indexes[1:]
        names = [vals_list[index]["name"] for index in copied]
        with lot_model._serial_unique_guard():
            copy_ids = _insert_copies(
                prototype,
                "name",
                names,
                _unique_keys_of_copies(prototype, names),
                {name: [values[index] for index in copied] for name, values in (presets or {}).items()},
            )
            copies = lot_model.browse(copy_ids)
            with names_matched_exactly(lot_model.env.cr):
                copies._validate_fields(set(dict(rest)) | {"name"})
            copies.flush_recordset()
        copies._serial_after_create()
        for index, lot_id in zip(indexes, prototype.ids + copy_ids, strict=True):
            ids[index] = lot_id
    return lot_model.browse(ids)


def _unique_keys_of_copies(prototype, names):
    """{"serial_unique_key": keys} of the copies of the lot ``prototype`` named ``names``: the addon's
    key is the name after a prefix made of the product and company, which the copies share (an empty
    dict, i.e. keys computed by the ORM, when the prototype's key does not read so)."""
    field = prototype._fields.get("serial_unique_key")
    if field not in _fields_depending_on(prototype, "name") or _method_overrides(prototype, field.compute) != {
        "serial_tracking"
    }:
        return {}
    key, name = prototype.serial_unique_key, prototype.name
    if not key:
        return {field.name: [None] * len(names)}
    if not key.endswith(name):
        return {}
    prefix = key[: len(key) - len(name)]
    return {field.name: [prefix + copy_name for copy_name in names]}


def _create_overrides(model):
    """Modules whose classes of ``model`` override its create."""
    return _method_overrides(model, "create")


def _method_overrides(model, method_name):
    """Modules whose classes of ``model`` define (or override) the method ``method_name``."""
    return {
        cls._module
        for cls in type(model).__mro__
        if method_name in vars(cls) and getattr(cls, "_name", None) == model._name and getattr(cls, "_module", None)
    }


def _fields_depending_on(model, field_name):
    """The stored computed fields of ``model`` depending on ``field_name`` of the same record, directly
    or through other such fields."""
    names, found = {field_name}, []
    while True:
        more = [
            field
            for field in model._fields.values()
            if field.store
            and (field.compute or field.related)
            and field.name not in names
            and any(path.split(".")[0] in names for path in model.pool.field_depends[field])
        ]
        if not more:
            return found
        found += more
        names.update(field.name for field in more)


def copy_row(record, field_name, values, presets=None):
    """Inserts copies of ``record``'s row with ``field_name`` set to each of ``values``; returns their ids.

    Every stored column is the record's (same transaction: same stamps), except the stored fields
    computed from ``field_name``: left empty, computed by the ORM; and those of ``presets`` ({field
    name: values}, see _insert_copies). The record is flushed first, so the other stored computed
    fields of the copies hold what the ORM computes for the record from the same values (the copies
    are new: no other record points to them yet). The ORM is then told about the new records as its
    create tells it."""
    return _insert_copies(record, field_name, values, presets=presets)


def _insert_copies(record, field_name, values, computed=None, presets=None):
    """copy_row, with ``computed`` ({field name: values}) giving the copies' values of stored fields
    computed from ``field_name`` that the caller worked out as the ORM computes them: inserted with the
    row instead of computed and written afterwards (one UPDATE pass less); and ``presets`` ({field
    name: values, None for the record's}) the values of other stored computed fields that the ORM will
    compute for the copies later on (see create_lots): inserted and held in the cache as the copies'."""
    if not values:
        return []
    computed = computed or {}
    presets = {name: column for name, column in (presets or {}).items() if any(value is not None for value in column)}
    model = record.browse()
    env = record.env
    # The row copied must hold what the ORM holds for the record. Other records' pending values stay
    # pending: they go out with their records' next flush.
    record.flush_recordset()
    recomputed = {field.name for field in _fields_depending_on(model, field_name)}
    columns = [
        name
        for name, field in model._fields.items()
        if field.store
        and field.column_type
        and name not in ("id", field_name)
        and name not in recomputed
        and name not in presets
    ]
    given = [name for name in computed if name in recomputed]
    inserted = {name: computed[name] for name in given}
    for name, column in presets.items():
        original = record[name]
        original = (original.id or None) if isinstance(original, models.BaseModel) else original
        inserted[name] = [original if value is None else value for value in column]
    env.cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s "
            "FROM %s AS src, unnest(%s) WITH ORDINALITY AS new(%s) "
            "WHERE src.id = %s ORDER BY new.ordinality RETURNING id",
            SQL.identifier(model._table),
            SQL(", ").join(SQL.identifier(name) for name in [*columns, field_name, *inserted]),
            SQL(", ").join(
                [
                    *(SQL.identifier("src", name) for name in columns),
                    SQL("new.value"),
                    *(SQL.identifier("new", name) for name in inserted),
                ]
            ),
            SQL.identifier(model._table),
            SQL(", ").join(
                SQL("%s::%s[]", list(column), SQL(model._fields[name].column_type[1]))
                for name, column in [(field_name, values), *inserted.items()]
            ),
            SQL(", ").join(SQL.identifier(name) for name in ["value", *inserted, "ordinality"]),
            record.id,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    copies = model.browse(ids)
    for name in presets:
        field = model._fields[name]
        env.cache.update(copies, field, [field.convert_to_cache(value, copies) for value in inserted[name]])
    for field in model._fields.values():
        if field.type == "many2one":
            for inverse in model.pool.field_inverses[field]:
                env[inverse.model_name].invalidate_model([inverse.name])
    # Only the fields computed from field_name are left to compute, at the next flush; the fields of
    # other records depending on these (a lot's location on its quants...) are marked as after a create.
    later = [model._fields[name] for name in recomputed if name not in given]
    with env.protecting([field for field in model._fields.values() if field.store and field not in later], copies):
        copies.modified(list(model._fields), create=True)
    for field in later:
        env.add_to_compute(field, copies)
    return ids


def check_serial_quantities(quants):
    """stock.quant's check_quantity (a serial at most once per location), in one grouped query
    instead of one domain term per quant."""
    serial_quants = quants.filtered(
        lambda quant: quant.product_id.tracking == "serial" and quant.location_id.usage != "inventory" and quant.lot_id
    )
    if not serial_quants:
        return
    keys = {(quant.product_id.id, quant.location_id.id, quant.lot_id.id) for quant in serial_quants}
    groups = quants.env["stock.quant"]._read_group(
        [
            ("product_id", "in", serial_quants.product_id.ids),
            ("location_id", "in", serial_quants.location_id.ids),
            ("lot_id", "in", serial_quants.lot_id.ids),
        ],
        ["product_id", "location_id", "lot_id"],
        ["quantity:sum"],
    )
    for product, location, lot, quantity in groups:
        if (product.id, location.id, lot.id) in keys and float_compare(
            abs(quantity), 1, precision_rounding=product.uom_id.rounding
        ) > 0:
            raise_serial_assigned(product, lot)


def move_quants(lines):
    """Moves the quants of ``lines`` as Odoo's _action_done would; returns the lines moved (none when
    the batch needs Odoo's per-line path)."""
    plan = QuantMoves(lines)
    try:
        plan.move_lines(lines)
    except NotBulkable:
        return lines.browse()
    plan.apply()
    lines.env.cr.cache.setdefault(BULK_SYNCED_KEY, set()).update(lines.ids)
    return lines


# Modules whose stock.move.line._action_done finish_moved_lines knows: stock (its checks, its quant loop,
# the date), stock_account (a lot required on lines of products valuated by lot) and this addon.
KNOWN_LINE_DONE = {"stock", "stock_account", "serial_tracking"}
# Transaction-local store (cursor cache): the date finish_moved_lines stamps on the lines it finishes
# instead of the current time (a serial job's chunk inserts the copies of its lines with it).
LINES_DONE_DATE_KEY = "serial_tracking.lines_done_date"


def finish_moved_lines(lines):
    """What stock.move.line._action_done does for ``lines`` once move_quants has moved their quants,
    when each one is a plain case of it: the quantity respects its unit's rounding (Odoo's first check),
    the line has its lot (nothing to search or create, no error about a missing one), and so Odoo's
    per-line loop would only check companies, find every quant move done and stamp the date. Does that
    in batches and returns True; returns False, having done nothing, when a line or a module's override
    needs Odoo's own _action_done."""
    env = lines.env
    if _method_overrides(lines, "_action_done") - KNOWN_LINE_DONE or not all(column_values(lines, "lot_id")):
        return False
    digits = env["decimal.precision"].precision_get("Product Unit of Measure")
    uoms = env["uom.uom"]
    for quantity, uom_id in set(
        zip(column_values(lines, "quantity"), column_values(lines, "product_uom_id"), strict=True)
    ):
        in_unit = float_round(quantity, precision_rounding=uoms.browse(uom_id).rounding, rounding_method="HALF-UP")
        rounded = float_round(quantity, precision_digits=digits, rounding_method="HALF-UP")
        if (
            float_compare(in_unit, rounded, precision_digits=digits)
            or float_compare(quantity, 0, precision_digits=digits) <= 0
        ):
            return False
    lines._check_company()
    lines.write({"date": env.cr.cache.get(LINES_DONE_DATE_KEY) or fields.Datetime.now()})
    return True


def company_links_consistent(records, fnames=None):
    """Whether BaseModel._check_company(fnames) would pass on ``records``, with each check made once
    per field, company and linked record instead of once per record (thousands of serial lines share
    their product, locations, move and picking; one filtered_domain per field and company then checks
    all their lots). None when the check is not one this knows (company-dependent or x2many fields,
    no company_id): the caller runs Odoo's own."""
    model = records.browse()
    if fnames is None or {"company_id", "company_ids"} & set(fnames):
        fnames = model._fields
    checked = [
        model._fields[name] for name in fnames if model._fields[name].relational and model._fields[name].check_company
    ]
    if (
        "company_id" not in model._fields
        or not model._fields["company_id"].store
        or any(field.company_dependent or field.type != "many2one" or not field.store for field in checked)
    ):
        return None
    linked = defaultdict(set)  # (field, company id) -> ids of the linked records
    records = records.sudo()
    companies = column_values(records, "company_id")
    for field in checked:
        for company_id, linked_id in zip(companies, column_values(records, field.name), strict=True):
            if linked_id:
                linked[field, company_id or False].add(linked_id)
    env = records.env
    for (field, company_id), ids in linked.items():
        corecords = env[field.comodel_name].sudo().browse(ids)
        domain = corecords._check_company_domain(env["res.company"].browse(company_id or ()))
        if domain and corecords.with_context(active_test=False).filtered_domain(domain) != corecords:
            return False
    return True


def fill_serial_lines(move, names):
    """What Odoo's stock.move._generate_serial_numbers does with generated names on a type that creates
    lots: the move's lines without serial get one name each, lines are created for the rest (putaway
    per unit, as Odoo computes it), in batched calls instead of one write per line."""
    empty = move.move_line_ids.filtered(lambda line: not line.lot_id and not line.lot_name)
    filled = list(zip(empty, names, strict=False))
    one_unit = [(line, name) for line, name in filled if line.quantity == 1]
    for line, name in filled:
        if line.quantity != 1:
            line.write({"lot_name": name, "quantity": 1})  # a quantity change moves reservations: the ORM's job
    if one_unit:
        write_per_record(
            move.env["stock.move.line"].browse([line.id for line, _name in one_unit]),
            "lot_name",
            [name for _line, name in one_unit],
        )
    base = {
        "move_id": move.id,
        "picking_id": move.picking_id.id,
        "location_id": move.location_id.id,
        "product_id": move.product_id.id,
        "product_uom_id": move.product_id.uom_id.id,
    }
    qty_by_location = defaultdict(float)
    for line, _name in filled:
        qty_by_location[line.location_dest_id.id] += 1
    vals_list = []
    for name in names[len(filled) :]:
        location = move.location_dest_id._get_putaway_strategy(
            move.product_id, quantity=1, packaging=move.product_packaging_id, additional_qty=qty_by_location
        )
        vals_list.append(dict(base, lot_name=name, quantity=1, location_dest_id=location.id))
        qty_by_location[location.id] += 1
    if vals_list:
        move.env["stock.move.line"].create(vals_list)


# Modules whose methods the bulk reservation knows: stock's stock.move._update_reserved_quantity (its
# loop, replayed), stock.move.line._reservation_is_updatable (never true for a serial product) and
# stock.quant's reservation of one line (_update_reserved_quantity, _update_available_quantity).
KNOWN_RESERVATION = {
    ("stock.move", "_update_reserved_quantity"): {"stock", "serial_tracking"},
    ("stock.move.line", "_reservation_is_updatable"): {"stock"},
    ("stock.quant", "_update_reserved_quantity"): {"stock", "serial_tracking"},
    ("stock.quant", "_update_available_quantity"): {"stock"},
}


def bulk_reservation_possible(move):
    """Whether reserve_serials may replay the reservation of ``move``: it reserves (its source does
    not bypass reservation) and only the modules of KNOWN_RESERVATION take part."""
    return not move._should_bypass_reservation() and not any(
        _method_overrides(move.env[model], method) - known for (model, method), known in KNOWN_RESERVATION.items()
    )


def reserve_serials(move, reserve_quantities):
    """What stock.move._update_reserved_quantity does with the (quant, quantity) pairs of
    stock.quant._get_reserve_quantity for a serial move, in one create of the lines and one write per
    chunk of quants, instead of a create per quant that first looks through all the move's lines
    (none is updatable for a serial product: a search growing with every line) and reserves its quant
    with a search, a lock and a write. Returns the quantity taken, or None when the pairs need Odoo's
    own loop (a quant for more than one unit, several quants for one serial, a quant without stock,
    a module overriding one of the steps): the caller then runs it."""
    env = move.env
    if not bulk_reservation_possible(move):
        return None
    quants = env["stock.quant"].browse([quant.id for quant, _quantity in reserve_quantities])
    rounding = move.product_id.uom_id.rounding
    if any(float_compare(quantity, 1, precision_rounding=rounding) for _quant, quantity in reserve_quantities):
        return None
    quants = quants.sudo()
    keys = set()
    by_reserved = defaultdict(list)  # reserved quantity after the reservation -> quant ids
    for quant_id, product, location, lot, package, owner, quantity, reserved, in_date in zip(
        quants._ids, *(column_values(quants, name) for name in QUANT_COLUMNS), strict=True
    ):
        # Odoo reserves the line's unit on the quant _gather finds for its serial and place, and
        # writes in_date as the oldest of the quants found there with stock: the same quant and its
        # own date when it is the only one, with stock.
        if not lot or not in_date or float_compare(quantity, 0, precision_rounding=rounding) <= 0:
            return None
        keys.add((product, location, lot, package or False, owner or False))
        by_reserved[reserved + 1].append(quant_id)
    if len(keys) != len(quants) or env["stock.quant"].sudo().search_count(
        [("lot_id", "in", quants.lot_id.ids), ("location_id", "in", quants.location_id.ids)]
    ) != len(quants):
        return None
    vals_list = []
    for quant, quantity in reserve_quantities:
        vals_list += move._add_serial_move_line_to_vals_list(quant, quantity)
    for reserved, quant_ids in by_reserved.items():
        for chunk in split_every(WRITE_CHUNK, quant_ids):
            env["stock.quant"].sudo().browse(chunk).write({"reserved_quantity": reserved})
    reserved_keys = env.cr.cache.setdefault(BULK_RESERVED_KEY, set())
    reserved_keys.update(keys)
    try:
        env["stock.move.line"].create(vals_list)
    finally:
        reserved_keys.difference_update(keys)
    return sum(quantity for _quant, quantity in reserve_quantities)
