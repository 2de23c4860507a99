"""The worker's jobs and commands: file checks, allocation through the worker with progress,
failures landing on the batch, resume, reconcile and the runner's lock.

Real PostgreSQL, a private real Redis, real `serials` processes (a worker in --burst mode runs
the queue to empty and exits, so no test waits on a clock).
"""

import io
import os

import psycopg2
import pytest

from serials_cli import batch_view
from tests.worker_support import (
    assert_issued_exactly_once,
    batch_row,
    run_serials,
)
from worker import batches, reconcile, runner
from worker.config import load_config
from worker.connections import pg_connect, redis_connect
from worker.jobs import HANDLERS, run_batch
from worker.submit import submit_allocation

pytestmark = pytest.mark.services


def _burst(config):
    """Runs a worker until the queue is empty; returns its log."""
    done = run_serials("worker", "--burst", config=config)
    return done.stdout + done.stderr


def _sequence(config, code="W", fmt="W-[[INCNUM,NONE,5]]"):
    run_serials("sequence", "create", code, "--format", fmt, config=config)


def _enqueue_two_batches(config, tmp_path):
    """Batches 1 and 2 of sequence W (10 and 20 serials into tmp_path/10.txt and 20.txt), left queued."""
    _sequence(config)
    for count in (10, 20):
        run_serials(
            "allocate", "W", "--count", str(count), "--out", str(tmp_path / f"{count}.txt"), "--enqueue", config=config
        )


def _write(path, lines):
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


# --- file checks --------------------------------------------------------------------------------


def test_check_job_reports_every_problem_on_the_batch(worker_config, tmp_path):
    data = _write(tmp_path / "in.csv", ["996000001", "996000002", "996000002", "12345", "996000004"])
    batch_id = int(
        run_serials(
            "check", str(data), "--pattern", "996******", "--quantity", "5", "--enqueue", config=worker_config
        ).stdout
    )
    _burst(worker_config)
    status = run_serials("batch", "status", str(batch_id), config=worker_config, check=False)
    assert status.returncode == 1
    assert "check): failed" in status.stdout
    assert "duplicate: 996000002 on row 3 repeats row 2" in status.stdout
    assert "count_mismatch: 4 / 5 serial numbers entered" in status.stdout
    assert "pattern: 12345:" in status.stdout
    assert "error: 3 problem(s) in" in status.stdout


def test_check_job_of_a_good_file_is_done(worker_config, tmp_path):
    data = _write(tmp_path / "in.txt", ["SN-1", "SN-2", "SN-3"])
    batch_id = int(run_serials("check", str(data), "--quantity", "3", "--enqueue", config=worker_config).stdout)
    _burst(worker_config)
    status = run_serials("batch", "status", str(batch_id), config=worker_config)
    assert "check): done, chunks 1/1" in status.stdout
    assert "3 serials read from 3 rows, 0 problem(s)" in status.stdout


def test_check_job_of_a_missing_file_fails_with_its_name(worker_config, tmp_path):
    missing = tmp_path / "gone.csv"
    batch_id = int(run_serials("check", str(missing), "--enqueue", config=worker_config).stdout)
    _burst(worker_config)
    status = run_serials("batch", "status", str(batch_id), config=worker_config, check=False)
    assert status.returncode == 1
    assert f"error: {missing}: cannot read" in status.stdout


def test_check_enqueue_wait_exit_status(worker_config, workers, tmp_path):
    workers.start()
    bad = _write(tmp_path / "bad.txt", ["A1", "A1"])
    done = run_serials("check", str(bad), "--enqueue", "--wait", config=worker_config, check=False)
    assert done.returncode == 1 and "duplicate: A1" in done.stdout
    unreadable = run_serials(
        "check", str(tmp_path / "none.txt"), "--enqueue", "--wait", config=worker_config, check=False
    )
    assert unreadable.returncode == 2 and "cannot read" in unreadable.stdout


