"""The auto-serial format language.

A format is literal text with tokens in double brackets::

    SN-[[PRODUCT]]-[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4]]

* exactly one counter token ``[[INCNUM,RESET,DIGITS]]`` or ``[[INCNUM,RESET,DIGITS,START]]``:
  RESET is one of RESETS, DIGITS the minimum width (1..MAX_DIGITS, zero-padded; a larger value
  widens, it never wraps), START the first value (>= 0, default 1);
* date tokens ``[[DATE]]`` (YYYY-MM-DD), ``[[YEAR]]``, ``[[YY]]``, ``[[MONTH]]``, ``[[DAY]]``,
  ``[[WEEK]]`` (ISO week, 2 digits), ``[[DOY]]`` (day of year, 3 digits), ``[[HOUR]]`` (00-23),
  ``[[MINUTE]]``; every date token has a fixed width;
* context tokens ``[[PRODUCT]]``, ``[[LOCATION]]``, ``[[COMPANY]]``, filled from a mapping with
  the lowercase keys product / location / company.

Tokens are written exactly as above: upper case, no spaces. ``[[date]]`` or ``[[INCNUM, NONE, 4]]``
is an unknown token, rejected with a hint, so one format never has two spellings. Text outside
``[[...]]`` (including a lone ``]]``) is literal.

Series rule: a counter belongs to its *series*, the format with every non-counter token rendered
(``series_key``); RESET additionally restarts it at each period boundary (``period_key``). A store
keeps one counter per (sequence, series_key, period_key) and starts a new one at ``counter.start``.

Rendering is pure: nothing here reads the clock or keeps state. ``when`` is a ``datetime`` (or a
``date``, taken as midnight) in whatever time zone the caller numbers in.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass, field

from .errors import FormatError

RESETS = ("NONE", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")

# DIGITS above this is almost surely a typo, and would make every serial that long.
MAX_DIGITS = 30
# START is kept to what a BIGINT column can hold.
MAX_START = 2**63 - 1

COUNTER_MARKER = "[[#]]"
_COUNTER_NAME = "INCNUM"


def _date(when):
    return f"{when.year:04d}-{when.month:02d}-{when.day:02d}"


# Token name -> renders it from the datetime. Each has a fixed width, so a series key never
# lets two different dates render to the same text.
DATE_TOKENS = {
    "DATE": _date,
    "YEAR": lambda when: f"{when.year:04d}",
    "YY": lambda when: f"{when.year % 100:02d}",
    "MONTH": lambda when: f"{when.month:02d}",
    "DAY": lambda when: f"{when.day:02d}",
    "WEEK": lambda when: f"{when.isocalendar()[1]:02d}",
    "DOY": lambda when: f"{when.timetuple().tm_yday:03d}",
    "HOUR": lambda when: f"{when.hour:02d}",
    "MINUTE": lambda when: f"{when.minute:02d}",
}
# Token name -> key in the context mapping.
CONTEXT_TOKENS = {"PRODUCT": "product", "LOCATION": "location", "COMPANY": "company"}

# Which calendar fields a token pins down; used to tell whether a reset can repeat serials.
_TOKEN_FIELDS = {
    "DATE": {"year", "month", "day"},
    "YEAR": {"year"},
    "YY": {"year"},
    "MONTH": {"month"},
    "DAY": {"day"},
    "DOY": {"doy"},
    "WEEK": {"week"},
}


@dataclass(frozen=True)
class Counter:
    """The format's one INCNUM token."""

    reset: str
    digits: int
    start: int = 1


@dataclass(frozen=True)
class _Token:
    name: str
    position: int  # 1-based position of its "[[" in the format text


@dataclass(frozen=True)
class _CounterToken:
    counter: Counter
    raw: str
    position: int


def _token_error(raw, position, why):
    return FormatError(f"token {raw} at position {position}: {why}")


def _parse_int(digits, raw, position, what, low, high):
    if not re.fullmatch(r"[0-9]{1,19}", digits):
        raise _token_error(raw, position, f"{what} {digits!r} is not a whole number")
    value = int(digits)
    if not low <= value <= high:
        raise _token_error(raw, position, f"{what} {value} is out of range {low}..{high}")
    return value


