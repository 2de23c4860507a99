"""Odoo jobs: the worker runs serial.job records of an Odoo database through Odoo's registry.

The truth of such a job is in the Odoo database (the serial.job row and its chunks); Redis only
carries "run job N of database D" (run_odoo_job). The job opens Odoo's registry for D, with
odoo.tools.config loaded from the same odoo.conf and Odoo found through ODOO_HOME, and calls the
addon's method by model and method name: this package never imports the addon. The addon's run
commits chunk by chunk under a session advisory lock (RUNNER_LOCK_NAMESPACE, job id), so a job
run twice, or after a killed worker, resumes at the first chunk not committed.

Redis also keeps the set of databases that had jobs, so the worker's reconcile rounds can find
open jobs that lost their RQ job (a killed worker, a Redis restart) and enqueue them again.
"""

import dataclasses
import logging
import os
import sys
import time
import uuid

import psycopg2
from rq import Retry

from .config import ConfigError, load_config, read_file
from .connections import current_config, pg_connect, redis_connect
from .queues import RESULT_TTL, RETRIES, bulk_queue
from .runner import runner_alive

log = logging.getLogger("serials.worker")

JOB_FUNCTION = "worker.odoo_jobs.run_odoo_job"
JOB_MODEL = "serial.job"
JOB_METHOD = "_run"
# The addon's runner lock ("SJ"): serial_tracking/models/serial_job.py takes it while it works.
RUNNER_LOCK_NAMESPACE = 0x534A
# A worker's claim on a job ("SW"), held from before Odoo's registry is loaded (seconds) until the
# run ends, so a reconcile round meanwhile does not take the job for an orphan.
CLAIM_LOCK_NAMESPACE = 0x5357
OPEN_STATES = ("queued", "running")

_registries = {}


def databases_key(config):
    """The Redis set of the Odoo databases that had jobs on this configuration's queue."""
    return f"serials:odoo-databases:{config.queue_bulk}"


def job_id_prefix(database, job_id):
    return f"serial-odoo-{database}-{job_id}-"


def enqueue_odoo_job(config, connection, database, job_id):
    """Puts one RQ job for serial.job `job_id` of `database` on the bulk queue; returns its id."""
    connection.sadd(databases_key(config), database)
    job = bulk_queue(config, connection).enqueue_call(
        JOB_FUNCTION,
        args=(database, job_id),
        timeout=config.job_timeout,
        result_ttl=RESULT_TTL,
        failure_ttl=config.failure_ttl,
        retry=Retry(max=RETRIES),
        job_id=job_id_prefix(database, job_id) + uuid.uuid4().hex[:8],
        description=f"serial job {job_id} of Odoo database {database}",
    )
    return job.id


def enqueue_odoo_jobs(config_path, database, job_ids):
    """For the addon: enqueue its jobs with the Redis settings of its odoo.conf."""
    config = load_config(config_path)
    connection = redis_connect(config)
    return [enqueue_odoo_job(config, connection, database, job_id) for job_id in job_ids]


def _addons_path(config):
    """odoo.conf's addons_path, or Odoo's own addons and this checkout's (as scripts/odoo_env.sh)."""
    parser = read_file(config.path)
    if parser.has_option("options", "addons_path") and parser.get("options", "addons_path").strip():
        return None
    home = os.environ["ODOO_HOME"]
    checkout_addons = os.environ.get("SERIALS_ADDONS_PATH") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "addons"
    )
    return ",".join([os.path.join(home, "addons"), os.path.join(home, "odoo", "addons"), checkout_addons])


def odoo_registry(config, database):
    """Odoo's registry of `database`, loading Odoo (from ODOO_HOME, with `config`'s odoo.conf) once per process."""
    if database in _registries:
        return _registries[database]
    home = os.environ.get("ODOO_HOME")
    if not home or not os.path.isfile(os.path.join(home, "odoo-bin")):
        raise ConfigError("set ODOO_HOME to the Odoo 18.0 tree (the one holding odoo-bin) to run Odoo jobs")
    if home not in sys.path:
        sys.path.insert(0, home)
    import odoo  # pylint: disable=import-outside-toplevel

    if not _registries:
        args = ["-c", os.path.abspath(config.path)]
        addons_path = _addons_path(config)
        if addons_path:
            args += ["--addons-path", addons_path]
        odoo.tools.config.parse_config(args, setup_logging=False)
    started = time.monotonic()
    registry = odoo.modules.registry.Registry(database)
    log.info("Odoo registry of %s loaded in %.1f s (process %s)", database, time.monotonic() - started, os.getpid())
    _registries[database] = registry
    return registry


