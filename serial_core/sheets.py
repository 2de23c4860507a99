"""Rows of the first worksheet of an .xlsx (python-calamine) or .xls (xlrd) file.

Why these readers (bench/bench_readers.py, CPU time, same run):

* .xlsx: python-calamine reads 13x the rows/s of openpyxl's read-only mode. It
  trusts the file's sizes, so serial_core.xlsx_guard checks the archive first
  (zip bomb, sparse sheet, lying counts: each made calamine abort the process).
* .xls: calamine is 6x faster than xlrd, but fuzzed .xls files made its parser
  panic and reserve hundreds of GB (a process abort, not an exception). xlrd is
  pure Python, so a broken file only raises; the format holds at most 65,536
  rows, which xlrd reads in about 0.4 s.

Rows come back with absolute positions (row 1 is the sheet's row 1, column 1 is
column A) so that reported row numbers match what a person sees in Excel.
"""

import datetime
import io

import python_calamine
import xlrd

from serial_core.errors import ReadError
from serial_core.xlsx_guard import check_xlsx


def sheet_rows(data, source, extension, *, max_rows, max_unpacked_bytes, max_cells):
    """Return the first worksheet of `data` as a list of rows (lists of raw cell values).

    `extension` is ".xlsx" or ".xls". Raises ReadError naming `source` when the
    file is corrupt, inflates beyond `max_unpacked_bytes`, spans more than
    `max_cells` cells (.xlsx) or has more than `max_rows` rows.
    """
    if extension == ".xls":
        return _xls_rows(data, source, max_rows)
    check_xlsx(data, source, max_unpacked_bytes=max_unpacked_bytes, max_cells=max_cells)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise ReadError(f"{source}: the workbook has no worksheet")
        sheet = workbook.get_sheet_by_index(0)
        # Refuse before materialising the rows as Python objects.
        height, width = _absolute_extent(sheet)
        if height > max_rows:
            raise ReadError(_too_many_rows(source, max_rows))
        if height * width > max_cells:
            raise ReadError(
                f"{source}: the sheet spans {height:,} rows x {width:,} columns, "
                f"more than the limit of {max_cells:,} cells"
            )
        rows = sheet.to_python(skip_empty_area=False)
    except (ReadError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pylint: disable=broad-exception-caught
        # calamine raises several unrelated types for broken files, and a panic in its
        # Rust code arrives as pyo3's PanicException, which derives from BaseException.
        raise ReadError(f"{source}: not a readable {extension} file ({exc})") from None
    if len(rows) > max_rows:
        raise ReadError(_too_many_rows(source, max_rows))
    return rows


def _xls_rows(data, source, max_rows):
    try:
        # on_demand: parse the first sheet only; ragged_rows: a row is as long as its
        # last cell, so a far cell does not pad every row; logfile: keep xlrd's
        # warnings off stdout.
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True, logfile=io.StringIO())
        sheet = book.sheet_by_index(0)
        if sheet.nrows > max_rows:
            raise ReadError(_too_many_rows(source, max_rows))
        rows = []
        for index in range(sheet.nrows):
            values = sheet.row_values(index)
            types = sheet.row_types(index)
            if _XLS_SPECIAL_TYPES.intersection(types):
                values = [_xls_value(value, kind, book.datemode) for value, kind in zip(values, types, strict=False)]
            rows.append(values)
    except ReadError:
        raise
    except Exception as exc:  # pylint: disable=broad-exception-caught
        # xlrd raises XLRDError, CompDocError, struct.error, IndexError... on broken files.
        raise ReadError(f"{source}: not a readable .xls file ({exc})") from None
    return rows


# xlrd gives dates as day numbers, booleans as 0/1 and errors as codes.
_XLS_SPECIAL_TYPES = frozenset({xlrd.XL_CELL_DATE, xlrd.XL_CELL_BOOLEAN, xlrd.XL_CELL_ERROR})


def _xls_value(value, kind, datemode):
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return ""  # #N/A, #REF!...: not a serial, read as an empty cell
    return value


def cell_text(value):
    """Render a spreadsheet cell as the text a person sees, trimmed.

    Whole numbers lose the ".0" that spreadsheets store (12345.0 -> "12345"),
    dates become ISO dates, an empty cell becomes "".
    """
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Excel shows at most 15 significant digits; so do we (0.1+0.2 -> "0.3").
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if value is None:
        return ""
    return str(value).strip()


def _absolute_extent(sheet):
    """(rows, columns) from A1 to the last used cell: what to_python(skip_empty_area=False)
    returns. Older python-calamine has no `end`; its used-range size is the fallback."""
    end = getattr(sheet, "end", None)
    if end is None:
        return sheet.height, sheet.width
    return end[0] + 1, end[1] + 1


def _too_many_rows(source, max_rows):
    return f"{source}: more than {max_rows:,} rows (the limit)"
