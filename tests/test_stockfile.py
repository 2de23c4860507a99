"""serial_core.stockfile: the opening-stock file's rows, mode and the problems the file alone shows."""

import pytest

from serial_core.errors import ReadError
from serial_core.readers import read_rows_bytes
from serial_core.stockfile import read_stock_file
from tests.test_readers import write_xlsx


def csv(*lines):
    return ("\n".join(lines) + "\n").encode()


def test_serial_rows_without_header():
    stock = read_stock_file(csv("SCAN,WH/Stock,SN-1", "", "SCAN,WH/Stock,SN-2"), "stock.csv")
    assert not stock.by_quantity and stock.problems == []
    assert [(row.row, row.product, row.location, row.serial) for row in stock.rows] == [
        (1, "SCAN", "WH/Stock", "SN-1"),
        (3, "SCAN", "WH/Stock", "SN-2"),
    ]


def test_header_orders_the_columns_and_chooses_quantities():
    stock = read_stock_file(csv("Qty;Location;Product;Note", "3;WH/Stock;SCAN;x"), "stock.csv")
    assert stock.by_quantity
    assert [(row.row, row.product, row.location, row.quantity) for row in stock.rows] == [(2, "SCAN", "WH/Stock", 3)]


def test_problems_name_their_rows():
    stock = read_stock_file(
        csv("product,location,serial", "SCAN,WH/Stock,SN-1", "SCAN,,SN-2", "SCAN,WH/Stock,SN-1", "DRILL,WH/Stock,SN-1"),
        "stock.csv",
    )
    assert [(problem.row, problem.kind) for problem in stock.problems] == [(3, "missing"), (4, "duplicate")]
    assert stock.problems[0].message == "row 3: no location"
    assert stock.problems[1].message == "row 4: SN-1 of SCAN repeats row 2"
    assert [row.row for row in stock.rows] == [2, 5]  # another product may carry the same serial


@pytest.mark.parametrize("quantity", ["2.5", "0", "-1", "two", "nan"])
def test_quantities_must_be_whole_and_above_zero(quantity):
    stock = read_stock_file(csv("product,location,quantity", f"SCAN,WH/Stock,{quantity}"), "stock.csv")
    assert stock.rows == []
    assert stock.problems[0].message.startswith(f"row 2: quantity {quantity} is not a whole number above 0")


def test_whole_quantity_written_as_decimal():
    stock = read_stock_file(csv("product,location,quantity", "SCAN,WH/Stock,4.0"), "stock.csv")
    assert stock.rows[0].quantity == 4 and stock.problems == []


def test_unreadable_files():
    with pytest.raises(ReadError, match="no rows"):
        read_stock_file(b"\n\n", "stock.csv")
    with pytest.raises(ReadError, match="must name the columns"):
        read_stock_file(csv("product,bin,colour", "SCAN,A,red"), "stock.csv")
    with pytest.raises(ReadError, match="unsupported file type"):
        read_stock_file(b"x", "stock.pdf")


def test_read_rows_keeps_every_column_of_non_empty_rows():
    assert read_rows_bytes(csv("a,b", ",", " c , d "), "t.csv") == [(1, ["a", "b"]), (3, ["c", "d"])]
    with pytest.raises(ReadError, match="more than 2 rows"):
        read_rows_bytes(csv("a", "b", "c"), "t.csv", max_rows=2)


def test_spreadsheet_rows_as_a_person_sees_them(tmp_path):
    path = write_xlsx(
        tmp_path / "opening.xlsx", [["Product", "Location", "Quantity"], [None], ["SCAN", "WH/Stock", 12.0]]
    )
    stock = read_stock_file(path.read_bytes(), "opening.xlsx")
    assert stock.by_quantity and stock.problems == []
    assert [(row.row, row.product, row.quantity) for row in stock.rows] == [(3, "SCAN", 12)]
