"""serial_core.formats: tokens, series and period keys, errors, and the no-repeat property."""

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from serial_core.errors import FormatError
from serial_core.formats import RESETS, Counter, SerialFormat, parse_format

WHEN = dt.datetime(2024, 3, 5, 7, 9)  # a Tuesday, ISO week 10, day 65 of a leap year
CONTEXT = {"product": "P7", "location": "WH", "company": "ACME"}


def one(text, when=WHEN, context=CONTEXT, value=1):
    return parse_format(text).render(value, when, context)


# --- the documented examples -------------------------------------------------------------------


def test_none_reset_counts_on():
    assert parse_format("[[INCNUM,NONE,4,1]]").preview(3, WHEN) == ["0001", "0002", "0003"]


def test_default_start_is_one():
    serial_format = parse_format("SN-[[INCNUM,NONE,6]]")
    assert serial_format.counter == Counter("NONE", 6, 1)
    assert serial_format.preview(2, WHEN) == ["SN-000001", "SN-000002"]


def test_year_month_prefix_with_a_daily_counter():
    serial_format = parse_format("ITEM-[[YEAR]][[MONTH]]-[[INCNUM,DAILY,4]]")
    assert serial_format.preview(1, dt.date(2024, 12, 1)) == ["ITEM-202412-0001"]


def test_date_series_restarts_with_the_next_day():
    # Series rule: [[DATE]] is rendered into the series, so each day is a series of its own.
    serial_format = parse_format("[[DATE]]-[[INCNUM,NONE,3,1]]")
    day1, day2 = dt.datetime(2024, 12, 1, 9), dt.datetime(2024, 12, 2, 9)
    assert serial_format.series_key(day1) == "2024-12-01-[[#]]"
    assert serial_format.series_key(day2) == "2024-12-02-[[#]]"
    assert serial_format.period_key(day1) == serial_format.period_key(day2) == ""
    assert serial_format.preview(2, day1) + serial_format.preview(1, day2) == [
        "2024-12-01-001",
        "2024-12-01-002",
        "2024-12-02-001",
    ]


def test_each_product_is_its_own_series():
    serial_format = parse_format("SN-[[PRODUCT]]-[[INCNUM,NONE,4]]")
    assert serial_format.series_key(WHEN, {"product": "A"}) == "SN-A-[[#]]"
    assert serial_format.series_key(WHEN, {"product": "B"}) == "SN-B-[[#]]"
    assert serial_format.context_tokens == frozenset({"product"})


# --- every token ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token, expected",
    [
        ("DATE", "2024-03-05"),
        ("YEAR", "2024"),
        ("YY", "24"),
        ("MONTH", "03"),
        ("DAY", "05"),
        ("WEEK", "10"),
        ("DOY", "065"),
        ("HOUR", "07"),
        ("MINUTE", "09"),
        ("PRODUCT", "P7"),
        ("LOCATION", "WH"),
        ("COMPANY", "ACME"),
    ],
)
def test_each_token_renders(token, expected):
    assert one(f"<[[{token}]]>[[INCNUM,NONE,1]]") == f"<{expected}>1"


def test_date_tokens_keep_their_width():
    early = dt.datetime(5, 2, 1, 0, 0)  # year 5, ISO week 5, day 32
    text = "[[DATE]] [[YEAR]] [[YY]] [[WEEK]] [[DOY]] [[HOUR]][[MINUTE]] [[INCNUM,NONE,1]]"
    assert one(text, when=early) == "0005-02-01 0005 05 05 032 0000 1"


def test_week_is_the_iso_week():
    assert one("[[WEEK]]-[[INCNUM,NONE,1]]", when=dt.date(2024, 12, 30)) == "01-1"
    assert one("[[WEEK]]-[[INCNUM,NONE,1]]", when=dt.date(2021, 1, 3)) == "53-1"


def test_doy_and_hour_at_year_end():
    assert one("[[DOY]]:[[HOUR]][[INCNUM,NONE,1]]", when=dt.datetime(2024, 12, 31, 23)) == "366:231"


def test_a_date_is_taken_as_midnight():
    assert one("[[HOUR]][[MINUTE]]-[[INCNUM,NONE,1]]", when=dt.date(2024, 1, 1)) == "0000-1"


def test_literal_text_is_kept_as_written():
    text = "a]]b{0}%s\\[x]-[[INCNUM,NONE,2]]-]"
    assert one(text, value=7) == "a]]b{0}%s\\[x]-07-]"


