"""Labels per second: serial_core.labels sheets next to python-barcode's own writer.

Run: .venv/bin/python bench/bench_labels.py [--count 2000] [--repeat 3]

Measured in one run, best CPU seconds of --repeat runs each:
  * encode only: python-barcode build() of every serial (the floor: no drawing);
  * python-barcode SVGWriter: one standalone SVG per serial, the library's own
    rendering (the baseline a sheet renderer has to beat);
  * serial_core SVG sheet and PDF sheet (render_labels), all labels in one document.
"""

import argparse
import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import barcode  # noqa: E402
from barcode.writer import SVGWriter  # noqa: E402

from serial_core.labels import render_labels  # noqa: E402


def encode_only(serials):
    code128 = barcode.get_barcode_class("code128")
    for serial in serials:
        code128(serial).build()


def python_barcode_svg_files(serials):
    code128 = barcode.get_barcode_class("code128")
    for serial in serials:
        code128(serial, writer=SVGWriter()).write(io.BytesIO())


def best_cpu_seconds(function, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    serials = [f"SN-{number:08d}" for number in range(args.count)]
    cases = [
        ("python-barcode encode only", lambda: encode_only(serials)),
        ("python-barcode SVGWriter, 1 file each (baseline)", lambda: python_barcode_svg_files(serials)),
        ("serial_core SVG sheet", lambda: render_labels(serials, "svg")),
        ("serial_core PDF sheet (A4 pages)", lambda: render_labels(serials, "pdf")),
    ]
    results = []
    for name, function in cases:
        print(f"timing {name}...", file=sys.stderr, flush=True)
        results.append((name, best_cpu_seconds(function, args.repeat)))
    baseline = results[1][1]
    print(f"\n{args.count:,} Code 128 labels")
    print(f"{'renderer':50} {'cpu s':>7} {'labels/s':>10} {'vs baseline':>11}")
    for name, seconds in results:
        print(f"{name:50} {seconds:7.3f} {args.count / seconds:10,.0f} {baseline / seconds:10.1f}x")


if __name__ == "__main__":
    main()
