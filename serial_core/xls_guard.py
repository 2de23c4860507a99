"""Check an .xls file's cell extent before calamine parses it.

calamine allocates the whole rectangle from A1 to the last used cell, so a 6 kB
.xls with one value in IV65536 costs about 1 GB and seconds before any check
after parsing could refuse it. This walks the BIFF records of the workbook
stream instead (xlrd's compound-document reader finds the stream) and reads the
row and column of every cell record, in every sheet, without decoding cells.
"""
import io
import struct

from xlrd.compdoc import CompDoc

from serial_core.errors import ReadError

# BIFF record types that place a cell: row at offset 0, column at offset 2.
_CELL_RECORDS = frozenset({
    0x0006,  # FORMULA
    0x00FD,  # LABELSST
    0x0201,  # BLANK
    0x0203,  # NUMBER
    0x0204,  # LABEL
    0x0205,  # BOOLERR
    0x027E,  # RK
    0x00D6,  # RSTRING
})
# Records holding a run of cells: the last column is the final 2 bytes.
_CELL_RUN_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK
_HEADER = struct.Struct("<HH")


def check_xls(data, source, *, max_cells):
    """ReadError naming `source` if the file is not a readable .xls or a sheet's
    rectangle from A1 spans more than `max_cells` cells."""
    try:
        document = CompDoc(data, logfile=io.StringIO())
        stream = document.get_named_stream("Workbook") or document.get_named_stream("Book")
    except Exception as exc:  # xlrd raises its own and struct/index errors on broken files
        raise ReadError(f"{source}: not a readable .xls file ({exc})") from None
    if stream is None:
        raise ReadError(f"{source}: not a readable .xls file (no workbook stream)")
    rows, columns = cell_extent(stream)
    if rows * columns > max_cells:
        raise ReadError(
            f"{source}: a sheet spans {rows:,} rows x {columns:,} columns, "
            f"more than the limit of {max_cells:,} cells"
        )


def cell_extent(stream):
    """(rows, columns) from A1 to the furthest cell of any sheet in a BIFF stream."""
    last_row = last_column = -1
    position, end = 0, len(stream) - 4
    unpack = _HEADER.unpack_from
    while position <= end:
        record, length = unpack(stream, position)
        body = position + 4
        if (record in _CELL_RECORDS or record in _CELL_RUN_RECORDS) and length >= 4:
            row, column = unpack(stream, body)
            if record in _CELL_RUN_RECORDS and length >= 6:
                (column,) = struct.unpack_from("<H", stream, body + length - 2)
            if row > last_row:
                last_row = row
            if column > last_column:
                last_column = column
        position = body + length
    return last_row + 1, last_column + 1
