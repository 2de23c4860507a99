"""A batch's progress as data: the batch row, its first problems, whether a runner is on it, and
the row again and again while it runs. Only PostgreSQL is read (the truth), never Redis.

How progress is shown (a bar, plain lines, a hint that no worker runs) is the command line's
business: serials_cli.batch_view.
"""

import time

from . import batches
from .connections import open_pg
from .runner import runner_alive

POLL_SECONDS = 0.5
STATUS_PROBLEMS = 20  # problems of a check that `load` returns


def load(config, batch_id, with_problems=False):
    """(Batch, first problems, runner live?) read in a short transaction.

    "runner live" is None for a closed batch, else whether a job is working on it right now.
    """
    pg = open_pg(config, "serials-status")
    try:
        with pg.cursor() as cur:
            batch = batches.get_batch(cur, batch_id)
            problems = batches.list_problems(cur, batch_id, STATUS_PROBLEMS) if with_problems else []
            live = runner_alive(cur, batch_id) if batch.is_open else None
        return batch, problems, live
    finally:
        pg.close()


def watch(config, batch_id, *, timeout=None):
    """Yields the batch as it is now, then again after each poll, until it is done or failed.

    `timeout` (seconds) bounds the wait: a batch still open then raises BatchError. None waits
    as long as it takes.
    """
    pg = open_pg(config, "serials-wait")
    pg.autocommit = True  # each poll sees the latest commit
    try:
        with pg.cursor() as cur:
            batch = batches.get_batch(cur, batch_id)
            yield batch
            deadline = None if timeout is None else time.monotonic() + timeout
            while batch.is_open:
                if deadline is not None and time.monotonic() > deadline:
                    raise batches.BatchError(
                        f"batch {batch.id} still {batch.state} after {timeout} s: {batch.progress_line()}"
                    )
                time.sleep(POLL_SECONDS)
                batch = batches.get_batch(cur, batch.id)
                yield batch
    finally:
        pg.close()