def test_check_inline_needs_no_services(tmp_path):
    good = _write(tmp_path / "good.txt", ["X-01", "X-02"])
    assert run_serials("check", str(good), "--pattern", "X-##", "--quantity", "2").returncode == 0
    bad = run_serials("check", str(good), "--pattern", "X-##", "--quantity", "3", check=False)
    assert bad.returncode == 1 and "count_mismatch: 2 / 3 serial numbers entered" in bad.stdout
    wrong_type = run_serials("check", str(tmp_path / "x.pdf"), check=False)
    assert wrong_type.returncode == 2 and "Traceback" not in wrong_type.stderr


# --- allocation through the worker --------------------------------------------------------------


def test_allocate_enqueue_wait_prints_progress_summary_and_labels(worker_config, workers, tmp_path):
    _sequence(worker_config)
    workers.start()
    out, labels = tmp_path / "serials.txt", tmp_path / "labels.pdf"
    done = run_serials(
        "allocate",
        "W",
        "--count",
        "2500",
        "--out",
        str(out),
        "--enqueue",
        "--wait",
        "--chunk-size",
        "1000",
        "--labels",
        str(labels),
        "--label-count",
        "30",
        config=worker_config,
    )
    assert "allocate): done, chunks 3/3, serials 2500/2500" in done.stdout
    assert "W-00001 – W-02500 (2500)" in done.stdout
    assert f"labels: {labels} (30 labels)" in done.stdout
    # Not a terminal: plain progress lines on stderr, ending with the final count.
    assert "serials 2500/2500" in done.stderr.splitlines()[-1]
    assert out.read_text(encoding="utf-8").splitlines() == [f"W-{n:05d}" for n in range(1, 2501)]
    assert labels.read_bytes().startswith(b"%PDF")


