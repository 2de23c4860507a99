"""Counters: one per (sequence, series key, period key), and the two ways they issue numbers.

Gap-free sequences -- the serial_counter row is the counter. Issuing n numbers is one
``UPDATE ... SET last_value = last_value + n RETURNING last_value`` in the caller's transaction.
The row lock it takes is held until the caller commits, so concurrent callers queue on it and
each gets a contiguous range; a rollback undoes the update, so no number is lost. The price:
one allocation at a time per counter, for as long as the caller's transaction lasts.

Other sequences -- each counter row owns a PostgreSQL SEQUENCE (created with the row, on first
use) and numbers come from ``nextval``, which is not transactional: no lock is held until the
caller commits, callers never wait for each other, and numbers issued in a transaction that
rolls back are simply never used (a hole; never a repeat). n numbers are n nextval calls in one
statement (generate_series): each is atomic, so concurrent callers get disjoint numbers, but a
batch may interleave with another caller's. A single ``setval(nextval + n - 1)`` reservation
would be faster but is two steps: another caller's nextval between them would land inside the
range. The trade-offs: one small relation per counter (a DAILY format numbered per product
makes one a day per product), and a counter's first use is an INSERT whose unique index makes
concurrent first users of that same counter wait for the creator's commit.

Contiguous reservations (blocks) and set-next need the counter to stand still. ``fence`` takes
the row lock and, for a sequence-backed counter, ``ALTER SEQUENCE`` (a no-op change) whose
SHARE ROW EXCLUSIVE lock waits for transactions that called nextval on it to end and holds off
new nextval calls until the caller commits. After the fence, reading the last value and
setval-ing past the reserved range is atomic with respect to every other caller. The ALTER
also gives the sequence new storage in the caller's transaction, which makes the setval that
follows transactional: a reservation or set-next that rolls back is undone whole (the numbers
return to the counter; nobody else could draw any meanwhile), one that commits stays.

Nothing here commits or rolls back; every statement uses %s parameters only, so any DB-API
cursor works (psycopg2, or Odoo's env.cr).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import StoreError

_PG_SEQUENCE_NAME = re.compile(r"serial_counter_seq_[0-9]+")


@dataclass(frozen=True)
class CounterRow:
    """One row of serial_counter."""

    id: int
    series_key: str
    period_key: str
    last_value: int
    pg_sequence: str | None


_COLUMNS = "id, series_key, period_key, last_value, pg_sequence"


def _pg_sequence_name(counter_id):
    return f"serial_counter_seq_{int(counter_id)}"


def _checked(name):
    # Sequence names are made here from an integer id; checking keeps them safe to interpolate.
    if not _PG_SEQUENCE_NAME.fullmatch(name or ""):
        raise StoreError(f"serial_counter holds an unexpected sequence name {name!r}")
    return name


def _create_pg_sequence(cur, counter_id, next_value):
    name = _pg_sequence_name(counter_id)
    cur.execute(
        f"CREATE SEQUENCE {name} AS bigint MINVALUE 0 START %s NO CYCLE",
        (max(0, next_value),),
    )
    return name


def find_counter(cur, sequence_id, series_key, period_key, *, for_update=False):
    """The counter row, or None when nothing was ever issued in that series and period."""
    lock = " FOR UPDATE" if for_update else ""
    cur.execute(
        f"""
        SELECT {_COLUMNS} FROM serial_counter
        WHERE sequence_id = %s AND series_key = %s AND period_key = %s{lock}
        """,
        (sequence_id, series_key, period_key),
    )
    row = cur.fetchone()
    return CounterRow(*row) if row else None


def ensure_counter(cur, sequence, start, series_key, period_key, *, for_update=False):
    """The counter row, created (with its PostgreSQL sequence unless gap-free) when missing."""
    counter = find_counter(cur, sequence.id, series_key, period_key, for_update=for_update)
    if counter is not None:
        return counter
    cur.execute(
        """
        INSERT INTO serial_counter (sequence_id, series_key, period_key, last_value)
        VALUES (%s, %s, %s, %s)
        ON CONFLICT (sequence_id, series_key, period_key) DO NOTHING
        RETURNING id
        """,
        (sequence.id, series_key, period_key, start - 1),
    )
    row = cur.fetchone()
    if row is not None and not sequence.gap_free:
        name = _create_pg_sequence(cur, row[0], start)
        cur.execute("UPDATE serial_counter SET pg_sequence = %s WHERE id = %s", (name, row[0]))
    # Another transaction may have created it first (the INSERT waited for its commit).
    return find_counter(cur, sequence.id, series_key, period_key, for_update=for_update)


def issue(cur, sequence, start, series_key, period_key, n) -> list[int]:
    """Issue n numbers of the counter, creating it if needed; ascending, never issued before."""
    if sequence.gap_free:
        return _issue_gap_free(cur, sequence, start, series_key, period_key, n)
    return _issue_from_pg_sequence(cur, sequence, start, series_key, period_key, n)


def _issue_gap_free(cur, sequence, start, series_key, period_key, n):
    # UPDATE first: the steady state is one statement, with no wasted insert attempt.
    update = """
        UPDATE serial_counter SET last_value = last_value + %s
        WHERE sequence_id = %s AND series_key = %s AND period_key = %s
        RETURNING last_value
    """
    params = (n, sequence.id, series_key, period_key)
    cur.execute(update, params)
    row = cur.fetchone()
    if row is None:
        cur.execute(
            """
            INSERT INTO serial_counter (sequence_id, series_key, period_key, last_value)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (sequence_id, series_key, period_key)
            DO UPDATE SET last_value = serial_counter.last_value + %s
            RETURNING last_value
            """,
            (sequence.id, series_key, period_key, start - 1 + n, n),
        )
        row = cur.fetchone()
    last = row[0]
    return list(range(last - n + 1, last + 1))


def _issue_from_pg_sequence(cur, sequence, start, series_key, period_key, n):
    # One round trip in the steady state: find the counter's sequence and draw n values.
    draw = """
        SELECT nextval(c.pg_sequence::regclass)
        FROM serial_counter c, generate_series(1, %s)
        WHERE c.sequence_id = %s AND c.series_key = %s AND c.period_key = %s
          AND c.pg_sequence IS NOT NULL
    """
    params = (n, sequence.id, series_key, period_key)
    cur.execute(draw, params)
    values = [row[0] for row in cur.fetchall()]
    if not values:
        counter = ensure_counter(cur, sequence, start, series_key, period_key)
        if counter.pg_sequence is None:
            raise StoreError(
                f"sequence {sequence.label}: counter {series_key!r} {period_key!r} has no "
                f"PostgreSQL sequence although the sequence is not gap-free"
            )
        cur.execute(draw, params)
        values = [row[0] for row in cur.fetchall()]
    values.sort()
    return values


def fence(cur, counter: CounterRow) -> CounterRow:
    """Stop the counter issuing numbers to anyone else until the caller's transaction ends."""
    cur.execute(f"SELECT {_COLUMNS} FROM serial_counter WHERE id = %s FOR UPDATE", (counter.id,))
    counter = CounterRow(*cur.fetchone())
    if counter.pg_sequence is not None:
        cur.execute(f"ALTER SEQUENCE {_checked(counter.pg_sequence)} NO CYCLE")
    return counter


