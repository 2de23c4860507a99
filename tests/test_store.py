"""serial_core.store against a real PostgreSQL: sequences, allocation, resets, set-next,
concurrency across processes, rollbacks and dropped connections."""

from __future__ import annotations

import datetime as dt
import threading

import psycopg2
import psycopg2.errors
import pytest

from serial_core import migrations, store
from serial_core.errors import FormatError, StoreError
from tests.store_support import run_together, serial_number

pytestmark = pytest.mark.services

DAY = dt.datetime(2024, 12, 1, 9, 30)


# --- migrations ------------------------------------------------------------------------------


def test_migrate_applies_each_version_once(db_dsn):
    conn = psycopg2.connect(**db_dsn)
    with conn.cursor() as cur:
        assert migrations.schema_version(cur) == 0
        assert store.migrate(cur) == [version for version, _, _ in migrations.MIGRATIONS]
        conn.commit()
        assert store.migrate(cur) == []
        assert migrations.schema_version(cur) == migrations.MIGRATIONS[-1][0]
        cur.execute("SELECT count(*) FROM serial_schema_version")
        assert cur.fetchone()[0] == len(migrations.MIGRATIONS)
    conn.close()


def test_concurrent_migrates_apply_once(db_dsn):
    """Two sessions migrating an empty schema at once: one applies, the other waits and finds
    nothing to do (the advisory lock), neither fails."""
    first, second = psycopg2.connect(**db_dsn), psycopg2.connect(**db_dsn)
    first_cur, second_cur = first.cursor(), second.cursor()
    assert store.migrate(first_cur) == [1]  # holds the advisory lock until commit
    results = {}
    waiting = threading.Thread(target=lambda: results.setdefault("second", store.migrate(second_cur)))
    waiting.start()
    waiting.join(timeout=1.0)
    assert waiting.is_alive(), "the second migrate should wait for the first one's commit"
    first.commit()
    waiting.join(timeout=10)
    second.commit()
    assert results["second"] == []
    first.close()
    second.close()


# --- sequences -------------------------------------------------------------------------------


def test_sequences_are_unique_per_code_and_company(cur):
    plain = store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]", name="Default")
    assert (plain.code, plain.company, plain.gap_free, plain.name) == ("SN", None, False, "Default")
    company_2 = store.create_sequence(cur, "SN", "B-[[INCNUM,NONE,4]]", company=2, gap_free=True)
    assert company_2.company == "2" and company_2.gap_free
    with pytest.raises(StoreError, match="'SN' already exists"):
        store.create_sequence(cur, "SN", "X-[[INCNUM,NONE,4]]")
    with pytest.raises(StoreError, match="'SN' of company '2' already exists"):
        store.create_sequence(cur, "SN", "X-[[INCNUM,NONE,4]]", company="2")
    assert store.get_sequence(cur, "SN", company=2).format == "B-[[INCNUM,NONE,4]]"
    assert [(s.code, s.company) for s in store.list_sequences(cur)] == [("SN", None), ("SN", "2")]
    store.create_sequence(cur, "LOT", "L-[[INCNUM,NONE,4]]")
    assert [(s.code, s.company) for s in store.list_sequences(cur, codes=["SN"])] == [("SN", None), ("SN", "2")]
    assert store.list_sequences(cur, codes=[]) == []
    with pytest.raises(StoreError, match="unknown sequence 'SN' of company '3'"):
        store.get_sequence(cur, "SN", company=3)


def test_invalid_format_creates_nothing(cur):
    with pytest.raises(FormatError, match="position"):
        store.create_sequence(cur, "BAD", "SN-[[INCNUM,NONE,4]]-[[INCNUM,NONE,2]]")
    assert store.list_sequences(cur) == []


def test_update_and_delete_sequence(cur):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    assert store.allocate(cur, "SN", 2, when=DAY) == ["SN-0001", "SN-0002"]
    # Same series key (only DIGITS changed): the numbering continues.
    store.update_sequence(cur, "SN", format="SN-[[INCNUM,NONE,6]]", name="wider")
    assert store.allocate(cur, "SN", 1, when=DAY) == ["SN-000003"]
    with pytest.raises(StoreError, match="cannot change gap, id"):
        store.update_sequence(cur, "SN", id=7, gap=True)
    store.delete_sequence(cur, "SN")
    assert store.list_sequences(cur) == []
    cur.execute(
        "SELECT count(*) FROM pg_class WHERE relkind = 'S' AND relname ~ '^serial_counter_seq_'"
        " AND relnamespace = current_schema()::regnamespace"
    )
    assert cur.fetchone()[0] == 0


