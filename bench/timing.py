"""Timing shared by the in-process benches (bench_formats.py, bench_ranges.py)."""

import argparse
import gc
import time


def parse_bench_args(description, count, repeat, unit):
    """--count and --repeat, the two knobs every in-process bench takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--count", type=int, default=count, help=f"serials per {unit}")
    parser.add_argument("--repeat", type=int, default=repeat, help="timed runs per method (best kept)")
    return parser.parse_args()


def best_times(methods, repeat):
    """Best seconds and the output of each (name, function of no arguments) in `methods`.

    Rounds interleave the methods so that warm-up and machine noise fall on all of them alike,
    and GC is off while timing (as timeit does) so that a collection triggered by one method's
    garbage is not billed to the next.
    """
    best = {name: float("inf") for name, _ in methods}
    outputs = {}
    for _ in range(repeat):
        for name, make in methods:
            outputs.pop(name, None)
            gc.collect()
            gc.disable()
            try:
                started = time.perf_counter()
                outputs[name] = make()
                best[name] = min(best[name], time.perf_counter() - started)
            finally:
                gc.enable()
    return best, outputs
