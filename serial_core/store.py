"""The allocation store: sequences, counters and blocks in engine-owned PostgreSQL tables.

Every function takes a DB-API cursor and works in the caller's transaction: it never commits
or rolls back, uses %s parameters only, and needs nothing but execute/fetchone/fetchall, so
Odoo's env.cr works as well as a psycopg2 cursor. The caller commits (the `serials` command
does after each command). Tables are created by migrate() (serial_core.migrations).

Numbering (serial_core.counters explains the mechanisms):

* gap-free sequences count in a table row updated in the caller's transaction: concurrent
  callers queue on the row until the holder commits and get contiguous ranges; a rollback
  leaves no hole;
* other sequences draw from a PostgreSQL SEQUENCE per counter: callers never wait for each
  other's commits, and a rollback leaves a hole (numbers never reused);
* either way a serial is never issued twice by the store. set_next can move a counter back
  (an administrator's decision; the command warns), but never onto a block.

Inside Odoo, pass env.cr. Odoo runs transactions in REPEATABLE READ: a gap-free counter that
another transaction updated and committed after this one's snapshot raises psycopg2's
SerializationFailure, which Odoo answers by retrying the whole request -- let it propagate.
Sequence-backed counters never conflict that way (nextval ignores snapshots); a retried request
simply draws new numbers. Pass `when` in the user's time zone (the period keys are calendar
days, weeks, months and years of `when`), and block expiries as aware datetimes.

Module map: sequences.py (Sequence and its CRUD), counters.py (issuing numbers), blocks.py
(reserved ranges), migrations.py (DDL). This module is the one entry point; import from here.
"""

from __future__ import annotations

import datetime as dt

from . import counters
from .blocks import (  # re-exported: the store's public interface (__all__)
    Block,
    get_block,
    list_blocks,
    release_block,
    render_block_numbers,
    reserve_block,
    take_from_block,
)
from .errors import StoreError
from .formats import parse_format
from .migrations import migrate, schema_version
from .sequences import (
    Sequence,
    create_sequence,
    delete_sequence,
    get_sequence,
    list_sequences,
    update_sequence,
)

__all__ = [
    "Block",
    "Sequence",
    "migrate",
    "schema_version",
    "create_sequence",
    "get_sequence",
    "list_sequences",
    "update_sequence",
    "delete_sequence",
    "allocate",
    "peek",
    "next_value",
    "set_next",
    "reserve_block",
    "get_block",
    "list_blocks",
    "release_block",
    "take_from_block",
    "render_block_numbers",
]


def _check_count(n):
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise StoreError(f"count must be a whole number >= 1, not {n!r}")


def _counter_address(cur, code, when, context, company):
    """(sequence, format, series key, period key) that a call numbers in."""
    sequence = get_sequence(cur, code, company=company)
    fmt = parse_format(sequence.format)
    context = dict(context or {})
    if sequence.company is not None:
        context.setdefault("company", sequence.company)
    when = when or dt.datetime.now()
    return sequence, fmt, context, when, fmt.series_key(when, context), fmt.period_key(when)


def _render(fmt, values, when, context):
    """Render ascending counter values, one render_many per contiguous run."""
    serials, index = [], 0
    while index < len(values):
        end = index + 1
        while end < len(values) and values[end] == values[end - 1] + 1:
            end += 1
        serials.extend(fmt.render_many(values[index], end - index, when, context))
        index = end
    return serials


def allocate(cur, code, n, *, when=None, context=None, company=None) -> list[str]:
    """Issue n serials of sequence `code` for date-time `when` (default: now, local time).

    context maps product / location / company to the codes the format's tokens need; the
    sequence's own company fills [[COMPANY]] unless given. The serials are in counter order.
    """
    _check_count(n)
    sequence, fmt, context, when, series_key, period_key = _counter_address(cur, code, when, context, company)
    # Render one first: a missing context token fails before any number is issued.
    fmt.render(fmt.counter.start, when, context)
    values = counters.issue(cur, sequence, fmt.counter.start, series_key, period_key, n)
    return _render(fmt, values, when, context)


def _next_value(cur, sequence, fmt, series_key, period_key):
    counter = counters.find_counter(cur, sequence.id, series_key, period_key)
    if counter is None:
        return fmt.counter.start
    return counters.last_issued(cur, counter) + 1


def next_value(cur, code, *, when=None, context=None, company=None) -> int:
    """The counter value the next allocation of that series would get (issues nothing)."""
    sequence, fmt, _, _, series_key, period_key = _counter_address(cur, code, when, context, company)
    return _next_value(cur, sequence, fmt, series_key, period_key)


def peek(cur, code, n, *, when=None, context=None, company=None) -> list[str]:
    """The n serials the next allocation would issue if nobody else allocates first."""
    _check_count(n)
    sequence, fmt, context, when, series_key, period_key = _counter_address(cur, code, when, context, company)
    first = _next_value(cur, sequence, fmt, series_key, period_key)
    return fmt.render_many(first, n, when, context)


def set_next(cur, code, last_issued, *, when=None, context=None, company=None) -> int:
    """Make last_issued + 1 the next number of the series of (when, context); return it.

    Setting 17 makes the next serial issued end in 18. Moving back is
    allowed (the administrator knows what was issued elsewhere); moving onto or below a block's
    numbers is refused, since those belong to the block's holder.
    """
    if isinstance(last_issued, bool) or not isinstance(last_issued, int) or last_issued < 0:
        raise StoreError(f"the last issued number must be a whole number >= 0, not {last_issued!r}")
    sequence, fmt, context, when, series_key, period_key = _counter_address(cur, code, when, context, company)
    counter = counters.ensure_counter(cur, sequence, fmt.counter.start, series_key, period_key)
    counter = counters.fence(cur, counter)
    cur.execute(
        """
        SELECT id, holder, first_value, reserved_last FROM serial_block
        WHERE counter_id = %s AND reserved_last > %s
        ORDER BY first_value LIMIT 1
        """,
        (counter.id, last_issued),
    )
    clash = cur.fetchone()
    if clash is not None:
        block_id, holder, first, last = clash
        raise StoreError(
            f"sequence {sequence.label}: numbers {first}..{last} of series {series_key!r} are "
            f"reserved by block {block_id} ({holder}); the last issued number must be "
            f"{last} or more"
        )
    counters.set_last_issued(cur, counter, last_issued)
    return last_issued + 1