@pytest.mark.parametrize("start_gap_free", [False, True])
def test_switching_gap_free_continues_the_numbering(cur, start_gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]", gap_free=start_gap_free)
    assert store.allocate(cur, "SN", 3, when=DAY)[-1] == "SN-0003"
    store.update_sequence(cur, "SN", gap_free=not start_gap_free)
    assert store.allocate(cur, "SN", 2, when=DAY) == ["SN-0004", "SN-0005"]
    store.update_sequence(cur, "SN", gap_free=start_gap_free)
    assert store.allocate(cur, "SN", 1, when=DAY) == ["SN-0006"]


# --- allocation ------------------------------------------------------------------------------


@pytest.mark.parametrize("gap_free", [False, True])
def test_allocate_issues_in_order_and_peek_issues_nothing(cur, gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4,7]]", gap_free=gap_free)
    assert store.peek(cur, "SN", 2, when=DAY) == ["SN-0007", "SN-0008"]
    assert store.allocate(cur, "SN", 3, when=DAY) == ["SN-0007", "SN-0008", "SN-0009"]
    assert store.peek(cur, "SN", 1, when=DAY) == ["SN-0010"]
    assert store.next_value(cur, "SN", when=DAY) == 10
    assert store.allocate(cur, "SN", 1, when=DAY) == ["SN-0010"]


@pytest.mark.parametrize("count", [0, -1, 1.5, True])
def test_allocate_refuses_a_bad_count(cur, count):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    with pytest.raises(StoreError, match="count must be a whole number"):
        store.allocate(cur, "SN", count)


def test_unknown_sequence(cur):
    with pytest.raises(StoreError, match="unknown sequence 'NOPE'"):
        store.allocate(cur, "NOPE", 1)


@pytest.mark.parametrize("gap_free", [False, True])
def test_missing_context_issues_nothing(cur, gap_free):
    store.create_sequence(cur, "P", "P-[[PRODUCT]]-[[INCNUM,NONE,3]]", gap_free=gap_free)
    with pytest.raises(FormatError, match="needs a product code"):
        store.allocate(cur, "P", 5, when=DAY)
    assert store.allocate(cur, "P", 1, when=DAY, context={"product": "AB"}) == ["P-AB-001"]


def test_series_rule_numbers_each_product_on_its_own(cur):
    store.create_sequence(cur, "P", "SN-[[PRODUCT]]-[[INCNUM,NONE,4]]")
    assert store.allocate(cur, "P", 2, when=DAY, context={"product": "A"}) == ["SN-A-0001", "SN-A-0002"]
    assert store.allocate(cur, "P", 1, when=DAY, context={"product": "B"}) == ["SN-B-0001"]
    assert store.allocate(cur, "P", 1, when=DAY, context={"product": "A"}) == ["SN-A-0003"]


def test_series_rule_dated_format_restarts_each_day(cur):
    """The dated example: 2024-12-01-001, 2024-12-01-002, then 2024-12-02-001."""
    store.create_sequence(cur, "D", "[[DATE]]-[[INCNUM,NONE,3,1]]")
    assert store.allocate(cur, "D", 2, when=DAY) == ["2024-12-01-001", "2024-12-01-002"]
    assert store.allocate(cur, "D", 1, when=DAY + dt.timedelta(days=1)) == ["2024-12-02-001"]
    assert store.allocate(cur, "D", 1, when=DAY) == ["2024-12-01-003"]


def test_company_token_comes_from_the_sequence(cur):
    store.create_sequence(cur, "C", "[[COMPANY]]-[[INCNUM,NONE,3]]", company="ACME")
    assert store.allocate(cur, "C", 1, company="ACME") == ["ACME-001"]


# Each case: reset, two moments in one period, one moment in the next period.
RESET_CASES = [
    ("DAILY", dt.datetime(2024, 12, 1, 0, 0), dt.datetime(2024, 12, 1, 23, 59), dt.datetime(2024, 12, 2, 0, 0)),
    # ISO weeks across the year boundary: Mon 2024-12-30 .. Sun 2025-01-05 is 2025-W01.
    ("WEEKLY", dt.datetime(2024, 12, 30, 8, 0), dt.datetime(2025, 1, 5, 23, 0), dt.datetime(2025, 1, 6, 0, 0)),
    ("WEEKLY", dt.datetime(2024, 12, 23, 8, 0), dt.datetime(2024, 12, 29, 23, 59), dt.datetime(2024, 12, 30, 0, 0)),
    ("MONTHLY", dt.datetime(2024, 2, 1), dt.datetime(2024, 2, 29, 23, 59), dt.datetime(2024, 3, 1)),
    ("YEARLY", dt.datetime(2024, 1, 1), dt.datetime(2024, 12, 31, 23, 59), dt.datetime(2025, 1, 1)),
]


