"""Format rendering rate (serials per second) against a plain f-string loop, in one run.

Run: .venv/bin/python bench/bench_formats.py [--count 200000] [--repeat 5]

For each format, three ways to make the same `count` serials:

* baseline  - a list comprehension of f-strings with the series text written in by hand (the
              fastest thing plain Python does; no parsing, no tokens, no checks);
* render_many - SerialFormat.render_many: the series rendered once, then only the counter;
* render()  - SerialFormat.render called once per serial (series rendered every time).

Each is timed `repeat` times (rounds interleaved, GC off while timing) and the best run kept;
the "vs baseline" column is the rate divided by the baseline's rate measured in this same run,
so machines can be compared by ratio.
All three outputs are checked to be identical before any figure is printed.
"""

import datetime as dt
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.timing import best_times, parse_bench_args  # noqa: E402
from serial_core.formats import parse_format  # noqa: E402

WHEN = dt.datetime(2024, 12, 1, 9, 30)
CONTEXT = {"product": "P1", "location": "WH", "company": "AC"}


def baseline_simple(count):
    date = "2024-12-01"
    return [f"SN-{date}-{value:06d}" for value in range(1, count + 1)]


def baseline_context(count):
    product, company, yymm = "P1", "AC", "2412"
    return [f"{company}-{product}-{yymm}-{value:05d}/X" for value in range(1, count + 1)]


CASES = [
    ("SN-[[DATE]]-[[INCNUM,NONE,6]]", baseline_simple),
    ("[[COMPANY]]-[[PRODUCT]]-[[YY]][[MONTH]]-[[INCNUM,MONTHLY,5]]/X", baseline_context),
]


def timed_methods(serial_format, baseline, count):
    """(name, function making `count` serials) for the baseline and the two render paths."""
    return [
        ("baseline", lambda: baseline(count)),
        ("render_many", lambda: serial_format.render_many(1, count, WHEN, CONTEXT)),
        ("render()", lambda: [serial_format.render(value, WHEN, CONTEXT) for value in range(1, count + 1)]),
    ]


def main():
    args = parse_bench_args(__doc__.splitlines()[0], count=200_000, repeat=5, unit="timed run")
    count = args.count

    print(f"{count:,} serials per run, best of {args.repeat}; Python {sys.version.split()[0]}")
    print(f"{'method':<14}{'serials/s':>14}{'vs baseline':>13}  format")
    for text, baseline in CASES:
        methods = timed_methods(parse_format(text), baseline, count)
        best, outputs = best_times(methods, args.repeat)
        expected = outputs["baseline"]
        for name, serials in outputs.items():
            if serials != expected:
                sys.exit(f"bench: {name} made different serials than the baseline for {text}")
        timings = [(name, count / best[name]) for name, _ in methods]
        baseline_rate = timings[0][1]
        for name, rate in timings:
            print(f"{name:<14}{rate:>14,.0f}{rate / baseline_rate:>12.2f}x  {text}")
        print(f"  first/last: {expected[0]} .. {expected[-1]}")


if __name__ == "__main__":
    main()
