"""Timing shared by the in-process benches (bench_formats.py, bench_ranges.py)."""
import gc
import time


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
