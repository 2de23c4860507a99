"""The serial search index on the Odoo side: what serial_core.search_index reads (three views over Odoo's
tables), the triggers that log every change it must follow, the search domain, and the request to the
worker to index a transaction's changes once it is committed.

The worker never reads Odoo's tables itself: it re-indexes the lots named in ``serial_search_change``
from the views below, so Odoo's schema is known here only.
"""

import logging

from odoo import tools
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from serial_core import search_index
from serial_core.errors import SerialError

_logger = logging.getLogger(__name__)

_VIEWS = {
    search_index.SOURCE_VIEW: "SELECT lot.id AS lot_id, lot.name::text AS name FROM stock_lot lot",
    # A lot's product, and for each of its done move lines: the transfer, its partner, the manufacturing
    # order that built or consumed it, the sale and the purchase.
    search_index.LINK_SOURCE_VIEW: """
        SELECT 'product'::text AS kind, lot.product_id AS ref_id, lot.id AS lot_id FROM stock_lot lot
        UNION ALL
        SELECT link.kind, link.ref_id, sml.lot_id
          FROM stock_move_line sml
          JOIN stock_move sm ON sm.id = sml.move_id
     LEFT JOIN stock_picking sp ON sp.id = sml.picking_id
     LEFT JOIN sale_order_line sol ON sol.id = sm.sale_line_id
     LEFT JOIN sale_order so ON so.id = sol.order_id
     LEFT JOIN purchase_order_line pol ON pol.id = sm.purchase_line_id
     LEFT JOIN purchase_order po ON po.id = pol.order_id
         CROSS JOIN LATERAL (VALUES
               ('picking', sml.picking_id),
               ('partner', COALESCE(sp.partner_id, sm.partner_id)),
               ('partner', so.partner_id),
               ('partner', po.partner_id),
               ('production', COALESCE(sm.production_id, sm.raw_material_production_id)),
               ('sale', so.id),
               ('purchase', po.id)
         ) AS link(kind, ref_id)
         WHERE sml.state = 'done' AND sml.lot_id IS NOT NULL AND link.ref_id IS NOT NULL""",
    # The names a search term is matched against: a product's name in every language and its internal
    # reference, a partner's full name, the numbers of transfers, manufacturing orders, sales and purchases.
    search_index.REF_NAME_VIEW: """
        SELECT 'product'::text AS kind, pp.id AS ref_id,
               concat_ws(' ', pp.default_code, (SELECT string_agg(value, ' ') FROM jsonb_each_text(pt.name)))
               AS name
          FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
        UNION ALL SELECT 'partner', id, complete_name FROM res_partner
        UNION ALL SELECT 'picking', id, name FROM stock_picking
        UNION ALL SELECT 'production', id, name FROM mrp_production
        UNION ALL SELECT 'sale', id, concat_ws(' ', name, client_order_ref) FROM sale_order
        UNION ALL SELECT 'purchase', id, concat_ws(' ', name, partner_ref) FROM purchase_order""",
}

