"""Serial search index: any fragment of a serial (3 characters or more), plus the product, partner and
document names linked to it, answered by bounded b-tree range scans.

A fragment inside a serial is a prefix of one of its suffixes. ``serial_search_suffix`` holds, for each
serial, every suffix of 3 characters or more (``99600123`` -> ``99600123``, ``9600123``, ..., ``123``),
lower-cased, in a b-tree with byte ("C") ordering; a fragment search is ``suffix LIKE 'frag%'``, an index
range scan that stops after ``limit`` rows however many serials share the fragment (a trigram index has no
such bound: for a fragment most serials contain it reads them all). Products, partners and documents are
few beside serials: their names are matched where they live, and ``serial_search_link`` joins them to lots.

The host application (the Odoo addon) provides three views with these columns, and fills
``serial_search_change`` (its triggers log the lot of every new, renamed or deleted lot and every move
line done):

* ``serial_search_source (lot_id integer, name text)``: every lot and its serial;
* ``serial_search_link_source (kind text, ref_id integer, lot_id integer)``: the product, partners and
  documents of each lot;
* ``serial_search_ref_name (kind text, ref_id integer, name text)``: the names of those products,
  partners and documents.

Serials in name order: ``serial_search_gram`` holds, for each serial, each distinct 3-character gram of
it with the serial's name, in a b-tree ordered by (gram, name). Every serial holding a term holds each of
its grams, so walking one gram's entries in name order and keeping the names that hold the term gives the
term's matches in name order (``name_ordered``): the first page of a term most serials share costs a few
hundred entries, where sorting every match by name costs them all. The gram walked is the term's rarest,
by PostgreSQL's statistics of the table.

``drain_batch`` re-indexes the lots named in the change log (never a full rescan); ``rebuild`` builds
the index from scratch. Both work through any DB-API cursor in the caller's transaction and take one
advisory lock, so two drains (or a drain and a rebuild) never interleave on the same lots.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from .errors import SerialError

MIN_FRAGMENT = 3  # shorter fragments match too many serials to be worth an index entry
MAX_SUFFIX = 100  # characters of a suffix kept (a b-tree entry is bounded); longer terms match on these
DRAIN_BATCH = 5000  # change-log rows handled per transaction
REBUILD_CHUNK = 20000  # lots read per statement while rebuilding
NAME_KEPT = 1000  # characters of a serial kept as its sort key in the gram table (a b-tree entry is bounded)
WALK_FIRST = 200  # gram entries read by the first step of a walk in name order; each next step reads 4 times more
WALK_STEP_MAX = 20000
WALK_LIMIT = 100000  # gram entries a walk reads at most (then the caller sorts the matches its own way)
GRAM_STATS_TTL = 600  # seconds the gram statistics are kept per database
_gram_stats: dict[str, tuple[float, dict[str, float]]] = {}

CHANGE_TABLE = "serial_search_change"
SUFFIX_TABLE = "serial_search_suffix"
LINK_TABLE = "serial_search_link"
GRAM_TABLE = "serial_search_gram"
SOURCE_VIEW = "serial_search_source"
LINK_SOURCE_VIEW = "serial_search_link_source"
REF_NAME_VIEW = "serial_search_ref_name"
TABLES = (CHANGE_TABLE, SUFFIX_TABLE, LINK_TABLE, GRAM_TABLE)
REFS_FUNCTION = "serial_search_refs"

# pg_advisory_xact_lock key held by every drain and rebuild transaction ("serialsx" as an integer).
INDEX_LOCK = int.from_bytes(b"serialsx", "big") & 0x7FFFFFFFFFFFFFFF

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} (
    id bigserial PRIMARY KEY,
    lot_id integer NOT NULL
);
CREATE TABLE IF NOT EXISTS {SUFFIX_TABLE} (
    suffix text COLLATE "C" NOT NULL,
    lot_id integer NOT NULL,
    CONSTRAINT {SUFFIX_TABLE}_pkey PRIMARY KEY (suffix, lot_id)
);
CREATE INDEX IF NOT EXISTS {SUFFIX_TABLE}_lot_idx ON {SUFFIX_TABLE} (lot_id);
CREATE TABLE IF NOT EXISTS {LINK_TABLE} (
    kind text NOT NULL,
    ref_id integer NOT NULL,
    lot_id integer NOT NULL,
    CONSTRAINT {LINK_TABLE}_pkey PRIMARY KEY (kind, ref_id, lot_id)
);
CREATE INDEX IF NOT EXISTS {LINK_TABLE}_lot_idx ON {LINK_TABLE} (lot_id);
-- name in the database's collation, as the host orders its serials by name.
CREATE TABLE IF NOT EXISTS {GRAM_TABLE} (
    gram text COLLATE "C" NOT NULL,
    name text NOT NULL,
    lot_id integer NOT NULL,
    CONSTRAINT {GRAM_TABLE}_pkey PRIMARY KEY (gram, name, lot_id)
);
CREATE INDEX IF NOT EXISTS {GRAM_TABLE}_lot_idx ON {GRAM_TABLE} (lot_id);
-- The walk picks its gram by these statistics: one per possible digit gram at least.
ALTER TABLE {GRAM_TABLE} ALTER COLUMN gram SET STATISTICS 2000;
-- The names lookup through a PL/pgSQL function: its plan is kept for the session, and planning a query
-- over the names view (a union of several tables) costs more than running it.
CREATE OR REPLACE FUNCTION {REFS_FUNCTION}(pattern text, max_rows integer)
    RETURNS TABLE (kind text, ref_id integer) LANGUAGE plpgsql STABLE AS $body$
BEGIN
    RETURN QUERY SELECT ref.kind::text, ref.ref_id::integer FROM {REF_NAME_VIEW} ref
                  WHERE ref.name ILIKE pattern LIMIT max_rows;
END $body$;
"""

