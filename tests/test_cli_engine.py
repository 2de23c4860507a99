"""`serials format`, `serials pattern` and `serials range` through the real command group."""

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from tests.cli_support import invoke

ROOT = Path(__file__).resolve().parent.parent


# --- format preview ------------------------------------------------------------------------


def test_format_preview_issues_a_fresh_series(runner):
    result = invoke(runner, "format", "preview", "[[DATE]]-[[INCNUM,NONE,3,1]]", "--date", "2024-12-01", "--count", "3")
    assert result.exit_code == 0
    assert result.stdout == "2024-12-01-001\n2024-12-01-002\n2024-12-01-003\n"


def test_format_preview_with_time_and_context(runner):
    result = invoke(
        runner,
        "format",
        "preview",
        "[[COMPANY]]/[[LOCATION]]/[[PRODUCT]]-[[HOUR]][[MINUTE]]-[[INCNUM,DAILY,2,9]]",
        "--date",
        "2024-12-01T07:05",
        "--count",
        "2",
        "--product",
        "P1",
        "--location",
        "WH",
        "--company",
        "AC",
    )
    assert result.exit_code == 0
    assert result.stdout == "AC/WH/P1-0705-09\nAC/WH/P1-0705-10\n"


def test_format_preview_defaults_to_ten_serials_now(runner):
    before = dt.date.today()
    result = invoke(runner, "format", "preview", "[[DATE]]-[[INCNUM,NONE,2]]")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == 10
    assert lines[0][:10] in {before.isoformat(), dt.date.today().isoformat()}
    assert lines[-1].endswith("-10")


def test_format_preview_warns_on_stderr_when_a_reset_repeats(runner):
    result = invoke(
        runner, "format", "preview", "ITEM-[[YEAR]][[MONTH]]-[[INCNUM,DAILY,4]]", "--date", "2024-12-01", "--count", "1"
    )
    assert result.exit_code == 0
    assert result.stdout == "ITEM-202412-0001\n"
    assert result.stderr.startswith("serials: warning: the counter resets DAILY")


@pytest.mark.parametrize(
    "args, message",
    [
        (["X-[[INCNUM,NONE,4"], "serials: unclosed '[[' at position 3"),
        (["[[SERIAL]][[INCNUM,NONE,4]]"], "serials: unknown token [[SERIAL]] at position 1"),
        (["[[PRODUCT]][[INCNUM,NONE,4]]"], "serials: token [[PRODUCT]] at position 1 needs a product"),
    ],
)
def test_format_preview_bad_format_is_one_line_and_exit_2(runner, args, message):
    result = invoke(runner, "format", "preview", *args, "--date", "2024-12-01")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(message)


@pytest.mark.parametrize(
    "args",
    [
        ["--date", "2024-13-01"],
        ["--date", "01/12/2024"],
        ["--count", "0"],
        ["--count", "x"],
    ],
)
def test_format_preview_bad_options_are_usage_errors(runner, args):
    result = invoke(runner, "format", "preview", "[[INCNUM,NONE,4]]", *args)
    assert result.exit_code == 2
    assert "Error: Invalid value" in result.stderr


# --- pattern check -------------------------------------------------------------------------


def test_pattern_check_all_ok(runner):
    result = invoke(runner, "pattern", "check", "996*****", "99612345", "996ABCDE")
    assert result.exit_code == 0
    assert result.stdout == "99612345: ok\n996ABCDE: ok\n"


def test_pattern_check_failure_gives_reasons_and_exit_1(runner):
    result = invoke(runner, "pattern", "check", "996*****", "99612345", "9961234", "996-2345")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "99612345: ok",
        "9961234: has 7 characters, pattern '996*****' needs 8",
        "996-2345: position 4 is '-', expected a letter or digit",
    ]


def test_pattern_check_malformed_pattern_exit_2(runner):
    result = invoke(runner, "pattern", "check", "SN\\", "SN1")
    assert result.exit_code == 2
    assert result.stderr.startswith("serials: pattern 'SN\\\\' ends with an escape")


def test_pattern_check_needs_a_serial(runner):
    result = invoke(runner, "pattern", "check", "###")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


# --- range expand / collapse ---------------------------------------------------------------


def test_range_expand_with_count(runner):
    result = invoke(runner, "range", "expand", "--prefix", "SN-", "--start", "1", "--count", "3", "--padding", "4")
    assert result.exit_code == 0
    assert result.stdout == "SN-0001\nSN-0002\nSN-0003\n"


def test_range_expand_with_end_and_suffix(runner):
    result = invoke(runner, "range", "expand", "--start", "100", "--end", "102", "--padding", "3", "--suffix", "-A")
    assert result.exit_code == 0
    assert result.stdout == "100-A\n101-A\n102-A\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--start", "1"], "give exactly one of --end and --count"),
        (["--start", "1", "--end", "3", "--count", "3"], "give exactly one of --end and --count"),
        (["--start", "-1", "--count", "3"], "Invalid value for '--start'"),
        (["--count", "3"], "Missing option '--start'"),
    ],
)
def test_range_expand_usage_errors(runner, args, message):
    result = invoke(runner, "range", "expand", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_range_expand_end_before_start_is_exit_2(runner):
    result = invoke(runner, "range", "expand", "--start", "5", "--end", "4")
    assert result.exit_code == 2
    assert result.stderr == "serials: end 4 is before start 5\n"


def test_range_collapse_from_stdin(runner):
    result = invoke(runner, "range", "collapse", stdin="SN-1\n\nSN-3\n  SN-2  \nB\nSN-9\n")
    assert result.exit_code == 0
    assert result.stdout == "SN-1 – SN-3 (3)\nB\nSN-9\n"


def test_range_collapse_from_file_round_trips_through_parse(runner, tmp_path):
    path = tmp_path / "serials.txt"
    serials = [f"SN-{n:04d}" for n in (*range(1, 11), 20, 21, 5)]
    path.write_text("\n".join(serials) + "\n", encoding="utf-8")
    result = invoke(runner, "range", "collapse", str(path))
    assert result.exit_code == 0
    assert result.stdout == "SN-0001 – SN-0010 (10)\nSN-0020 – SN-0021 (2)\nSN-0005\n"


def test_range_collapse_bad_input_is_exit_2(runner, tmp_path):
    not_text = tmp_path / "bytes.txt"
    not_text.write_bytes(b"SN-1\n\xff\xfe\n")
    result = invoke(runner, "range", "collapse", str(not_text))
    assert result.exit_code == 2
    assert result.stderr == f"serials: {not_text}: not UTF-8 text (byte 6)\n"
    missing = invoke(runner, "range", "collapse", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr or "No such file" in missing.stderr


def test_range_collapse_refuses_a_serial_with_the_separator(runner):
    result = invoke(runner, "range", "collapse", stdin="A – B\n")
    assert result.exit_code == 2
    assert "contains the range separator" in result.stderr


# --- the installed command -----------------------------------------------------------------


def test_installed_serials_command_runs_as_a_process():
    serials = ROOT / ".venv" / "bin" / "serials"
    done = subprocess.run(
        [str(serials), "range", "collapse", "-"],
        input="SN-0001\nSN-0002\nX\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "SN-0001 – SN-0002 (2)\nX\n", "")
    failed = subprocess.run(
        [str(serials), "pattern", "check", "##", "1a"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (failed.returncode, failed.stdout) == (1, "1a: position 2 is 'a', expected a digit\n")
    bad = subprocess.run(
        [str(serials), "format", "preview", "[[INCNUM,NONE"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == "serials: unclosed '[[' at position 1: '[[INCNUM,NONE'\n"
