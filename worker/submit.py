"""Submitting batches from the command line (or any caller outside the worker).

The batch row (and, for an allocation, its block) is committed first, then the job is put on
the queue. If Redis is down at that moment the batch simply waits, queued, until a worker's
reconcile gives it a job: a batch is never lost between the two stores.
"""

from . import allocation, filecheck
from .connections import open_pg, redis_connect
from .reconcile import enqueue_or_leave


def _submit(config, create):
    pg = open_pg(config, "serials-submit")
    try:
        with pg.cursor() as cur:
            batch = create(cur)
        pg.commit()
        job_id = enqueue_or_leave(config, pg, redis_connect(config), batch.id)
        return batch, job_id
    finally:
        pg.close()


def submit_allocation(config, code, count, out, *, chunk_size=None, **options):
    """Creates an allocation batch and enqueues it; returns (Batch, job id or None).

    `options` (labels, label_count, when, context, company) as for allocation.submit; the chunk
    size defaults to the configuration's.
    """
    return _submit(
        config,
        lambda cur: allocation.submit(cur, code, count, out, chunk_size=chunk_size or config.chunk_size, **options),
    )


def submit_check(config, path, *, pattern=None, quantity=None, column=None):
    """Creates a file-check batch and enqueues it; returns (Batch, job id or None)."""
    return _submit(config, lambda cur: filecheck.submit(cur, path, pattern, quantity, column))