# (trigger, table, event, function, transition tables, rows to log). Statement triggers: a bulk
# validation of 10,000 lines logs its lots in one INSERT.
_TRIGGERS = [
    ("serial_search_lot_insert", "stock_lot", "INSERT", "NEW TABLE AS new_rows", "SELECT id FROM new_rows"),
    (
        "serial_search_lot_update",
        "stock_lot",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE n.name IS DISTINCT FROM o.name OR n.product_id IS DISTINCT FROM o.product_id",
    ),
    ("serial_search_lot_delete", "stock_lot", "DELETE", "OLD TABLE AS old_rows", "SELECT id FROM old_rows"),
    (
        "serial_search_line_insert",
        "stock_move_line",
        "INSERT",
        "NEW TABLE AS new_rows",
        "SELECT DISTINCT lot_id FROM new_rows WHERE state = 'done' AND lot_id IS NOT NULL",
    ),
    (
        # A line done, or a done line whose lot or transfer changes: the old lot and the new one.
        "serial_search_line_update",
        "stock_move_line",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT lot_id FROM (SELECT n.lot_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE (n.state = 'done' OR o.state = 'done') AND (n.state IS DISTINCT FROM o.state "
        "OR n.lot_id IS DISTINCT FROM o.lot_id OR n.picking_id IS DISTINCT FROM o.picking_id) "
        "UNION SELECT o.lot_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE o.state = 'done' AND n.lot_id IS DISTINCT FROM o.lot_id) changed WHERE lot_id IS NOT NULL",
    ),
    (
        "serial_search_line_delete",
        "stock_move_line",
        "DELETE",
        "OLD TABLE AS old_rows",
        "SELECT DISTINCT lot_id FROM old_rows WHERE state = 'done' AND lot_id IS NOT NULL",
    ),
]

DRAIN_PENDING_KEY = "serial_search_drain"

# A search by serial_search answered through the index (indexed_search), bounded whatever the term:
PAGE_MAX = 1000  # offset + limit of a page served; deeper pages are Odoo's own query (counts: any limit)
FEW_MATCHES = 200  # matches at most that Odoo sorts itself (in any order asked)
NAME_ORDERS = {("name",), ("name", "id")}  # orders the index walks: the Serial List's and stock.lot's own
POSITIVE_OPERATORS = ("ilike", "like", "=", "=ilike")
WALKED_MAX = 5000  # matches walked at most for one page (beyond, the rest of the domain is Odoo's to sort out)


def install(cr):
    """Index tables, views and triggers (idempotent: run at every install and update)."""
    cr.execute(
        SQL(
            "SELECT to_regclass(%s) IS NOT NULL, to_regclass(%s) IS NULL",
            search_index.SUFFIX_TABLE,
            search_index.GRAM_TABLE,
        )
    )
    gram_table_missing = all(cr.fetchone())
    search_index.ensure_schema(cr)
    for view in _VIEWS:
        cr.execute(SQL("DROP VIEW IF EXISTS %s", SQL.identifier(view)))
    for view, query in _VIEWS.items():
        cr.execute(SQL("CREATE VIEW %s AS %s", SQL.identifier(view), SQL(query)))  # pylint: disable=sql-injection
    for trigger, table, event, transitions, rows in _TRIGGERS:
        # EXECUTE: planned for each statement. A plain statement would keep the plan of the session's
        # first one (a few rows: a nested loop over the transition tables), for 5,000 rows too.
        statement = SQL(
            "INSERT INTO %s (lot_id) %s",
            SQL.identifier(search_index.CHANGE_TABLE),
            SQL(rows),  # pylint: disable=sql-injection
        )
        cr.execute(
            SQL(
                """CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger LANGUAGE plpgsql AS $body$
                   BEGIN
                       EXECUTE %(statement)s;
                       RETURN NULL;
                   END $body$""",
                function=SQL.identifier(trigger),
                statement=statement.code,
            )
        )
        cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(trigger), SQL.identifier(table)))
        cr.execute(
            SQL(
                "CREATE TRIGGER %s AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                SQL.identifier(trigger),
                SQL(event),  # pylint: disable=sql-injection
                SQL.identifier(table),
                SQL(transitions),  # pylint: disable=sql-injection
                SQL.identifier(trigger),
            )
        )
    if gram_table_missing:
        # An index made before the serials were kept in name order: the worker re-indexes every lot.
        log_existing_lots(cr)


def log_existing_lots(cr):
    """The lots that existed before the module: logged for the worker to index (in batches, after the
    install) rather than indexed during it."""
    cr.execute(
        SQL("INSERT INTO %s (lot_id) SELECT id FROM stock_lot ORDER BY id", SQL.identifier(search_index.CHANGE_TABLE))
    )


def uninstall(cr):
    """Everything ``install`` made goes: triggers, their functions, views and index tables."""
    for trigger, table, *_rest in _TRIGGERS:
        cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(trigger), SQL.identifier(table)))
        cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(trigger)))
    for view in _VIEWS:
        cr.execute(SQL("DROP VIEW IF EXISTS %s", SQL.identifier(view)))
    search_index.drop_schema(cr)


def _checked_term(env, term):
    try:
        return search_index.normalise_term(term)
    except SerialError as error:
        raise UserError(
            env._(
                "Type at least %(count)s characters of a serial, product, partner or document to search "
                "(%(term)s is too short).",
                count=search_index.MIN_FRAGMENT,
                term=repr((term or "").strip()),
            )
        ) from error