# --- counter -------------------------------------------------------------------------------


def test_counter_widens_past_digits_and_never_wraps():
    serial_format = parse_format("X[[INCNUM,NONE,2]]Y")
    assert [serial_format.render(v, WHEN) for v in (0, 9, 99, 100, 12345)] == [
        "X00Y",
        "X09Y",
        "X99Y",
        "X100Y",
        "X12345Y",
    ]
    assert serial_format.render_many(98, 4, WHEN) == ["X98Y", "X99Y", "X100Y", "X101Y"]


def test_start_is_the_first_value_of_a_fresh_series():
    serial_format = parse_format("[[INCNUM,YEARLY,3,0]]")
    assert serial_format.counter == Counter("YEARLY", 3, 0)
    assert serial_format.preview(2, WHEN) == ["000", "001"]
    assert parse_format("[[INCNUM,NONE,3,500]]").preview(1, WHEN) == ["500"]


def test_render_many_equals_render_in_a_loop():
    serial_format = parse_format("[[COMPANY]]/[[DATE]]/{x}%d-[[INCNUM,MONTHLY,3]]-[[LOCATION]]")
    expected = [serial_format.render(v, WHEN, CONTEXT) for v in range(995, 1010)]
    assert serial_format.render_many(995, 15, WHEN, CONTEXT) == expected
    assert serial_format.render_many(5, 0, WHEN, CONTEXT) == []


@pytest.mark.parametrize("value", [-1, 1.5, "3", True, None])
def test_a_bad_counter_value_is_refused(value):
    with pytest.raises(FormatError, match="whole number"):
        parse_format("[[INCNUM,NONE,3]]").render(value, WHEN)


def test_a_bad_when_is_refused():
    with pytest.raises(FormatError, match="date or datetime"):
        parse_format("[[INCNUM,NONE,3]]").render(1, "2024-01-01")


# --- series and period keys ----------------------------------------------------------------


@pytest.mark.parametrize(
    "reset, when, key",
    [
        ("NONE", dt.date(2024, 12, 1), ""),
        ("DAILY", dt.datetime(2024, 12, 1, 23, 59), "2024-12-01"),
        ("WEEKLY", dt.date(2024, 12, 1), "2024-W48"),
        ("WEEKLY", dt.date(2024, 12, 2), "2024-W49"),
        ("WEEKLY", dt.date(2024, 12, 29), "2024-W52"),
        ("WEEKLY", dt.date(2024, 12, 30), "2025-W01"),  # ISO year, not calendar year
        ("WEEKLY", dt.date(2021, 1, 3), "2020-W53"),
        ("MONTHLY", dt.date(2024, 12, 31), "2024-12"),
        ("MONTHLY", dt.date(2025, 1, 1), "2025-01"),
        ("YEARLY", dt.date(2024, 12, 31), "2024"),
    ],
)
def test_period_keys(reset, when, key):
    assert parse_format(f"[[DATE]][[INCNUM,{reset},3]]").period_key(when) == key


def test_series_key_keeps_the_counter_as_a_marker():
    serial_format = parse_format("[[PRODUCT]]-[[YEAR]]-[[INCNUM,YEARLY,5]]/[[DAY]]")
    assert serial_format.series_key(WHEN, CONTEXT) == "P7-2024-[[#]]/05"


def test_missing_context_names_token_and_position():
    serial_format = parse_format("SN-[[LOCATION]]-[[INCNUM,NONE,4]]")
    for context in (None, {}, {"location": None}, {"location": ""}, {"LOCATION": "WH"}):
        with pytest.raises(FormatError, match=re.escape("[[LOCATION]] at position 4")):
            serial_format.render(1, WHEN, context)


# --- advice on resets that repeat ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, repeats",
    [
        ("SN-[[INCNUM,NONE,4]]", False),
        ("ITEM-[[YEAR]][[MONTH]]-[[INCNUM,DAILY,4]]", True),
        ("[[DATE]]-[[INCNUM,DAILY,4]]", False),
        ("[[YY]][[DOY]]-[[INCNUM,DAILY,4]]", False),
        ("[[YEAR]]-W[[WEEK]]-[[INCNUM,WEEKLY,3]]", True),
        ("[[DATE]]-[[INCNUM,WEEKLY,3]]", False),
        ("[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4]]", False),
        ("[[MONTH]]-[[INCNUM,MONTHLY,4]]", True),
        ("[[YEAR]]-[[INCNUM,YEARLY,4]]", False),
        ("[[HOUR]]-[[INCNUM,YEARLY,4]]", True),
    ],
)
def test_warnings_tell_when_a_reset_reissues_serials(text, repeats):
    assert bool(parse_format(text).warnings) == repeats