@pytest.mark.parametrize("gap_free", [False, True])
@pytest.mark.parametrize("reset,early,late,next_period", RESET_CASES)
def test_counter_resets_at_period_boundaries(cur, gap_free, reset, early, late, next_period):
    store.create_sequence(cur, "R", f"R-[[INCNUM,{reset},4]]", gap_free=gap_free)
    assert store.allocate(cur, "R", 2, when=early) == ["R-0001", "R-0002"]
    assert store.allocate(cur, "R", 1, when=late) == ["R-0003"]
    assert store.allocate(cur, "R", 1, when=next_period) == ["R-0001"]
    assert store.allocate(cur, "R", 1, when=late) == ["R-0004"]


# --- set-next --------------------------------------------------------------------------------


@pytest.mark.parametrize("gap_free", [False, True])
def test_set_next_17_gives_18(cur, gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]", gap_free=gap_free)
    assert store.set_next(cur, "SN", 17) == 18
    assert store.allocate(cur, "SN", 2) == ["SN-0018", "SN-0019"]
    # Back is allowed (the administrator's decision); the command warns about it.
    assert store.set_next(cur, "SN", 5) == 6
    assert store.allocate(cur, "SN", 1) == ["SN-0006"]


def test_set_next_applies_to_the_series_and_period_given(cur):
    store.create_sequence(cur, "P", "[[PRODUCT]]-[[INCNUM,MONTHLY,3]]")
    store.set_next(cur, "P", 41, when=DAY, context={"product": "A"})
    assert store.allocate(cur, "P", 1, when=DAY, context={"product": "A"}) == ["A-042"]
    assert store.allocate(cur, "P", 1, when=DAY, context={"product": "B"}) == ["B-001"]
    assert store.allocate(cur, "P", 1, when=dt.datetime(2025, 1, 1), context={"product": "A"}) == ["A-001"]


def test_set_next_refuses_a_negative_number(cur):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    with pytest.raises(StoreError, match=">= 0"):
        store.set_next(cur, "SN", -1)


# --- rollback --------------------------------------------------------------------------------


def test_gap_free_rollback_leaves_no_hole(conn, cur):
    store.create_sequence(cur, "GF", "GF-[[INCNUM,NONE,4]]", gap_free=True)
    assert store.allocate(cur, "GF", 2) == ["GF-0001", "GF-0002"]
    conn.commit()
    assert store.allocate(cur, "GF", 3) == ["GF-0003", "GF-0004", "GF-0005"]
    conn.rollback()
    assert store.allocate(cur, "GF", 1) == ["GF-0003"]


def test_rollback_without_gap_free_never_repeats(conn, cur):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    assert store.allocate(cur, "SN", 2) == ["SN-0001", "SN-0002"]
    conn.commit()
    assert store.allocate(cur, "SN", 3) == ["SN-0003", "SN-0004", "SN-0005"]
    conn.rollback()
    assert store.allocate(cur, "SN", 1) == ["SN-0006"]


def test_non_gap_free_callers_do_not_wait_for_each_other(db_dsn, conn, cur):
    """An open transaction that allocated does not hold the counter: another caller
    allocates at once (a lock_timeout turns any wait into an error)."""
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    store.allocate(cur, "SN", 1)
    conn.commit()
    assert store.allocate(cur, "SN", 5) == [f"SN-000{i}" for i in range(2, 7)]  # left open
    other = psycopg2.connect(**db_dsn)
    with other.cursor() as other_cur:
        other_cur.execute("SET lock_timeout = '500ms'")
        assert store.allocate(other_cur, "SN", 1) == ["SN-0007"]
    other.commit()
    other.close()


# --- concurrency across processes ------------------------------------------------------------

PROCESSES, ROUNDS, PER_ROUND = 4, 50, 7


def _allocate_rounds(dsn, code, barrier, results):
    conn = psycopg2.connect(**dsn)
    batches = []
    barrier.wait()
    with conn.cursor() as cur:
        for _ in range(ROUNDS):
            batches.append(store.allocate(cur, code, PER_ROUND, when=DAY))
            conn.commit()
    conn.close()
    results.put(batches)


