"""The batch table: each batch's truth and the state machine that moves it.

    queued --> running --> done
       |          |
       +----------+-----> failed --(resume)--> queued

A batch is worked in chunks; a chunk is one transaction that writes its rows and advances the
counters together, so the counters always describe exactly what is committed. Every function
takes a DB-API cursor and works in the caller's transaction.
"""

import dataclasses
import io
import json
from datetime import datetime

from psycopg2.extras import execute_values

from serial_core.errors import SerialError

STATES = ("queued", "running", "done", "failed")
OPEN_STATES = ("queued", "running")
KINDS = ("allocate", "check")

# state -> states it may move to.
TRANSITIONS = {
    "queued": {"running", "failed"},
    "running": {"running", "done", "failed"},
    "failed": {"queued"},
    "done": set(),
}


class BatchError(SerialError):
    """A batch that does not exist or cannot make the requested move."""


@dataclasses.dataclass(frozen=True)
class Batch:
    id: int
    kind: str
    state: str
    params: dict
    chunk_size: int
    chunks_total: int
    chunks_done: int
    items_total: int
    items_done: int
    block_id: int | None
    output_path: str | None
    result: dict | None
    error: str | None
    job_id: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def unit(self):
        """What the batch's items are, for messages."""
        return "serials" if self.kind == "allocate" else "files"

    def progress_line(self):
        """One line: the batch, its state and its counts (for messages and logs)."""
        return (
            f"batch {self.id} ({self.kind}): {self.state}, chunks {self.chunks_done}/{self.chunks_total}, "
            f"{self.unit} {self.items_done}/{self.items_total}"
        )

    @property
    def next_chunk(self):
        """Index of the first chunk not yet committed, or None when all are."""
        return self.chunks_done if self.chunks_done < self.chunks_total else None

    def chunk_bounds(self, index):
        """(first position, size) of chunk `index`: the last chunk may be short."""
        first = index * self.chunk_size
        return first, min(self.chunk_size, self.items_total - first)


_COLUMNS = ", ".join(field.name for field in dataclasses.fields(Batch))


def _from_row(row):
    return Batch(*row)