def search_domain(env, operator, value):
    """Domain of the lots matching ``value`` through the index: a serial holding it, or a product,
    partner or document whose name holds it. UserError for a term too short."""
    if operator not in ("ilike", "like", "=", "=ilike", "not ilike", "not like", "!="):
        raise UserError(env._("The serial search cannot be used with the operator %(operator)s.", operator=operator))
    _checked_term(env, value)
    env.flush_all()  # the names of products, partners and documents are read in SQL
    query, params = search_index.match_query(env.cr, value)
    negative = operator in ("not ilike", "not like", "!=")
    return [("id", "not in" if negative else "in", SQL(f"({query})", *params))]  # pylint: disable=sql-injection


def _subtree_end(domain, start):
    token = domain[start]
    if token == expression.NOT_OPERATOR:
        return _subtree_end(domain, start + 1)
    if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
        return _subtree_end(domain, _subtree_end(domain, start + 1))
    return start + 1


def _conjuncts(domain, start=0):
    """([sub-domains], end): the parts of the normalised ``domain`` whose conjunction it is."""
    if domain[start] == expression.AND_OPERATOR:
        left, middle = _conjuncts(domain, start + 1)
        right, end = _conjuncts(domain, middle)
        return left + right, end
    end = _subtree_end(domain, start)
    return [domain[start:end]], end


def _split_term(domain):
    """(term, rest of the domain) when ``domain`` is one positive serial_search term AND anything else."""
    domain = expression.normalize_domain(domain)
    if not domain or domain == expression.TRUE_DOMAIN:
        return None
    parts = _conjuncts(domain)[0]
    terms = [part for part in parts if len(part) == 1 and expression.is_leaf(part[0]) and part[0][0] == "serial_search"]
    if len(terms) != 1:
        return None
    _field, operator, value = terms[0][0]
    if operator not in POSITIVE_OPERATORS or not isinstance(value, str):
        return None
    rest = [part for part in parts if part is not terms[0]]
    return value, expression.AND(rest) if rest else []


def _order_fields(order):
    """("name",) for "name ASC", ("name", "id") for "name, id"; None for a descending or other order."""
    fields_ = []
    for part in (order or "").split(","):
        words = part.lower().split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] != "asc"):
            return None
        fields_.append(words[0])
    return tuple(fields_)


def indexed_search(model, domain, offset, limit, order, base_search):
    """The Query of a stock.lot search by one serial_search term through the index, or None for Odoo's
    own query (no such term, no limit, a page beyond PAGE_MAX, an order the index cannot walk, a term
    whose linked products, partners or documents hold too many lots).

    ``base_search`` is Odoo's _search: every query below goes through it, so the rest of the domain and
    the record rules apply as usual. A page in name order (the Serial List's) is made of the first
    matches of the walk in name order that pass them; a count (no order: search_count) of bounded
    windows of the matches; a term with few matches lets Odoo sort them in any order.
    """
    if not limit or (order is not None and offset + limit > PAGE_MAX):
        return None
    split = _split_term(domain)
    if split is None:
        return None
    term, rest = split
    try:
        search_index.normalise_term(term)
    except SerialError:
        return None  # Odoo's own query raises the UserError of a term too short
    model.env.flush_all()  # the names of products, partners and documents are read in SQL
    cr = model.env.cr
    linked = search_index.linked_matches(cr, term, FEW_MATCHES)
    if linked is None:
        return None
    walkable = order is not None and _order_fields(order) in NAME_ORDERS
    if walkable and len(search_index.normalise_term(term)) == search_index.MIN_FRAGMENT:
        # The term is its own gram: the walk reads matches only, few or many.
        return _walked_page(cr, term, rest, linked, offset, limit, order, base_search)
    few = search_index.serial_matches(cr, term, FEW_MATCHES)
    if few is not None:
        return base_search([*rest, ("id", "in", few + linked)], offset=offset, limit=limit, order=order)
    if order is None:
        return _indexed_count(cr, term, rest, linked, limit, base_search)
    if not walkable:
        return None
    return _walked_page(cr, term, rest, linked, offset, limit, order, base_search)


