"""The batch table and its state machine (worker.batches, worker.schema) on real PostgreSQL."""

import psycopg2
import pytest

from serial_core.rules import Problem
from worker import batches, schema

pytestmark = pytest.mark.services


@pytest.fixture
def bcur(conn):
    """A cursor on a fresh schema with the store's and the worker's tables."""
    with conn.cursor() as cur:
        schema.migrate(cur)
        yield cur


def _batch(cur, items=25, chunk_size=10):
    return batches.create_batch(cur, "allocate", {"code": "X"}, items, chunk_size, output_path="/tmp/x.txt")


def test_migrate_is_idempotent(conn):
    with conn.cursor() as cur:
        assert schema.migrate(cur) == [1, 2]
        assert schema.migrate(cur) == []
        cur.execute(
            "SELECT to_regclass('serial_batch'), to_regclass('serial_batch_serial'),"
            " to_regclass('serial_batch_problem')"
        )
        assert None not in cur.fetchone()


def test_migrate_upgrades_a_version_table_without_descriptions(conn):
    """Worker databases migrated before the store and the worker shared one migration runner
    have a version table without a description column; the runner adds it and goes on."""
    with conn.cursor() as cur:
        cur.execute(
            f"CREATE TABLE {schema.VERSION_TABLE} (version integer PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        cur.execute(f"INSERT INTO {schema.VERSION_TABLE} (version) VALUES (1)")
        cur.execute(schema.MIGRATIONS[0].ddl)
        assert schema.migrate(cur) == [2]
        cur.execute(f"SELECT version, description FROM {schema.VERSION_TABLE} ORDER BY version")
        assert cur.fetchall() == [(1, None), (2, schema.MIGRATIONS[1].description)]
        assert schema.migrate(cur) == []


def test_new_batch_is_queued_with_chunks_rounded_up(bcur):
    batch = _batch(bcur)
    assert (batch.state, batch.chunks_total, batch.chunks_done, batch.items_done) == ("queued", 3, 0, 0)
    assert batch.chunk_bounds(0) == (0, 10)
    assert batch.chunk_bounds(2) == (20, 5)
    assert batch.params == {"code": "X"}
    assert batch.next_chunk == 0


def test_full_life_queued_running_done(bcur):
    batch = batches.start(bcur, _batch(bcur).id)
    assert (batch.state, batch.attempts) == ("running", 1)
    assert batch.started_at is not None
    for size in (10, 10, 5):
        batch = batches.record_chunk(bcur, batches.get_batch(bcur, batch.id, for_update=True), size)
    assert (batch.chunks_done, batch.items_done, batch.next_chunk) == (3, 25, None)
    done = batches.finish(bcur, batch.id, {"count": 25})
    assert (done.state, done.result) == ("done", {"count": 25})
    assert done.finished_at is not None


@pytest.mark.parametrize(
    "path, target",
    [
        (("start", "finish"), "queued"),  # done cannot be requeued
        ((), "done"),  # queued cannot jump to done
        (("start", "finish"), "running"),  # done is final
    ],
)
def test_forbidden_moves_raise(bcur, path, target):
    batch = _batch(bcur)
    for step in path:
        getattr(batches, step)(bcur, batch.id)
    move = {"queued": batches.requeue, "done": batches.finish, "running": batches.start}[target]
    with pytest.raises(batches.BatchError, match=f"cannot become {target}"):
        move(bcur, batch.id)


def test_failed_batch_resumes_where_it_stopped(bcur):
    batch = batches.start(bcur, _batch(bcur).id)
    batch = batches.record_chunk(bcur, batch, 10)
    failed = batches.fail(bcur, batch.id, "file not found")
    assert (failed.state, failed.error) == ("failed", "file not found")
    queued = batches.requeue(bcur, batch.id)
    assert (queued.state, queued.error, queued.chunks_done, queued.next_chunk) == ("queued", None, 1, 1)
    assert batches.start(bcur, batch.id).attempts == 2


def test_record_chunk_refuses_a_stale_batch(bcur):
    """Two runners that read the same chunks_done cannot both count the chunk."""
    batch = batches.start(bcur, _batch(bcur).id)
    batches.record_chunk(bcur, batch, 10)
    with pytest.raises(batches.BatchError, match="committed by another job"):
        batches.record_chunk(bcur, batch, 10)


def test_record_chunk_needs_a_running_batch(bcur):
    with pytest.raises(batches.BatchError, match="only a running batch"):
        batches.record_chunk(bcur, _batch(bcur), 10)


def test_unknown_batch_and_bad_arguments(bcur):
    with pytest.raises(batches.BatchError, match="no batch 999"):
        batches.get_batch(bcur, 999)
    with pytest.raises(batches.BatchError, match="unknown batch kind"):
        batches.create_batch(bcur, "print", {}, 1, 1)
    with pytest.raises(batches.BatchError, match="chunk size"):
        batches.create_batch(bcur, "check", {}, 1, 0)


def test_serials_round_trip_through_copy_with_awkward_characters(bcur):
    batch = _batch(bcur, items=5, chunk_size=5)
    serials = ["A-1", "tab\there", "back\\slash", "new\nline", "Ünï-ç"]
    batches.insert_serials(bcur, batch.id, 0, serials)
    assert list(batches.iter_serials(bcur, batch.id)) == serials
    assert batches.count_serials(bcur, batch.id) == 5


def test_a_position_cannot_be_written_twice(conn, bcur):
    batch = _batch(bcur)
    batches.insert_serials(bcur, batch.id, 0, ["S-1", "S-2"])
    with pytest.raises(psycopg2.errors.UniqueViolation):
        batches.insert_serials(bcur, batch.id, 1, ["S-3"])
    conn.rollback()


def test_two_batches_cannot_hold_the_same_serial(conn, bcur):
    one, two = _batch(bcur), _batch(bcur)
    batches.insert_serials(bcur, one.id, 0, ["DUP-1"])
    with pytest.raises(psycopg2.errors.UniqueViolation):
        batches.insert_serials(bcur, two.id, 0, ["DUP-1"])
    conn.rollback()


def test_problems_replace_an_earlier_attempt(bcur):
    batch = batches.create_batch(bcur, "check", {"path": "f.csv"}, 1, 1)
    batches.replace_problems(bcur, batch.id, [Problem("duplicate", "A", "A twice"), Problem("pattern", "B", "B bad")])
    batches.replace_problems(bcur, batch.id, [Problem("count_mismatch", None, "1 / 2 serial numbers entered")])
    assert batches.list_problems(bcur, batch.id) == [("count_mismatch", None, "1 / 2 serial numbers entered")]


def test_list_batches_newest_first_and_by_state(bcur):
    first, second = _batch(bcur), _batch(bcur)
    batches.start(bcur, second.id)
    assert [b.id for b in batches.list_batches(bcur)] == [second.id, first.id]
    assert [b.id for b in batches.list_batches(bcur, states=["queued"])] == [first.id]
    assert [b.id for b in batches.list_batches(bcur, states=batches.OPEN_STATES, limit=1)] == [second.id]
