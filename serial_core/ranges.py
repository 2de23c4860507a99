"""Serial ranges: generate from prefix/start/end/padding/suffix, collapse, parse back.

A serial's *number* is its LAST run of ASCII digits; the text before it is the prefix, the text
after it the suffix, and the digit text's length the width: ``SN-0042-A`` is prefix ``SN-``,
number 42, width 4, suffix ``-A``. A run is consecutive numbers with the same prefix, suffix and
width, written ``SN-0001 – SN-0010 (10)`` (spaces around an en dash). Because the width is
part of the run, every serial of a run is ``prefix + str(number).zfill(width) + suffix`` and a
run line expands to exactly the serials it came from: ``0999`` and ``1000`` (both width 4) share
a run, ``999`` and ``1000`` (widths 3 and 4) do not.

collapse() takes the serials as a collection: each run is maximal over the whole list, not just
over neighbours, and runs come in the order their first serial first appears. Repeated serials
are kept, not merged: the second copies form runs of their own (after their second
appearance), so parse_runs(format_runs(x)) holds every serial of x as many times as x does. It
is x itself, in x's order, whenever x already lists each maximal run contiguously and ascending
(an expand() result, say); otherwise only the order differs.

Serials written one a line must be non-empty, free of line breaks and surrounding whitespace and
must not contain " – " (the run separator); collapse() rejects any other with a RangeError.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter, lt

from .errors import RangeError

RUN_SEPARATOR = " – "
# More serials than this from one call is a typo in start/end, not a batch anyone labels.
MAX_SERIALS = 1_000_000
MAX_PADDING = 30

# Prefix (empty or ending in a non-digit), the last digit run, a digit-free suffix.
_NUMBERED = re.compile(r"((?:.*[^0-9])?)([0-9]+)([^0-9]*)", re.DOTALL)
_ASCII_DIGITS = "0123456789"
_RUN_LINE = re.compile(r"(?P<first>.+?) – (?P<last>.+?)(?: \((?P<count>[0-9]+)\))?")


@dataclass(frozen=True)
class Run:
    """Consecutive serials first .. last (a lone serial has first == last and count 1)."""

    first: str
    last: str
    count: int

    def __str__(self):
        if self.count == 1:
            return self.first
        return f"{self.first}{RUN_SEPARATOR}{self.last} ({self.count})"

    def serials(self):
        """Every serial of the run, first to last."""
        if self.count == 1:
            return [self.first]
        prefix, number, width, suffix = _split(self.first)
        return _numbered(prefix, number, number + self.count, width, suffix)


def _split(serial):
    """(prefix, number, width, suffix), or None when the serial has no digits."""
    match = _NUMBERED.fullmatch(serial)
    if match is None:
        return None
    prefix, digits, suffix = match.groups()
    return prefix, int(digits), len(digits), suffix


def _numbered(prefix, first, stop, width, suffix):
    return [prefix + str(number).zfill(width) + suffix for number in range(first, stop)]


def _whole(value, name, low):
    if isinstance(value, bool) or not isinstance(value, int):
        raise RangeError(f"{name} must be a whole number, not {value!r}")
    if value < low:
        raise RangeError(f"{name} must be at least {low}, not {value}")
    return value


def expand(prefix="", start=1, end=None, count=None, padding=0, suffix="", *, limit=MAX_SERIALS):
    """Serials prefix + number zero-padded to `padding` + suffix, for start..end or count numbers.

    SN- + start 1 + padding 4 gives SN-0001, SN-0002, ...; give exactly one of end and count.
    """
    if not isinstance(prefix, str) or not isinstance(suffix, str):
        raise RangeError("prefix and suffix must be text")
    _whole(start, "start", 0)
    _whole(padding, "padding", 0)
    if padding > MAX_PADDING:
        raise RangeError(f"padding {padding} is more than {MAX_PADDING} digits")
    if (end is None) == (count is None):
        raise RangeError("give either an end or a count, not both and not neither")
    if end is not None:
        _whole(end, "end", 0)
        if end < start:
            raise RangeError(f"end {end} is before start {start}")
        count = end - start + 1
    else:
        _whole(count, "count", 1)
    if count > limit:
        raise RangeError(f"{count} serials asked for; at most {limit} at a time")
    return _numbered(prefix, start, start + count, max(padding, 1), suffix)


# What a serial written one a line may not have: surrounding whitespace, a line break (as
# str.splitlines sees them) or the run separator.
_UNWRITABLE = re.compile(
    r"(?P<separator> – )|(?P<line_break>[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])"
    r"|(?P<whitespace>\A\s|\s\Z)"
)
_UNWRITABLE_REASONS = {
    "separator": f"contains the range separator {RUN_SEPARATOR!r}",
    "line_break": "contains a line break",
    "whitespace": "has whitespace at its start or end",
}


def _check_writable(serial):
    if not isinstance(serial, str) or serial == "":
        raise RangeError(f"serial {serial!r} cannot be listed: a serial must be non-empty text")
    found = _UNWRITABLE.search(serial)
    if found:
        raise RangeError(f"serial {serial!r} cannot be listed one a line: it {_UNWRITABLE_REASONS[found.lastgroup]}")


# collapse() works on the serials joined by "\n" (checked to hold no line break of their own):
# whole-list string operations run in C, a Python loop over a million serials does not.
_LINE_BREAK_BUT_NEWLINE = re.compile(r"[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# One match a line: _NUMBERED's prefix, digits, suffix, or three empty groups when digitless.
_NUMBERED_LINE = re.compile(r"^(?:((?:.*[^0-9\n])?)([0-9]+)([^0-9\n]*)|.*)$", re.MULTILINE)


def _checked_text(serials):
    """The serials joined by "\n", once each is known to be writable one a line.

    The whole-list tests only pass when every serial is fine; when one fails, _check_writable
    goes through the serials one by one so that the error names the first bad serial.
    """
    try:
        text = "\n".join(serials)  # TypeError on anything but text
    except TypeError:
        text = None
    if not (
        text is not None
        and all(serials)
        and text.count("\n") == len(serials) - 1  # no serial holds a "\n"
        and _LINE_BREAK_BUT_NEWLINE.search(text) is None
        and RUN_SEPARATOR not in text  # "\n" is no part of it, so a match lies in one serial
        and list(map(str.strip, serials)) == serials
    ):
        for serial in serials:
            _check_writable(serial)
    return text


def _one_series(serials, text):
    """(prefix, lowest, highest) when every serial (checked; joined as `text`) is that prefix
    followed by ASCII digits of one width, with no suffix and no serial repeated; else None.

    Serials of one length sit at fixed places in `text`, so each column is one strided slice.
    """
    count = len(serials)
    line = len(serials[0]) + 1
    if len(text) != count * line - 1 or text[line - 1 :: line] != "\n" * (count - 1):
        return None  # not all of one length
    # Equal-width digit strings sort as their numbers do: min and max are the series' ends.
    lowest, highest = min(serials), max(serials)
    prefix = os.path.commonprefix([lowest, highest]).rstrip(_ASCII_DIGITS)
    if len(prefix) == line - 1:
        return None
    for column in range(len(prefix), line - 1):
        digits = text[column::line]
        if not (digits.isascii() and digits.isdigit()):
            return None
    ascending = all(map(lt, serials, islice(serials, 1, None)))
    if not ascending and len(set(serials)) != count:
        return None
    return prefix, lowest, highest


def _consecutive_spans(numbers):
    """(first, last) of each stretch of consecutive numbers in a sorted list."""
    span_start = numbers[0]
    for previous, number in zip(numbers, numbers[1:] + [None], strict=False):
        if number != previous + 1:
            yield span_start, previous
            span_start = number


def _groups(serials, text):
    """{(prefix, width, suffix[, copy]): {number: index}}, and [(index, Run)] of digitless serials.

    The n-th copies of a repeated serial go to a group of their own, (prefix, width, suffix, n),
    so that copies form runs among themselves and no copy is merged away.
    """
    repeated = len(set(serials)) != len(serials)
    copies_seen = defaultdict(int)
    lone = []
    # Numbers are parsed after the loop, a group at a time, by map(int, ...).
    digit_texts = defaultdict(list)  # key -> the digits of its serials
    indices = defaultdict(list)  # key -> the indices of its serials
    for index, (prefix, digits, suffix) in enumerate(_NUMBERED_LINE.findall(text)):
        if not digits:
            lone.append((index, Run(serials[index], serials[index], 1)))
            continue
        key = (prefix, len(digits), suffix)
        if repeated:
            copy = copies_seen[serials[index]]
            copies_seen[serials[index]] = copy + 1
            key += (copy,)
        digit_texts[key].append(digits)
        indices[key].append(index)
    groups = {key: dict(zip(map(int, digits), indices[key], strict=False)) for key, digits in digit_texts.items()}
    return groups, lone


def collapse(serials):
    """Maximal runs of consecutive serials, ordered by their first serial's first appearance."""
    serials = list(serials)
    if not serials:
        return []
    text = _checked_text(serials)
    series = _one_series(serials, text)
    if series is None:
        groups, placed = _groups(serials, text)  # placed: (index of the run's first serial, Run)
    else:
        prefix, lowest, highest = series
        if int(highest[len(prefix) :]) - int(lowest[len(prefix) :]) + 1 == len(serials):
            # The usual case (a batch, an expand(), in any order): distinct, filling the span.
            return [Run(str(lowest), str(highest), len(serials))]
        numbers = map(int, map(itemgetter(slice(len(prefix), None)), serials))
        groups = {(prefix, len(serials[0]) - len(prefix), ""): dict(zip(numbers, range(len(serials)), strict=False))}
        placed = []
    for (prefix, width, suffix, *_), appearance in groups.items():
        low, high = min(appearance), max(appearance)
        if high - low + 1 == len(appearance):  # distinct numbers filling low..high: one run
            spans = [(low, high)]
        else:
            spans = _consecutive_spans(sorted(appearance))
        for low, high in spans:
            first, last = (prefix + str(n).zfill(width) + suffix for n in (low, high))
            placed.append((appearance[low], Run(first, last, high - low + 1)))
    placed.sort(key=itemgetter(0))
    return [run for _, run in placed]