# Lots whose serial holds the fragment: a range scan of the suffix b-tree.
_SERIAL_MATCH = f"SELECT lot_id FROM {SUFFIX_TABLE} WHERE suffix LIKE %s"
MAX_REFS = 1000  # products, partners and documents a bounded search follows at most


class SearchTermError(SerialError):
    """A search term the index cannot answer (too short)."""


class SearchIndexError(SerialError):
    """The database lacks what the index reads (the host's views)."""


class WalkTooLong(SerialError):
    """A walk in name order read WALK_LIMIT gram entries without reaching the end of what was asked."""


def normalise_term(term: str) -> str:
    """The term as the index stores serials: trimmed, lower-cased, at most MAX_SUFFIX characters.

    SearchTermError for a term shorter than MIN_FRAGMENT characters.
    """
    text = (term or "").strip().lower()
    if len(text) < MIN_FRAGMENT:
        raise SearchTermError(
            f"search term {term!r} is too short: type at least {MIN_FRAGMENT} characters of a serial, "
            "product, partner or document"
        )
    return text[:MAX_SUFFIX]


def suffixes(serial: str) -> list[str]:
    """Every suffix of the serial with MIN_FRAGMENT characters or more, lower-cased, without repeats,
    each cut to MAX_SUFFIX characters (a fragment of a longer serial is still a prefix of one of them)."""
    text = (serial or "").strip().lower()
    seen = dict.fromkeys(text[start : start + MAX_SUFFIX] for start in range(len(text) - MIN_FRAGMENT + 1))
    return list(seen)


def grams(serial: str) -> list[str]:
    """The distinct 3-character grams of the serial, lower-cased, as the first characters of its suffixes."""
    return list(dict.fromkeys(suffix[:MIN_FRAGMENT] for suffix in suffixes(serial)))


def holds(serial: str, text: str) -> bool:
    """Whether the serial holds the normalised term ``text`` (what the suffix index answers)."""
    return text in (serial or "").strip().lower()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def prefix_pattern(term: str) -> str:
    """LIKE pattern of the suffixes starting with the normalised term."""
    return _escape_like(normalise_term(term)) + "%"


def contains_pattern(term: str) -> str:
    """ILIKE pattern of the names holding the term."""
    return "%" + _escape_like(normalise_term(term)) + "%"


def matching_refs(cur, term: str, limit: int | None = None) -> list[tuple[str, int]]:
    """(kind, ref_id) of the products, partners and documents whose name holds the term. Resolved on
    their own first: a join of the names view with the link table lets the planner scan every link."""
    cur.execute(f"SELECT kind, ref_id FROM {REFS_FUNCTION}(%s, %s)", (contains_pattern(term), limit))
    return cur.fetchall()