def test_unknown_sequence_is_refused_before_any_batch_exists(worker_config, pg, tmp_path):
    done = run_serials(
        "allocate",
        "NOPE",
        "--count",
        "5",
        "--out",
        str(tmp_path / "o.txt"),
        "--enqueue",
        config=worker_config,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "serials: unknown sequence 'NOPE'"
    with pg.cursor() as cur:
        cur.execute("SELECT count(*) FROM serial_batch")
        assert cur.fetchone()[0] == 0


def test_enqueue_needs_an_output_file_and_worker_options_need_enqueue(worker_config):
    assert run_serials("allocate", "W", "--count", "5", "--enqueue", config=worker_config, check=False).returncode == 2
    assert (
        "--wait only apply with --enqueue"
        in run_serials("allocate", "W", "--count", "5", "--wait", config=worker_config, check=False).stderr
    )


def test_failed_batch_keeps_its_chunks_and_resumes_without_reissuing(worker_config, pg, tmp_path):
    _sequence(worker_config)
    out = tmp_path / "later" / "serials.txt"  # its folder does not exist yet: the final write fails
    refused = run_serials(
        "allocate", "W", "--count", "3000", "--out", str(out), "--enqueue", config=worker_config, check=False
    )
    assert refused.returncode == 2 and "does not exist" in refused.stderr  # the command says so at once
    batch, _ = submit_allocation(load_config(worker_config), "W", 3000, str(out), chunk_size=1000)
    batch_id = batch.id
    _burst(worker_config)
    failed = batch_row(pg, batch_id)
    assert failed["state"] == "failed" and failed["chunks_done"] == 3
    assert "folder" in failed["error"] and "does not exist" in failed["error"]
    out.parent.mkdir()
    resumed = run_serials("batch", "resume", str(batch_id), config=worker_config)
    assert f"batch {batch_id}: enqueued as job" in resumed.stdout
    _burst(worker_config)
    final = batch_row(pg, batch_id)
    assert (final["state"], final["attempts"], final["error"]) == ("done", 2, None)
    serials = assert_issued_exactly_once(pg, batch_id, 3000, "W-")
    assert out.read_text(encoding="utf-8").splitlines() == serials
    assert run_serials("batch", "resume", str(batch_id), config=worker_config, check=False).returncode == 2


def test_batch_list_shows_newest_first(worker_config, tmp_path):
    _enqueue_two_batches(worker_config, tmp_path)
    listed = run_serials("batch", "list", config=worker_config).stdout.splitlines()
    assert listed[0].startswith("batch 2 (allocate): queued") and "serials 0/20" in listed[0]
    assert listed[1].startswith("batch 1 (allocate): queued")


# --- reconcile, lock, wrong database ------------------------------------------------------------


def test_batch_submitted_while_redis_is_down_waits_for_a_reconcile(worker_config, private_redis, pg, tmp_path):
    _sequence(worker_config)
    config = load_config(worker_config)
    private_redis.kill()
    batch, job_id = submit_allocation(config, "W", 100, str(tmp_path / "o.txt"), chunk_size=50)
    assert job_id is None and batch_row(pg, batch.id)["state"] == "queued"
    private_redis.start()
    connection = redis_connect(config)
    pg_conn = pg_connect(config)
    try:
        first = reconcile.reconcile(config, pg_conn, connection)
        assert [batch_id for batch_id, _ in first] == [batch.id]
        assert reconcile.reconcile(config, pg_conn, connection) == []  # its job now waits in the queue
    finally:
        pg_conn.close()
    _burst(worker_config)
    assert batch_row(pg, batch.id)["state"] == "done"


def test_reconcile_leaves_a_batch_whose_runner_holds_the_lock(worker_config, private_redis, pg, tmp_path):
    _sequence(worker_config)
    config = load_config(worker_config)
    batch, _ = submit_allocation(config, "W", 10, str(tmp_path / "o.txt"))
    private_redis.client().flushall()  # the job is gone...
    holder = pg_connect(config)
    try:
        with holder.cursor() as cur:  # ...but a runner (this connection) holds the batch
            cur.execute("SELECT pg_advisory_lock(%s, %s)", (runner.LOCK_NAMESPACE, batch.id))
        holder.commit()
        check = pg_connect(config)
        try:
            assert reconcile.reconcile(config, check, redis_connect(config)) == []
            # A second job for it leaves the batch to the lock holder and writes nothing.
            outcome = runner.run_batch(config, batch.id, HANDLERS)
            assert outcome["outcome"] == "left to another job"
            status = run_serials("batch", "status", str(batch.id), config=worker_config).stdout
            assert "a worker is on it now" in status
        finally:
            check.close()
    finally:
        holder.close()
    assert batch_row(pg, batch.id)["state"] == "queued"
    status = run_serials("batch", "status", str(batch.id), config=worker_config).stdout
    assert "no worker is on it now" in status


def test_job_of_another_database_is_refused(worker_config):
    with pytest.raises(batches.BatchError, match="of database 'elsewhere' reached a worker of"):
        from worker import connections

        connections.use_config(load_config(worker_config))
        try:
            run_batch(1, database="elsewhere")
        finally:
            connections.use_config(None)


# --- progress ------------------------------------------------------------------------------------


class _Pipe(io.StringIO):
    def isatty(self):
        return False


def test_wait_prints_plain_lines_and_gives_up_at_its_timeout(worker_config, tmp_path):
    _sequence(worker_config)
    config = load_config(worker_config)
    batch, _ = submit_allocation(config, "W", 10, str(tmp_path / "o.txt"))
    stream = _Pipe()
    with pytest.raises(batches.BatchError, match=f"batch {batch.id} still queued after 1 s"):
        batch_view.wait_for_batch(config, batch.id, stream=stream, timeout=1)
    assert stream.getvalue().startswith(f"batch {batch.id} (allocate): queued, chunks 0/1, serials 0/10")
    _burst(worker_config)
    stream = _Pipe()
    final = batch_view.wait_for_batch(config, batch.id, stream=stream)
    assert final.state == "done"


def test_status_of_an_unknown_batch_is_one_clear_line(worker_config):
    done = run_serials("batch", "status", "42", config=worker_config, check=False)
    assert done.returncode == 2 and done.stderr.strip() == "serials: no batch 42"


def test_commands_report_an_unreachable_database(tmp_path):
    config = tmp_path / "odoo.conf"
    config.write_text("[options]\ndb_host = 127.0.0.1\ndb_port = 1\ndb_name = x\n", encoding="utf-8")
    done = run_serials("batch", "status", "1", config=config, check=False)
    assert done.returncode == 2 and "cannot connect to PostgreSQL at 127.0.0.1:1/x" in done.stderr
    assert "Traceback" not in done.stderr


def test_rows_written_by_a_chunk_that_fails_are_not_kept(worker_config, pg, tmp_path, monkeypatch):
    """A chunk that raises after writing its rows leaves neither rows nor counters behind."""
    _sequence(worker_config)
    config = load_config(worker_config)
    batch, _ = submit_allocation(config, "W", 30, str(tmp_path / "o.txt"), chunk_size=10)
    calls = []

    class BreaksOnSecondChunk:
        @staticmethod
        def run_chunk(cur, batch_now, index):
            items = HANDLERS["allocate"].run_chunk(cur, batch_now, index)
            calls.append(index)
            if index == 1:
                raise psycopg2.errors.CheckViolation("simulated refusal after the rows were written")
            return items

        finish = HANDLERS["allocate"].finish

    outcome = runner.run_batch(config, batch.id, {"allocate": BreaksOnSecondChunk})
    assert outcome["outcome"] == "failed" and calls == [0, 1]
    row = batch_row(pg, batch.id)
    assert (row["state"], row["chunks_done"], row["items_done"]) == ("failed", 1, 10)
    assert "database refused the batch" in row["error"]
    with pg.cursor() as cur:
        cur.execute("SELECT count(*) FROM serial_batch_serial WHERE batch_id = %s", (batch.id,))
        assert cur.fetchone()[0] == 10
        cur.execute("SELECT next_unused - first_value FROM serial_block WHERE id = %s", (batch.block_id,))
        assert cur.fetchone()[0] == 10  # the block moved back with the rolled-back chunk
    assert not os.path.exists(tmp_path / "o.txt")


def test_batch_resume_without_id_reconciles_every_open_batch(worker_config, private_redis, tmp_path):
    _enqueue_two_batches(worker_config, tmp_path)
    assert "every open batch has a live or waiting job" in run_serials("batch", "resume", config=worker_config).stdout
    private_redis.client().flushall()
    resumed = run_serials("batch", "resume", config=worker_config).stdout.splitlines()
    assert [line.split(":")[0] for line in resumed] == ["batch 1", "batch 2"]
    _burst(worker_config)
    assert (tmp_path / "20.txt").read_text(encoding="utf-8").splitlines()[-1] == "W-00030"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_wait_on_a_terminal_draws_a_progress_bar(worker_config, workers, tmp_path):
    _sequence(worker_config)
    config = load_config(worker_config)
    batch, _ = submit_allocation(config, "W", 4000, str(tmp_path / "o.txt"), chunk_size=500)
    workers.start(chunk_delay=0.1)
    stream = _Terminal()
    final = batch_view.wait_for_batch(config, batch.id, stream=stream)
    assert final.state == "done"
    drawn = stream.getvalue()
    assert f"batch {batch.id} (allocate)" in drawn
    assert "[####" in drawn and "4000/4000" in drawn
    assert "chunks" not in drawn  # the plain lines are for pipes and logs only


def test_db_migrate_creates_the_worker_tables_once(db_config):
    first = run_serials("db", "migrate", config=db_config).stdout
    assert "applied worker migration 1, 2" in first
    again = run_serials("db", "migrate", config=db_config).stdout
    assert "worker migration" not in again
    assert run_serials("batch", "list", config=db_config).stderr.strip() == "no batches"
