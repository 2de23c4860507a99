"""`serials worker`: an RQ worker that also keeps PostgreSQL's batches and Redis's jobs in step.

On top of RQ's own worker (a forked work-horse per job, job timeouts, abandoned-job detection
in its registry maintenance) it:

* reconciles at start and at every maintenance round (every `reconcile_interval` seconds):
  open batches whose job vanished are enqueued again (worker.reconcile), and so are the open
  serial jobs of the Odoo databases that had jobs (worker.odoo_jobs);
* loads Odoo's registry of a database once, in its own process, before forking the work horse of
  an Odoo job: the horses inherit it (worker.odoo_jobs.preload_registry);
* keeps a running job going while Redis is away: a failed heartbeat is logged, not fatal
  (the job itself talks only to PostgreSQL);
* comes back after Redis outages: if RQ's loop gives up on Redis, a new worker starts once
  Redis answers again. Only a stop request (SIGTERM, SIGINT) or --burst ends it.
"""

import logging
import time

import psycopg2
import redis
from rq import Worker

from .connections import pg_connect, redis_connect, use_config
from .odoo_jobs import JOB_FUNCTION, preload_registry, reconcile_odoo_jobs
from .reconcile import reconcile
from .search_jobs import enqueue_if_pending

log = logging.getLogger("serials.worker")

RECONCILE_INTERVAL = 30  # seconds between maintenance rounds (RQ's default is 10 minutes)
REDIS_WAIT_MAX = 5  # seconds at most between attempts to reach a Redis that went away


class BatchWorker(Worker):
    """RQ's forking Worker, reconciling batches at each maintenance round."""

    max_connection_wait_time = REDIS_WAIT_MAX

    def __init__(self, *args, serials_config, **kwargs):
        super().__init__(*args, **kwargs)
        self.serials_config = serials_config

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()  # abandoned jobs retried or failed, registries cleaned
        reconcile_once(self.serials_config, self.connection)
        try:
            enqueue_if_pending(self.serials_config, self.connection)
        except (psycopg2.Error, redis.RedisError) as exc:
            log.warning("search index check skipped: %s", str(exc).strip())
        try:
            reconcile_odoo_jobs(self.serials_config, self.connection)
        except redis.RedisError as exc:
            log.warning("Odoo jobs' reconcile skipped: %s", str(exc).strip())

    def fork_work_horse(self, job, queue):
        if job.func_name == JOB_FUNCTION and job.args:
            preload_registry(self.serials_config, job.args[0])
        super().fork_work_horse(job, queue)

    def maintain_heartbeats(self, job, execution):
        try:
            super().maintain_heartbeats(job, execution)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            self.log.warning("Worker %s: Redis unreachable during job %s (%s); the job goes on", self.name, job.id, exc)


def reconcile_once(config, connection):
    """One reconcile round with its own short-lived connection (never one a work-horse inherits)."""
    try:
        pg = pg_connect(config, "serials-worker-reconcile")
    except psycopg2.OperationalError as exc:
        log.warning("reconcile skipped: PostgreSQL unreachable (%s)", str(exc).strip())
        return []
    try:
        return reconcile(config, pg, connection)
    except (psycopg2.Error, redis.RedisError) as exc:
        log.warning("reconcile skipped: %s", str(exc).strip())
        return []
    finally:
        pg.close()


def _wait_for_redis(connection):
    delay = 0.5
    while True:
        try:
            connection.ping()
            return
        except redis.RedisError as exc:
            log.warning("Redis unreachable (%s); retrying in %.1f s", exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, REDIS_WAIT_MAX)


def run_worker(config, *, burst=False, reconcile_interval=RECONCILE_INTERVAL, logging_level="INFO"):
    """Works the bulk and search-index queues until stopped (or, with burst, until it is empty)."""
    logging.basicConfig(level=logging_level, format="%(asctime)s %(name)s %(message)s")
    use_config(config)
    connection = redis_connect(config)
    while True:
        _wait_for_redis(connection)
        worker = BatchWorker(
            [config.queue_bulk, config.queue_index],
            connection=connection,
            serials_config=config,
            maintenance_interval=reconcile_interval,
        )
        try:
            worker.work(burst=burst, logging_level=logging_level)
        except redis.RedisError as exc:
            log.warning("worker %s stopped on a Redis error (%s)", worker.name, exc)
        if burst or worker._shutdown_requested_date is not None:  # pylint: disable=protected-access
            return
        log.warning("worker %s left its loop without a stop request; starting a new one", worker.name)
        time.sleep(1)