def _link_match(refs) -> tuple[str, tuple]:
    """(SQL, parameters) selecting the lots linked to the (kind, ref_id) pairs ``refs``: a primary-key
    lookup of the link table per kind (given as constants: a list of pairs joined to the table lets the
    planner read every link, and one kind, a product, may hold most of them)."""
    by_kind = {}
    for kind, ref_id in refs:
        by_kind.setdefault(kind, []).append(ref_id)
    parts = [f"SELECT lot_id FROM {LINK_TABLE} WHERE kind = %s AND ref_id = ANY(%s)"] * len(by_kind)
    return " UNION ALL ".join(parts), tuple(value for item in by_kind.items() for value in item)


def match_query(cur, term: str) -> tuple[str, tuple]:
    """(SQL, parameters) selecting the lot_id of every lot matching ``term``, some more than once (unbounded,
    for ``lot_id IN (...)``). SearchTermError for a term too short."""
    pattern = prefix_pattern(term)
    refs = matching_refs(cur, term)
    if not refs:
        return _SERIAL_MATCH, (pattern,)
    link_query, link_params = _link_match(refs)
    return f"{_SERIAL_MATCH} UNION {link_query}", (pattern, *link_params)


def search(cur, term: str, limit: int = 80) -> list[int]:
    """Ids of at most ``limit`` lots matching ``term``: serials holding the fragment first (in the
    order of the text that follows it), then lots of matching products, partners and documents.

    Each part is bounded: it reads at most a few times ``limit`` index entries however many lots match.
    """
    # A serial may hold the fragment more than once (996996): read a window, keep each lot once.
    cur.execute(f"{_SERIAL_MATCH} ORDER BY suffix LIMIT %s", (prefix_pattern(term), limit * 4))
    found = list(dict.fromkeys(row[0] for row in cur.fetchall()))[:limit]
    if len(found) < limit:
        refs = matching_refs(cur, term, MAX_REFS)
        if refs:
            link_query, link_params = _link_match(refs)
            cur.execute(f"SELECT lot_id FROM ({link_query}) link LIMIT %s", (*link_params, limit * 4))
            found = list(dict.fromkeys(found + [row[0] for row in cur.fetchall()]))[:limit]
    return found


def serial_matches(cur, term: str, cap: int) -> list[int] | None:
    """Ids of every lot whose serial holds ``term``, or None when more than ``cap`` suffixes match
    (a bounded index range scan: it stops after cap + 1 entries)."""
    cur.execute(f"{_SERIAL_MATCH} LIMIT %s", (prefix_pattern(term), cap + 1))
    rows = cur.fetchall()
    return None if len(rows) > cap else list(dict.fromkeys(row[0] for row in rows))


def linked_matches(cur, term: str, cap: int) -> list[int] | None:
    """Ids of every lot of a product, partner or document whose name holds ``term``, or None when more
    than ``cap`` lots (or MAX_REFS names) match."""
    refs = matching_refs(cur, term, MAX_REFS + 1)
    if len(refs) > MAX_REFS:
        return None
    if not refs:
        return []
    link_query, link_params = _link_match(refs)
    cur.execute(
        f"SELECT DISTINCT lot_id FROM (SELECT lot_id FROM ({link_query}) link LIMIT %s) link", (*link_params, cap + 1)
    )
    rows = cur.fetchall()
    return None if len(rows) > cap else [row[0] for row in rows]


def serial_window(term: str, rows: int, lot_ids: list[int] = ()) -> tuple[str, tuple]:
    """(SQL, parameters) selecting the lot_id of the first ``rows`` suffixes holding ``term`` in index
    order, and the lots ``lot_ids``: a bounded piece of the matches, for counting them up to a limit."""
    return (
        f"SELECT lot_id FROM ({_SERIAL_MATCH} ORDER BY suffix, lot_id LIMIT %s) window_rows "
        "UNION ALL SELECT unnest(%s::integer[])",
        (prefix_pattern(term), rows, list(lot_ids)),
    )


def window_is_whole(cur, term: str, rows: int) -> bool:
    """Whether ``serial_window(term, rows)`` holds every suffix matching the term."""
    cur.execute(f"SELECT count(*) FROM ({_SERIAL_MATCH} LIMIT %s) window_rows", (prefix_pattern(term), rows + 1))
    return cur.fetchone()[0] <= rows


