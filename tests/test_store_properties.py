"""Property: whatever mix of allocations, rolled-back allocations, block reservations, takes,
releases and forward set-nexts a caller makes, no serial is issued twice, no allocation lands
in a block, and a gap-free sequence leaves no hole but the ones set-next skipped on purpose."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serial_core import store
from serial_core.errors import StoreError
from tests.store_support import serial_number

pytestmark = pytest.mark.services

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("allocate"), st.integers(1, 5)),
        st.tuples(st.just("allocate_rolled_back"), st.integers(1, 5)),
        st.tuples(st.just("reserve"), st.integers(1, 6)),
        st.tuples(st.just("take"), st.integers(0, 9), st.integers(1, 4)),
        st.tuples(st.just("release"), st.integers(0, 9), st.integers(0, 3)),
        st.tuples(st.just("set_next_forward"), st.integers(0, 4)),
    ),
    min_size=1,
    max_size=25,
)
_codes = itertools.count(1)


def _run(cur, code, operations):
    """Apply the operations; return (allocated numbers, {block id: taken}, blocks, skipped)."""
    allocated, taken, blocks, skipped = [], {}, [], []
    for operation in operations:
        kind = operation[0]
        if kind == "allocate":
            allocated += [serial_number(s) for s in store.allocate(cur, code, operation[1])]
        elif kind == "allocate_rolled_back":
            cur.execute("SAVEPOINT attempt")
            store.allocate(cur, code, operation[1])
            cur.execute("ROLLBACK TO SAVEPOINT attempt")
        elif kind == "reserve":
            block = store.reserve_block(cur, code, operation[1], "holder")
            blocks.append(block)
            taken[block.id] = []
        elif kind in ("take", "release") and blocks:
            block = blocks[operation[1] % len(blocks)]
            cur.execute("SAVEPOINT attempt")
            try:
                if kind == "take":
                    taken[block.id] += [serial_number(s) for s in store.take_from_block(cur, block.id, operation[2])]
                else:
                    store.release_block(cur, block.id, keep=operation[2])
            except StoreError:  # exhausted or keeping too many: refused, nothing written
                cur.execute("ROLLBACK TO SAVEPOINT attempt")
        elif kind == "set_next_forward":
            next_value = store.next_value(cur, code)
            store.set_next(cur, code, next_value - 1 + operation[1])
            skipped += range(next_value, next_value + operation[1])
    return allocated, taken, blocks, skipped


@pytest.mark.parametrize("gap_free", [False, True], ids=["sequence", "gap-free"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_no_serial_twice_and_no_hole_when_gap_free(cur, gap_free, operations):
    code = f"H{next(_codes)}"  # a sequence of its own for every example
    store.create_sequence(cur, code, f"{code}-[[INCNUM,NONE,4]]", gap_free=gap_free)
    allocated, taken, blocks, skipped = _run(cur, code, operations)

    issued = allocated + [n for numbers in taken.values() for n in numbers]
    assert len(issued) == len(set(issued)), "a serial was issued twice"
    reserved = {n for b in blocks for n in range(b.first, b.last + 1)}
    assert not reserved & set(allocated), "an allocation landed in a block"
    for block in blocks:
        numbers = taken[block.id]
        assert numbers == list(range(block.first, block.first + len(numbers)))
    if gap_free:
        used = sorted(set(allocated) | reserved | set(skipped))
        assert used == list(range(1, len(used) + 1)), "a gap-free sequence has a hole"
