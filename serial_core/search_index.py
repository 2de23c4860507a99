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

``drain_batch`` re-indexes the lots named in the change log (never a full rescan); ``rebuild`` builds
the index from scratch. Both work through any DB-API cursor in the caller's transaction and take one
advisory lock, so two drains (or a drain and a rebuild) never interleave on the same lots.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .errors import SerialError

MIN_FRAGMENT = 3  # shorter fragments match too many serials to be worth an index entry
MAX_SUFFIX = 100  # characters of a suffix kept (a b-tree entry is bounded); longer terms match on these
DRAIN_BATCH = 5000  # change-log rows handled per transaction
REBUILD_CHUNK = 20000  # lots read per statement while rebuilding

CHANGE_TABLE = "serial_search_change"
SUFFIX_TABLE = "serial_search_suffix"
LINK_TABLE = "serial_search_link"
SOURCE_VIEW = "serial_search_source"
LINK_SOURCE_VIEW = "serial_search_link_source"
REF_NAME_VIEW = "serial_search_ref_name"
TABLES = (CHANGE_TABLE, SUFFIX_TABLE, LINK_TABLE)
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
# Lots linked to given (kind, ref_id) pairs: primary-key lookups of the link table.
_LINK_MATCH = (
    f"SELECT lot_id FROM {LINK_TABLE} WHERE (kind, ref_id) IN (SELECT unnest(%s::text[]), unnest(%s::integer[]))"
)
MAX_REFS = 1000  # products, partners and documents a bounded search follows at most


class SearchTermError(SerialError):
    """A search term the index cannot answer (too short)."""


class SearchIndexError(SerialError):
    """The database lacks what the index reads (the host's views)."""


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


def _link_params(refs):
    return [kind for kind, _ in refs], [ref_id for _, ref_id in refs]


def match_query(cur, term: str) -> tuple[str, tuple]:
    """(SQL, parameters) selecting the lot_id of every lot matching ``term``, some more than once (unbounded,
    for ``lot_id IN (...)``). SearchTermError for a term too short."""
    pattern = prefix_pattern(term)
    refs = matching_refs(cur, term)
    if not refs:
        return _SERIAL_MATCH, (pattern,)
    return f"{_SERIAL_MATCH} UNION {_LINK_MATCH}", (pattern, *_link_params(refs))


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
            cur.execute(f"{_LINK_MATCH} LIMIT %s", (*_link_params(refs), limit * 4))
            found = list(dict.fromkeys(found + [row[0] for row in cur.fetchall()]))[:limit]
    return found


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


def _insert_suffixes(cur, table: str, rows: Iterable[tuple[int, str]]) -> int:
    lot_ids, values = [], []
    for lot_id, name in rows:
        for suffix in suffixes(name):
            lot_ids.append(lot_id)
            values.append(suffix)
    if values:
        cur.execute(
            f"INSERT INTO {table} (suffix, lot_id) SELECT unnest(%s::text[]), unnest(%s::integer[])",
            (values, lot_ids),
        )
    return len(values)


def reindex_lots(cur, lot_ids: list[int]) -> None:
    """Index the lots ``lot_ids`` as they are now in the sources; a lot gone from them leaves the index."""
    if not lot_ids:
        return
    cur.execute(f"DELETE FROM {SUFFIX_TABLE} WHERE lot_id = ANY(%s)", (lot_ids,))
    cur.execute(f"DELETE FROM {LINK_TABLE} WHERE lot_id = ANY(%s)", (lot_ids,))
    cur.execute(f"SELECT lot_id, name FROM {SOURCE_VIEW} WHERE lot_id = ANY(%s)", (lot_ids,))
    _insert_suffixes(cur, SUFFIX_TABLE, cur.fetchall())
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
    new_suffix, new_link = f"{SUFFIX_TABLE}_new", f"{LINK_TABLE}_new"
    cur.execute(f"DROP TABLE IF EXISTS {new_suffix}, {new_link}")
    cur.execute(f'CREATE TABLE {new_suffix} (suffix text COLLATE "C" NOT NULL, lot_id integer NOT NULL)')
    cur.execute(f"CREATE TABLE {new_link} (kind text NOT NULL, ref_id integer NOT NULL, lot_id integer NOT NULL)")
    done = suffix_count = 0
    last_id = 0
    while True:
        cur.execute(
            f"SELECT lot_id, name FROM {SOURCE_VIEW} WHERE lot_id > %s ORDER BY lot_id LIMIT %s", (last_id, chunk)
        )
        rows = cur.fetchall()
        if not rows:
            break
        suffix_count += _insert_suffixes(cur, new_suffix, rows)
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
    for old, new in ((SUFFIX_TABLE, new_suffix), (LINK_TABLE, new_link)):
        cur.execute(f"DROP TABLE {old}")
        cur.execute(f"ALTER TABLE {new} RENAME TO {old}")
        cur.execute(f"ALTER INDEX {new}_pkey RENAME TO {old}_pkey")
        cur.execute(f"ALTER INDEX {new}_lot_idx RENAME TO {old}_lot_idx")
    return {"lots": done, "suffixes": suffix_count, "links": link_count}


def index_size(cur) -> dict:
    """Bytes on disk of each index table with its b-trees."""
    sizes = {}
    for table in (SUFFIX_TABLE, LINK_TABLE):
        cur.execute("SELECT pg_total_relation_size(%s::regclass)", (table,))
        sizes[table] = cur.fetchone()[0]
    return sizes
