"""RQ jobs of the serial search index: drain the change log that the addon's triggers fill.

The addon enqueues a drain after each commit that changed lots or move lines (``enqueue_drain``, at most
one waiting at a time); a worker's maintenance round enqueues one too whenever the log holds rows, so a
change is indexed even if that enqueue was lost (Redis away). A drain re-indexes only the lots named in
the log, one committed transaction per batch; running it twice, or on an empty log, is harmless.
"""

import logging
import uuid

import psycopg2
from rq import Queue

from serial_core import search_index

from .batches import BatchError
from .connections import current_config, pg_connect, redis_connect

log = logging.getLogger("serials.worker")

JOB_FUNCTION = "worker.search_jobs.drain_index"
PENDING_TTL = 60  # seconds: a drain job lost with Redis stops blocking new ones after this
RESULT_TTL = 3600
# Seconds a drain job may wait for a worker before RQ drops it: a database without a worker (a test
# database sharing the Redis) leaves no pile of jobs, and one with a worker gets a new job from the
# maintenance round as long as changes wait.
QUEUED_TTL = 3600


def pending_key(database):
    """Redis key set while a drain job of ``database`` waits in the queue."""
    return f"serials:search-drain-pending:{database}"


def enqueue_drain(connection, queue_name, database):
    """Puts a drain job of ``database`` on the queue unless one is already waiting; returns its id or None."""
    if not connection.set(pending_key(database), "1", nx=True, ex=PENDING_TTL):
        return None
    job = Queue(queue_name, connection=connection).enqueue_call(
        JOB_FUNCTION,
        kwargs={"database": database},
        result_ttl=RESULT_TTL,
        ttl=QUEUED_TTL,
        job_id=f"serial-search-drain-{uuid.uuid4().hex[:12]}",
        description=f"serial search index drain of {database}",
    )
    return job.id


def drain(config, batch_size=search_index.DRAIN_BATCH):
    """Drains the change log of the configured database, one transaction per batch; returns rows taken."""
    conn = pg_connect(config, "serials-index-drain")
    total = 0
    try:
        while True:
            with conn.cursor() as cur:
                taken = search_index.drain_batch(cur, batch_size)
            conn.commit()
            if not taken:
                return total
            total += taken
    finally:
        conn.close()


def drain_index(database=None):
    """The job: drains the log of ``database`` (the worker's own; another database's job fails)."""
    config = current_config()
    if database is not None and database != config.dsn["dbname"]:
        raise BatchError(
            f"search drain job of database {database!r} reached a worker of {config.dsn['dbname']!r}: "
            "give each setup its own queue names or Redis"
        )
    # Cleared first: a change committed from now on enqueues a new job, which runs after this one.
    redis_connect(config).delete(pending_key(config.dsn["dbname"]))
    return drain(config)


def enqueue_if_pending(config, connection):
    """A maintenance round's look at the change log: a drain job when it holds rows. Returns the job id."""
    try:
        pg = pg_connect(config, "serials-index-check")
    except psycopg2.OperationalError as exc:
        log.warning("search index check skipped: PostgreSQL unreachable (%s)", str(exc).strip())
        return None
    try:
        with pg.cursor() as cur:
            pending = search_index.pending_changes(cur)
        pg.rollback()
    finally:
        pg.close()
    if not pending:
        return None
    return enqueue_drain(connection, config.queue_index, config.dsn["dbname"])
