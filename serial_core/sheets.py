"""Rows of the first worksheet of an .xlsx or .xls file, read with python-calamine.

Why calamine for both formats: bench/bench_readers.py measures it at 13x the rows/s
of openpyxl (read-only mode) on .xlsx and 6x xlrd on .xls (CPU time, same run), and
it is actively maintained. Rows come back with absolute positions (row 1 is the sheet's
row 1, column 1 is column A) so that reported row numbers match what a person
sees in Excel.

Size guards come first, because calamine allocates the whole rectangle from A1 to
the last used cell: an .xlsx goes through serial_core.xlsx_guard (zip bomb,
sparse sheet), an .xls through serial_core.xls_guard, before calamine sees it.
The loaded sheet is measured again before its rows become Python objects.
"""
import datetime
import io

import python_calamine

from serial_core.errors import ReadError
from serial_core.xls_guard import check_xls
from serial_core.xlsx_guard import check_xlsx


def sheet_rows(data, source, extension, *, max_rows, max_unpacked_bytes, max_cells):
    """Return the first worksheet of `data` as a list of rows (lists of raw cell values).

    `extension` is ".xlsx" or ".xls". Raises ReadError naming `source` when the
    file is corrupt, inflates beyond `max_unpacked_bytes`, spans more than
    `max_cells` cells or has more than `max_rows` rows.
    """
    if extension == ".xlsx":
        check_xlsx(data, source, max_unpacked_bytes=max_unpacked_bytes, max_cells=max_cells)
    else:
        check_xls(data, source, max_cells=max_cells)
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
    if isinstance(value, (datetime.date, datetime.time)):
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