def _parse_counter(raw, inner, position):
    fields = inner.split(",")
    if any(field != field.strip() for field in fields):
        raise _token_error(raw, position, "no spaces are allowed inside a token")
    if len(fields) not in (3, 4):
        raise _token_error(raw, position, "a counter needs 3 or 4 fields: INCNUM,RESET,DIGITS[,START]")
    reset = fields[1]
    if reset not in RESETS:
        raise _token_error(raw, position, f"RESET {reset!r} is not one of {', '.join(RESETS)}")
    digits = _parse_int(fields[2], raw, position, "DIGITS", 1, MAX_DIGITS)
    start = 1
    if len(fields) == 4:
        start = _parse_int(fields[3], raw, position, "START", 0, MAX_START)
    return Counter(reset, digits, start)


def _unknown_token(raw, inner, position):
    known = [*DATE_TOKENS, *CONTEXT_TOKENS, _COUNTER_NAME]
    hint = ""
    normal = inner.replace(" ", "").upper()
    if normal in known or normal.split(",")[0] == _COUNTER_NAME:
        hint = f" (tokens are upper case without spaces: [[{normal}]])"
    return FormatError(f"unknown token {raw} at position {position}{hint}")


def _tokenize(text):
    """Split format text into literal strings, _Token and _CounterToken items."""
    parts = []
    index = 0
    while True:
        opening = text.find("[[", index)
        if opening < 0:
            if index < len(text):
                parts.append(text[index:])
            return parts
        if opening > index:
            parts.append(text[index:opening])
        position = opening + 1
        closing = text.find("]]", opening + 2)
        if closing < 0:
            shown = text[opening : opening + 20]
            raise FormatError(f"unclosed '[[' at position {position}: {shown!r}")
        inner = text[opening + 2 : closing]
        raw = f"[[{inner}]]"
        if inner in DATE_TOKENS or inner in CONTEXT_TOKENS:
            parts.append(_Token(inner, position))
        elif inner.split(",")[0] == _COUNTER_NAME:
            parts.append(_CounterToken(_parse_counter(raw, inner, position), raw, position))
        else:
            raise _unknown_token(raw, inner, position)
        index = closing + 2


