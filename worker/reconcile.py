"""Gives every open batch a job again when its job has vanished.

PostgreSQL holds the batches; Redis only the jobs that work on them. A batch that is queued or
running while no runner holds its lock and no job of it waits in Redis has lost its job (Redis
restarted without it, its worker was killed, its retries ran out): it gets a new job. Running
this too often costs nothing but a look at each open batch; a job enqueued twice is harmless,
since the runner's lock and the chunk counters let only one of them work.
"""

import logging

from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from . import batches
from .queues import bulk_queue, enqueue_batch
from .runner import LOCK_NAMESPACE, runner_alive

log = logging.getLogger("serials.worker")

# Statuses in which RQ will still run the job without anyone's help.
_PENDING = {JobStatus.SCHEDULED, JobStatus.DEFERRED}


def job_pending(connection, queue, job_id):
    """True when RQ will run this job later: it waits in the queue or for its retry time."""
    if not job_id:
        return False
    try:
        status = Job.fetch(job_id, connection=connection).get_status()
    except NoSuchJobError:
        return False
    if status == JobStatus.QUEUED:
        # The job hash can outlive its place in the list (a Redis restart between the two writes).
        return connection.lpos(queue.key, job_id) is not None
    return status in _PENDING


def reconcile(config, pg, connection):
    """Re-enqueues open batches that lost their job; returns [(batch id, new job id)].

    `pg` is a psycopg2 connection (committed here), `connection` a Redis client. One reconciler
    at a time: the others skip the round rather than queue behind it.
    """
    requeued = []
    queue = bulk_queue(config, connection)
    with pg.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_xact_lock(%s, 0)", (LOCK_NAMESPACE,))
        if not cur.fetchone()[0]:
            pg.rollback()
            return requeued
        # Oldest first, so the queue keeps the order the batches were submitted in.
        for batch in reversed(batches.list_batches(cur, states=batches.OPEN_STATES, limit=None)):
            if runner_alive(cur, batch.id) or job_pending(connection, queue, batch.job_id):
                continue
            job_id = enqueue_batch(config, connection, batch.id)
            batches.set_job(cur, batch.id, job_id)
            requeued.append((batch.id, job_id))
            log.warning(
                "batch %s (%s, %s): no runner and no job waiting in Redis (last job: %s); enqueued %s",
                batch.id,
                batch.kind,
                batch.state,
                batch.job_id or "none",
                job_id,
            )
    pg.commit()
    return requeued


def enqueue_or_leave(config, pg, connection, batch_id):
    """Enqueues a just-created batch; when Redis is down the batch stays queued for a reconcile.

    Returns the job id, or None when Redis could not be reached.
    """
    try:
        job_id = enqueue_batch(config, connection, batch_id)
    except RedisError as exc:
        log.info("batch %s: Redis unreachable (%s); it stays queued until a worker reconciles", batch_id, exc)
        return None
    with pg.cursor() as cur:
        batches.set_job(cur, batch_id, job_id)
    pg.commit()
    return job_id


def resume(config, pg, connection, batch_id):
    """Gives one batch a job again: a failed batch is requeued and resumes after its last chunk.

    Returns the new job id, or None when the batch is already being worked on or waits in Redis.
    """
    queue = bulk_queue(config, connection)
    with pg.cursor() as cur:
        batch = batches.get_batch(cur, batch_id, for_update=True)
        if batch.state == "failed":
            batch = batches.requeue(cur, batch_id)
        elif not batch.is_open:
            raise batches.BatchError(f"batch {batch_id} is {batch.state}; there is nothing to resume")
        elif runner_alive(cur, batch_id) or job_pending(connection, queue, batch.job_id):
            pg.rollback()
            return None
        job_id = enqueue_batch(config, connection, batch_id)
        batches.set_job(cur, batch_id, job_id)
    pg.commit()
    return job_id