@pytest.mark.parametrize("gap_free", [False, True])
def test_concurrent_processes_never_share_a_serial(db_dsn, conn, cur, gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,6]]", gap_free=gap_free)
    conn.commit()
    batches = [batch for outcome in run_together(_allocate_rounds, [(db_dsn, "SN")] * PROCESSES) for batch in outcome]
    serials = [serial for batch in batches for serial in batch]
    total = PROCESSES * ROUNDS * PER_ROUND
    assert len(serials) == total
    assert len(set(serials)) == total
    if gap_free:
        # Each call's serials are one contiguous run, and together they leave no hole.
        for batch in batches:
            numbers = [serial_number(serial) for serial in batch]
            assert numbers == list(range(numbers[0], numbers[0] + PER_ROUND))
        assert sorted(serial_number(serial) for serial in serials) == list(range(1, total + 1))


# --- dropped connections ---------------------------------------------------------------------


def _terminate(dsn, pid):
    killer = psycopg2.connect(**dsn)
    with killer.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert cur.fetchone()[0]
    killer.commit()
    killer.close()


@pytest.mark.parametrize("gap_free", [False, True])
def test_dropped_connection_mid_transaction_writes_nothing(db_dsn, conn, cur, gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]", gap_free=gap_free)
    store.allocate(cur, "SN", 2)
    conn.commit()
    victim = psycopg2.connect(**db_dsn)
    victim_cur = victim.cursor()
    assert store.allocate(victim_cur, "SN", 10) == [f"SN-{i:04d}" for i in range(3, 13)]
    store.reserve_block(victim_cur, "SN", 5, "line 1")
    _terminate(db_dsn, victim.get_backend_pid())
    with pytest.raises(psycopg2.OperationalError):
        store.allocate(victim_cur, "SN", 1)
    assert victim.closed
    assert store.list_blocks(cur) == []
    issued = store.allocate(cur, "SN", 1)
    # Gap-free: the lost transaction's numbers come back. Otherwise its ten nextval numbers are
    # a hole (never reused), while its block reservation, made under the fence, is undone.
    assert issued == (["SN-0003"] if gap_free else ["SN-0013"])


# --- Odoo's isolation level ------------------------------------------------------------------


def _repeatable_read(dsn):
    """A connection like Odoo's env.cr: REPEATABLE READ, snapshot taken by a first query."""
    connection = psycopg2.connect(**dsn)
    connection.set_session(isolation_level="REPEATABLE READ")
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return connection


def test_repeatable_read_gap_free_conflict_is_a_retryable_serialization_failure(db_dsn, conn, cur):
    """Odoo retries a request that fails with a serialization failure; a gap-free counter
    taken by a transaction that committed after our snapshot gives exactly that."""
    store.create_sequence(cur, "GF", "GF-[[INCNUM,NONE,4]]", gap_free=True)
    store.allocate(cur, "GF", 1)
    conn.commit()
    first, second = _repeatable_read(db_dsn), _repeatable_read(db_dsn)
    assert store.allocate(first.cursor(), "GF", 2) == ["GF-0002", "GF-0003"]
    outcome = {}

    def allocate_second():
        try:
            outcome["serials"] = store.allocate(second.cursor(), "GF", 2)
        except psycopg2.Error as exc:
            outcome["error"] = exc

    waiting = threading.Thread(target=allocate_second)
    waiting.start()
    waiting.join(timeout=1.0)
    assert waiting.is_alive(), "the second caller should queue on the counter row"
    first.commit()
    waiting.join(timeout=10)
    assert isinstance(outcome.get("error"), psycopg2.errors.SerializationFailure)
    second.rollback()  # what Odoo does before it retries the request
    with second.cursor() as retry:
        retry.execute("SELECT 1")
        assert store.allocate(retry, "GF", 2) == ["GF-0004", "GF-0005"]
    second.commit()
    first.close()
    second.close()


def test_repeatable_read_sequence_callers_never_conflict(db_dsn, conn, cur):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    store.allocate(cur, "SN", 1)
    conn.commit()
    first, second = _repeatable_read(db_dsn), _repeatable_read(db_dsn)
    with second.cursor() as second_cur:
        second_cur.execute("SET lock_timeout = '500ms'")
    assert store.allocate(first.cursor(), "SN", 2) == ["SN-0002", "SN-0003"]
    assert store.allocate(second.cursor(), "SN", 2) == ["SN-0004", "SN-0005"]
    first.commit()
    assert store.allocate(second.cursor(), "SN", 1) == ["SN-0006"]
    second.commit()
    first.close()
    second.close()


def test_counter_without_its_postgresql_sequence_is_reported(cur):
    """A counter row edited by hand (no sequence although the sequence is not gap-free) is
    refused with a message, never numbered from NULL."""
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    store.allocate(cur, "SN", 1)
    cur.execute("UPDATE serial_counter SET pg_sequence = NULL")
    with pytest.raises(StoreError, match="has no PostgreSQL sequence although"):
        store.allocate(cur, "SN", 1)
