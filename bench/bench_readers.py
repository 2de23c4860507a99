"""Rows per second of the serial-file readers, candidate libraries side by side.

Run: .venv/bin/python bench/bench_readers.py [--rows 200000] [--repeat 3]

Writes test files into bench/out/ (git-ignored; kept between runs), then times,
per format, the raw candidate libraries (just parsing the rows) and the full
serial_core.readers.read_serials (parsing + cell rendering + header + duplicates).
Times are the best CPU seconds of --repeat runs (openpyxl: one run, it is slow).
The "vs baseline" column compares each reader with the format's baseline,
measured in the same run: openpyxl read-only for .xlsx, xlrd for .xls, the csv
module for .csv and str.splitlines for .txt.

.xls holds at most 65,536 rows a sheet, so its file has that many rows instead.

serial_core reads .xlsx with python-calamine behind serial_core.xlsx_guard (the
guard's byte scans are part of its figure) and .xls with xlrd; serial_core/sheets.py
says why.
"""

import argparse
import csv
import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import openpyxl  # noqa: E402
import python_calamine  # noqa: E402
import xlrd  # noqa: E402
import xlwt  # noqa: E402

from serial_core.readers import read_serials  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
XLS_MAX_ROWS = 65_536


def serial(number):
    return f"SN-{number:08d}"


def make_files(rows):
    """Create (or reuse) one file per format with a header and `rows` data rows."""
    os.makedirs(OUT, exist_ok=True)
    xls_rows = min(rows, XLS_MAX_ROWS - 1)
    files = {
        ".xlsx": (os.path.join(OUT, f"serials_{rows}.xlsx"), rows),
        ".xls": (os.path.join(OUT, f"serials_{xls_rows}.xls"), xls_rows),
        ".csv": (os.path.join(OUT, f"serials_{rows}.csv"), rows),
        ".txt": (os.path.join(OUT, f"serials_{rows}.txt"), rows),
    }
    for extension, (path, count) in files.items():
        if os.path.exists(path):
            continue
        print(f"writing {path} ({count:,} rows)...", file=sys.stderr, flush=True)
        if extension == ".xlsx":
            workbook = openpyxl.Workbook(write_only=True)
            sheet = workbook.create_sheet()
            sheet.append(["Serial", "Qty"])
            for number in range(count):
                sheet.append([serial(number), 1])
            workbook.save(path)
        elif extension == ".xls":
            workbook = xlwt.Workbook()
            sheet = workbook.add_sheet("Serials")
            sheet.write(0, 0, "Serial")
            sheet.write(0, 1, "Qty")
            for number in range(count):
                sheet.write(number + 1, 0, serial(number))
                sheet.write(number + 1, 1, 1)
            workbook.save(path)
        elif extension == ".csv":
            with open(path, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, delimiter=";")
                writer.writerow(["Serial", "Qty"])
                writer.writerows([serial(number), 1] for number in range(count))
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("Serial\n")
                handle.writelines(serial(number) + "\n" for number in range(count))
    return files


# Raw candidates: bytes -> number of rows, nothing else.
def calamine_rows(data):
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(workbook.get_sheet_by_index(0).to_python(skip_empty_area=False))


def openpyxl_rows(data):
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def xlrd_rows(data):
    sheet = xlrd.open_workbook(file_contents=data).sheet_by_index(0)
    return len(sheet.col_values(0))


def csv_module_rows(data):
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))


def splitlines_rows(data):
    return len(data.decode("utf-8").splitlines())


CANDIDATES = {
    ".xlsx": [("openpyxl 3 read-only (baseline)", openpyxl_rows, 1), ("python-calamine", calamine_rows, None)],
    ".xls": [("xlrd 2 (baseline)", xlrd_rows, None), ("python-calamine", calamine_rows, None)],
    ".csv": [("csv module (baseline)", csv_module_rows, None)],
    ".txt": [("str.splitlines (baseline)", splitlines_rows, None)],
}


def best_time(repeat, function, *args):
    """Best CPU seconds of `repeat` runs, and the last result. CPU time rather than
    wall time: other jobs share this machine and would make wall time noisy."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.process_time()
        result = function(*args)
        best = min(best, time.process_time() - start)
    return best, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = make_files(args.rows)
    table = []
    for extension, (path, count) in files.items():
        with open(path, "rb") as handle:
            data = handle.read()
        baseline = None
        readers = CANDIDATES[extension] + [("serial_core read_serials", None, None)]
        for name, function, repeat in readers:
            print(f"timing {extension} {name}...", file=sys.stderr, flush=True)
            if function is None:
                seconds, result = best_time(args.repeat, read_serials, path)
                rows = len(result.serials)
            else:
                seconds, rows = best_time(repeat or args.repeat, function, data)
            if rows < count:  # a reader that skipped rows would look fast: refuse its figure
                sys.exit(f"{name} read {rows} rows of {path}, expected {count}")
            baseline = baseline or seconds
            table.append((extension, f"{count:,}", name, seconds, count / seconds, baseline / seconds))
    print(f"\n{'format':6} {'rows':>8}  {'reader':34} {'cpu s':>8} {'rows/s':>11} {'vs baseline':>11}")
    for extension, rows, name, seconds, rate, ratio in table:
        print(f"{extension:6} {rows:>8}  {name:34} {seconds:8.3f} {rate:11,.0f} {ratio:10.1f}x")


if __name__ == "__main__":
    main()
