"""serial_core.ranges: expand, collapse into maximal runs, and parse the text back."""

import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from serial_core.errors import RangeError
from serial_core.ranges import MAX_SERIALS, Run, collapse, expand, format_runs, parse_runs

# --- expand --------------------------------------------------------------------------------


def test_prefix_start_padding():
    assert expand("SN-", 1, count=3, padding=4) == ["SN-0001", "SN-0002", "SN-0003"]


def test_start_padding_suffix():
    assert expand(start=100, end=102, padding=3, suffix="-A") == ["100-A", "101-A", "102-A"]


def test_end_is_inclusive_and_padding_widens():
    assert expand("X", 98, end=101, padding=2) == ["X98", "X99", "X100", "X101"]
    assert expand(start=0, count=2) == ["0", "1"]
    assert expand("A", 7, end=7) == ["A7"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"start": 1}, "either an end or a count"),
        ({"start": 1, "end": 5, "count": 5}, "either an end or a count"),
        ({"start": 5, "end": 4}, "end 4 is before start 5"),
        ({"start": -1, "count": 2}, "start must be at least 0"),
        ({"start": 1, "count": 0}, "count must be at least 1"),
        ({"start": 1, "count": 2.0}, "count must be a whole number"),
        ({"start": "1", "count": 2}, "start must be a whole number"),
        ({"start": 1, "count": 2, "padding": 31}, "padding 31 is more than 30"),
        ({"start": 1, "count": MAX_SERIALS + 1}, f"at most {MAX_SERIALS}"),
        ({"prefix": None, "count": 1}, "prefix and suffix must be text"),
    ],
)
def test_expand_refuses_bad_input(kwargs, message):
    with pytest.raises(RangeError, match=message):
        expand(**kwargs)


# --- collapse and its text -----------------------------------------------------------------


def test_collapsed_display():
    serials = expand("SN-", 1, count=10, padding=4)
    assert collapse(serials) == [Run("SN-0001", "SN-0010", 10)]
    assert format_runs(serials) == "SN-0001 – SN-0010 (10)\n"


def test_a_lone_serial_is_written_as_itself():
    assert str(Run("SN-7", "SN-7", 1)) == "SN-7"
    assert format_runs(["SN-7", "ABC"]) == "SN-7\nABC\n"
    assert format_runs([]) == ""


def test_runs_are_maximal_over_the_whole_list_in_order_of_first_appearance():
    serials = ["B-2", "A-5", "A-3", "X", "A-4", "B-1", "A-9"]
    assert format_runs(serials) == "A-3 – A-5 (3)\nX\nB-1 – B-2 (2)\nA-9\n"


def test_the_number_is_the_last_digit_run():
    assert format_runs(["L1-R7-x", "L1-R8-x", "L2-R9-x"]) == "L1-R7-x – L1-R8-x (2)\nL2-R9-x\n"


def test_width_is_part_of_a_run():
    # 0999 and 1000 share width 4; 999 (width 3) and 1000 (width 4) do not.
    assert format_runs(["0998", "0999", "1000"]) == "0998 – 1000 (3)\n"
    assert format_runs(["998", "999", "1000"]) == "998 – 999 (2)\n1000\n"
    assert format_runs(["SN-05", "SN-5", "SN-6"]) == "SN-05\nSN-5 – SN-6 (2)\n"


def test_repeated_serials_are_kept_as_runs_of_their_own():
    serials = ["S1", "S2", "S3", "S2", "S1", "S2"]
    assert format_runs(serials) == "S1 – S3 (3)\nS1 – S2 (2)\nS2\n"
    assert sorted(parse_runs(format_runs(serials))) == sorted(serials)


def test_a_whole_range_entered_twice_is_two_runs():
    serials = expand("SN-", 1, count=5) * 2
    assert format_runs(serials) == "SN-1 – SN-5 (5)\nSN-1 – SN-5 (5)\n"


def test_run_serials_lists_the_run():
    assert Run("A-08", "A-11", 4).serials() == ["A-08", "A-09", "A-10", "A-11"]
    assert Run("Q", "Q", 1).serials() == ["Q"]


@pytest.mark.parametrize(
    "serial, reason",
    [
        ("", "must be non-empty text"),
        (None, "must be non-empty text"),
        (" SN-1", "has whitespace at its start or end"),
        ("SN-1\t", "has whitespace at its start or end"),
        ("SN\n1", "contains a line break"),
        ("A\u2028B", "contains a line break"),
        ("A\x1cB", "contains a line break"),
        ("A – B", "contains the range separator"),
    ],
)
def test_collapse_refuses_serials_that_cannot_be_one_a_line(serial, reason):
    with pytest.raises(RangeError, match=reason):
        collapse(["OK-1", serial])


