"""Allocation rate of serial_core.store (serials per second) for 1 and 4 callers, next to a bare
``UPDATE counter SET v = v + 1 RETURNING v`` loop measured in the same run.

Run: .venv/bin/python bench/bench_allocate.py [--config odoo.conf] [--seconds 1.5] [--rounds 2]
(PostgreSQL must be running: bash scripts/services.sh start)

Every caller is its own process with its own connection, and commits after every call, as a
real caller would (a transaction per allocation). Each case runs for --seconds, --rounds times
(interleaved, best kept); the rate is all callers' serials divided by the wall time. The whole
table is measured twice: with durable commits, and with synchronous_commit off, where the disk's
flush time no longer hides the store's own cost. Cases:

* baseline UPDATE  - the bare counter: one row, ``UPDATE ... SET v = v + 1 RETURNING v``;
* baseline nextval - the bare PostgreSQL sequence: ``SELECT nextval(...)``;
* store.allocate(n=1) and (n=1000), for a gap-free sequence (row counter) and a plain one
  (PostgreSQL sequence per counter), rendering ``SN-[[DATE]]-[[INCNUM,NONE,8]]`` serials.

The "vs UPDATE" column divides each rate by the UPDATE baseline's rate with the same number of
callers. Everything runs in a schema of its own (bench_allocate_<pid>), dropped at the end;
every case checks that its callers got no serial twice.
"""

import argparse
import datetime as dt
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import psycopg2  # noqa: E402

from serial_core import store  # noqa: E402
from worker.config import load_config  # noqa: E402

WHEN = dt.datetime(2024, 12, 1, 9, 30)
FORMAT = "SN-[[DATE]]-[[INCNUM,NONE,8]]"


def _baseline_update(cur, n):
    cur.execute("UPDATE bench_counter SET v = v + 1 WHERE id = 1 RETURNING v")
    return [cur.fetchone()[0]]


def _baseline_nextval(cur, n):
    cur.execute("SELECT nextval('bench_sequence')")
    return [cur.fetchone()[0]]


def _allocator(code):
    def allocate(cur, n):
        return store.allocate(cur, code, n, when=WHEN)

    return allocate


CASES = [
    # (label, per-call function factory, serials per call)
    ("baseline UPDATE ... RETURNING", lambda: _baseline_update, 1),
    ("baseline nextval", lambda: _baseline_nextval, 1),
    ("allocate n=1, gap-free", lambda: _allocator("GAPFREE"), 1),
    ("allocate n=1, sequence", lambda: _allocator("PLAIN"), 1),
    ("allocate n=1000, gap-free", lambda: _allocator("GAPFREE"), 1000),
    ("allocate n=1000, sequence", lambda: _allocator("PLAIN"), 1000),
]


def _caller(dsn, case_index, seconds, barrier, results):
    _, factory, per_call = CASES[case_index]
    call = factory()
    conn = psycopg2.connect(**dsn)
    issued = []
    with conn.cursor() as cur:
        barrier.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            issued.extend(call(cur, per_call))
            conn.commit()
    conn.close()
    results.put(issued)


def run_case(dsn, case_index, callers, seconds):
    """Serials per second of one case with `callers` processes; checks for duplicates."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(callers + 1), context.Queue()
    processes = [
        context.Process(target=_caller, args=(dsn, case_index, seconds, barrier, results)) for _ in range(callers)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    issued = [item for _ in processes for item in results.get(timeout=seconds + 120)]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise SystemExit(f"bench: a caller of {CASES[case_index][0]!r} failed")
    if len(set(issued)) != len(issued):
        raise SystemExit(f"bench: {CASES[case_index][0]!r} issued a serial twice")
    return len(issued) / elapsed


def set_up(dsn):
    conn = psycopg2.connect(**dsn)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE bench_counter (id integer PRIMARY KEY, v bigint NOT NULL)")
        cur.execute("INSERT INTO bench_counter VALUES (1, 0)")
        cur.execute("CREATE SEQUENCE bench_sequence")
        store.migrate(cur)
        store.create_sequence(cur, "GAPFREE", FORMAT, gap_free=True)
        store.create_sequence(cur, "PLAIN", FORMAT)
        # Create the counters now, so no case pays for a counter's first use.
        store.allocate(cur, "GAPFREE", 1, when=WHEN)
        store.allocate(cur, "PLAIN", 1, when=WHEN)
    conn.commit()
    conn.close()


def measure(dsn, seconds, rounds):
    """{(case index, callers): best serials/s}; rounds interleave the cases, so load from
    elsewhere on the machine falls on all of them alike."""
    best = {}
    for _ in range(rounds):
        for callers in (1, 4):
            for index in range(len(CASES)):
                rate = run_case(dsn, index, callers, seconds)
                best[index, callers] = max(best.get((index, callers), 0.0), rate)
    return best


def report(title, best):
    print(f"\n{title}")
    print(f"{'case':32} {'callers':>7} {'serials/s':>12} {'vs UPDATE':>10}")
    for callers in (1, 4):
        baseline = best[0, callers]
        for index, (label, _, _) in enumerate(CASES):
            rate = best[index, callers]
            print(f"{label:32} {callers:>7} {rate:>12,.0f} {rate / baseline:>9.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="odoo.conf")
    parser.add_argument("--seconds", type=float, default=1.5, help="duration of each case")
    parser.add_argument("--rounds", type=int, default=2, help="best of this many runs per case")
    args = parser.parse_args()

    config = load_config(args.config)
    schema = f"bench_allocate_{os.getpid()}"
    admin = psycopg2.connect(**config.dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {schema}")
    search_path = f"-c search_path={schema}"
    try:
        set_up({**config.dsn, "options": search_path})
        print(
            f"PostgreSQL at {config.db_address}; {os.cpu_count()} CPUs; best of {args.rounds} "
            f"x {args.seconds:g} s per case; a commit after every call; format {FORMAT}",
            flush=True,
        )
        durable = measure({**config.dsn, "options": search_path}, args.seconds, args.rounds)
        report("Durable commits (synchronous_commit on: each commit waits for its WAL flush)", durable)
        # The same with commits that do not wait for the disk: what is left is the store's
        # own work (queries, locks, rendering) next to the bare UPDATE's.
        cpu_bound = measure(
            {**config.dsn, "options": f"{search_path} -c synchronous_commit=off"},
            args.seconds,
            args.rounds,
        )
        report("synchronous_commit off (no wait for the disk at commit)", cpu_bound)
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


if __name__ == "__main__":
    main()
