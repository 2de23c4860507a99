"""Batches survive crashes: a SIGKILLed worker, a Redis killed and restarted, a Redis that lost
the job, a database connection dropped mid-chunk. Each ends with every serial exactly once.

Real `serials worker` processes, real PostgreSQL, a private real Redis. To interrupt a batch in
the middle without timing luck, the workers run with a chunk delay (tests/slow_worker.py: a
sleep inside each chunk's transaction, before its commit), and the tests poll the batch row
with deadlines.
"""

import signal

import pytest

from tests.worker_support import (
    assert_issued_exactly_once,
    batch_row,
    run_serials,
    session_alive,
    set_option,
    wait_until,
)
from worker.config import load_config

pytestmark = pytest.mark.services

SLOW = 0.05  # seconds each chunk waits before its commit


def _create_sequence(config, code="CRASH", prefix="CR-"):
    run_serials("sequence", "create", code, "--format", f"{prefix}[[INCNUM,NONE,7]]", config=config)


def _enqueue(config, tmp_path, count, chunk_size, code="CRASH"):
    done = run_serials(
        "allocate",
        code,
        "--count",
        str(count),
        "--out",
        str(tmp_path / "out.txt"),
        "--enqueue",
        "--chunk-size",
        str(chunk_size),
        config=config,
    )
    return int(done.stdout.strip())


def _batch_under_way(config, workers, pg, tmp_path, count, chunk_size, chunks, chunk_delay=SLOW):
    """(batch id, worker): a batch of `count` serials enqueued and a worker started with
    `chunk_delay`, once that worker has committed at least `chunks` chunks."""
    _create_sequence(config)
    batch_id = _enqueue(config, tmp_path, count, chunk_size=chunk_size)
    worker = workers.start(chunk_delay=chunk_delay)
    wait_until(lambda: batch_row(pg, batch_id)["chunks_done"] >= chunks, 60, f"{chunks} chunks")
    return batch_id, worker


def _wait_done(pg, batch_id, timeout=180):
    return wait_until(
        lambda: batch_row(pg, batch_id)["state"] in ("done", "failed") and batch_row(pg, batch_id),
        timeout,
        f"batch {batch_id} to end",
    )


def _assert_output(tmp_path, serials):
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines() == serials


def test_sigkilled_worker_restarted_finishes_with_every_serial_once(worker_config, workers, pg, tmp_path):
    count = 200_000
    batch_id, first = _batch_under_way(worker_config, workers, pg, tmp_path, count, chunk_size=2000, chunks=10)
    workers.kill(first, signal.SIGKILL)
    at_kill = batch_row(pg, batch_id)
    assert at_kill["state"] == "running"
    assert 10 <= at_kill["chunks_done"] < at_kill["chunks_total"], "the kill must land mid-batch"
    assert not (tmp_path / "out.txt").exists()

    workers.start()  # full speed now
    final = _wait_done(pg, batch_id)
    assert final["state"] == "done", final
    assert final["items_done"] == count and final["attempts"] >= 2
    serials = assert_issued_exactly_once(pg, batch_id, count, "CR-")
    _assert_output(tmp_path, serials)
    # The store's block moved with the batch: fully taken, nothing left over.
    with pg.cursor() as cur:
        cur.execute(
            "SELECT first_value, last_value, next_unused FROM serial_block b"
            " JOIN serial_batch s ON s.block_id = b.id WHERE s.id = %s",
            (batch_id,),
        )
        first_value, last_value, next_unused = cur.fetchone()
    assert (last_value - first_value + 1, next_unused) == (count, last_value + 1)
    assert int(serials[0][3:]) == first_value


def test_sigkilled_worker_process_leaves_its_horse_to_finish_alone(worker_config, workers, pg, tmp_path):
    """Only the worker process dies; its work-horse (RQ forks one per job) goes on. A worker
    started meanwhile must not start a second runner: the batch ends after one attempt."""
    count = 40_000
    batch_id, first = _batch_under_way(worker_config, workers, pg, tmp_path, count, chunk_size=1000, chunks=5)
    workers.kill_main_only(first, signal.SIGKILL)
    assert batch_row(pg, batch_id)["state"] == "running"
    workers.start()
    final = _wait_done(pg, batch_id)
    assert final["state"] == "done", final
    assert final["attempts"] == 1
    wait_until(lambda: not session_alive(first.pid), 30, "the orphaned horse to exit")
    _assert_output(tmp_path, assert_issued_exactly_once(pg, batch_id, count, "CR-"))