@dataclass(frozen=True)
class SerialFormat:
    """A parsed format. Build it with parse_format()."""

    text: str
    counter: Counter
    # Literal strings and _Token items before and after the counter.
    _before: tuple
    _after: tuple
    context_tokens: frozenset
    # The last (when, context) rendered and its series text: render() in a loop over one
    # series then costs a comparison instead of re-rendering every token. Not part of the value.
    _last_series: list = field(default_factory=lambda: [None], compare=False, repr=False)

    # --- series and period -------------------------------------------------------------------

    def _render_parts(self, parts, when, context):
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif part.name in DATE_TOKENS:
                out.append(DATE_TOKENS[part.name](when))
            else:
                out.append(_context_value(part, context))
        return "".join(out)

    def _series_text(self, when, context):
        """The rendered text before and after the counter."""
        # Equal aware datetimes may be in different zones (and render other hours): key on
        # the zone too. A date never equals a datetime, so it cannot hit a datetime's entry.
        key = (
            when,
            getattr(when, "tzinfo", None),
            tuple((context or {}).get(key) for key in self.context_tokens),
        )
        last = self._last_series[0]
        if last is not None and last[0] == key:
            return last[1]
        moment = _as_datetime(when)
        text = (
            self._render_parts(self._before, moment, context),
            self._render_parts(self._after, moment, context),
        )
        self._last_series[0] = (key, text)
        return text

    def series_key(self, when, context=None):
        """The format with every non-counter token rendered and the counter kept as [[#]]."""
        before, after = self._series_text(when, context)
        return f"{before}{COUNTER_MARKER}{after}"

    def period_key(self, when):
        """The reset period `when` falls in: "" for NONE, else the day, ISO week, month or year."""
        when = _as_datetime(when)
        reset = self.counter.reset
        if reset == "NONE":
            return ""
        if reset == "DAILY":
            return _date(when)
        if reset == "WEEKLY":
            iso_year, iso_week, _ = when.isocalendar()
            return f"{iso_year:04d}-W{iso_week:02d}"
        if reset == "MONTHLY":
            return f"{when.year:04d}-{when.month:02d}"
        return f"{when.year:04d}"

    # --- rendering ---------------------------------------------------------------------------

    def render(self, value, when, context=None):
        """The serial for counter `value` in the series of `when` and `context`."""
        _check_value(value, "counter value")
        before, after = self._series_text(when, context)
        return f"{before}{str(value).zfill(self.counter.digits)}{after}"

    def render_many(self, first_value, count, when, context=None):
        """Serials for counter values first_value .. first_value+count-1 of one series.

        The series text is rendered once; only the counter changes from serial to serial.
        """
        _check_value(first_value, "first counter value")
        _check_value(count, "count")
        before, after = self._series_text(when, context)
        digits = self.counter.digits
        # Plain concatenation measured fastest (bench/bench_formats.py), ahead of %-templates.
        return [before + str(value).zfill(digits) + after for value in range(first_value, first_value + count)]

    def preview(self, count, when, context=None):
        """The first `count` serials a fresh series would issue at `when`."""
        return self.render_many(self.counter.start, count, when, context)

    # --- advice ------------------------------------------------------------------------------

    @property
    def warnings(self):
        """Why this format may issue the same serial twice (empty when it cannot).

        A resetting counter restarts at START each period; unless the date tokens tell the
        periods apart, the serials of one period are issued again in the next. The format is
        still valid (ITEM-[[YEAR]][[MONTH]]-[[INCNUM,DAILY,4]] is a documented example); callers
        may show this advice or refuse such formats.
        """
        reset = self.counter.reset
        if reset == "NONE":
            return ()
        fields = set()
        for part in self._before + self._after:
            if isinstance(part, _Token):
                fields |= _TOKEN_FIELDS.get(part.name, set())
        full_date = "year" in fields and ({"month", "day"} <= fields or "doy" in fields)
        if reset == "DAILY":
            covered = full_date
        elif reset == "WEEKLY":
            # [[YEAR]] is the calendar year, [[WEEK]] the ISO week: 2024-12-30 is 2025-W01 but
            # renders 2024/01, like 2024-01-01. Only the full date tells every week apart.
            covered = full_date
        elif reset == "MONTHLY":
            covered = "year" in fields and ("month" in fields or "doy" in fields)
        else:
            covered = "year" in fields
        if covered:
            return ()
        return (
            f"the counter resets {reset} but the format's date tokens do not change with every "
            f"{_PERIOD_NAMES[reset]}, so serials issued in one {_PERIOD_NAMES[reset]} "
            f"are issued again in the next",
        )


_PERIOD_NAMES = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def _check_value(value, what):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FormatError(f"{what} must be a whole number >= 0, not {value!r}")


def _as_datetime(when):
    if isinstance(when, _dt.datetime):
        return when
    if isinstance(when, _dt.date):
        return _dt.datetime(when.year, when.month, when.day)
    raise FormatError(f"a date or datetime is needed to render a format, not {when!r}")


def _context_value(token, context):
    key = CONTEXT_TOKENS[token.name]
    value = (context or {}).get(key)
    if value is None or str(value) == "":
        raise FormatError(f"token [[{token.name}]] at position {token.position} needs a {key} code, and none was given")
    return str(value)


def parse_format(text):
    """Parse a format; FormatError names the offending token and its 1-based position."""
    if not isinstance(text, str):
        raise FormatError(f"a format must be text, not {type(text).__name__}")
    return _parse_format(text)


@functools.lru_cache(maxsize=1024)
def _parse_format(text):
    parts = _tokenize(text)
    counters = [(i, part) for i, part in enumerate(parts) if isinstance(part, _CounterToken)]
    if not counters:
        raise FormatError(f"format {text!r} has no counter token; add one such as [[INCNUM,NONE,4]]")
    if len(counters) > 1:
        second = counters[1][1]
        raise FormatError(
            f"second counter token {second.raw} at position {second.position}: a format has exactly one [[INCNUM,...]]"
        )
    index, counter = counters[0][0], counters[0][1].counter
    before, after = tuple(parts[:index]), tuple(parts[index + 1 :])
    context_tokens = frozenset(
        CONTEXT_TOKENS[part.name] for part in parts if isinstance(part, _Token) and part.name in CONTEXT_TOKENS
    )
    return SerialFormat(text, counter, before, after, context_tokens)