def _gram_frequencies(cur) -> dict[str, float]:
    """{gram: share of the gram table's entries} of its most common grams, by PostgreSQL's statistics;
    kept for GRAM_STATS_TTL seconds per database (reading them costs more than a walk's first step)."""
    key = cur.connection.dsn
    cached = _gram_stats.get(key)
    if cached and time.monotonic() - cached[0] < GRAM_STATS_TTL:
        return cached[1]
    cur.execute(
        "SELECT most_common_vals::text::text[], most_common_freqs FROM pg_stats "
        "WHERE tablename = %s AND attname = 'gram' AND schemaname = current_schema()",
        (GRAM_TABLE,),
    )
    row = cur.fetchone()
    frequencies = dict(zip(row[0], row[1], strict=True)) if row and row[0] is not None else {}
    if frequencies:  # none yet (a new table): read again next time
        _gram_stats[key] = (time.monotonic(), frequencies)
    return frequencies


def rarest_gram(cur, text: str) -> str:
    """The gram of the normalised term with the fewest entries by the table's statistics (a gram absent
    from its most common values is rarer than all of them); the last one without statistics."""
    term_grams = list(dict.fromkeys(text[start : start + MIN_FRAGMENT] for start in range(len(text) - 2)))
    frequencies = _gram_frequencies(cur)
    return min(reversed(term_grams), key=lambda gram: frequencies.get(gram, 0.0))


def name_ordered(cur, term: str, limit: int = WALK_LIMIT, wanted: int = 0):
    """Yields, step by step, ((name, lot id) of the lots whose serial holds ``term``, (name, lot id) of
    the last entry read or None once the walk is over): every match in the order of the names (then
    ids), each lot once; the caller stops when it has what it needs. WalkTooLong once ``limit`` gram
    entries are read and more remain.

    Until ``wanted`` matches are found, each step reads as many entries as the share of matches among
    the entries read so far says the rest needs (a term holding a common gram may match one entry in
    ten: growing the steps blindly would read several times what it needs); then they grow fourfold.
    """
    text = normalise_term(term)
    gram = rarest_gram(cur, text)
    seen, after, step, read = set(), None, WALK_FIRST, 0
    while True:
        if after is None:
            cur.execute(
                f"SELECT name, lot_id FROM {GRAM_TABLE} WHERE gram = %s ORDER BY name, lot_id LIMIT %s", (gram, step)
            )
        else:
            cur.execute(
                f"SELECT name, lot_id FROM {GRAM_TABLE} WHERE gram = %s AND (name, lot_id) > (%s, %s) "
                "ORDER BY name, lot_id LIMIT %s",
                (gram, *after, step),
            )
        rows = cur.fetchall()
        found = [(name, lot_id) for name, lot_id in rows if lot_id not in seen and holds(name, text)]
        seen.update(lot_id for _name, lot_id in found)
        read += len(rows)
        if len(rows) < step:
            yield found, None
            return
        yield found, rows[-1]
        if read >= limit:
            raise WalkTooLong(f"the serials holding {term!r} in name order need more than {limit} index entries")
        after, step = rows[-1], min(_next_step(step, read, len(seen), wanted), WALK_STEP_MAX)


