"""1,000,000-serial bulk allocation through the worker, next to a raw COPY of the same rows.

    .venv/bin/python bench/bench_bulk.py [--count N] [--chunk-size N] [--config odoo.conf]

Runs on the project's local PostgreSQL and Redis (scripts/services.sh start), in a throwaway
database with queue names of its own, so it neither sees nor disturbs other batches. One
`serials worker` process is started (and waited for) before the clock starts; the measured
time runs from submitting the batch to the batch being done, output file written.

Baselines, measured in the same run on the same server: COPY of the same rows (batch id,
position, serial) into a bare table, and into a table with the worker table's keys (primary
key (batch, position), unique serial). Ratios are worker time / baseline time.
"""

import argparse
import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serial_core import store  # noqa: E402
from worker import schema  # noqa: E402
from worker.config import load_config, write_copy  # noqa: E402
from worker.connections import redis_connect  # noqa: E402
from worker.progress import watch  # noqa: E402
from worker.submit import submit_allocation  # noqa: E402

OUT = ROOT / "bench" / "out"


def admin(config):
    conn = psycopg2.connect(**config.dsn)
    conn.autocommit = True
    return conn


def make_database(main_config, name):
    with admin(main_config).cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    return load_config(
        write_copy(
            main_config.path,
            OUT / "bench_bulk.conf",
            {
                ("options", "db_name"): name,
                ("serial_tracking", "queue_bulk"): f"serials-bulk-bench-{uuid.uuid4().hex[:8]}",
            },
        )
    )


def drop_database(main_config, name):
    with admin(main_config).cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_worker(config):
    log = open(OUT / "bench_bulk_worker.log", "w", encoding="utf-8")
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/serials"), "--config", config.path, "worker"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    from rq import Worker  # noqa: PLC0415

    connection = redis_connect(config)
    deadline = time.monotonic() + 30
    while not any(config.queue_bulk in w.queue_names() for w in Worker.all(connection=connection)):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"bench: the worker did not start; see {log.name}")
        time.sleep(0.1)
    return process


def copy_rows(config, serials, with_keys):
    """Seconds to COPY (batch, position, serial) rows into a new table, committed."""
    conn = psycopg2.connect(**config.dsn)
    table = "bench_copy_keys" if with_keys else "bench_copy_bare"
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(
            f"CREATE TABLE {table} (batch_id integer NOT NULL, position integer NOT NULL,"
            f" serial text NOT NULL{', PRIMARY KEY (batch_id, position)' if with_keys else ''})"
        )
        if with_keys:
            cur.execute(f"CREATE UNIQUE INDEX {table}_serial ON {table} (serial)")
    conn.commit()
    started = time.perf_counter()
    buffer = io.StringIO("".join(f"1\t{position}\t{serial}\n" for position, serial in enumerate(serials)))
    with conn.cursor() as cur:
        cur.copy_expert(f"COPY {table} (batch_id, position, serial) FROM STDIN", buffer)
    conn.commit()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--chunk-size", type=int, default=None, help="default: chunk_size of the config")
    parser.add_argument("--config", default=str(ROOT / "odoo.conf"))
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(["bash", str(ROOT / "scripts/services.sh"), "start"], check=True, stdout=subprocess.DEVNULL)
    main_config = load_config(args.config)
    name = f"serials_bench_{os.getpid()}"
    config = make_database(main_config, name)
    worker = None
    try:
        with psycopg2.connect(**config.dsn) as conn, conn.cursor() as cur:
            store.migrate(cur)
            schema.migrate(cur)
            store.create_sequence(cur, "BENCH", "BN-[[INCNUM,NONE,7]]")
        conn.close()
        worker = start_worker(config)
        chunk_size = args.chunk_size or config.chunk_size
        out = OUT / "bench_bulk_serials.txt"

        started = time.perf_counter()
        batch, _ = submit_allocation(config, "BENCH", args.count, str(out), chunk_size=chunk_size)
        *_, final = watch(config, batch.id)
        worker_seconds = time.perf_counter() - started
        if final.state != "done":
            sys.exit(f"bench: batch {batch.id} {final.state}: {final.error}")
        serials = out.read_text(encoding="utf-8").splitlines()
        assert len(serials) == args.count == len(set(serials)), "output is not the count of distinct serials"

        bare = copy_rows(config, serials, with_keys=False)
        keyed = copy_rows(config, serials, with_keys=True)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(30)
        drop_database(main_config, name)

    rate = args.count / worker_seconds
    print(
        f"bulk allocation of {args.count:,} serials through one worker "
        f"({final.chunks_total} chunks of {chunk_size:,}), enqueue -> done incl. file write:"
    )
    print(f"  worker            {worker_seconds:8.2f} s  {rate:12,.0f} serials/s")
    run_seconds = (final.finished_at - final.started_at).total_seconds()
    laps = final.result["finish_seconds"]
    print(
        f"    of which: queue + submit {worker_seconds - run_seconds:.2f} s, chunks "
        f"{run_seconds - sum(laps.values()):.2f} s, then " + ", ".join(f"{k} {v:.2f} s" for k, v in laps.items())
    )
    print(
        f"  raw COPY, bare    {bare:8.2f} s  {args.count / bare:12,.0f} rows/s   "
        f"worker / COPY = {worker_seconds / bare:.1f}x"
    )
    print(
        f"  raw COPY, keyed   {keyed:8.2f} s  {args.count / keyed:12,.0f} rows/s   worker / COPY = "
        f"{worker_seconds / keyed:.1f}x"
    )


if __name__ == "__main__":
    main()
