"""serial_core.rules: every problem of one line's serials."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from serial_core.errors import PatternError
from serial_core.patterns import compile_pattern
from serial_core.rules import KINDS, Problem, check_line


def test_a_good_line_has_no_problems():
    assert check_line(["99600001", "99600002"], 2, "996*****") == []


@pytest.mark.parametrize("quantity", [3, 3.0, Decimal("3.000"), Fraction(6, 2)])
def test_a_whole_quantity_of_any_number_type(quantity):
    assert check_line(["a", "b", "c"], quantity) == []


@pytest.mark.parametrize("quantity", [2.5, Decimal("2.5"), Fraction(5, 2), float("nan"), float("inf"), Decimal("NaN")])
def test_a_fractional_quantity_is_reported_and_the_count_not_compared(quantity):
    problems = check_line(["a", "b"], quantity)
    assert [problem.kind for problem in problems] == ["fractional_quantity"]
    assert problems[0].serial is None
    assert f"quantity {quantity} is not a whole number" in problems[0].message


def test_count_is_entered_over_required():
    assert check_line([f"s{i}" for i in range(5)], 10) == [
        Problem("count_mismatch", None, "5 / 10 serial numbers entered")
    ]
    assert check_line(["a", "b", "c"], 2) == [Problem("count_mismatch", None, "3 / 2 serial numbers entered")]


def test_each_duplicate_is_reported_once_in_order_of_first_entry():
    problems = check_line(["B", "A", "B", "C", "A", "B"], 6)
    assert problems == [
        Problem("duplicate", "B", "B is entered 3 times"),
        Problem("duplicate", "A", "A is entered 2 times"),
    ]


def test_each_pattern_breach_comes_with_its_reason():
    problems = check_line(["99612345", "9961234", "99512345"], 3, compile_pattern("996*****"))
    assert problems == [
        Problem("pattern", "9961234", "9961234: has 7 characters, pattern '996*****' needs 8"),
        Problem("pattern", "99512345", "99512345: position 3 is '5', expected '6'"),
    ]


def test_every_problem_is_returned_together():
    problems = check_line(["X1", "X1", "Y"], 2, "X#")
    assert [(problem.kind, problem.serial) for problem in problems] == [
        ("count_mismatch", None),
        ("duplicate", "X1"),
        ("pattern", "Y"),
    ]


def test_a_malformed_pattern_is_a_pattern_error():
    with pytest.raises(PatternError):
        check_line(["a"], 1, "a\\")


@pytest.mark.parametrize("quantity", ["3", None, True])
def test_a_non_number_quantity_is_a_type_error(quantity):
    with pytest.raises(TypeError, match="quantity must be a number"):
        check_line([], quantity)


@given(st.lists(st.sampled_from(["A1", "A2", "B1", "b1", "A10"]), max_size=12), st.integers(0, 12))
def test_problems_match_a_direct_count(serials, quantity):
    problems = check_line(serials, quantity, "@#")
    assert all(problem.kind in KINDS for problem in problems)
    mismatches = [p for p in problems if p.kind == "count_mismatch"]
    assert bool(mismatches) == (len(serials) != quantity)
    duplicates = [p.serial for p in problems if p.kind == "duplicate"]
    assert sorted(duplicates) == sorted({s for s in serials if serials.count(s) > 1})
    breaches = [p.serial for p in problems if p.kind == "pattern"]
    assert sorted(breaches) == sorted({s for s in serials if s == "A10"})