def _next_step(step: int, read: int, matched: int, wanted: int) -> int:
    """Entries the walk's next step reads: what the matches so far per entry read say the ``wanted``
    matches still need, with a quarter more (at least a first step's worth); fourfold otherwise."""
    if not matched or matched >= wanted:
        return step * 4
    return max(WALK_FIRST, -(-(wanted - matched) * read * 5 // (matched * 4)))


def sort_before(cur, lot_ids, key: tuple[str, int]) -> bool:
    """Whether every lot of ``lot_ids`` sorts at or before ``key`` (name, lot id) in the host's order."""
    cur.execute(
        f"SELECT NOT EXISTS (SELECT 1 FROM {SOURCE_VIEW} WHERE lot_id = ANY(%s) AND (name, lot_id) > (%s, %s))",
        (list(lot_ids), *key),
    )
    return cur.fetchone()[0]


def check_sources(cur) -> None:
    """SearchIndexError unless the database holds the three views the index reads."""
    for view in (SOURCE_VIEW, LINK_SOURCE_VIEW, REF_NAME_VIEW):
        cur.execute("SELECT to_regclass(%s)", (view,))
        if cur.fetchone()[0] is None:
            raise SearchIndexError(f"this database has no {view} view: install the serial_tracking addon in it first")


def serial_names(cur, lot_ids: list[int]) -> dict[int, str]:
    """{lot id: serial} of the lots ``lot_ids``."""
    cur.execute(f"SELECT lot_id, name FROM {SOURCE_VIEW} WHERE lot_id = ANY(%s)", (list(lot_ids),))
    return dict(cur.fetchall())


def ensure_schema(cur) -> None:
    """Create the index tables when missing (idempotent)."""
    cur.execute(_SCHEMA)


def drop_schema(cur) -> None:
    cur.execute(f"DROP FUNCTION IF EXISTS {REFS_FUNCTION}(text, integer)")
    cur.execute(f"DROP TABLE IF EXISTS {', '.join(TABLES)}")


def _insert_suffixes(cur, table: str, gram_table: str, rows: Iterable[tuple[int, str]]) -> int:
    lot_ids, values, gram_lots, gram_values, gram_names = [], [], [], [], []
    for lot_id, name in rows:
        for suffix in suffixes(name):
            lot_ids.append(lot_id)
            values.append(suffix)
        for gram in grams(name):
            gram_lots.append(lot_id)
            gram_values.append(gram)
            gram_names.append(name[:NAME_KEPT])
    if values:
        cur.execute(
            f"INSERT INTO {table} (suffix, lot_id) SELECT unnest(%s::text[]), unnest(%s::integer[])",
            (values, lot_ids),
        )
        cur.execute(
            f"INSERT INTO {gram_table} (gram, name, lot_id) "
            "SELECT unnest(%s::text[]), unnest(%s::text[]), unnest(%s::integer[])",
            (gram_values, gram_names, gram_lots),
        )
    return len(values)


def reindex_lots(cur, lot_ids: list[int]) -> None:
    """Index the lots ``lot_ids`` as they are now in the sources; a lot gone from them leaves the index."""
    if not lot_ids:
        return
    cur.execute(f"DELETE FROM {SUFFIX_TABLE} WHERE lot_id = ANY(%s)", (lot_ids,))
    cur.execute(f"DELETE FROM {LINK_TABLE} WHERE lot_id = ANY(%s)", (lot_ids,))
    cur.execute(f"DELETE FROM {GRAM_TABLE} WHERE lot_id = ANY(%s)", (lot_ids,))
    cur.execute(f"SELECT lot_id, name FROM {SOURCE_VIEW} WHERE lot_id = ANY(%s)", (lot_ids,))
    _insert_suffixes(cur, SUFFIX_TABLE, GRAM_TABLE, cur.fetchall())
    cur.execute(
        f"INSERT INTO {LINK_TABLE} (kind, ref_id, lot_id) "
        f"SELECT DISTINCT kind, ref_id, lot_id FROM {LINK_SOURCE_VIEW} WHERE lot_id = ANY(%s)",
        (lot_ids,),
    )


def drain_batch(cur, batch_size: int = DRAIN_BATCH) -> int:
    """Take up to ``batch_size`` rows off the change log and re-index their lots, in the caller's
    transaction; returns the number of rows taken (0: the log is empty). The caller commits."""
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (INDEX_LOCK,))
    cur.execute(
        f"DELETE FROM {CHANGE_TABLE} WHERE id IN "
        f"(SELECT id FROM {CHANGE_TABLE} ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING lot_id",
        (batch_size,),
    )
    taken = [row[0] for row in cur.fetchall()]
    reindex_lots(cur, sorted(set(taken)))
    return len(taken)


def pending_changes(cur) -> int:
    """Rows waiting in the change log (0 when the index tables do not exist)."""
    cur.execute("SELECT to_regclass(%s)", (CHANGE_TABLE,))
    if cur.fetchone()[0] is None:
        return 0
    cur.execute(f"SELECT count(*) FROM {CHANGE_TABLE}")
    return cur.fetchone()[0]


def rebuild(cur, progress: Callable[[int, int], None] | None = None, chunk: int = REBUILD_CHUNK) -> dict:
    """Build the index from scratch into new tables and swap them in, in the caller's transaction.

    Searches keep using the old index until the commit. Changes logged before the rebuild started are
    covered by it and leave the log; later ones stay for the next drain. ``progress(done, total)`` is
    called after each chunk of lots. Returns {"lots", "suffixes", "links"}.
    """
    check_sources(cur)
    ensure_schema(cur)
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (INDEX_LOCK,))
    # Every change committed so far is read below; one committed later is still logged after this.
    cur.execute(f"DELETE FROM {CHANGE_TABLE}")
    cur.execute(f"SELECT count(*) FROM {SOURCE_VIEW}")
    total = cur.fetchone()[0]
    new_suffix, new_link, new_gram = f"{SUFFIX_TABLE}_new", f"{LINK_TABLE}_new", f"{GRAM_TABLE}_new"
    cur.execute(f"DROP TABLE IF EXISTS {new_suffix}, {new_link}, {new_gram}")
    cur.execute(f'CREATE TABLE {new_suffix} (suffix text COLLATE "C" NOT NULL, lot_id integer NOT NULL)')
    cur.execute(f"CREATE TABLE {new_link} (kind text NOT NULL, ref_id integer NOT NULL, lot_id integer NOT NULL)")
    cur.execute(
        f'CREATE TABLE {new_gram} (gram text COLLATE "C" NOT NULL, name text NOT NULL, lot_id integer NOT NULL)'
    )
    done = suffix_count = 0
    last_id = 0
    while True:
        cur.execute(
            f"SELECT lot_id, name FROM {SOURCE_VIEW} WHERE lot_id > %s ORDER BY lot_id LIMIT %s", (last_id, chunk)
        )
        rows = cur.fetchall()
        if not rows:
            break
        suffix_count += _insert_suffixes(cur, new_suffix, new_gram, rows)
        first_id, last_id = rows[0][0], rows[-1][0]
        cur.execute(
            f"INSERT INTO {new_link} (kind, ref_id, lot_id) SELECT DISTINCT kind, ref_id, lot_id "
            f"FROM {LINK_SOURCE_VIEW} WHERE lot_id BETWEEN %s AND %s",
            (first_id, last_id),
        )
        done += len(rows)
        if progress:
            progress(done, total)
    cur.execute(f"SELECT count(*) FROM {new_link}")
    link_count = cur.fetchone()[0]
    cur.execute(f"ALTER TABLE {new_suffix} ADD CONSTRAINT {new_suffix}_pkey PRIMARY KEY (suffix, lot_id)")
    cur.execute(f"CREATE INDEX {new_suffix}_lot_idx ON {new_suffix} (lot_id)")
    cur.execute(f"ALTER TABLE {new_link} ADD CONSTRAINT {new_link}_pkey PRIMARY KEY (kind, ref_id, lot_id)")
    cur.execute(f"CREATE INDEX {new_link}_lot_idx ON {new_link} (lot_id)")
    cur.execute(f"ALTER TABLE {new_gram} ADD CONSTRAINT {new_gram}_pkey PRIMARY KEY (gram, name, lot_id)")
    cur.execute(f"CREATE INDEX {new_gram}_lot_idx ON {new_gram} (lot_id)")
    cur.execute(f"ALTER TABLE {new_gram} ALTER COLUMN gram SET STATISTICS 2000")
    for old, new in ((SUFFIX_TABLE, new_suffix), (LINK_TABLE, new_link), (GRAM_TABLE, new_gram)):
        cur.execute(f"DROP TABLE {old}")
        cur.execute(f"ALTER TABLE {new} RENAME TO {old}")
        cur.execute(f"ALTER INDEX {new}_pkey RENAME TO {old}_pkey")
        cur.execute(f"ALTER INDEX {new}_lot_idx RENAME TO {old}_lot_idx")
    # The walk in name order picks its gram by the new table's statistics.
    cur.execute(f"ANALYZE {GRAM_TABLE}")
    return {"lots": done, "suffixes": suffix_count, "links": link_count}


def index_size(cur) -> dict:
    """Bytes on disk of each index table with its b-trees."""
    sizes = {}
    for table in (SUFFIX_TABLE, LINK_TABLE, GRAM_TABLE):
        cur.execute("SELECT pg_total_relation_size(%s::regclass)", (table,))
        sizes[table] = cur.fetchone()[0]
    return sizes
