"""Rows of the first worksheet of an .xlsx or .xls file, read with python-calamine.

Why calamine for both formats: bench/bench_readers.py measures it at about 13x the
rows/s of openpyxl (read-only mode) on .xlsx and about 9x xlrd on .xls, and it is
actively maintained. Rows come back with absolute positions (row 1 is the sheet's
row 1, column 1 is column A) so that reported row numbers match what a person
sees in Excel.

An .xlsx file is a zip archive: its members' declared unpacked sizes are summed
before anything is parsed, so a small file that would inflate to gigabytes (a
"zip bomb") is refused up front.
"""
import datetime
import io
import zipfile

import python_calamine

from serial_core.errors import ReadError


def sheet_rows(data, source, extension, *, max_rows, max_unpacked_bytes):
    """Return the first worksheet of `data` as a list of rows (lists of raw cell values).

    `extension` is ".xlsx" or ".xls". Raises ReadError naming `source` when the
    file is corrupt, inflates beyond `max_unpacked_bytes` or has more than
    `max_rows` rows.
    """
    if extension == ".xlsx":
        _check_zip(data, source, max_unpacked_bytes)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise ReadError(f"{source}: the workbook has no worksheet")
        sheet = workbook.get_sheet_by_index(0)
        # Refuse before materialising the rows when the sheet says how tall it is.
        height = getattr(sheet, "total_height", None)
        if height is not None and height > max_rows:
            raise ReadError(_too_many_rows(source, max_rows))
        rows = sheet.to_python(skip_empty_area=False)
    except ReadError:
        raise
    except Exception as exc:  # calamine raises several unrelated types for broken files
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


def _check_zip(data, source, max_unpacked_bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise ReadError(f"{source}: not a readable .xlsx file ({exc})") from None
    if unpacked > max_unpacked_bytes:
        raise ReadError(
            f"{source}: unpacks to {unpacked:,} bytes, more than the limit of "
            f"{max_unpacked_bytes:,} bytes"
        )


def _too_many_rows(source, max_rows):
    return f"{source}: more than {max_rows:,} rows (the limit)"
