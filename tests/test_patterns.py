"""serial_core.patterns: matching serial patterns, reasons for a failed check, malformed patterns."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from serial_core.errors import PatternError
from serial_core.patterns import compile_pattern


def test_pattern_996_then_five_open_characters():
    pattern = compile_pattern("996*****")
    assert pattern.text == "996*****"
    assert pattern.length == 8
    for serial in ("99600000", "996ABCDE", "996a1B2c"):
        assert pattern.check(serial) is None
        assert pattern.matches(serial)


def test_model_code_pattern_with_exact_literals():
    pattern = compile_pattern("XY123***")
    assert pattern.matches("XY123A9z")
    assert pattern.check("xy123A9z") == "position 1 is 'x', expected 'X'"  # literals are exact


@pytest.mark.parametrize(
    "pattern, serial, reason",
    [
        ("996*****", "9961234", "has 7 characters, pattern '996*****' needs 8"),
        ("996*****", "996123456", "has 9 characters, pattern '996*****' needs 8"),
        ("#", "", "has 0 characters, pattern '#' needs 1"),
        ("##", "1", "has 1 character, pattern '##' needs 2"),
        ("996*****", "995ABCDE", "position 3 is '5', expected '6'"),
        ("996*****", "996AB-DE", "position 6 is '-', expected a letter or digit"),
        ("SN-####", "SN-12A4", "position 6 is 'A', expected a digit"),
        ("@@-##", "A1-23", "position 2 is '1', expected a letter"),
        ("*", "é", "position 1 is 'é', expected a letter or digit"),  # ASCII letters only
        ("#", "٣", "position 1 is '٣', expected a digit"),  # ASCII digits only
        ("@", "ß", "position 1 is 'ß', expected a letter"),
        ("A#", " 1", "position 1 is ' ', expected 'A'"),
    ],
)
def test_a_failed_check_says_why(pattern, serial, reason):
    compiled = compile_pattern(pattern)
    assert compiled.check(serial) == reason
    assert not compiled.matches(serial)


def test_the_first_failing_position_is_reported():
    assert compile_pattern("####").check("1a2b") == "position 2 is 'a', expected a digit"


def test_escapes_make_wildcards_literal():
    pattern = compile_pattern(r"A\*\#\@\\#")
    assert pattern.length == 6
    assert pattern.matches("A*#@\\7")
    assert pattern.check("AB#@\\7") == "position 2 is 'B', expected '*'"
    assert pattern.check("A*#@\\x") == "position 6 is 'x', expected a digit"


def test_an_escaped_ordinary_character_is_itself():
    assert compile_pattern(r"\A#").matches("A1")


def test_regex_characters_are_plain_literals():
    pattern = compile_pattern("a.b+(#)")
    assert pattern.matches("a.b+(1)")
    assert not pattern.matches("aXb+(1)")


def test_a_non_text_serial_is_reported_not_raised():
    assert compile_pattern("#").check(5) == "a serial must be text, not int"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "cannot be empty"),
        ("AB\\", "ends with an escape '\\' at position 3"),
        ("\\", "ends with an escape '\\' at position 1"),
        (None, "must be text"),
    ],
)
def test_empty_or_malformed_patterns_are_refused(text, message):
    with pytest.raises(PatternError) as caught:
        compile_pattern(text)
    assert message in str(caught.value)


def test_double_backslash_is_one_literal_backslash_not_malformed():
    assert compile_pattern("AB\\\\").length == 3


@given(st.one_of(st.text(), st.lists(st.sampled_from(["\\", "*", "#", "@", "a", "1", "\n"])).map("".join)))
def test_compile_pattern_raises_only_pattern_error(text):
    try:
        pattern = compile_pattern(text)
    except PatternError:
        return
    assert pattern.length >= 1


SLOT = st.one_of(
    st.sampled_from(["*", "#", "@"]),
    st.characters(codec="utf-8").map(lambda c: "\\" + c if c in "*#@\\" else c),
)
REFERENCE = {"*": "[A-Za-z0-9]", "#": "[0-9]", "@": "[A-Za-z]"}


def reference_regex(slots):
    return "".join(REFERENCE.get(slot) or re.escape(slot[-1]) for slot in slots)


@st.composite
def pattern_and_serial(draw):
    slots = draw(st.lists(SLOT, min_size=1, max_size=12))
    # Mostly serials of the right length, one character per slot, to reach position reasons.
    same_length = st.lists(
        st.one_of(st.sampled_from("aZ09-é٣"), st.sampled_from([s[-1] for s in slots])),
        min_size=len(slots),
        max_size=len(slots),
    ).map("".join)
    serial = draw(st.one_of(same_length, st.text(max_size=14)))
    return slots, serial


@given(pattern_and_serial())
def test_check_agrees_with_a_reference_regex(case):
    """check() is None exactly when a separately built regex matches, and says why otherwise."""
    slots, serial = case
    pattern = compile_pattern("".join(slots))
    assert pattern.length == len(slots)
    reason = pattern.check(serial)
    if re.fullmatch(reference_regex(slots), serial, re.DOTALL):
        assert reason is None
        return
    assert reason is not None
    if len(serial) != len(slots):
        assert reason.startswith(f"has {len(serial)} character")
        return
    position = int(re.fullmatch(r"position (\d+) is .*", reason, re.DOTALL).group(1))
    # Everything before the reported position matches; the reported one does not.
    assert re.fullmatch(reference_regex(slots[: position - 1]), serial[: position - 1], re.DOTALL)
    assert not re.fullmatch(reference_regex(slots[position - 1 : position]), serial[position - 1], re.DOTALL)
