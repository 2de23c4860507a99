"""collapse() rate (serials per second) against sorted() of the same list, in one run.

Run: .venv/bin/python bench/bench_ranges.py [--count 1000000] [--repeat 3]

Four lists of `count` serials:

* consecutive - expand("SN-", 1, padding=7): ascending, one run (what the worker collapses);
* shuffled    - the same serials in random order: still one run;
* mixed       - four prefixes, each one consecutive range, shuffled together: four runs;
* gaps        - ascending SN- numbers with every third one missing: count / 2 runs.

Timed for each list, rounds interleaved, GC off while timing, best run kept:

* sorted()          - the baseline: sorted(serials), C code touching every serial a few times;
* collapse          - serial_core.ranges.collapse as it is now;
* collapse (before) - collapse as it was up to commit 59c1fba, copied below as
                      `collapse_before`, so the speed-up is measured on this machine, in this run.

"vs sorted()" is the rate divided by sorted()'s rate in the same run; "speed-up" is collapse's
rate over collapse (before)'s. Both collapse versions must give the same runs before any figure
is printed.
"""

import os
import random
import re
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.timing import best_times, parse_bench_args  # noqa: E402
from serial_core.ranges import collapse, expand  # noqa: E402

# --- collapse (before): the implementation up to commit 59c1fba, kept only as this baseline --

_NUMBERED = re.compile(r"((?:.*[^0-9])?)([0-9]+)([^0-9]*)", re.DOTALL)
_UNWRITABLE = re.compile(
    r"(?P<separator> – )|(?P<line_break>[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])"
    r"|(?P<whitespace>\A\s|\s\Z)"
)


def _check_writable_before(serial):
    if not isinstance(serial, str) or serial == "" or _UNWRITABLE.search(serial):
        raise ValueError(f"serial {serial!r} cannot be listed one a line")


def _consecutive_spans_before(numbers):
    span_start = numbers[0]
    for previous, number in zip(numbers, numbers[1:] + [None], strict=False):
        if number != previous + 1:
            yield span_start, previous
            span_start = number


def collapse_before(serials):
    """(first, last, count) of each run, as collapse() gave them before; one serial at a time."""
    copies_seen = defaultdict(int)
    placed = []
    groups = defaultdict(dict)
    fullmatch = _NUMBERED.fullmatch
    for index, serial in enumerate(serials):
        _check_writable_before(serial)
        copy = copies_seen[serial]
        copies_seen[serial] = copy + 1
        match = fullmatch(serial)
        if match is None:
            placed.append((index, (serial, serial, 1)))
        else:
            prefix, digits, suffix = match.groups()
            groups[prefix, len(digits), suffix, copy][int(digits)] = index
    for (prefix, width, suffix, _), appearance in groups.items():
        for low, high in _consecutive_spans_before(sorted(appearance)):
            first, last = (prefix + str(n).zfill(width) + suffix for n in (low, high))
            placed.append((appearance[low], (first, last, high - low + 1)))
    placed.sort(key=lambda item: item[0])
    return [run for _, run in placed]


# --- the lists ------------------------------------------------------------------------------


def make_lists(count, seed=2024):
    shuffle = random.Random(seed).shuffle
    consecutive = expand("SN-", 1, count=count, padding=7)
    shuffled = list(consecutive)
    shuffle(shuffled)
    prefixes = ("A-", "B-", "LOT7/", "X")
    mixed = [
        serial
        for place, prefix in enumerate(prefixes)
        for serial in expand(prefix, 1, count=len(range(place, count, len(prefixes))), padding=6)
    ]
    shuffle(mixed)
    gaps = [f"SN-{number:07d}" for number in range(1, count * 3 // 2 + 3) if number % 3][:count]
    return {"consecutive": consecutive, "shuffled": shuffled, "mixed": mixed, "gaps": gaps}


def timed_methods(serials):
    """(name, function of no arguments) for the baseline and both collapse versions."""
    return [
        ("sorted()", lambda: sorted(serials)),
        ("collapse", lambda: [(run.first, run.last, run.count) for run in collapse(serials)]),
        ("collapse (before)", lambda: collapse_before(serials)),
    ]


def main():
    args = parse_bench_args(__doc__.splitlines()[0], count=1_000_000, repeat=3, unit="list")
    count = args.count

    print(f"{count:,} serials per list, best of {args.repeat}; Python {sys.version.split()[0]}")
    print(f"{'list':<13}{'method':<19}{'serials/s':>13}{'µs/serial':>11}{'vs sorted()':>13}{'speed-up':>10}")
    for name, serials in make_lists(count).items():
        methods = timed_methods(serials)
        best, outputs = best_times(methods, args.repeat)
        if outputs["collapse"] != outputs["collapse (before)"]:
            sys.exit(f"bench: collapse and collapse (before) give different runs for the {name} list")
        for method, _ in methods:
            rate = count / best[method]
            speed_up = f"{best['collapse (before)'] / best['collapse']:.1f}x" if method == "collapse" else ""
            print(
                f"{name:<13}{method:<19}{rate:>13,.0f}{best[method] / count * 1e6:>11.2f}"
                f"{best['sorted()'] / best[method]:>12.2f}x{speed_up:>10}"
            )
        print(f"  {len(outputs['collapse']):,} runs, first {outputs['collapse'][0]}")


if __name__ == "__main__":
    main()