def chunks_for(items, chunk_size):
    return -(-items // chunk_size)


def create_batch(cur, kind, params, items_total, chunk_size, *, chunks_total=None, output_path=None):
    """Inserts a queued batch and returns it."""
    if kind not in KINDS:
        raise BatchError(f"unknown batch kind {kind!r}; expected one of {', '.join(KINDS)}")
    if chunk_size < 1:
        raise BatchError(f"chunk size must be at least 1, got {chunk_size}")
    if items_total < 0:
        raise BatchError(f"a batch cannot hold {items_total} items")
    if chunks_total is None:
        chunks_total = chunks_for(items_total, chunk_size)
    cur.execute(
        f"INSERT INTO serial_batch (kind, params, chunk_size, chunks_total, items_total, output_path)"
        f" VALUES (%s, %s, %s, %s, %s, %s) RETURNING {_COLUMNS}",
        (kind, json.dumps(params), chunk_size, chunks_total, items_total, output_path),
    )
    return _from_row(cur.fetchone())


def get_batch(cur, batch_id, *, for_update=False):
    cur.execute(
        f"SELECT {_COLUMNS} FROM serial_batch WHERE id = %s" + (" FOR UPDATE" if for_update else ""),
        (batch_id,),
    )
    row = cur.fetchone()
    if row is None:
        raise BatchError(f"no batch {batch_id}")
    return _from_row(row)


def list_batches(cur, *, states=None, limit=50):
    """Newest first; `states` restricts to those states."""
    if states:
        cur.execute(
            f"SELECT {_COLUMNS} FROM serial_batch WHERE state = ANY(%s) ORDER BY id DESC LIMIT %s",
            (list(states), limit),
        )
    else:
        cur.execute(f"SELECT {_COLUMNS} FROM serial_batch ORDER BY id DESC LIMIT %s", (limit,))
    return [_from_row(row) for row in cur.fetchall()]


def _move(cur, batch_id, to_state, assignments="", values=()):
    """Locks the batch, checks the transition and applies it with extra column assignments."""
    batch = get_batch(cur, batch_id, for_update=True)
    if to_state not in TRANSITIONS[batch.state]:
        raise BatchError(f"batch {batch_id} is {batch.state}; it cannot become {to_state}")
    extra = f", {assignments}" if assignments else ""
    cur.execute(
        f"UPDATE serial_batch SET state = %s, updated_at = now(){extra} WHERE id = %s RETURNING {_COLUMNS}",
        (to_state, *values, batch_id),
    )
    return _from_row(cur.fetchone())


def start(cur, batch_id):
    """A job begins (or resumes) work: running, one more attempt."""
    return _move(
        cur, batch_id, "running", "attempts = attempts + 1, started_at = coalesce(started_at, now()), error = NULL"
    )


def record_chunk(cur, batch, items):
    """Counts one more committed chunk of `items` items; `batch` must be locked in this transaction."""
    if batch.state != "running":
        raise BatchError(f"batch {batch.id} is {batch.state}; only a running batch takes chunks")
    cur.execute(
        f"UPDATE serial_batch SET chunks_done = chunks_done + 1, items_done = items_done + %s,"
        f" updated_at = now() WHERE id = %s AND chunks_done = %s RETURNING {_COLUMNS}",
        (items, batch.id, batch.chunks_done),
    )
    row = cur.fetchone()
    if row is None:
        # Another runner committed this chunk first: the caller's transaction must not commit.
        raise BatchError(f"batch {batch.id}: chunk {batch.chunks_done} was committed by another job")
    return _from_row(row)


def finish(cur, batch_id, result=None):
    return _move(
        cur, batch_id, "done", "result = %s, finished_at = now()", (json.dumps(result) if result is not None else None,)
    )


def fail(cur, batch_id, message, result=None):
    return _move(
        cur,
        batch_id,
        "failed",
        "error = %s, result = coalesce(%s, result), finished_at = now()",
        (message, json.dumps(result) if result is not None else None),
    )


def requeue(cur, batch_id):
    """A failed batch goes back to the queue; it resumes from its last committed chunk."""
    return _move(cur, batch_id, "queued", "error = NULL, finished_at = NULL, job_id = NULL")


def set_job(cur, batch_id, job_id):
    cur.execute("UPDATE serial_batch SET job_id = %s, updated_at = now() WHERE id = %s", (job_id, batch_id))


def set_block(cur, batch_id, block_id):
    """Records the store block an allocation batch issues its serials from."""
    cur.execute("UPDATE serial_batch SET block_id = %s WHERE id = %s", (block_id, batch_id))


def set_result(cur, batch_id, result):
    """Records what a batch found so far (a check's counts), before it is done or failed."""
    cur.execute("UPDATE serial_batch SET result = %s WHERE id = %s", (json.dumps(result), batch_id))


def _copy_escape(value):
    # COPY's text format gives backslash, tab, newline and carriage return a meaning.
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_unescape(value):
    if "\\" not in value:
        return value
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            char = {"t": "\t", "n": "\n", "r": "\r"}.get(following := next(chars, ""), following)
        out.append(char)
    return "".join(out)


def insert_serials(cur, batch_id, first_position, serials):
    """Writes serials at positions first_position, first_position+1, ... with one COPY."""
    buffer = io.StringIO()
    buffer.writelines(
        f"{batch_id}\t{first_position + offset}\t{_copy_escape(serial)}\n" for offset, serial in enumerate(serials)
    )
    buffer.seek(0)
    cur.copy_expert("COPY serial_batch_serial (batch_id, position, serial) FROM STDIN", buffer)


def iter_serials(cur, batch_id):
    """All serials of a batch in position order, streamed through COPY."""
    buffer = io.StringIO()
    cur.copy_expert(
        f"COPY (SELECT serial FROM serial_batch_serial WHERE batch_id = {int(batch_id)} ORDER BY position) TO STDOUT",
        buffer,
    )
    buffer.seek(0)
    for line in buffer:
        yield _copy_unescape(line.rstrip("\n"))


def count_serials(cur, batch_id):
    cur.execute("SELECT count(*) FROM serial_batch_serial WHERE batch_id = %s", (batch_id,))
    return cur.fetchone()[0]


def replace_problems(cur, batch_id, problems):
    """Stores a check's problems (rules.Problem), replacing any of an earlier attempt."""
    cur.execute("DELETE FROM serial_batch_problem WHERE batch_id = %s", (batch_id,))
    if problems:
        execute_values(
            cur,
            "INSERT INTO serial_batch_problem (batch_id, position, kind, serial, message) VALUES %s",
            [(batch_id, index, p.kind, p.serial, p.message) for index, p in enumerate(problems)],
            page_size=1000,
        )


def list_problems(cur, batch_id, limit=None):
    """[(kind, serial, message)] in the order found."""
    cur.execute(
        "SELECT kind, serial, message FROM serial_batch_problem WHERE batch_id = %s ORDER BY position LIMIT %s",
        (batch_id, limit),
    )
    return cur.fetchall()
