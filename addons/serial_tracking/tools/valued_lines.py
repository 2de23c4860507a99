"""The incoming and outgoing lines of a move for its valuation, read by column.

stock_account asks a move for them (stock.move._get_in_move_lines, _get_out_move_lines) several times
while it is done (its sanity check, the price update, the valued types, the layer), each time walking
every line through three record accesses and two location methods: for a move of thousands of serial
lines, seconds. The same answer is worked out here from the lines' columns, each location and company
asked once, when only stock_account defines these methods; otherwise None, and the caller asks Odoo.
"""

from .bulk import _method_overrides, column_values

# stock.move's methods answered here, and the methods of lines and locations they rely on.
KNOWN_VALUATION = {
    ("stock.move", "_get_in_move_lines"): {"stock_account", "serial_tracking"},
    ("stock.move", "_get_out_move_lines"): {"stock_account", "serial_tracking"},
    ("stock.move.line", "_should_exclude_for_valuation"): {"stock_account"},
    ("stock.location", "_should_be_valued"): {"stock_account"},
}


def valued_lines(move, incoming):
    """The picked lines of ``move`` entering (``incoming``) or leaving the valued stock, as
    stock_account's _get_in_move_lines / _get_out_move_lines give them, in the same order; None when
    another module defines one of the methods involved."""
    env = move.env
    if any(_method_overrides(env[model], method) - known for (model, method), known in KNOWN_VALUATION.items()):
        return None
    lines = move.move_line_ids
    valued = {}  # location id -> whether it is valued

    def is_valued(location_id):
        if location_id not in valued:
            valued[location_id] = env["stock.location"].browse(location_id)._should_be_valued()
        return valued[location_id]

    companies = lines.company_id
    company_partner = dict(zip(companies._ids, column_values(companies, "partner_id"), strict=True))
    columns = zip(
        lines._ids,
        *(
            column_values(lines, name)
            for name in ("picked", "owner_id", "company_id", "location_id", "location_dest_id")
        ),
        strict=True,
    )
    return lines.browse(
        [
            line_id
            for line_id, picked, owner_id, company_id, source, destination in columns
            if picked
            and not (owner_id and owner_id != company_partner.get(company_id))
            and (
                not is_valued(source) and is_valued(destination)
                if incoming
                else is_valued(source) and not is_valued(destination)
            )
        ]
    )
