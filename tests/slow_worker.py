"""`serials worker` whose every chunk lingers inside its transaction, for the crash tests.

    python -m tests.slow_worker SECONDS [--config FILE] worker [serials worker options...]

Each chunk sleeps SECONDS after writing its rows and before its commit, so a test can kill a
worker, Redis or the database connection in the middle of a batch without relying on timing
luck. The delay wraps the job's handlers in this process; RQ's work-horses are forked from it
and inherit them. Production code knows nothing of it.
"""

import sys
import time

from serials_cli.main import main
from worker import jobs


class SlowChunks:
    """A batch-kind handler that runs another's chunks, then waits before the commit."""

    def __init__(self, handler, seconds):
        self.handler, self.seconds = handler, seconds

    def run_chunk(self, cur, batch, index):
        items = self.handler.run_chunk(cur, batch, index)
        time.sleep(self.seconds)
        return items

    def finish(self, conn, batch):
        return self.handler.finish(conn, batch)


if __name__ == "__main__":
    seconds = float(sys.argv.pop(1))
    jobs.HANDLERS.update({kind: SlowChunks(handler, seconds) for kind, handler in jobs.HANDLERS.items()})
    main(sys.argv[1:], prog_name="serials")
