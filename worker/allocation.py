"""Bulk allocation batches: N serials of a sequence into a file, optionally with a label sheet.

Submit reserves, in the same transaction that creates the batch, a store block of the whole
count for holder "batch:<id>": from then on those numbers belong to the batch and nobody else.
Each chunk takes its share of the block (store.take_from_block) and writes it to
serial_batch_serial in the chunk's transaction, so the block's next unused number and the
batch's counters always move together. The date the serials are numbered for is fixed at
submit, so a batch running across midnight still renders one series.

The output file (one serial a line, in block order) and the label sheet are written when every
chunk is in, from the table, all or nothing (serial_core.atomic_files): a reader never sees a
partial file.
"""

import os
import time
from datetime import datetime

from serial_core import store
from serial_core.atomic_files import write_lines
from serial_core.ranges import collapse

from . import batches

KIND = "allocate"
SUMMARY_RUNS = 10  # runs of the collapsed output kept in the batch result


def holder(batch_id):
    return f"batch:{batch_id}"


def submit(cur, code, count, out, *, labels=None, label_count=None, when=None, context=None, company=None, chunk_size):
    """Creates the batch and reserves its block, in the caller's transaction; returns the Batch."""
    if count < 1:
        raise batches.BatchError(f"count must be at least 1, got {count}")
    if label_count is not None and label_count < 1:
        raise batches.BatchError(f"label count must be at least 1, got {label_count}")
    when = when or datetime.now()
    store.get_sequence(cur, code, company=company)  # unknown sequence: fail before creating anything
    params = {
        "code": code,
        "company": company,
        "when": when.isoformat(),
        "context": context or None,
        "labels": os.path.abspath(labels) if labels else None,
        "label_count": label_count,
    }
    batch = batches.create_batch(cur, KIND, params, count, chunk_size, output_path=os.path.abspath(out))
    block = store.reserve_block(cur, code, count, holder(batch.id), when=when, context=context or None, company=company)
    batches.set_block(cur, batch.id, block.id)
    return batches.get_batch(cur, batch.id)


class AllocationHandler:
    """The allocation kind for runner.run_batch."""

    @staticmethod
    def run_chunk(cur, batch, index):
        first, size = batch.chunk_bounds(index)
        # The block advances with the batch, chunk by chunk, in the same transactions; a block
        # that moved on its own means someone else took numbers from it: stop rather than skew.
        block = store.get_block(cur, batch.block_id, for_update=True)
        if block.next_unused - block.first != first:
            raise batches.BatchError(
                f"batch {batch.id}: block {block.id} ({block.holder}) is at number {block.next_unused}, "
                f"but chunk {index} starts at {block.first + first}; numbers were taken from it outside the batch"
            )
        serials = store.take_from_block(cur, block.id, size)
        batches.insert_serials(cur, batch.id, first, serials)
        return size

    @staticmethod
    def finish(conn, batch):
        clock = _Stopwatch()
        with conn.cursor() as cur:
            serials = list(batches.iter_serials(cur, batch.id))
        conn.rollback()
        if len(serials) != batch.items_total:
            raise batches.BatchError(f"batch {batch.id} holds {len(serials)} serials, expected {batch.items_total}")
        clock.lap("read")
        write_lines(batch.output_path, serials, what="the output", tag=_temporary_tag(batch))
        clock.lap("write")
        runs = collapse(serials)
        clock.lap("summary")
        result = {
            "output": batch.output_path,
            "count": len(serials),
            "first": serials[0],
            "last": serials[-1],
            "runs": len(runs),
            "summary": [str(run) for run in runs[:SUMMARY_RUNS]],
        }
        labels = batch.params.get("labels")
        if labels:
            label_count = batch.params.get("label_count") or len(serials)
            # reportlab is loaded only when labels are asked for.
            from serial_core.labels import write_labels  # pylint: disable=import-outside-toplevel

            write_labels(serials[:label_count], labels, tag=_temporary_tag(batch))
            result["labels"] = labels
            result["labels_count"] = min(label_count, len(serials))
            clock.lap("labels")
        # Seconds of each final step, for `serials batch status` readers and bench/bench_bulk.py.
        result["finish_seconds"] = clock.laps
        return result, None


def _temporary_tag(batch):
    """Temporary files named after the batch: a run killed mid-write leaves a file that the
    batch's next run overwrites, rather than litter that accumulates."""
    return f"batch-{batch.id}"


class _Stopwatch:
    def __init__(self):
        self.laps, self._last = {}, time.perf_counter()

    def lap(self, name):
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now