# --- parse_runs ----------------------------------------------------------------------------


def test_parse_runs_reads_runs_and_lone_serials():
    text = "SN-0001 – SN-0003 (3)\n\n  B  \r\n0999 – 1000\n"
    assert parse_runs(text) == ["SN-0001", "SN-0002", "SN-0003", "B", "0999", "1000"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("A\nSN-1 – SN-3 (4)", "line 2 'SN-1 – SN-3 (4)': the range holds 3 serials, not 4"),
        ("SN-3 – SN-1 (3)", "line 1 'SN-3 – SN-1 (3)': the range ends before it starts"),
        ("SN-3 – SN-3 (1)", "line 1 'SN-3 – SN-3 (1)': the range ends before it starts"),
        ("SN-1 – X (2)", "line 1 'SN-1 – X (2)': both ends of a range need a number"),
        ("SN-1 – SN-02 (2)", "same text around a number of the same width"),
        ("SN-1 – SM-2 (2)", "same text around a number of the same width"),
        ("A – (3)", "line 1 'A – (3)': both ends of a range need a number"),
        ("SN-0000000 – SN-1000000 (1000001)", f"more than {MAX_SERIALS} serials"),
    ],
)
def test_parse_runs_names_the_bad_line(text, message):
    with pytest.raises(RangeError) as caught:
        parse_runs(text)
    assert message in str(caught.value)


def test_parse_runs_limit_counts_every_line():
    with pytest.raises(RangeError, match="line 2 'B-1 – B-2': more than 3 serials"):
        parse_runs("A-1 – A-2\nB-1 – B-2\n", limit=3)
    with pytest.raises(RangeError, match="line 3: more than 2 serials"):
        parse_runs("A\nB\nC\n", limit=2)


# --- properties ----------------------------------------------------------------------------

SERIAL_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
    min_size=1,
    max_size=8,
).filter(lambda s: s == s.strip() and len(s.splitlines()) == 1 and " – " not in s)


@st.composite
def expansions(draw):
    prefix = draw(st.sampled_from(["", "SN-", "A", "X9-", "é"]))
    suffix = draw(st.sampled_from(["", "-A", "/b"]))
    start = draw(st.integers(0, 1200))
    return expand(prefix, start, count=draw(st.integers(1, 30)), padding=draw(st.integers(0, 4)), suffix=suffix)


SERIAL_LISTS = st.lists(
    st.one_of(
        SERIAL_TEXT.map(lambda s: [s]),
        expansions(),
        st.lists(st.sampled_from(["SN-1", "SN-2", "SN-3", "SN-01", "0999", "1000"])),
    ),
    max_size=6,
).flatmap(lambda chunks: st.permutations([s for chunk in chunks for s in chunk]))


@given(SERIAL_LISTS)
def test_collapse_then_parse_gives_every_serial_back(serials):
    assert Counter(parse_runs(format_runs(serials))) == Counter(serials)


@given(SERIAL_LISTS)
def test_runs_are_consistent_and_maximal(serials):
    runs = collapse(serials)
    assert sum(run.count for run in runs) == len(serials)
    for run in runs:
        assert len(run.serials()) == run.count
        assert run.serials()[0] == run.first and run.serials()[-1] == run.last
    # Maximal: among distinct serials, the serial right after a run's last is no run's first.
    if len(set(serials)) == len(serials):
        firsts = {run.first for run in runs}
        for run in runs:
            assert successor(run.last) not in firsts


def successor(serial):
    """The next serial in the same prefix, suffix and width (None past the width or digitless)."""
    found = re.fullmatch(r"(.*?)([0-9]+)([^0-9]*)", serial, re.DOTALL)
    if found is None:
        return None
    prefix, digits, suffix = found.groups()
    following = str(int(digits) + 1).zfill(len(digits))
    return prefix + following + suffix if len(following) == len(digits) else None


@given(st.lists(expansions(), max_size=5))
def test_separate_expansions_parse_back_in_order(chunks):
    """Ranges that cannot merge (each its own prefix) come back exactly, order included."""
    serials = [f"R{index}:{serial}" for index, chunk in enumerate(chunks) for serial in chunk]
    assert parse_runs(format_runs(serials)) == serials


@given(st.text())
def test_parse_runs_raises_only_range_error(text):
    try:
        serials = parse_runs(text, limit=10_000)
    except RangeError:
        return
    assert all(serial and serial == serial.strip() for serial in serials)
