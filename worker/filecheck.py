"""File-check batches: read a serial file and check it against a pattern and a quantity.

The check itself is the engine's (serial_core.filecheck). The whole check is one chunk: a file
is read in one piece (serial_core.readers caps its size), and its problems are written in one
transaction, replacing those of any earlier attempt. A check that finds problems fails its batch
with a summary; every problem is listed by `serials batch status ID`.
"""

import os

from serial_core.filecheck import check_file, summarize
from serial_core.patterns import compile_pattern
from serial_core.rules import Problem

from . import batches

KIND = "check"


def submit(cur, path, pattern=None, quantity=None, column=None):
    """Creates the batch in the caller's transaction; the file is read by the worker."""
    if pattern is not None:
        compile_pattern(pattern)  # a malformed pattern is the caller's mistake: say so now
    params = {"path": os.path.abspath(path), "pattern": pattern, "quantity": quantity, "column": column}
    return batches.create_batch(cur, KIND, params, 1, 1)


class CheckHandler:
    """The check kind for runner.run_batch."""

    @staticmethod
    def run_chunk(cur, batch, index):
        params = batch.params
        read, problems = check_file(params["path"], params["pattern"], params["quantity"], params["column"])
        batches.replace_problems(cur, batch.id, problems)
        batches.set_result(
            cur,
            batch.id,
            {"serials": len(read.serials), "rows": read.rows, "problems": len(problems), "source": read.source},
        )
        return 1

    @staticmethod
    def finish(conn, batch):
        with conn.cursor() as cur:
            result = batches.get_batch(cur, batch.id).result
            problems = [Problem(*row) for row in batches.list_problems(cur, batch.id)]
        conn.rollback()
        if problems:
            return result, summarize(problems, batch.params["path"])
        return result, None
