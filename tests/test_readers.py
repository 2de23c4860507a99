"""serial_core.readers on real files written into tmp_path."""

import datetime
import os
import zipfile

import openpyxl
import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serial_core.errors import ReadError
from serial_core.readers import Duplicate, ReadResult, read_serials, read_serials_bytes


def write_xlsx(path, rows, start_row=1, start_column=1):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row_offset, row in enumerate(rows):
        for column_offset, value in enumerate(row):
            if value is not None:
                sheet.cell(row=start_row + row_offset, column=start_column + column_offset, value=value)
    workbook.save(path)
    return path


def write_xls(path, rows):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Serials")
    for row_index, row in enumerate(rows):
        for column_index, value in enumerate(row):
            if value is not None:
                sheet.write(row_index, column_index, value)
    workbook.save(str(path))
    return path


def write_text(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def write_rows(path, rows):
    """The rows in the kind of file path's extension names: a sheet for .xlsx and .xls, else
    text lines of ";"-separated cells."""
    if path.suffix == ".xlsx":
        return write_xlsx(path, rows)
    if path.suffix == ".xls":
        return write_xls(path, rows)
    return write_text(path, "".join(";".join(map(str, row)) + "\n" for row in rows))


# --- per format --------------------------------------------------------------


def test_xlsx_header_by_word_and_numbers_without_dot_zero(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [["Serial Number", "Qty"], [12345.0, 1], [" SN-2 ", 1], [67890, 1]])
    result = read_serials(path)
    assert isinstance(result, ReadResult)
    assert result.serials == ["12345", "SN-2", "67890"]
    assert result.duplicates == []
    assert result.rows == 4
    assert result.source == str(path)


def test_xlsx_rows_are_absolute_sheet_rows(tmp_path):
    # Data placed at C3: column 3 and row numbers count from A1, as Excel shows them.
    path = write_xlsx(tmp_path / "s.xlsx", [["Lot/Serial Number"], ["A1"], ["B2"], ["A1"]], start_row=3, start_column=3)
    result = read_serials(path, column=3)
    assert result.serials == ["A1", "B2"]
    assert result.duplicates == [Duplicate("A1", 6, 4)]


def test_xlsx_column_by_name_and_number(tmp_path):
    path = write_xlsx(
        tmp_path / "s.xlsx", [["Product", "Lot"], ["P1", "L-1"], ["P1", "L-2"], ["P2", None], ["P3", "L-3"]]
    )
    assert read_serials(path, column="lot").serials == ["L-1", "L-2", "L-3"]
    assert read_serials(path, column=2).serials == ["L-1", "L-2", "L-3"]
    assert read_serials(path, column="2").serials == ["L-1", "L-2", "L-3"]
    # Column 1 without a header word: "Product" has no digit, every P-value has one -> header.
    assert read_serials(path).serials == ["P1", "P2", "P3"]


def test_xlsx_dates_and_fractions_render_as_seen(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [[datetime.date(2024, 12, 1)], [1.5], [0.1 + 0.2]])
    assert read_serials(path).serials == ["2024-12-01", "1.5", "0.3"]


def test_xls_via_file(tmp_path):
    path = write_xls(tmp_path / "s.xls", [["Serial", "Note"], [12345.0, "x"], ["SN-9", "y"], [12345, "z"], [None, "w"]])
    result = read_serials(path)
    assert result.serials == ["12345", "SN-9"]
    assert result.duplicates == [Duplicate("12345", 4, 2)]
    assert result.rows == 5
    assert read_serials(path, column="note").serials == ["x", "y", "z", "w"]


def test_csv_semicolon_detected_and_quotes(tmp_path):
    path = write_text(tmp_path / "s.csv", 'serial;qty\n"SN;1";2\nSN-2;3\n\nSN-2;4\n')
    result = read_serials(path)
    assert result.serials == ["SN;1", "SN-2"]
    assert result.duplicates == [Duplicate("SN-2", 5, 3)]
    assert result.rows == 5


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_each_delimiter(tmp_path, delimiter):
    lines = [delimiter.join(["Item", "Serial No."])] + [delimiter.join([f"P{i}", f"S-{i:03d}"]) for i in range(5)]
    path = write_text(tmp_path / "s.csv", "\n".join(lines) + "\n")
    assert read_serials(path, column="Serial No.").serials == [f"S-{i:03d}" for i in range(5)]


def test_csv_one_column_keeps_commas_inside_quotes(tmp_path):
    path = write_text(tmp_path / "s.csv", 'SN-1\r\n"SN-2"\r\nSN-3\r\n')
    assert read_serials(path).serials == ["SN-1", "SN-2", "SN-3"]


def test_csv_row_numbers_follow_lines_across_quoted_newlines(tmp_path):
    path = write_text(tmp_path / "s.csv", 'id,note\nA1,"two\nlines"\nA2,x\nA1,y\n')
    result = read_serials(path)
    assert result.serials == ["A1", "A2"]
    assert result.duplicates == [Duplicate("A1", 5, 2)]


def test_csv_column_missing_names_file(tmp_path):
    path = write_text(tmp_path / "s.csv", "a,b\n1,2\n")
    with pytest.raises(ReadError, match=r"s\.csv: column 5 not found"):
        read_serials(path, column=5)
    with pytest.raises(ReadError, match=r"s\.csv: row 1: no column named 'serial' \(found 'a', 'b'\)"):
        read_serials(path, column="serial")


def test_txt_trims_skips_blank_and_reports_every_duplicate(tmp_path):
    path = write_text(tmp_path / "s.txt", "  SN-1 \n\nSN-2\nSN-1\n\t\nSN-1\nSN-3")
    result = read_serials(path)
    assert result.serials == ["SN-1", "SN-2", "SN-3"]
    assert result.duplicates == [Duplicate("SN-1", 4, 1), Duplicate("SN-1", 6, 1)]
    assert result.rows == 7


def test_txt_header_word_skipped_but_digit_value_never_header(tmp_path):
    assert read_serials(write_text(tmp_path / "a.txt", "Serials\nABC\nDEF\n")).serials == ["ABC", "DEF"]
    assert read_serials(write_text(tmp_path / "b.txt", "SN1\nSN2\n")).serials == ["SN1", "SN2"]
    # Letters-only serials under no header word: nothing is dropped.
    assert read_serials(write_text(tmp_path / "c.txt", "ABC\nDEF\n")).serials == ["ABC", "DEF"]


def test_txt_second_column_does_not_exist(tmp_path):
    with pytest.raises(ReadError, match="column 2 not found"):
        read_serials(write_text(tmp_path / "s.txt", "A1\nA2\n"), column=2)


# --- encodings ----------------------------------------------------------------


def test_utf8_bom_is_not_part_of_the_first_serial(tmp_path):
    path = write_text(tmp_path / "s.csv", "Série,x\nSN-é1,1\n", encoding="utf-8-sig")
    assert read_serials(path, column="série").serials == ["SN-é1"]
    path = write_text(tmp_path / "s.txt", "SN-1\nSN-2\n", encoding="utf-8-sig")
    assert read_serials(path).serials == ["SN-1", "SN-2"]


def test_utf16_with_bom_and_cp1252_fallback(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes("SN-€1\nSN-2\n".encode("utf-16"))
    assert read_serials(path).serials == ["SN-€1", "SN-2"]
    path.write_bytes("SN-€1\nSN-ü2\n".encode("cp1252"))
    assert read_serials(path).serials == ["SN-€1", "SN-ü2"]


def test_nul_bytes_refused_with_row(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes(b"SN-1\nSN\x002\n")
    with pytest.raises(ReadError, match=r"s\.txt: row 2: NUL character"):
        read_serials(path)


# --- bad files and limits -------------------------------------------------------


def test_unsupported_extension(tmp_path):
    path = write_text(tmp_path / "s.pdf", "SN-1\n")
    with pytest.raises(ReadError, match=r"s\.pdf: unsupported file type '\.pdf'"):
        read_serials(path)
    with pytest.raises(ReadError, match="no extension"):
        read_serials_bytes(b"SN-1\n", "serials")


def test_missing_file_names_it(tmp_path):
    with pytest.raises(ReadError, match=r"nope\.csv: cannot read"):
        read_serials(tmp_path / "nope.csv")


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(ReadError, match=r"s\.xlsx: not a readable \.xlsx file"):
        read_serials(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "s.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ReadError, match=r"s\.xlsx: not a readable \.xlsx file"):
        read_serials(path)


def test_corrupt_xls(tmp_path):
    path = tmp_path / "s.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + os.urandom(2000))
    with pytest.raises(ReadError, match=r"s\.xls: not a readable \.xls file"):
        read_serials(path)


def test_zip_bomb_like_xlsx_refused_before_parsing(tmp_path):
    # A real workbook plus a member that inflates from a few kB to 5 MB.
    path = write_xlsx(tmp_path / "s.xlsx", [["SN-1"]])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * (5 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    with pytest.raises(ReadError, match=r"s\.xlsx: unpacks to [\d,]+ bytes, more than the limit of 1,048,576"):
        read_serials(path, max_unpacked_bytes=1024 * 1024)
    assert read_serials(path).serials == ["SN-1"]  # the default limit lets it through


def test_too_many_bytes(tmp_path):
    path = write_text(tmp_path / "s.txt", "SN-1\n" * 100)
    with pytest.raises(ReadError, match=r"s\.txt: 500 bytes, more than the limit of 499 bytes"):
        read_serials(path, max_bytes=499)
    with pytest.raises(ReadError, match=r"up\.txt: 500 bytes"):
        read_serials_bytes(path.read_bytes(), "up.txt", max_bytes=499)


@pytest.mark.parametrize("extension", [".txt", ".csv", ".xlsx", ".xls"])
def test_too_many_rows(tmp_path, extension):
    rows = [[f"SN-{i}"] for i in range(11)]
    path = write_rows(tmp_path / f"s{extension}", rows)
    assert len(read_serials(path, max_rows=11).serials) == 11
    with pytest.raises(ReadError, match=rf"s\{extension}: .*more than 10 rows"):
        read_serials(path, max_rows=10)


def test_unknown_limit_is_a_programming_error(tmp_path):
    with pytest.raises(TypeError):
        read_serials(write_text(tmp_path / "s.txt", "A1\n"), max_colums=3)


@pytest.mark.parametrize("column", [0, -1, ""])
def test_bad_column_values(tmp_path, column):
    with pytest.raises(ReadError, match="column"):
        read_serials(write_text(tmp_path / "s.txt", "A1\n"), column=column)


def test_bytes_and_path_give_the_same_result(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [["serial"], ["A1"], ["A1"], ["B2"]])
    from_path = read_serials(path)
    from_bytes = read_serials_bytes(path.read_bytes(), "upload.XLSX")
    assert from_bytes.serials == from_path.serials == ["A1", "B2"]
    assert from_bytes.duplicates == from_path.duplicates == [Duplicate("A1", 3, 2)]
    assert from_bytes.source == "upload.XLSX"


def test_empty_files(tmp_path):
    assert read_serials(write_text(tmp_path / "s.txt", "")).serials == []
    assert read_serials(write_text(tmp_path / "s.csv", "\n\n")).serials == []
    assert read_serials(write_xlsx(tmp_path / "s.xlsx", [])).serials == []


# --- property -----------------------------------------------------------------

# Serial-like: letters, digits and - _ / . with at least one digit (so never a header).
serial_like = st.text(alphabet=st.sampled_from("ABCXYZabc0123456789-_/."), min_size=1, max_size=16).filter(
    lambda text: any(char.isdigit() for char in text)
)


def _unique_in_order(values):
    return list(dict.fromkeys(values))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(serial_like, max_size=40),
    extension=st.sampled_from([".csv", ".txt"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    header=st.booleans(),
)
def test_property_reading_gives_unique_serials_in_order(tmp_path, values, extension, newline, header):
    lines = (["Serial Number"] if header else []) + values
    path = write_text(tmp_path / f"p{extension}", "".join(line + newline for line in lines))
    result = read_serials(path)
    assert result.serials == _unique_in_order(values)
    offset = 2 if header else 1
    first_rows = {}
    expected = []
    for row, value in enumerate(values, offset):
        if value in first_rows:
            expected.append(Duplicate(value, row, first_rows[value]))
        else:
            first_rows[value] = row
    assert result.duplicates == expected


def test_csv_error_names_the_row(tmp_path):
    path = write_text(tmp_path / "s.csv", "A1,x\nA2," + "y" * 200_000 + "\n")
    with pytest.raises(ReadError, match=r"s\.csv: row 2: field larger than field limit"):
        read_serials(path)


def _patched_xlsx(path, sheet_xml_edit):
    """Copy of a real workbook with its first sheet's XML edited (hostile files)."""
    source = write_xlsx(path.with_name("clean.xlsx"), [["SN-1"], ["SN-2"]])
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as patched:
        for member in original.infolist():
            data = original.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml_edit(data)
            patched.writestr(member, data)
    return path


@pytest.mark.parametrize(
    "far_row",
    [
        # One value in the last cell of the sheet: calamine would allocate 1,048,576 x 16,384 cells.
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
        # The same rectangle from unreferenced cells after a far row.
        b'<row r="1048576">' + b'<c t="inlineStr"><is><t>x</t></is></c>' * 300 + b"</row>",
    ],
)
def test_sparse_xlsx_refused_before_calamine_allocates_it(tmp_path, far_row):
    path = _patched_xlsx(tmp_path / "sparse.xlsx", lambda xml: xml.replace(b"</sheetData>", far_row + b"</sheetData>"))
    assert path.stat().st_size < 20_000
    with pytest.raises(ReadError, match=r"sparse\.xlsx: worksheet xl/worksheets/sheet1\.xml spans 1,048,57\d rows"):
        read_serials(path)


def test_cell_limit_counts_the_rectangle_from_a1(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [["SN-1", None, "x"], ["SN-2"]], start_row=5)
    assert read_serials(path, max_cells=18).serials == ["SN-1", "SN-2"]  # A1:C6, 18 cells
    with pytest.raises(ReadError, match=r"spans 6 rows x 3 columns, more than the limit of 17 cells"):
        read_serials(path, max_cells=17)


def test_sparse_xls_reads_without_padding(tmp_path):
    # IV65536: calamine would allocate 16.7 million cells (1 GB); xlrd's ragged rows do not.
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Serials")
    sheet.write(0, 0, "SN-1")
    sheet.write(65535, 255, "far")
    workbook.save(str(tmp_path / "sparse.xls"))
    result = read_serials(tmp_path / "sparse.xls")
    assert result.serials == ["SN-1"]
    assert result.rows == 65536
    assert read_serials(tmp_path / "sparse.xls", column=256).serials == ["far"]


def test_xls_dates_booleans_and_errors(tmp_path):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Serials")
    sheet.write(0, 0, datetime.date(2024, 12, 1), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    sheet.write(1, 0, True)
    sheet.row(2).set_cell_error(0, "#REF!")  # an error cell is not a serial: read as empty
    sheet.write(3, 0, 4.25)
    workbook.save(str(tmp_path / "s.xls"))
    assert read_serials(tmp_path / "s.xls").serials == ["2024-12-01", "TRUE", "4.25"]


def test_xlsx_lying_shared_string_count_refused(tmp_path):
    # calamine reserves memory for the declared count: 4e9 strings asked for 96 GB and aborted.
    path = write_xlsx(tmp_path / "clean.xlsx", [["SN-1"]])
    hostile = tmp_path / "sst.xlsx"
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(hostile, "w") as patched:
        for member in original.infolist():
            patched.writestr(member, original.read(member))
        patched.writestr(
            "xl/sharedStrings.xml", b'<sst count="4000000000" uniqueCount="4000000000"><si><t>a</t></si></sst>'
        )
    with pytest.raises(ReadError, match=r"sst\.xlsx: xl/sharedStrings\.xml declares 4,000,000,000 items"):
        read_serials(hostile)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(serial_like, st.integers(min_value=0, max_value=10**12)), max_size=30))
def test_property_xlsx_gives_unique_serials_in_order(tmp_path, values):
    path = write_xlsx(tmp_path / "p.xlsx", [["Serial"]] + [[value] for value in values])
    # Integers come back as a person sees them: no ".0".
    assert read_serials(path).serials == _unique_in_order(str(value) for value in values)


# A format, and (position, byte) overwrites to apply to a valid small file of it.
damaged_file_cases = st.tuples(
    st.sampled_from([".xlsx", ".xls", ".csv", ".txt"]),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=damaged_file_cases)
def test_property_damaged_files_raise_only_read_error(tmp_path, case):
    extension, overwrites = case
    rows = [["Serial", "Qty"]] + [[f"SN-{i}", i] for i in range(20)]
    path = write_rows(tmp_path / f"base{extension}", rows)
    data = bytearray(path.read_bytes())
    for position, byte in overwrites:
        data[position % len(data)] = byte
    try:
        result = read_serials_bytes(bytes(data), f"damaged{extension}")
    except ReadError as exc:
        assert "damaged" in str(exc)  # the message names the file
    else:
        assert all(serial == serial.strip() and serial for serial in result.serials)


def test_csv_excel_separator_hint_line(tmp_path):
    path = write_text(tmp_path / "s.csv", "sep=;\r\nSerial;Qty\r\nSN,1;1\r\nSN,1;2\r\n")
    result = read_serials(path)
    assert result.serials == ["SN,1"]
    assert result.duplicates == [Duplicate("SN,1", 4, 3)]
    assert result.rows == 4


def test_txt_excel_unicode_text_export_is_tab_separated(tmp_path):
    # Excel's "Unicode Text" save: UTF-16 with BOM, tab-separated, CRLF.
    path = tmp_path / "export.txt"
    path.write_bytes("Product\tSerial Number\r\nP1\tSN-1\r\nP2\tSN-2\r\nP3\tSN-1\r\n".encode("utf-16"))
    result = read_serials(path, column="serial number")
    assert result.serials == ["SN-1", "SN-2"]
    assert result.duplicates == [Duplicate("SN-1", 4, 2)]
    assert read_serials(path, column=1).serials == ["P1", "P2", "P3"]
