"""Checking a serial file: its duplicates, then the rules' count and pattern problems.

The reader removes repeated serials and reports each as a Duplicate; here they are problems of
the file, next to what rules.check_line finds. Used inline by `serials check` and by the
worker's file-check batches.
"""

from __future__ import annotations

from collections import Counter

from .readers import read_serials
from .rules import Problem, check_line

SUMMARY_PROBLEMS = 3  # problems quoted in a summary line


def check_file(path, pattern=None, quantity=None, column=None):
    """(serials read, problems): duplicates in the file, then the rules' count and pattern problems."""
    read = read_serials(path, column=column)
    problems = [
        Problem("duplicate", dup.value, f"{dup.value} on row {dup.row} repeats row {dup.first_row}")
        for dup in read.duplicates
    ]
    if quantity is not None or pattern is not None:
        # Without a quantity the count is not a rule: compare it with itself.
        required = quantity if quantity is not None else len(read.serials)
        problems.extend(check_line(read.serials, required, pattern))
    return read, problems


def summarize(problems, source):
    """One line: how many problems of each kind, and the first few."""
    tally = Counter(problem.kind for problem in problems)
    kinds = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in tally.items())
    first = "; ".join(problem.message for problem in problems[:SUMMARY_PROBLEMS])
    more = "; ..." if len(problems) > SUMMARY_PROBLEMS else ""
    return f"{len(problems)} problem(s) in {source} ({kinds}): {first}{more}"
