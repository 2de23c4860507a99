"""Blocks: contiguous ranges of a counter reserved for one holder (a site, a line, a printer).

Reserving moves the counter past the block (serial_core.counters.reserve), so allocation skips
the block's numbers for good: they reach nobody but the holder. Releasing gives up the unused
tail except the first `keep` numbers; the released numbers are not handed back to the counter
(that would reissue them to someone else after the holder may have printed them), they stay a
hole. An expired block issues nothing more.

A block's serials always render in the series it was reserved in: its series key (the format
with every non-counter token rendered) is kept with it, so a block reserved on 2024-12-01 of
``[[DATE]]-[[INCNUM,NONE,3]]`` issues 2024-12-01-0xx serials on any later day too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import counters
from .errors import StoreError
from .formats import COUNTER_MARKER, parse_format
from .sequences import get_sequence


@dataclass(frozen=True)
class Block:
    """One row of serial_block, with its sequence's code."""

    id: int
    sequence_code: str
    holder: str
    series_key: str
    period_key: str
    first: int
    last: int
    next_unused: int
    expires_at: dt.datetime | None
    released_at: dt.datetime | None
    company: str | None = None
    digits: int = 1

    @property
    def remaining(self) -> int:
        """Numbers the holder can still take."""
        return self.last - self.next_unused + 1

    def render(self, values) -> list[str]:
        """The serials of counter values in this block's series."""
        before, _, after = self.series_key.partition(COUNTER_MARKER)
        return [f"{before}{str(value).zfill(self.digits)}{after}" for value in values]


_SELECT = """
    SELECT b.id, s.code, b.holder, c.series_key, c.period_key, b.first_value, b.last_value,
           b.next_unused, b.expires_at, b.released_at, s.company, b.digits
    FROM serial_block b
    JOIN serial_counter c ON c.id = b.counter_id
    JOIN serial_sequence s ON s.id = c.sequence_id
"""


def _check_count(n, what="count"):
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise StoreError(f"{what} must be a whole number >= 1, not {n!r}")


def _context_with_company(sequence, context):
    context = dict(context or {})
    if sequence.company is not None:
        context.setdefault("company", sequence.company)
    return context


def reserve_block(cur, code, n, holder, *, expires_at=None, when=None, context=None, company=None) -> Block:
    """Reserve the next n numbers of the series of (when, context) for holder."""
    _check_count(n)
    if not isinstance(holder, str) or not holder.strip():
        raise StoreError(f"a block needs a holder (site, line, printer), not {holder!r}")
    sequence = get_sequence(cur, code, company=company)
    fmt = parse_format(sequence.format)
    when = when or dt.datetime.now()
    context = _context_with_company(sequence, context)
    series_key = fmt.series_key(when, context)
    if series_key.count(COUNTER_MARKER) != 1:
        raise StoreError(
            f"sequence {sequence.label}: the context renders the marker {COUNTER_MARKER} "
            f"into series {series_key!r}; a block cannot be rendered from it"
        )
    counter = counters.ensure_counter(cur, sequence, fmt.counter.start, series_key, fmt.period_key(when))
    first = counters.reserve(cur, counter, n)
    cur.execute(
        """
        INSERT INTO serial_block (counter_id, holder, digits, first_value, last_value,
                                  reserved_last, next_unused, expires_at)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
        RETURNING id
        """,
        (counter.id, holder.strip(), fmt.counter.digits, first, first + n - 1, first + n - 1, first, expires_at),
    )
    return get_block(cur, cur.fetchone()[0])


def get_block(cur, block_id, *, for_update=False) -> Block:
    """The block; StoreError when there is none with that id."""
    lock = " FOR UPDATE OF b" if for_update else ""
    cur.execute(f"{_SELECT} WHERE b.id = %s{lock}", (block_id,))
    row = cur.fetchone()
    if row is None:
        raise StoreError(f"unknown block {block_id}")
    return Block(*row)


def list_blocks(cur, *, code=None, holder=None, include_released=False) -> list[Block]:
    """Blocks by id; a released block is left out once nothing of it remains to be taken."""
    where, params = [], []
    if code is not None:
        where.append("s.code = %s")
        params.append(code)
    if holder is not None:
        where.append("b.holder = %s")
        params.append(holder)
    if not include_released:
        where.append("(b.released_at IS NULL OR b.next_unused <= b.last_value)")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    cur.execute(f"{_SELECT}{clause} ORDER BY b.id", params)
    return [Block(*row) for row in cur.fetchall()]


def release_block(cur, block_id, keep=0) -> Block:
    """Give up the unused numbers past the first `keep`; they are never issued to anyone."""
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 0:
        raise StoreError(f"keep must be a whole number >= 0, not {keep!r}")
    block = get_block(cur, block_id, for_update=True)
    if keep > block.remaining:
        raise StoreError(f"block {block.id} ({block.holder}) has {block.remaining} unused numbers; cannot keep {keep}")
    cur.execute(
        "UPDATE serial_block SET last_value = %s, released_at = now() WHERE id = %s",
        (block.next_unused + keep - 1, block.id),
    )
    return get_block(cur, block.id)


def _check_series(block, when, context, cur):
    """A date or context given with a block must point at the block's own series."""
    if when is None and not context:
        return
    cur.execute(
        """
        SELECT s.format, s.company FROM serial_block b
        JOIN serial_counter c ON c.id = b.counter_id
        JOIN serial_sequence s ON s.id = c.sequence_id WHERE b.id = %s
        """,
        (block.id,),
    )
    fmt_text, company = cur.fetchone()
    fmt = parse_format(fmt_text)
    when = when or dt.datetime.now()
    context = dict(context or {})
    if company is not None:
        context.setdefault("company", company)
    series_key, period_key = fmt.series_key(when, context), fmt.period_key(when)
    if (series_key, period_key) != (block.series_key, block.period_key):
        raise StoreError(
            f"block {block.id} numbers series {block.series_key!r} "
            f"{block.period_key or '(no reset)'}; the date and context given make "
            f"{series_key!r} {period_key or '(no reset)'}"
        )


def take_from_block(cur, block_id, n, *, when=None, context=None) -> list[str]:
    """Issue the block's next n serials; StoreError if it expired or has fewer than n left."""
    _check_count(n)
    block = get_block(cur, block_id, for_update=True)
    _check_series(block, when, context, cur)
    cur.execute(
        "SELECT expires_at IS NOT NULL AND expires_at <= now() FROM serial_block WHERE id = %s",
        (block.id,),
    )
    if cur.fetchone()[0]:
        raise StoreError(f"block {block.id} ({block.holder}) expired at {block.expires_at:%Y-%m-%d %H:%M}")
    if n > block.remaining:
        state = "was released" if block.released_at else "is exhausted"
        raise StoreError(f"block {block.id} ({block.holder}) {state}: {block.remaining} numbers left, {n} asked")
    cur.execute("UPDATE serial_block SET next_unused = next_unused + %s WHERE id = %s", (n, block.id))
    return block.render(range(block.next_unused, block.next_unused + n))


def render_block_numbers(cur, block_id, first_value, count, *, when=None, context=None):
    """Serials of block values first_value .. first_value+count-1, issuing nothing.

    For callers that track their own progress inside a block (the worker's idempotent chunks).
    """
    _check_count(count)
    block = get_block(cur, block_id)
    _check_series(block, when, context, cur)
    if first_value < block.first or first_value + count - 1 > block.last:
        raise StoreError(
            f"block {block.id} holds {block.first}..{block.last}; "
            f"{first_value}..{first_value + count - 1} is outside it"
        )
    return block.render(range(first_value, first_value + count))
