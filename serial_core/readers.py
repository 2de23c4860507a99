"""Read serial numbers from a .xlsx, .xls, .csv or .txt file.

Rules, in the order they apply:

* Format by extension (case-insensitive): .xlsx and .xls read the first worksheet
  (serial_core.sheets; .xls error cells such as #N/A read as empty), .csv detects
  its delimiter among , ; tab | and .txt has one serial a line
  (serial_core.textfiles). Anything else is refused.
* Limits (ReadLimits): file bytes (`max_bytes`), the declared unpacked size of an
  .xlsx archive (`max_unpacked_bytes`) and the rectangle an .xlsx worksheet spans
  (`max_cells`) are checked before parsing; rows (`max_rows`) as they are read.
  Exceeding one raises ReadError; there is never a partial result.
* Column: `column=None` is the first column; an int, or a str of digits, is a
  1-based column number (1 = column A); any other str is a header name, matched
  case-insensitively after trimming.
* Header row: the *first non-empty row* (the first row with any non-blank cell)
  is the header, and is not read as serials, when
    - the column is given by name (the name is looked up in that row), or
    - its cell in the chosen column is a known header word (HEADER_WORDS, compared
      lowercase with punctuation as spaces: "Serial No.", "Lot/Serial Number",
      "S/N" all qualify), or
    - its cell contains no digit while every later value of the column contains
      one (a header in any language above numbered serials).
  So a first value that contains a digit is never taken as a header.
* Cells are trimmed, empty cells skipped; spreadsheet numbers are shown as a person
  sees them (12345.0 -> "12345").
* Duplicates (exact, case-sensitive) are removed keeping the first; each removed
  one is reported as Duplicate(value, row, first_row) with 1-based file rows.
"""

import os
import re
from dataclasses import dataclass, field

from serial_core import sheets, textfiles
from serial_core.errors import ReadError

SPREADSHEET_EXTENSIONS = (".xlsx", ".xls")
TEXT_EXTENSIONS = (".csv", ".txt")
EXTENSIONS = SPREADSHEET_EXTENSIONS + TEXT_EXTENSIONS

HEADER_WORDS = frozenset(
    {
        "serial",
        "serials",
        "serial number",
        "serial numbers",
        "serial no",
        "serial nr",
        "serial id",
        "serial code",
        "sn",
        "s n",
        "lot",
        "lots",
        "lot number",
        "lot name",
        "lot serial",
        "lot serial number",
        "lot serial numbers",
        "number",
        "code",
        "barcode",
        "id",
    }
)
_NON_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class ReadLimits:
    """Caps protecting the caller from huge or hostile files."""

    max_bytes: int = 50 * 1024 * 1024
    max_unpacked_bytes: int = 256 * 1024 * 1024
    max_rows: int = 1_000_000
    # Cells of an .xlsx worksheet's rectangle from A1 (calamine loads it whole).
    max_cells: int = 10_000_000


@dataclass(frozen=True)
class Duplicate:
    """A serial seen again at `row`; its first occurrence is at `first_row`."""

    value: str
    row: int
    first_row: int


@dataclass
class ReadResult:
    """Serials in file order without duplicates, the removed duplicates, the
    number of rows in the file (header and blank rows included) and the source name."""

    serials: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    rows: int = 0
    source: str = ""


def read_serials(path, column=None, **limits):
    """Read the serials of the file at `path`; see the module docstring for the rules.

    `limits` are ReadLimits fields (max_bytes, max_unpacked_bytes, max_rows, max_cells).
    """
    path = os.fspath(path)
    return read_serials_bytes(_file_bytes(path, ReadLimits(**limits)), path, column, **limits)


def read_rows(path, **limits):
    """read_rows_bytes for the file at `path`."""
    path = os.fspath(path)
    return read_rows_bytes(_file_bytes(path, ReadLimits(**limits)), path, **limits)


def _file_bytes(path, caps):
    _check_extension(path)
    try:
        size = os.path.getsize(path)
        if size > caps.max_bytes:
            raise ReadError(_too_big(path, size, caps.max_bytes))
        with open(path, "rb") as handle:
            return handle.read(caps.max_bytes + 1)
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from None


def read_serials_bytes(data, filename, column=None, **limits):
    """Read serials from the bytes of an uploaded file; `filename` gives the format
    (by its extension) and names the file in errors."""
    caps = ReadLimits(**limits)
    records, cell_text = _records(data, filename, caps)
    return _collect(records, column, caps.max_rows, filename, cell_text)


def read_rows_bytes(data, filename, **limits):
    """Every non-empty row of an uploaded file as (row_number, [trimmed cell texts]), for files of
    several columns; same formats, limits and row numbers as read_serials_bytes."""
    caps = ReadLimits(**limits)
    records, cell_text = _records(data, filename, caps)
    rows = []
    for count, (row_number, cells) in enumerate(records, 1):
        if count > caps.max_rows:
            raise ReadError(_too_many_rows(filename, row_number, caps.max_rows))
        texts = [cell_text(cell) for cell in cells]
        if any(texts):
            rows.append((row_number, texts))
    return rows