def _walked_page(cr, term, rest, linked, offset, limit, order, base_search):
    """Query of the page in name order made of the first matches of the walk and the linked lots, once
    it is safe: full, and every lot of it among those matches or sorting before the last of them (every
    match left out sorts after that one). Only the first matches the page needs go into the query:
    sorting the thousands a common term's walk may have found costs more than the walk. None when the
    rest of the domain turns away so many matches that the walk grows too long."""
    need, walked = offset + limit, []
    try:
        for found, last in search_index.name_ordered(cr, term, wanted=need):
            walked += found
            if last is not None and len(walked) < need:
                continue
            if len(walked) > WALKED_MAX:
                return None
            head = need
            while True:
                chosen = walked[:head]
                query = base_search(
                    [*rest, ("id", "in", [lot_id for _name, lot_id in chosen] + linked)],
                    offset=offset,
                    limit=limit,
                    order=order,
                )
                if last is None and head >= len(walked):
                    return query  # every match is in the query
                # Every match left out sorts after the last one chosen (or after the last entry read).
                cutoff = chosen[-1] if head < len(walked) else last
                page = query.get_result_ids()
                unwalked = set(page).difference(lot_id for _name, lot_id in chosen)
                if len(page) == limit and (not unwalked or search_index.sort_before(cr, unwalked, cutoff)):
                    return query
                if head >= len(walked):
                    break  # walk further
                head *= 4
    except search_index.WalkTooLong:
        return None
    return None  # not reached: the walk's last step (last is None) always returns above


def _indexed_count(cr, term, rest, linked, limit, base_search):
    """Query of at most ``limit`` lots matching ``term`` and ``rest``: windows of the matching suffixes,
    widened until they hold ``limit`` lots passing ``rest`` or every match."""
    rows = 2 * limit
    while True:
        # The linked lots inside the one subquery: an OR of two "id in" would make PostgreSQL scan every lot.
        window_query, params = search_index.serial_window(term, rows, linked)
        window = SQL(f"({window_query})", *params)  # pylint: disable=sql-injection
        query = base_search([*rest, ("id", "in", window)], limit=limit)
        # Fetched once: the caller's len(query) counts these ids instead of running the query again.
        if len(query.get_result_ids()) >= limit or search_index.window_is_whole(cr, term, rows):
            return query
        rows *= 4


def find_lot_ids(env, term, limit):
    """Ids of at most ``limit`` lots matching ``term`` (a bounded index scan; record rules not applied)."""
    _checked_term(env, term)
    env.flush_all()
    return search_index.search(env.cr, term, limit)


def drain(env):
    """Index the logged changes now, in this transaction (what the worker's drain job does)."""
    env.flush_all()
    while search_index.drain_batch(env.cr):
        pass


def notify_worker(env):
    """Once this transaction is committed, ask the worker to index what it changed."""
    postcommit = env.cr.postcommit
    if postcommit.data.get(DRAIN_PENDING_KEY):
        return
    postcommit.data[DRAIN_PENDING_KEY] = True
    postcommit.add(lambda dbname=env.cr.dbname: _enqueue_drain(dbname))


def _enqueue_drain(dbname):
    """A drain job on the worker's index queue; without Redis the worker's next maintenance round
    (every 30 seconds) finds the logged changes itself."""
    settings = tools.config.misc.get("serial_tracking", {})
    if not settings.get("redis_url"):
        return
    try:
        import redis  # pylint: disable=import-outside-toplevel

        from worker.config import DEFAULT_QUEUE_INDEX  # pylint: disable=import-outside-toplevel
        from worker.search_jobs import enqueue_drain  # pylint: disable=import-outside-toplevel
    except ImportError as error:
        _logger.warning("serial search: cannot ask the worker to index changes (%s)", error)
        return
    try:
        client = redis.Redis.from_url(settings["redis_url"], socket_connect_timeout=2, socket_timeout=2)
        enqueue_drain(client, settings.get("queue_index") or DEFAULT_QUEUE_INDEX, dbname)
    except redis.RedisError as error:
        _logger.warning("serial search: Redis unreachable, the worker will index the changes later (%s)", error)