def test_redis_killed_and_restarted_mid_batch_loses_nothing(worker_config, workers, pg, private_redis, tmp_path):
    count = 60_000
    batch_id, _ = _batch_under_way(worker_config, workers, pg, tmp_path, count, chunk_size=1000, chunks=5)
    private_redis.kill(signal.SIGKILL)
    # The running job talks only to PostgreSQL: it goes on while Redis is down.
    during = batch_row(pg, batch_id)["chunks_done"]
    wait_until(lambda: batch_row(pg, batch_id)["chunks_done"] >= during + 3, 60, "progress without Redis")
    private_redis.start()
    final = _wait_done(pg, batch_id)
    assert final["state"] == "done", final
    serials = assert_issued_exactly_once(pg, batch_id, count, "CR-")
    _assert_output(tmp_path, serials)


def test_batch_whose_job_redis_lost_is_enqueued_again(worker_config, workers, pg, private_redis, tmp_path):
    """No worker runs; Redis loses everything (the job and the queue); a worker starting later
    finds the open batch in PostgreSQL and gives it a new job."""
    count = 5000
    _create_sequence(worker_config)
    batch_id = _enqueue(worker_config, tmp_path, count, chunk_size=1000)
    client = private_redis.client()
    queue = load_config(worker_config).queue_bulk
    assert client.llen(f"rq:queue:{queue}") == 1
    client.flushall()
    workers.start()
    final = _wait_done(pg, batch_id, timeout=60)
    assert final["state"] == "done", final
    assert f"batch {batch_id} (allocate, queued): no runner and no job waiting in Redis" in workers.logs()
    _assert_output(tmp_path, assert_issued_exactly_once(pg, batch_id, count, "CR-"))


def test_dropped_database_connection_mid_chunk_is_retried_without_partial_writes(worker_config, workers, pg, tmp_path):
    count, chunk = 30_000, 1000
    batch_id, _ = _batch_under_way(
        worker_config, workers, pg, tmp_path, count, chunk_size=chunk, chunks=3, chunk_delay=0.2
    )

    def runner_in_chunk():
        # The runner sleeps inside a chunk transaction: rows written, not committed.
        with pg.cursor() as cur:
            cur.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND state = 'idle in transaction'",
                (f"serials-batch-{batch_id}",),
            )
            row = cur.fetchone()
            return row and row[0]

    pid = wait_until(runner_in_chunk, 30, "the runner inside a chunk transaction", interval=0.01)
    with pg.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert cur.fetchone()[0]
        done = batch_row(pg, batch_id)["chunks_done"]
        # Nothing of the open chunk was kept: the committed rows are exactly the committed chunks.
        cur.execute("SELECT count(*) FROM serial_batch_serial WHERE batch_id = %s", (batch_id,))
        assert cur.fetchone()[0] == done * chunk
    final = _wait_done(pg, batch_id)
    assert final["state"] == "done", final
    assert "connection lost" in workers.logs()
    _assert_output(tmp_path, assert_issued_exactly_once(pg, batch_id, count, "CR-"))


def test_job_timeout_leaves_the_batch_running_and_the_next_job_continues(worker_config, workers, pg, tmp_path):
    """A batch longer than [serial_tracking] job_timeout is finished by successive jobs: RQ's
    retries, then the reconcile rounds, each resuming at the last committed chunk."""
    set_option(worker_config, "serial_tracking", "job_timeout", 2)
    count = 20_000
    _create_sequence(worker_config)
    batch_id = _enqueue(worker_config, tmp_path, count, chunk_size=200)  # 100 chunks of >= 0.05 s
    workers.start(chunk_delay=SLOW)
    final = _wait_done(pg, batch_id)
    assert final["state"] == "done", final
    assert final["attempts"] >= 3, "a 2 s timeout cannot fit 100 chunks of 0.05 s in fewer jobs"
    assert "JobTimeoutException" in workers.logs()
    _assert_output(tmp_path, assert_issued_exactly_once(pg, batch_id, count, "CR-"))
