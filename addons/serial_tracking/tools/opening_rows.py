"""The inventory moves of opening stock, with one move line per serial written as row copies.

Odoo's Physical Inventory books counted units as one stock.move per quant, its line created with it
(stock.quant._get_inventory_move_values). Opening stock books the serials of one product and location
as one such move with one line per serial: created through the ORM, a line costs a few milliseconds
(defaults, company and picked taken from the move, stored computes, constraints, flush), nearly all the
same work for every line. When the only overrides of stock.move.line's create are those of
KNOWN_LINE_CREATE, the move is created with the line of its first serial and the others are SQL copies
of that line's row with another lot_id (tools/bulk.copy_row), their constraints run as a create runs
them. Otherwise every line goes through every override.
"""

from odoo import Command, fields
from odoo.tools import SQL

from .bulk import _create_overrides, _fields_depending_on, _method_overrides, copy_row

# stock computes a lot's location (stock.lot.location_id) as the one location of its positive quants,
# and moves the lot's quants there when it is written (nothing to move for a new lot).
KNOWN_LOT_LOCATION = {"stock"}
# Transaction-local store (cursor cache) while a chunk's moves are done: (location id, lot id) of the
# quants its counts settle (stock.quant._compute_inventory_diff_quantity gives the new ones their
# settled difference, 0, when it first computes it).
COUNTED_QUANTS_KEY = "serial_tracking.opening_counted_quants"

# What the known creates do for a line of an inventory move, draft, coming from the inventory-adjustment
# location: stock takes company and picked from the move (the same for every line of a move), reserves
# nothing (that location bypasses reservation) and moves quants only for done lines; stock_account
# corrects valuation only for done lines and recomputes the move's analytic entries (run for the first
# line: one move); mrp links only lines of done production moves; this addon refuses blocked serials
# (checked here for all of them).
KNOWN_LINE_CREATE = {"stock", "stock_account", "mrp", "serial_tracking"}


def create_inventory_moves(move_model, groups, done_date=None):
    """Creates one inventory move per ``(move values, lots)`` of ``groups`` (values as
    _get_inventory_move_values gives them, with their one line), each with one line of one unit per lot
    in the order of ``lots``; returns the moves.

    With ``done_date``, the moves are about to be done on that date, and the row copies of their lines
    are inserted as done on it (state and date, which done lines would otherwise get in an UPDATE pass
    that PostgreSQL makes as costly as the insert: a row updated in the transaction that inserted it
    has every foreign key checked again). The ORM holds these values as the copies', so the done pass
    leaves them as they are."""
    line_model = move_model.env["stock.move.line"]
    copies_allowed = not _create_overrides(line_model) - KNOWN_LINE_CREATE and not _fields_depending_on(
        line_model, "lot_id"
    )
    if not copies_allowed:
        return move_model.create(
            [
                dict(vals, move_line_ids=[Command.create(dict(line_values(vals), lot_id=lot.id)) for lot in lots])
                for vals, lots in groups
            ]
        )
    lots_of_all = line_model.env["stock.lot"].browse([lot_id for _vals, lots in groups for lot_id in lots.ids])
    lots_of_all._serial_check_not_blocked()
    moves = move_model.create(
        [
            dict(vals, move_line_ids=[Command.create(dict(line_values(vals), lot_id=lots[:1].id))])
            for vals, lots in groups
        ]
    )
    for move, (vals, lots) in zip(moves, groups, strict=True):
        prototype = move.move_line_ids
        count = len(lots) - 1
        presets = {"state": ["done"] * count, "date": [done_date] * count} if done_date else None
        copies = line_model.browse(copy_row(prototype, "lot_id", lots[1:].ids, presets=presets))
        # The constraints a create of these values would run (Odoo's, any other module's).
        copies._validate_fields(set(line_values(vals)) | {"lot_id", "move_id", "company_id", "picked"})
    return moves


def line_values(move_vals):
    """The line of an inventory move's values, for one unit."""
    return dict(move_vals["move_line_ids"][0][2], quantity=1)


def new_lots_located(lot_model):
    """Whether the lots opening stock creates may be created with their location, which stock would
    otherwise compute, then write, once the inventory moves have put their one unit in (a statement
    per hundred lots): a new lot has no quant, so only the moves of its chunk give it one, at the
    destination of its inventory line. The chunk then keeps the value from being recomputed while its
    moves are done. True when only KNOWN_LOT_LOCATION computes and inverts that field."""
    field = lot_model._fields["location_id"]
    methods = (field.compute, field.inverse)
    return (
        all(isinstance(method, str) for method in methods)
        and not set().union(*(_method_overrides(lot_model, method) for method in methods)) - KNOWN_LOT_LOCATION
    )


def settle_counts(quants):
    """What Odoo's Apply writes last on the quants it counted: no difference left to apply
    (inventory_diff_quantity 0). One UPDATE of the quants not settled yet (those created while the
    chunk's moves were done are settled already, see COUNTED_QUANTS_KEY) when only stock overrides
    stock.quant's write (outside the inventory mode its override only writes); the ORM's write of all
    of them, one statement per hundred quants, otherwise."""
    if _method_overrides(quants, "write") - {"stock"} or quants._is_inventory_mode():
        quants.write({"inventory_diff_quantity": 0})
        return
    quants = quants.filtered_domain([("inventory_diff_quantity", "!=", 0)])
    if not quants:
        return
    quants.flush_recordset()
    quants.env.cr.execute(
        SQL(
            "UPDATE stock_quant SET inventory_diff_quantity = 0, write_uid = %s, write_date = %s WHERE id = ANY(%s)",
            quants.env.uid,
            fields.Datetime.now(),
            quants.ids,
        )
    )
    quants.invalidate_recordset(["inventory_diff_quantity", "write_uid", "write_date"])
    quants.modified(["inventory_diff_quantity"])
