"""The serial rules of one transaction line: count, duplicates and pattern.

check_line() reports every problem it finds and blocks nothing itself; the caller decides what
stops a save. Kinds:

* ``fractional_quantity`` - a serial-tracked quantity must be whole (3.0 is, 2.5 is not); the
  count is not compared then, since no count of serials can equal 2.5;
* ``count_mismatch`` - the number of serials entered must equal the quantity, reported as
  "entered / required" ("5 / 10 serial numbers entered");
* ``duplicate`` - each serial entered more than once, reported once;
* ``pattern`` - each serial that breaks the item's pattern, reported once with the reason.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter as _Tally
from dataclasses import dataclass
from decimal import Decimal

from .patterns import SerialPattern, compile_pattern

KINDS = ("fractional_quantity", "count_mismatch", "duplicate", "pattern")


@dataclass(frozen=True)
class Problem:
    """One broken rule; `serial` is None for problems of the whole line."""

    kind: str
    serial: str | None
    message: str


def _whole_quantity(quantity):
    """The quantity as an int, or None when it is not a whole number."""
    if isinstance(quantity, bool) or not isinstance(quantity, numbers.Real | Decimal):
        raise TypeError(f"quantity must be a number, not {type(quantity).__name__}")
    if isinstance(quantity, numbers.Integral):
        return int(quantity)
    if isinstance(quantity, float) and not math.isfinite(quantity):
        return None
    if isinstance(quantity, Decimal) and not quantity.is_finite():
        return None
    whole = int(quantity)
    return whole if whole == quantity else None


def check_line(serials, quantity, pattern=None):
    """Every problem of a line's serials against its quantity and (optional) pattern.

    `pattern` is pattern text or a SerialPattern; a malformed pattern raises PatternError,
    since that is a set-up fault and not a problem of the serials.
    """
    serials = list(serials)
    if isinstance(pattern, str):
        pattern = compile_pattern(pattern)
    elif pattern is not None and not isinstance(pattern, SerialPattern):
        raise TypeError(f"pattern must be text or a SerialPattern, not {type(pattern).__name__}")

    problems = []
    required = _whole_quantity(quantity)
    if required is None:
        problems.append(
            Problem(
                "fractional_quantity",
                None,
                f"quantity {quantity} is not a whole number; serial-tracked quantities must be whole",
            )
        )
    elif len(serials) != required:
        problems.append(
            Problem(
                "count_mismatch",
                None,
                f"{len(serials)} / {required} serial numbers entered",
            )
        )

    tally = _Tally(serials)
    for serial, times in tally.items():  # in order of first appearance
        if times > 1:
            problems.append(Problem("duplicate", serial, f"{serial} is entered {times} times"))

    if pattern is not None:
        for serial in tally:
            reason = pattern.check(serial)
            if reason is not None:
                problems.append(Problem("pattern", serial, f"{serial}: {reason}"))
    return problems
