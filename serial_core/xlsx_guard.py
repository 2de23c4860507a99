"""Checks on an .xlsx archive before calamine parses it.

Three ways a small .xlsx can take a process down:

* a zip bomb: members that inflate to gigabytes. The declared unpacked sizes are
  summed from the zip directory, nothing is inflated.
* a sparse sheet: one value in A1 and one in XFD1048576 make calamine allocate
  the whole 1,048,576 x 16,384 rectangle, and a failed allocation in its Rust
  code aborts the process (no exception to catch). So the rectangle spanned by
  every worksheet's cells is bounded first, with byte scans cheaper than the
  parse: the widest column exactly (from the cell references), the last row by
  the digit count of the longest row number, counted exactly only when that
  rough bound is over the limit. Cells and rows without a reference (allowed,
  rare) are added on top. Empty styled cells (<c r="X9" s="1"/>) count too,
  which can only overestimate.
* a declared count: calamine reserves memory for the count an XML part announces
  (<sst uniqueCount="4000000000"> asked for 96 GB and aborted). Every count="N"
  and uniqueCount="N" must fit both the part (an item takes at least 4 bytes)
  and `max_cells`.
"""

import io
import re
import zipfile

from serial_core.errors import ReadError

_WORKSHEET = re.compile(r"(^|/)worksheets/[^/]+\.xml$")
_DECLARED_COUNT = re.compile(rb'ount="([0-9]+)"')  # count="N", uniqueCount="N"
_MIN_ITEM_BYTES = 4
# Patterns start with the literal r=" so the regex engine can skip ahead fast; an
# attribute other than r that ends in "r" can only make the bound larger.
_COLUMN_LETTERS = re.compile(rb'r="([A-Z]{1,3})[0-9]')
_ROW_NUMBERS = re.compile(rb'r="[A-Z]{0,3}([0-9]+)"')
# Row numbers of at least N digits, in a cell reference (r="B123") or a row (r="123").
_ROW_DIGITS = {digits: re.compile(rb'r="[A-Z]{0,3}[0-9]{%d}' % digits) for digits in range(1, 8)}


def check_xlsx(data, source, *, max_unpacked_bytes, max_cells):
    """ReadError naming `source` if the archive is unreadable, inflates beyond
    `max_unpacked_bytes`, or a worksheet spans more than `max_cells` cells."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            if unpacked > max_unpacked_bytes:
                raise ReadError(
                    f"{source}: unpacks to {unpacked:,} bytes, more than the limit of {max_unpacked_bytes:,} bytes"
                )
            for member in members:
                if not member.filename.endswith((".xml", ".rels")):
                    continue
                xml = archive.read(member)
                _check_declared_counts(xml, member.filename, source, max_cells)
                if _WORKSHEET.search(member.filename):
                    rows, columns = sheet_extent(xml, max_cells)
                    if rows * columns > max_cells:
                        raise ReadError(
                            f"{source}: worksheet {member.filename} spans {rows:,} rows x "
                            f"{columns:,} columns, more than the limit of {max_cells:,} cells"
                        )
    except ReadError:
        raise
    except Exception as exc:  # pylint: disable=broad-exception-caught
        # zipfile lets zlib.error, EOFError, NotImplementedError... through on broken archives.
        raise ReadError(f"{source}: not a readable .xlsx file ({exc})") from None


def _check_declared_counts(xml, part, source, max_cells):
    limit = min(max_cells, len(xml) // _MIN_ITEM_BYTES)
    declared = max((int(number) for number in _DECLARED_COUNT.findall(xml)), default=0)
    if declared > limit:
        raise ReadError(f"{source}: {part} declares {declared:,} items, more than it can hold (at most {limit:,})")


def sheet_extent(xml, max_cells):
    """(rows, columns) bounding every cell of a worksheet's XML. The row count is a
    rough upper bound when that already fits in `max_cells`, else exact."""
    letters = set(_COLUMN_LETTERS.findall(xml))
    columns = max((_column_number(text) for text in letters), default=0)
    # Cells and rows without a reference (or with r not written first) follow the
    # previous one: counting them on top can only overestimate.
    # ("<c" also counts <cols>, "<row" <rowBreaks>: a few extra, harmless.)
    columns += max(0, xml.count(b"<c") - xml.count(b'<c r="'))
    unreferenced_rows = max(0, xml.count(b"<row") - xml.count(b'<row r="'))
    digits = next((n for n in range(7, 0, -1) if _ROW_DIGITS[n].search(xml)), 0)
    # 7 digits or more: no useful rough bound (Excel stops at 1,048,576).
    rows = 10**digits - 1 + unreferenced_rows if digits < 7 else None
    if rows is None or rows * columns > max_cells:
        numbers = _ROW_NUMBERS.findall(xml)
        rows = max(map(int, numbers), default=0) + unreferenced_rows
    return rows, columns


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number
