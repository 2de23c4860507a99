"""Blocks of serial_core.store against a real PostgreSQL: reserved numbers never reach anyone
but their holder, release keeps N, expiry, the block's own series."""

from __future__ import annotations

import datetime as dt

import psycopg2
import pytest

from serial_core import store
from serial_core.errors import StoreError
from tests.store_support import run_together, serial_number

pytestmark = pytest.mark.services

DAY = dt.datetime(2024, 12, 1, 9, 30)
BOTH_MODES = pytest.mark.parametrize("gap_free", [False, True], ids=["sequence", "gap-free"])


@BOTH_MODES
def test_allocation_skips_a_reserved_block(cur, gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]", gap_free=gap_free)
    assert store.allocate(cur, "SN", 2) == ["SN-0001", "SN-0002"]
    block = store.reserve_block(cur, "SN", 10, "line 1")
    assert (block.first, block.last, block.next_unused, block.remaining) == (3, 12, 3, 10)
    assert (block.sequence_code, block.holder, block.series_key, block.period_key) == ("SN", "line 1", "SN-[[#]]", "")
    assert store.allocate(cur, "SN", 2) == ["SN-0013", "SN-0014"]
    assert store.take_from_block(cur, block.id, 3) == ["SN-0003", "SN-0004", "SN-0005"]
    assert store.take_from_block(cur, block.id, 7)[-1] == "SN-0012"
    assert store.get_block(cur, block.id).remaining == 0


@BOTH_MODES
def test_exhausted_block_refuses_and_issues_nothing(cur, gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]", gap_free=gap_free)
    block = store.reserve_block(cur, "SN", 3, "printer A")
    store.take_from_block(cur, block.id, 2)
    with pytest.raises(StoreError, match=r"block \d+ \(printer A\) is exhausted: 1 numbers left, 2 asked"):
        store.take_from_block(cur, block.id, 2)
    assert store.take_from_block(cur, block.id, 1) == ["SN-0003"]


def test_two_holders_never_share_a_number(cur):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    site_a = store.reserve_block(cur, "SN", 5, "site A")
    site_b = store.reserve_block(cur, "SN", 5, "site B")
    taken_a = store.take_from_block(cur, site_a.id, 5)
    taken_b = store.take_from_block(cur, site_b.id, 5)
    issued = store.allocate(cur, "SN", 5)
    assert not set(taken_a) & set(taken_b)
    assert not (set(taken_a) | set(taken_b)) & set(issued)
    assert [serial_number(s) for s in taken_a + taken_b + issued] == list(range(1, 16))


@BOTH_MODES
def test_release_keeps_n_and_the_rest_is_never_issued(cur, gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]", gap_free=gap_free)
    block = store.reserve_block(cur, "SN", 10, "line 1")
    store.take_from_block(cur, block.id, 3)  # 1..3
    released = store.release_block(cur, block.id, keep=2)
    assert (released.first, released.last, released.next_unused, released.remaining) == (1, 5, 4, 2)
    assert released.released_at is not None
    assert store.take_from_block(cur, block.id, 2) == ["SN-0004", "SN-0005"]
    with pytest.raises(StoreError, match="was released: 0 numbers left, 1 asked"):
        store.take_from_block(cur, block.id, 1)
    # 6..10 went back to nobody: the counter continues after the whole reservation.
    assert store.allocate(cur, "SN", 1) == ["SN-0011"]


def test_release_cannot_keep_more_than_is_left(cur):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    block = store.reserve_block(cur, "SN", 4, "line 1")
    store.take_from_block(cur, block.id, 3)
    with pytest.raises(StoreError, match="has 1 unused numbers; cannot keep 2"):
        store.release_block(cur, block.id, keep=2)
    with pytest.raises(StoreError, match="keep must be a whole number >= 0"):
        store.release_block(cur, block.id, keep=-1)


def test_expired_block_refuses(cur):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    expired = store.reserve_block(cur, "SN", 5, "line 1", expires_at=past)
    valid = store.reserve_block(cur, "SN", 5, "line 2", expires_at=future)
    with pytest.raises(StoreError, match=rf"block {expired.id} \(line 1\) expired at"):
        store.take_from_block(cur, expired.id, 1)
    assert store.get_block(cur, expired.id).next_unused == expired.first
    assert store.take_from_block(cur, valid.id, 1) == ["SN-0006"]


def test_list_blocks_filters(cur):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]")
    store.create_sequence(cur, "OT", "OT-[[INCNUM,NONE,4]]")
    a = store.reserve_block(cur, "SN", 5, "line 1")
    b = store.reserve_block(cur, "SN", 5, "line 2")
    c = store.reserve_block(cur, "OT", 5, "line 1")
    kept = store.reserve_block(cur, "OT", 5, "line 3")
    store.release_block(cur, b.id)
    store.release_block(cur, kept.id, keep=1)
    assert [x.id for x in store.list_blocks(cur)] == [a.id, c.id, kept.id]
    assert [x.id for x in store.list_blocks(cur, include_released=True)] == [a.id, b.id, c.id, kept.id]
    assert [x.id for x in store.list_blocks(cur, code="SN")] == [a.id]
    assert [x.id for x in store.list_blocks(cur, holder="line 1")] == [a.id, c.id]


