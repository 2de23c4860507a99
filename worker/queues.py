"""RQ queues and the settings every batch job is enqueued with.

Bulk work wants: a job timeout from odoo.conf ([serial_tracking] job_timeout) large enough for a
whole batch (a timed-out job leaves its batch running; the retry resumes at the next chunk),
failed jobs kept for failure_ttl for inspection, results kept a day, and a couple of retries.
Retries are immediate: delayed ones need RQ's scheduler process, which outlives a SIGKILLed
worker. Waiting out a database outage is the runner's job (it reconnects with backoff) and,
past that, the reconcile rounds' (they re-enqueue the batch once the database answers).
"""

import uuid

from rq import Queue, Retry

JOB_FUNCTION = "worker.jobs.run_batch"
RESULT_TTL = 24 * 3600  # seconds a finished job's return value stays in Redis
RETRIES = 2  # RQ re-runs of a job that raised (or whose work-horse died)


def bulk_queue(config, connection):
    return Queue(config.queue_bulk, connection=connection)


def enqueue_batch(config, connection, batch_id):
    """Puts one job for the batch on the bulk queue and returns its id.

    A batch may be enqueued again (after a Redis loss, or by `serials batch resume`), so job ids
    carry a random suffix: a new job never collides with the hash of an earlier one.
    """
    job = bulk_queue(config, connection).enqueue_call(
        JOB_FUNCTION,
        args=(batch_id,),
        kwargs={"database": config.dsn["dbname"]},
        timeout=config.job_timeout,
        result_ttl=RESULT_TTL,
        failure_ttl=config.failure_ttl,
        retry=Retry(max=RETRIES),
        job_id=f"serial-batch-{batch_id}-{uuid.uuid4().hex[:8]}",
        description=f"serial batch {batch_id}",
    )
    return job.id