def test_the_warned_iso_week_pitfall_really_repeats():
    # [[YEAR]] is the calendar year: 2024-01-01 and 2024-12-30 are both "2024-W01".
    serial_format = parse_format("[[YEAR]]-W[[WEEK]]-[[INCNUM,WEEKLY,3]]")
    first, second = dt.date(2024, 1, 1), dt.date(2024, 12, 30)
    assert serial_format.period_key(first) != serial_format.period_key(second)
    assert serial_format.preview(1, first) == serial_format.preview(1, second) == ["2024-W01-001"]


# --- errors name the token and its position ------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("SN-0001", "has no counter token"),
        ("", "has no counter token"),
        ("[[DATE]]", "has no counter token"),
        ("A[[INCNUM,NONE,4]]-[[INCNUM,DAILY,2]]", "second counter token [[INCNUM,DAILY,2]] at position 20"),
        ("AB[[SERIAL]][[INCNUM,NONE,4]]", "unknown token [[SERIAL]] at position 3"),
        ("[[INCNUM,NONE,4]][[date]]", "unknown token [[date]] at position 18 (tokens are upper case"),
        ("[[incnum,NONE,4]]", "unknown token [[incnum,NONE,4]] at position 1"),
        ("[[]][[INCNUM,NONE,4]]", "unknown token [[]] at position 1"),
        ("x[[INCNUM,HOURLY,4]]", "token [[INCNUM,HOURLY,4]] at position 2: RESET 'HOURLY' is not one of"),
        ("x[[INCNUM,none,4]]", "token [[INCNUM,none,4]] at position 2: RESET 'none'"),
        ("[[INCNUM,NONE,0]]", "token [[INCNUM,NONE,0]] at position 1: DIGITS 0 is out of range 1..30"),
        ("[[INCNUM,NONE,31]]", "token [[INCNUM,NONE,31]] at position 1: DIGITS 31 is out of range"),
        ("[[INCNUM,NONE,four]]", "token [[INCNUM,NONE,four]] at position 1: DIGITS 'four' is not a whole"),
        ("[[INCNUM,NONE,]]", "token [[INCNUM,NONE,]] at position 1: DIGITS '' is not a whole"),
        ("[[INCNUM,NONE,4,-1]]", "token [[INCNUM,NONE,4,-1]] at position 1: START '-1' is not a whole"),
        ("[[INCNUM,NONE,4,1.5]]", "START '1.5' is not a whole"),
        ("[[INCNUM,NONE,4,99999999999999999999]]", "START '99999999999999999999' is not a whole"),
        ("[[INCNUM,NONE]]", "token [[INCNUM,NONE]] at position 1: a counter needs 3 or 4 fields"),
        ("[[INCNUM,NONE,4,1,2]]", "a counter needs 3 or 4 fields"),
        ("[[INCNUM]]", "token [[INCNUM]] at position 1: a counter needs 3 or 4 fields"),
        ("[[INCNUM, NONE, 4]]", "token [[INCNUM, NONE, 4]] at position 1: no spaces"),
        ("SN-[[INCNUM,NONE,4", "unclosed '[[' at position 4"),
        ("[[INCNUM,NONE,4]]-[[DATE", "unclosed '[[' at position 19"),
        ("[[INCNUM,NONE,4]] [[DATE]", "unclosed '[[' at position 19"),
    ],
)
def test_errors_name_the_token_and_position(text, message):
    with pytest.raises(FormatError) as caught:
        parse_format(text)
    assert message in str(caught.value)


def test_non_text_is_a_format_error():
    with pytest.raises(FormatError, match="must be text"):
        parse_format(None)


def test_parse_format_is_cached_and_immutable():
    serial_format = parse_format("SN-[[INCNUM,NONE,4]]")
    assert parse_format("SN-[[INCNUM,NONE,4]]") is serial_format
    assert isinstance(serial_format, SerialFormat)
    with pytest.raises(AttributeError):
        serial_format.text = "other"


# --- properties ----------------------------------------------------------------------------

