"""The RQ job functions: thin entry points that find their settings and run a batch.

Enqueued by name ("worker.jobs.run_batch"), so Redis holds only a batch id; everything else is
read from the batch row when the job runs.
"""

from . import runner
from .allocation import AllocationHandler
from .batches import BatchError
from .connections import current_config
from .filecheck import CheckHandler

HANDLERS = {"allocate": AllocationHandler, "check": CheckHandler}


def run_batch(batch_id, database=None):
    """Works batch `batch_id` from its last committed chunk to its end.

    `database` is the database the batch was created in: a job that reaches a worker of another
    database (two setups sharing one Redis and queue names) fails instead of working a stranger.
    """
    config = current_config()
    if database is not None and database != config.dsn["dbname"]:
        raise BatchError(
            f"job for batch {batch_id} of database {database!r} reached a worker of "
            f"{config.dsn['dbname']!r}: give each setup its own queue names or Redis"
        )
    return runner.run_batch(config, batch_id, HANDLERS)
