"""`serials read` and `serials labels` through the real command group."""

import xml.etree.ElementTree as ElementTree

import openpyxl
import pytest

from serials_cli.main import main


def test_read_prints_serials_and_reports_duplicates_on_stderr(runner, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Serial,Qty\nSN-1,1\nSN-2,1\nSN-1,1\n\nSN-2,1\n")
    result = runner.invoke(main, ["read", str(path)])
    assert result.exit_code == 0
    assert result.stdout == "SN-1\nSN-2\n"
    assert result.stderr.splitlines() == [
        "duplicate SN-1 at row 4 (first at row 2)",
        "duplicate SN-2 at row 6 (first at row 3)",
        f"{path}: 2 serial(s) from 6 row(s), 2 duplicate(s) removed",
    ]


def test_read_column_by_name_and_number_from_xlsx(runner, tmp_path):
    path = tmp_path / "s.xlsx"
    workbook = openpyxl.Workbook()
    for row in (["Product", "Lot/Serial Number"], ["P1", 1001.0], ["P1", 1002]):
        workbook.active.append(row)
    workbook.save(path)
    by_name = runner.invoke(main, ["read", str(path), "--column", "lot/serial number"])
    by_number = runner.invoke(main, ["read", str(path), "-c", "2"])
    assert by_name.exit_code == by_number.exit_code == 0
    assert by_name.stdout == by_number.stdout == "1001\n1002\n"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("s.pdf", b"x", "unsupported file type '.pdf'"),
        ("s.xlsx", b"not a zip at all", "not a readable .xlsx file"),
        ("missing.csv", None, "cannot read"),
    ],
)
def test_read_bad_input_exits_2_with_one_line(runner, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(main, ["read", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr


def test_labels_from_stdin_to_svg(runner, tmp_path):
    out = tmp_path / "l.svg"
    result = runner.invoke(main, ["labels", "-", "--out", str(out)], input="SN-1\n\n  SN-2 \nSN-1\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote 3 code128 label(s) to {out}\n"
    root = ElementTree.parse(out).getroot()
    serials = [
        group.get("data-serial")
        for group in root.iter("{http://www.w3.org/2000/svg}g")
        if group.get("class") == "label"
    ]
    assert serials == ["SN-1", "SN-2", "SN-1"]  # plain lines: nothing dropped


def test_labels_from_csv_to_pdf_drops_duplicates(runner, tmp_path):
    source = tmp_path / "s.csv"
    source.write_text("serial\n" + "".join(f"SN-{i:03d}\n" for i in range(30)) + "SN-000\n")
    out = tmp_path / "l.pdf"
    result = runner.invoke(main, ["labels", str(source), "--out", str(out), "--symbology", "CODE39"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote 30 code39 label(s), 2 page(s) to {out}, 1 duplicate(s) skipped\n"
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "out, extra, stdin, message",
    [
        ("l.png", [], "SN-1\n", "the output must end in .svg or .pdf"),
        ("l.svg", [], "\n\n", "standard input: no serials to print"),
        ("l.svg", ["--symbology", "ean13"], "12345\n", "serial '12345' cannot be encoded as ean13"),
    ],
)
def test_labels_errors_exit_2_and_write_nothing(runner, tmp_path, out, extra, stdin, message):
    result = runner.invoke(main, ["labels", "-", "--out", str(tmp_path / out), *extra], input=stdin)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_labels_column_needs_a_reader_file(runner, tmp_path):
    result = runner.invoke(main, ["labels", "-", "--out", str(tmp_path / "l.svg"), "--column", "2"], input="A\n")
    assert result.exit_code == 2
    assert "--column needs a" in result.stderr