def test_block_keeps_its_series_and_period(cur):
    store.create_sequence(cur, "D", "[[DATE]]-[[PRODUCT]]-[[INCNUM,DAILY,3]]")
    block = store.reserve_block(cur, "D", 5, "line 1", when=DAY, context={"product": "AB"})
    assert (block.series_key, block.period_key) == ("2024-12-01-AB-[[#]]", "2024-12-01")
    # Without a date it renders the block's own series, whatever day it is now.
    assert store.take_from_block(cur, block.id, 1) == ["2024-12-01-AB-001"]
    assert store.take_from_block(cur, block.id, 1, when=DAY, context={"product": "AB"}) == ["2024-12-01-AB-002"]
    with pytest.raises(StoreError, match="the date and context given make '2024-12-02-AB-"):
        store.take_from_block(cur, block.id, 1, when=DAY + dt.timedelta(days=1), context={"product": "AB"})
    # The counter of that day and product moved past the block; another day's did not.
    assert store.allocate(cur, "D", 1, when=DAY, context={"product": "AB"}) == ["2024-12-01-AB-006"]
    assert store.allocate(cur, "D", 1, when=DAY + dt.timedelta(days=1), context={"product": "AB"}) == [
        "2024-12-02-AB-001"
    ]


def test_render_block_numbers_issues_nothing(cur):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,5]]")
    block = store.reserve_block(cur, "SN", 10, "batch:1")
    assert store.render_block_numbers(cur, block.id, 4, 3) == ["SN-00004", "SN-00005", "SN-00006"]
    assert store.get_block(cur, block.id).next_unused == 1
    with pytest.raises(StoreError, match=r"holds 1\.\.10; 9\.\.11 is outside it"):
        store.render_block_numbers(cur, block.id, 9, 3)


@BOTH_MODES
def test_set_next_cannot_move_onto_a_block(cur, gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]", gap_free=gap_free)
    store.allocate(cur, "SN", 5)
    block = store.reserve_block(cur, "SN", 10, "line 1")  # 6..15
    for last_issued in (0, 5, 14):
        with pytest.raises(StoreError, match=rf"6\.\.15 .* reserved by block {block.id} \(line 1\)"):
            store.set_next(cur, "SN", last_issued)
    assert store.set_next(cur, "SN", 15) == 16
    assert store.allocate(cur, "SN", 1) == ["SN-0016"]


@BOTH_MODES
def test_rolled_back_reservation_leaves_the_counter_as_it_was(conn, cur, gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]", gap_free=gap_free)
    store.allocate(cur, "SN", 2)
    conn.commit()
    store.reserve_block(cur, "SN", 100, "line 1")
    conn.rollback()
    assert store.list_blocks(cur) == []
    assert store.allocate(cur, "SN", 1) == ["SN-0003"]


# --- blocks reserved while other processes allocate --------------------------------------------

PROCESSES, ROUNDS = 4, 40


def _allocate_or_reserve(dsn, index, barrier, results):
    """Process 0 reserves blocks of 13 (and takes from them); the others allocate 7 at a time."""
    conn = psycopg2.connect(**dsn)
    issued, blocks = [], []
    barrier.wait()
    with conn.cursor() as cur:
        for _ in range(ROUNDS):
            if index == 0:
                block = store.reserve_block(cur, "SN", 13, f"line {index}")
                blocks.append((block.first, block.last))
                issued.extend(store.take_from_block(cur, block.id, 5))
            else:
                issued.extend(store.allocate(cur, "SN", 7))
            conn.commit()
    conn.close()
    results.put((issued, blocks))


@BOTH_MODES
def test_blocks_never_overlap_serials_issued_concurrently(db_dsn, conn, cur, gap_free):
    store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,6]]", gap_free=gap_free)
    conn.commit()
    outcomes = run_together(_allocate_or_reserve, [(db_dsn, index) for index in range(PROCESSES)])
    issued = [serial_number(serial) for serials, _ in outcomes for serial in serials]
    blocks = [block for _, process_blocks in outcomes for block in process_blocks]
    assert len(issued) == len(set(issued)) == ROUNDS * (5 + 7 * (PROCESSES - 1))
    assert len(blocks) == ROUNDS
    block_numbers = [n for first, last in blocks for n in range(first, last + 1)]
    assert len(block_numbers) == len(set(block_numbers)), "two blocks overlap"
    taken_from_blocks = {n for first, _ in blocks for n in range(first, first + 5)}
    allocated = set(issued) - taken_from_blocks
    assert not allocated & set(block_numbers), "an allocation landed inside a block"
