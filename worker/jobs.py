"""The RQ job functions: thin entry points that find their settings and run a batch.

Enqueued by name ("worker.jobs.run_batch"), so Redis holds only a batch id; everything else is
read from the batch row when the job runs.
"""
from . import runner
from .allocation import AllocationHandler
from .connections import current_config
from .filecheck import CheckHandler

HANDLERS = {"allocate": AllocationHandler, "check": CheckHandler}


def run_batch(batch_id):
    """Works batch `batch_id` from its last committed chunk to its end."""
    return runner.run_batch(current_config(), batch_id, HANDLERS)