def preload_registry(config, database):
    """For the worker's main process, before it forks a work horse for a job of `database`: Odoo's
    registry loaded (or refreshed after a module update) here, so that every work horse inherits it
    instead of loading it again (seconds to a minute per job), and Odoo's database connections
    closed, since a connection must never be shared by two processes. When loading fails, the work
    horse tries again and reports the error on the job."""
    try:
        registry = odoo_registry(config, database)
        _registries[database] = registry.check_signaling()
    except Exception as exc:  # pylint: disable=broad-except
        log.warning("Odoo registry of %s not preloaded (%s); the job loads it", database, exc)
        _registries.pop(database, None)
    finally:
        if "odoo" in sys.modules:
            sys.modules["odoo"].sql_db.close_all()


def call_job_method(registry, job_id, model=JOB_MODEL, method=JOB_METHOD):
    """Calls `method` of record `job_id` of `model` as the superuser; returns the job's state after."""
    from odoo import SUPERUSER_ID, api  # pylint: disable=import-outside-toplevel

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        job = env[model].browse(job_id).exists()
        if not job:
            return None
        getattr(job, method)()
        job.invalidate_recordset()
        return job.state


def run_odoo_job(database, job_id):
    """The RQ job: runs serial.job `job_id` of Odoo database `database` to its end."""
    config = current_config()
    claim = pg_connect(_with_database(config, database), f"serials-odoo-job-{job_id}")
    try:
        claim.autocommit = True
        with claim.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(%s, %s)", (CLAIM_LOCK_NAMESPACE, job_id))
            if not cur.fetchone()[0]:
                log.info("serial job %s of %s: another worker has it", job_id, database)
                return {"database": database, "job": job_id, "outcome": "left to another worker"}
        state = call_job_method(odoo_registry(config, database), job_id)
    finally:
        claim.close()  # the claim ends with its session
    log.info("serial job %s of %s: %s", job_id, database, state or "no such job")
    return {"database": database, "job": job_id, "state": state}


def reconcile_odoo_jobs(config, connection):
    """Enqueues the open serial jobs of the known Odoo databases that no runner holds and no RQ job
    waits for; returns [(database, job id, new RQ job id)]."""
    requeued = []
    queue = bulk_queue(config, connection)
    for raw in connection.smembers(databases_key(config)):
        database = raw.decode() if isinstance(raw, bytes) else raw
        waiting = set(queue.get_job_ids())
        try:
            pg = pg_connect(_with_database(config, database), "serials-worker-reconcile")
        except psycopg2.OperationalError as exc:
            log.warning("Odoo database %s: unreachable (%s); its jobs wait", database, str(exc).strip())
            continue
        try:
            with pg.cursor() as cur:
                cur.execute("SELECT to_regclass('serial_job') IS NOT NULL")
                if not cur.fetchone()[0]:
                    connection.srem(databases_key(config), database)
                    continue
                cur.execute("SELECT id FROM serial_job WHERE state IN %s ORDER BY id", (OPEN_STATES,))
                for (job_id,) in cur.fetchall():
                    prefix = job_id_prefix(database, job_id)
                    if (
                        runner_alive(cur, job_id, RUNNER_LOCK_NAMESPACE)
                        or runner_alive(cur, job_id, CLAIM_LOCK_NAMESPACE)
                        or any(rq_id.startswith(prefix) for rq_id in waiting)
                    ):
                        continue
                    rq_id = enqueue_odoo_job(config, connection, database, job_id)
                    requeued.append((database, job_id, rq_id))
                    log.warning(
                        "serial job %s of %s: no runner and no job waiting; enqueued %s", job_id, database, rq_id
                    )
            pg.rollback()
        finally:
            pg.close()
    return requeued


def _with_database(config, database):
    return dataclasses.replace(config, dsn={**config.dsn, "dbname": database})
