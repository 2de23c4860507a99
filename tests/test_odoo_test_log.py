"""scripts/odoo_test_log.py: the verdict on an Odoo test run's log, on log text shaped like Odoo 18.0's."""

from tests.tool_support import load_tool

odoo_test_log = load_tool("odoo_test_log")
main, read_records, summarize = odoo_test_log.main, odoo_test_log.read_records, odoo_test_log.summarize

STAMP = "2026-11-21 20:52:38,373 12569"


def record(level, logger, message, db="serials_odoo_test"):
    return f"{STAMP} {level} {db} {logger}: {message}\n"


def report(failed=0, errors=0, run=3):
    return record(
        "ERROR" if failed or errors else "INFO",
        "odoo.tests.result",
        f"{failed} failed, {errors} error(s) of {run} tests when loading database 'serials_odoo_test'",
    )


def stats(count=3):
    return record("INFO", "odoo.tests.stats", f"serial_tracking: {count} tests 0.40s 13 queries")


def verdict(tmp_path, text):
    log = tmp_path / "odoo.log"
    log.write_text(text)
    return summarize(read_records(log), "serial_tracking")


def test_clean_run_counts_every_test_as_passed(tmp_path):
    problems, _lines, passed, failed = verdict(tmp_path, stats() + report(run=3))
    assert (problems, passed, failed) == ([], 3, 0)


def test_failures_and_errors_both_count_as_failed(tmp_path):
    problems, _lines, passed, failed = verdict(tmp_path, stats() + report(failed=1, errors=2, run=5))
    assert (passed, failed) == (2, 3)
    assert any("3 of 5 tests failed" in problem for problem in problems)


def test_an_error_record_fails_a_run_whose_tests_all_passed(tmp_path):
    text = (
        record("ERROR", "odoo.addons.serial_tracking.models.x", "something broke")
        + "Traceback (most recent call last):\n  boom\n"
    )
    problems, lines, passed, _failed = verdict(tmp_path, text + stats() + report(run=3))
    assert passed == 3
    assert problems == ["1 ERROR/CRITICAL log records"]
    assert "    Traceback (most recent call last):" in lines


def test_no_test_of_the_module_is_a_failure(tmp_path):
    problems, _lines, _passed, _failed = verdict(tmp_path, report(run=0))
    assert problems == ["no test of serial_tracking ran"]


def test_missing_closing_report_is_a_failure(tmp_path):
    text = record("CRITICAL", "odoo.service.server", "Failed to initialize database `serials_odoo_test`.")
    problems, _lines, _passed, _failed = verdict(tmp_path, text)
    assert any("closing test report" in problem for problem in problems)


def test_skips_are_not_passes_and_browser_skips_fail(tmp_path):
    skip = record(
        "INFO",
        "odoo.addons.serial_tracking.tests.test_tour",
        "skipped TestTour.test_tour : Chrome executable not found",
    )
    problems, lines, passed, failed = verdict(tmp_path, skip + stats() + report(run=3))
    assert (passed, failed) == (2, 0)
    assert "SKIPPED TestTour.test_tour : Chrome executable not found" in lines
    assert problems == ["1 browser tests skipped because Chrome could not be driven"]


def test_repeated_warnings_are_shown_once_with_their_count(tmp_path):
    warning = record("WARNING", "odoo.tools.translate", "no translation language detected")
    _problems, lines, _passed, _failed = verdict(tmp_path, warning * 3 + stats() + report())
    assert lines == ["WARNING odoo.tools.translate: no translation language detected (x3)"]


def test_main_prints_the_closing_line_last_and_exits_1_on_problems(tmp_path, capsys):
    log = tmp_path / "odoo.log"
    log.write_text(stats() + report(failed=1, run=4))
    assert main(["odoo_test_log.py", str(log), "serial_tracking"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "odoo: 3 passed, 1 failed"