def _records(data, filename, caps):
    """(row_number, raw cells) records of the file and the function turning a raw cell into text."""
    extension = _check_extension(filename)
    if len(data) > caps.max_bytes:
        raise ReadError(_too_big(filename, len(data), caps.max_bytes))
    if extension in SPREADSHEET_EXTENSIONS:
        rows = sheets.sheet_rows(
            data,
            filename,
            extension,
            max_rows=caps.max_rows,
            max_unpacked_bytes=caps.max_unpacked_bytes,
            max_cells=caps.max_cells,
        )
        return enumerate(rows, 1), sheets.cell_text
    text = textfiles.decode_text(data, filename)
    if extension == ".csv":
        return textfiles.csv_rows(text, filename), str.strip
    return textfiles.txt_rows(text, filename), str.strip


def _check_extension(filename):
    extension = os.path.splitext(os.fspath(filename))[1].lower()
    if extension not in EXTENSIONS:
        raise ReadError(
            f"{filename}: unsupported file type {extension or '(no extension)'!r}; "
            f"expected one of {', '.join(EXTENSIONS)}"
        )
    return extension


def _too_big(source, size, limit):
    return f"{source}: {size:,} bytes, more than the limit of {limit:,} bytes"


def _column_number(column):
    """1-based column number, or None when `column` is a header name."""
    if column is None:
        return 1
    if isinstance(column, int) and not isinstance(column, bool):
        number = column
    elif isinstance(column, str) and column.strip().isdigit():
        number = int(column.strip())
    elif isinstance(column, str) and column.strip():
        return None
    else:
        raise ReadError(f"column {column!r}: give a 1-based number or a header name")
    if number < 1:
        raise ReadError(f"column {column!r}: column numbers start at 1")
    return number


def _is_header_word(text):
    return _NON_ALNUM.sub(" ", text.lower()).strip() in HEADER_WORDS


def _has_digit(text):
    return any(char.isdigit() for char in text)


def _collect(records, column, max_rows, source, cell_text):
    """Pick the column's values out of (row_number, cells) records, drop the header
    and the duplicates. `cell_text` turns a raw cell into trimmed text; only the
    cells needed are converted. Records may be a generator: nothing is returned
    before the last row has been read and checked."""
    number = _column_number(column)
    index = None if number is None else number - 1
    records = iter(records)
    values, value_rows = [], []  # the column's non-empty values and their rows
    rows = 0
    widest = 0
    column_seen = False
    header_row = None  # the first non-empty row
    for row_number, cells in records:
        rows += 1
        if rows > max_rows:
            raise ReadError(_too_many_rows(source, row_number, max_rows))
        widest = max(widest, len(cells))
        texts = [cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        header_row = row_number
        if index is None:
            index = _find_header(texts, column, source, row_number)
        elif index < len(texts):
            column_seen = True
            if texts[index]:
                values.append(texts[index])
                value_rows.append(row_number)
        break
    # The remaining rows: the hot loop, kept minimal.
    for row_number, cells in records:
        rows += 1
        if rows > max_rows:
            raise ReadError(_too_many_rows(source, row_number, max_rows))
        if index < len(cells):
            column_seen = True
            value = cell_text(cells[index])
            if value:
                values.append(value)
                value_rows.append(row_number)
        elif len(cells) > widest:
            widest = len(cells)
    if number is not None and widest and not column_seen:
        raise ReadError(f"{source}: column {number} not found, the widest row has {widest} column(s)")
    if number is not None and values and value_rows[0] == header_row and _looks_like_header(values):
        del values[0], value_rows[0]
    return _without_duplicates(values, value_rows, rows, source)


def _too_many_rows(source, row_number, max_rows):
    return f"{source}: row {row_number}: more than {max_rows:,} rows (the limit)"


def _find_header(texts, column, source, row_number):
    wanted = column.strip().lower()
    for position, text in enumerate(texts):
        if text.lower() == wanted:
            return position
    found = ", ".join(repr(text) for text in texts if text)
    raise ReadError(f"{source}: row {row_number}: no column named {column!r} (found {found})")


def _looks_like_header(values):
    first = values[0]
    if _has_digit(first):
        return False
    if _is_header_word(first):
        return True
    return len(values) > 1 and all(_has_digit(value) for value in values[1:])


def _without_duplicates(values, value_rows, rows, source):
    serials = list(dict.fromkeys(values))
    duplicates = []
    if len(serials) < len(values):  # only then is the row-by-row pass needed
        first_rows = {}
        for value, row_number in zip(values, value_rows, strict=False):
            first_row = first_rows.setdefault(value, row_number)
            if first_row != row_number:
                duplicates.append(Duplicate(value, row_number, first_row))
    return ReadResult(serials=serials, duplicates=duplicates, rows=rows, source=source)
