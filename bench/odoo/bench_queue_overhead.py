"""What the queue adds to a serial job run by a real `serials worker`: from the enqueue to the start of
the work, and around the work, against the work itself, in the same run.

    export ODOO_HOME=/path/to/odoo-18.0
    .venv/bin/python bench/odoo/bench_queue_overhead.py --config odoo.conf -d DATABASE [--count 10000]

On a throwaway copy of DATABASE (serial_tracking installed; CREATE DATABASE ... TEMPLATE, dropped at the
end), with Redis from odoo.conf on a queue of its own: a `serials worker` is started, a first small
opening-stock job warms it up (the worker loads Odoo's registry once, before forking the job's work
horse), then an opening-stock job of --count serials is enqueued as `serials opening-stock --enqueue`
does. From RQ's own timestamps: the wait from enqueue to the work horse's start, and the RQ job's
run; from the serial job's chunks: the time spent inside chunks. Queue overhead = (wait + RQ run -
chunks' work) / chunks' work.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_serial_flows import Setup, admin_statement, odoo_env  # noqa: E402

from worker.config import load_config, write_copy  # noqa: E402

SERIALS = [os.path.join(ROOT, ".venv", "bin", "serials")]


def _serials(config_path, *args):
    done = subprocess.run([*SERIALS, "--config", config_path, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"serials {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def _enqueue(config_path, folder, product, location, names):
    path = os.path.join(folder, f"opening-{uuid.uuid4().hex[:6]}.csv")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("product,location,serial\n")
        handle.writelines(f"{product},{location},{name}\n" for name in names)
    return int(_serials(config_path, "opening-stock", path, "--enqueue").strip().splitlines()[-1])


def _serial_job(env, job_id):
    env.cr.rollback()  # a new snapshot: the worker commits in its own transactions
    env.invalidate_all()
    return env["serial.job"].browse(job_id)


def _wait_done(env, job_id, timeout=3600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = _serial_job(env, job_id)
        if job.state in ("done", "failed"):
            assert job.state == "done", job.error
            return job
        time.sleep(0.2)
    raise SystemExit(f"serial job {job_id} did not end in {timeout} s")


def _rq_job(config, database, job_id):
    import redis  # pylint: disable=import-outside-toplevel
    from rq.job import Job  # pylint: disable=import-outside-toplevel

    from worker.odoo_jobs import job_id_prefix  # pylint: disable=import-outside-toplevel
    from worker.queues import bulk_queue  # pylint: disable=import-outside-toplevel

    connection = redis.Redis.from_url(config.redis_url)
    queue = bulk_queue(config, connection)
    prefix = job_id_prefix(database, job_id)
    ids = [rq_id for rq_id in queue.finished_job_registry.get_job_ids() if rq_id.startswith(prefix)]
    assert len(ids) == 1, ids
    return Job.fetch(ids[0], connection=connection)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="odoo.conf")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=10000)
    args = parser.parse_args()
    copy = f"{args.database}_bench_queue_{os.getpid()}"
    admin_statement(args.config, f'CREATE DATABASE "{copy}" TEMPLATE "{args.database}"')
    worker = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            config_path = os.path.join(folder, "odoo.conf")
            write_copy(
                args.config,
                config_path,
                {
                    ("options", "db_name"): copy,
                    ("serial_tracking", "queue_bulk"): f"serials-bench-queue-{uuid.uuid4().hex[:8]}",
                },
            )
            config = load_config(config_path)
            registry, cr, env = odoo_env(config_path, copy)
            setup = Setup(env, "q")
            cr.commit()
            product, location = setup.product.default_code, setup.stock.complete_name
            log = open(os.path.join(folder, "worker.log"), "w", encoding="utf-8")
            worker = subprocess.Popen(
                [*SERIALS, "--config", config_path, "worker"], stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
            warm_up = _enqueue(config_path, folder, product, location, [f"QW-{n}" for n in range(10)])
            _wait_done(env, warm_up)
            job_id = _enqueue(config_path, folder, product, location, [f"QB-{n:07d}" for n in range(args.count)])
            job = _wait_done(env, job_id)
            rq_job = _rq_job(config, copy, job_id)
            wait = (rq_job.started_at - rq_job.enqueued_at).total_seconds()
            run = (rq_job.ended_at - rq_job.started_at).total_seconds()
            chunks = _chunk_seconds(env, job)
            print(
                f"opening stock of {args.count:,} serials through a warm `serials worker` (load "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):\n"
                f"  enqueue to start of the work horse {wait * 1000:.0f} ms; RQ job {run:.2f} s; inside the "
                f"chunks {chunks:.2f} s ({job.done_count:,} serials)\n"
                f"  queue overhead (wait + RQ job - chunks) / chunks: {100 * (wait + run - chunks) / chunks:.1f}%"
            )
            cr.close()
            registry.delete(copy)
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(60)
        admin_statement(args.config, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def _chunk_seconds(env, job):
    """Seconds from the start of the job's first chunk to the end of its last: each chunk is marked done
    in its own transaction, whose write_date is that transaction's start (PostgreSQL's now()), and the job
    is marked done in the transaction that follows the last chunk's commit."""
    env.cr.execute(
        "SELECT EXTRACT(EPOCH FROM (job.write_date - min(chunk.write_date))) FROM serial_job job "
        "JOIN serial_job_chunk chunk ON chunk.job_id = job.id WHERE job.id = %s GROUP BY job.write_date",
        (job.id,),
    )
    return float(env.cr.fetchone()[0])


if __name__ == "__main__":
    sys.exit(main())