FRAGMENTS = [
    "[[",
    "]]",
    "[",
    "]",
    ",",
    "INCNUM",
    *RESETS,
    "DATE",
    "WEEK",
    "PRODUCT",
    "0",
    "4",
    "-1",
    " ",
    "x",
    "é",
    "\n",
]


@given(st.one_of(st.text(), st.lists(st.sampled_from(FRAGMENTS)).map("".join)))
def test_parse_format_raises_only_format_error(text):
    try:
        serial_format = parse_format(text)
    except FormatError as error:
        # A positioned message points at a "[[" of the text.
        found = re.search(r"at position (\d+)", str(error))
        if found:
            position = int(found.group(1))
            assert text[position - 1 : position + 1] == "[["
        return
    serial = serial_format.render(7, WHEN, CONTEXT)
    assert str(7).zfill(serial_format.counter.digits) in serial


LITERAL = st.text(alphabet="AZ09-_/ .]{}%", max_size=3)
TOKEN = st.sampled_from(
    ["DATE", "YEAR", "YY", "MONTH", "DAY", "WEEK", "DOY", "HOUR", "MINUTE", "PRODUCT", "LOCATION", "COMPANY"]
).map(lambda name: f"[[{name}]]")


@st.composite
def format_texts(draw):
    parts = draw(st.lists(st.one_of(LITERAL, TOKEN), max_size=6))
    reset = draw(st.sampled_from(RESETS))
    if reset != "NONE" and draw(st.booleans()):
        parts.append("[[DATE]]")  # most resetting formats need it not to repeat
    counter = f"[[INCNUM,{reset},{draw(st.integers(1, 4))},{draw(st.integers(0, 12))}]]"
    parts.insert(draw(st.integers(0, len(parts))), counter)
    return "".join(parts)


@given(format_texts(), st.sets(st.integers(0, 10**6), min_size=2, max_size=50))
def test_one_series_never_repeats_a_serial(text, values):
    serial_format = parse_format(text)
    serials = [serial_format.render(value, WHEN, CONTEXT) for value in values]
    assert len(set(serials)) == len(values)


@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(
    format_texts(),
    st.lists(st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2099, 12, 31)), min_size=1, max_size=25),
    st.integers(1, 120),
)
def test_a_store_following_the_keys_never_issues_a_serial_twice(text, moments, batch):
    """Counters kept per (series_key, period_key), as the store does, across resets."""
    serial_format = parse_format(text)
    assume(not serial_format.warnings)  # the warned formats do repeat (see above)
    next_values = {}
    issued = []
    for when in moments:
        key = (serial_format.series_key(when, CONTEXT), serial_format.period_key(when))
        first = next_values.get(key, serial_format.counter.start)
        issued += serial_format.render_many(first, batch, when, CONTEXT)
        next_values[key] = first + batch
    assert len(set(issued)) == len(issued)


# --- render() remembers the last series; it must never serve a stale one -------------------


def test_render_follows_every_change_of_moment_zone_and_context():
    serial_format = parse_format("[[PRODUCT]]-[[DATE]]T[[HOUR]]-[[INCNUM,NONE,1]]")
    utc = dt.datetime(2024, 1, 1, 9, tzinfo=dt.timezone.utc)
    same_instant_elsewhere = utc.astimezone(dt.timezone(dt.timedelta(hours=5)))
    assert utc == same_instant_elsewhere
    a, b = {"product": "A"}, {"product": "B"}
    calls = [
        (utc, a),
        (same_instant_elsewhere, a),
        (utc, b),
        (dt.date(2024, 1, 1), b),
        (dt.datetime(2024, 1, 1), b),
        (utc, a),
    ]
    assert [serial_format.render(1, when, context) for when, context in calls] == [
        "A-2024-01-01T09-1",
        "A-2024-01-01T14-1",
        "B-2024-01-01T09-1",
        "B-2024-01-01T00-1",
        "B-2024-01-01T00-1",
        "A-2024-01-01T09-1",
    ]


def test_a_failed_render_leaves_no_series_behind():
    serial_format = parse_format("[[PRODUCT]]-[[INCNUM,NONE,1]]")
    assert serial_format.render(1, WHEN, {"product": "A"}) == "A-1"
    with pytest.raises(FormatError):
        serial_format.render(1, WHEN, {})
    assert serial_format.render(2, WHEN, {"product": "A"}) == "A-2"
