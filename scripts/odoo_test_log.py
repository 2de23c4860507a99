"""Reads the log of an Odoo 18.0 test run and says whether the module's tests passed.

    python scripts/odoo_test_log.py LOG MODULE

Prints the ERROR/CRITICAL records (with their tracebacks), the warnings, the skipped tests, and
as its last line "odoo: N passed, N failed". Exits 1 when any record is at ERROR or CRITICAL
level, when Odoo's closing test report is missing or counts failures, or when no test of MODULE
ran at all; 0 otherwise.

What it relies on in Odoo 18.0 (odoo/netsvc.py, odoo/tests/result.py, odoo/service/server.py):
  - records look like "2026-01-01 12:00:00,000 PID LEVEL DB LOGGER: message";
  - at exit, --stop-after-init with tests logs "F failed, E error(s) of T tests when loading database 'DB'";
  - after the post-install tests, odoo.tests.stats logs "MODULE: N tests Xs Q queries" per module;
  - a skipped test logs "skipped TEST_ID : reason" on the test module's logger.
"""

import re
import sys
from collections import Counter

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[^:\s]+): (?P<message>.*)$"
)
REPORT = re.compile(r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests when loading database")
MODULE_STATS = r"^{module}: (?P<count>\d+) tests "
SHOWN_AT_MOST = 20
# Odoo turns a missing or broken Chrome into skipped tests (odoo/tests/common.py): a broken machine, not
# a test's own choice, so such skips fail the run.
BROWSER_SKIP = re.compile(r"websocket-client|[Cc]hrome")


def read_records(path):
    """Returns (level, logger, message, continuation lines) for every log record, in order."""
    records = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            line = line.rstrip("\n")
            match = RECORD.match(line)
            if match:
                records.append((match["level"], match["logger"], match["message"], []))
            elif records:
                records[-1][3].append(line)  # traceback or multi-line message
    return records


def summarize(records, module):
    """Returns (problems, report_lines, passed, failed) for MODULE's test run."""
    problems, lines = [], []
    errors = [r for r in records if r[0] in ("ERROR", "CRITICAL")]
    warnings = [r for r in records if r[0] == "WARNING"]
    skipped = [r for r in records if r[1].startswith(f"odoo.addons.{module}") and r[2].startswith("skipped ")]
    reports = [REPORT.search(r[2]) for r in records if r[1] == "odoo.tests.result"]
    reports = [m for m in reports if m]
    stats_pattern = re.compile(MODULE_STATS.format(module=re.escape(module)))
    module_runs = [stats_pattern.match(r[2]) for r in records if r[1] == "odoo.tests.stats"]
    module_runs = [m for m in module_runs if m]

    for level, logger, message, more in errors[:SHOWN_AT_MOST]:
        lines.append(f"{level} {logger}: {message}")
        lines.extend(f"    {extra}" for extra in more[-15:])
    if len(errors) > SHOWN_AT_MOST:
        lines.append(f"... and {len(errors) - SHOWN_AT_MOST} more ERROR/CRITICAL records")
    if errors:
        problems.append(f"{len(errors)} ERROR/CRITICAL log records")
    # The same warning repeats once per test that triggers it: show each once, with its count.
    warning_counts = Counter(f"WARNING {logger}: {message}" for _level, logger, message, _more in warnings)
    for text, count in list(warning_counts.items())[:SHOWN_AT_MOST]:
        lines.append(text if count == 1 else f"{text} (x{count})")
    if len(warning_counts) > SHOWN_AT_MOST:
        lines.append(f"... and {len(warning_counts) - SHOWN_AT_MOST} more distinct warnings")
    for _level, _logger, message, _more in skipped:
        lines.append(f"SKIPPED {message[len('skipped ') :]}")
    browser_skips = [r for r in skipped if BROWSER_SKIP.search(r[2])]
    if browser_skips:
        problems.append(f"{len(browser_skips)} browser tests skipped because Chrome could not be driven")

    if not reports:
        problems.append("Odoo's closing test report ('... tests when loading database') is missing")
        return problems, lines, 0, 0
    report = reports[-1]
    run, failed = int(report["run"]), int(report["failed"]) + int(report["errors"])
    if failed:
        problems.append(f"{failed} of {run} tests failed or raised")
    module_count = sum(int(m["count"]) for m in module_runs)
    if run == 0 or module_count == 0:
        problems.append(f"no test of {module} ran")
    passed = run - failed - len(skipped)
    if skipped:
        lines.append(f"{len(skipped)} tests skipped")
    return problems, lines, passed, failed


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    path, module = argv[1], argv[2]
    problems, lines, passed, failed = summarize(read_records(path), module)
    for line in lines:
        print(line)
    for problem in problems:
        print(f"odoo: FAILED: {problem} (full log: {path})")
    print(f"odoo: {passed} passed, {failed} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
