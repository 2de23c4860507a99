"""File-check batches: read a serial file and check it against a pattern and a quantity.

The whole check is one chunk: a file is read in one piece (serial_core.readers caps its size),
and its problems are written in one transaction, replacing those of any earlier attempt. The
reader removes repeated serials and reports each as a Duplicate; they are problems of the file
here, next to the rules' count and pattern problems. A check that finds problems fails its batch
with a summary; every problem is listed by `serials batch status ID`.
"""
import json
import os
from collections import Counter

from serial_core.patterns import compile_pattern
from serial_core.readers import read_serials
from serial_core.rules import Problem, check_line

from . import batches

KIND = "check"
SUMMARY_PROBLEMS = 3  # problems quoted in the batch's error message


def submit(cur, path, pattern=None, quantity=None, column=None):
    """Creates the batch in the caller's transaction; the file is read by the worker."""
    if pattern is not None:
        compile_pattern(pattern)  # a malformed pattern is the caller's mistake: say so now
    params = {"path": os.path.abspath(path), "pattern": pattern, "quantity": quantity, "column": column}
    return batches.create_batch(cur, KIND, params, 1, 1)


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


class CheckHandler:
    """The check kind for runner.run_batch."""

    @staticmethod
    def run_chunk(cur, batch, index):
        params = batch.params
        read, problems = check_file(params["path"], params["pattern"], params["quantity"], params["column"])
        batches.replace_problems(cur, batch.id, problems)
        cur.execute(
            "UPDATE serial_batch SET result = %s WHERE id = %s",
            (json.dumps({"serials": len(read.serials), "rows": read.rows, "problems": len(problems),
                                 "source": read.source}), batch.id),
        )
        return 1

    @staticmethod
    def finish(conn, batch):
        with conn.cursor() as cur:
            cur.execute("SELECT result FROM serial_batch WHERE id = %s", (batch.id,))
            result = cur.fetchone()[0]
            problems = [Problem(*row) for row in batches.list_problems(cur, batch.id)]
        conn.rollback()
        if problems:
            return result, summarize(problems, batch.params["path"])
        return result, None