def format_runs(serials):
    """The collapsed list as text, one run a line (with a final newline unless empty)."""
    return "".join(f"{run}\n" for run in collapse(serials))


def _parse_run(line_number, line, match, budget, limit):
    first, last, count_text = match.group("first", "last", "count")
    where = f"line {line_number} {line!r}"
    first_split, last_split = _split(first), _split(last)
    if first_split is None or last_split is None:
        raise RangeError(f"{where}: both ends of a range need a number")
    prefix, first_number, width, suffix = first_split
    if (last_split[0], last_split[2], last_split[3]) != (prefix, width, suffix):
        raise RangeError(f"{where}: both ends of a range need the same text around a number of the same width")
    count = last_split[1] - first_number + 1
    if count < 2:
        raise RangeError(f"{where}: the range ends before it starts")
    if count_text is not None and int(count_text) != count:
        raise RangeError(f"{where}: the range holds {count} serials, not {int(count_text)}")
    if count > budget:
        raise RangeError(f"{where}: more than {limit} serials in all")
    return _numbered(prefix, first_number, first_number + count, width, suffix)


def parse_runs(text, *, limit=MAX_SERIALS):
    """The serials of collapsed text, in order: a line is a lone serial or "first – last (n)".

    Blank lines are skipped and lines are stripped; "(n)" may be left out but must be right if
    given. RangeError names the line that cannot be read.
    """
    if not isinstance(text, str):
        raise RangeError(f"ranges must be text, not {type(text).__name__}")
    serials = []
    for line_number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line:
            continue
        if RUN_SEPARATOR not in line:
            serials.append(line)
        else:
            match = _RUN_LINE.fullmatch(line)
            if match is None:
                raise RangeError(f"line {line_number} {line!r}: a range is 'first – last (n)'")
            serials.extend(_parse_run(line_number, line, match, limit - len(serials), limit))
        if len(serials) > limit:
            raise RangeError(f"line {line_number}: more than {limit} serials in all")
    return serials