def last_issued(cur, counter: CounterRow) -> int:
    """The last number issued or reserved (start - 1 when none was)."""
    if counter.pg_sequence is None:
        cur.execute("SELECT last_value FROM serial_counter WHERE id = %s", (counter.id,))
        return cur.fetchone()[0]
    cur.execute(f"SELECT last_value, is_called FROM {_checked(counter.pg_sequence)}")
    value, is_called = cur.fetchone()
    return value if is_called else value - 1


def set_last_issued(cur, counter: CounterRow, value: int) -> None:
    """Make value + 1 the next number; call fence() first."""
    if counter.pg_sequence is None:
        cur.execute("UPDATE serial_counter SET last_value = %s WHERE id = %s", (value, counter.id))
    else:
        cur.execute("SELECT setval(%s::regclass, %s, false)", (counter.pg_sequence, value + 1))


def reserve(cur, counter: CounterRow, n: int) -> int:
    """Take n contiguous numbers off the counter; return the first."""
    counter = fence(cur, counter)
    first = last_issued(cur, counter) + 1
    set_last_issued(cur, counter, first + n - 1)
    return first


def switch_mode(cur, sequence_id, *, gap_free):
    """Move every counter of a sequence to the row (gap_free) or to its own PostgreSQL sequence,
    continuing from the last number issued."""
    cur.execute(
        f"SELECT {_COLUMNS} FROM serial_counter WHERE sequence_id = %s ORDER BY id",
        (sequence_id,),
    )
    for counter in [CounterRow(*row) for row in cur.fetchall()]:
        counter = fence(cur, counter)
        last = last_issued(cur, counter)
        if gap_free and counter.pg_sequence is not None:
            cur.execute(f"DROP SEQUENCE {_checked(counter.pg_sequence)}")
            cur.execute(
                "UPDATE serial_counter SET last_value = %s, pg_sequence = NULL WHERE id = %s",
                (last, counter.id),
            )
        elif not gap_free and counter.pg_sequence is None:
            name = _create_pg_sequence(cur, counter.id, last + 1)
            cur.execute(
                "UPDATE serial_counter SET last_value = %s, pg_sequence = %s WHERE id = %s",
                (last, name, counter.id),
            )


def drop_pg_sequences(cur, sequence_id):
    """Drop the PostgreSQL sequences of a sequence's counters (before deleting its rows)."""
    cur.execute(
        "SELECT pg_sequence FROM serial_counter WHERE sequence_id = %s AND pg_sequence IS NOT NULL",
        (sequence_id,),
    )
    for (name,) in cur.fetchall():
        cur.execute(f"DROP SEQUENCE IF EXISTS {_checked(name)}")
