"""Runs one batch, chunk by chunk, so that any number of interrupted runs add up to one.

* A runner holds a session advisory lock on the batch for as long as it works on it. The lock
  dies with the runner's connection, so "is anyone working on batch N?" has an exact answer
  (`runner_alive`) even after a SIGKILL; a second job for the same batch sees the lock and leaves.
* Each chunk is one transaction: lock the batch row, write the chunk's rows, advance the
  counters, commit. A run killed at any point leaves whole chunks only; the next run starts at
  `chunks_done`.
* A dropped database connection is retried with a new connection (the open chunk was rolled
  back by the server); a SerialError fails the batch with its message; a job timeout leaves the
  batch running for the retry to continue.
"""

import logging
import time

import psycopg2
from rq.timeouts import JobTimeoutException

from serial_core.errors import SerialError

from . import batches
from .connections import pg_connect, rollback_quietly

log = logging.getLogger("serials.worker")

# First key of the two-key advisory locks held by batch runners ("SB").
LOCK_NAMESPACE = 0x5342
RECONNECT_DELAYS = (1, 2, 5, 10, 20)  # seconds before each new connection after a dropped one

_CONNECTION_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)


class DatabaseUnreachable(Exception):
    """The runner gave up reconnecting; the batch is left open for a later job."""


def runner_alive(cur, batch_id, namespace=LOCK_NAMESPACE):
    """True while some runner (in any process) holds the batch's lock (or, with another
    `namespace`, the lock of another kind of job) in the cursor's database."""
    cur.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid = %s AND objid = %s AND objsubid = 2)",
        (namespace, batch_id),
    )
    return cur.fetchone()[0]


def application_name(batch_id):
    """How a runner's connection shows in pg_stat_activity."""
    return f"serials-batch-{batch_id}"


def run_batch(config, batch_id, handlers):
    """Works the batch to its end; returns a short outcome for the RQ result.

    `handlers` maps a batch kind to an object with run_chunk(cur, batch, index) -> items and
    finish(conn, batch) -> (result dict, error message or None).
    """
    for attempt, delay in enumerate((0, *RECONNECT_DELAYS)):
        if delay:
            log.warning(
                "batch %s: database connection lost; reconnecting in %s s (attempt %s)", batch_id, delay, attempt
            )
            time.sleep(delay)
        try:
            conn = pg_connect(config, application_name(batch_id))
        except _CONNECTION_ERRORS as exc:
            last_error = exc
            continue
        try:
            return _run_connected(conn, batch_id, handlers)
        except _CONNECTION_ERRORS as exc:
            last_error = exc
        finally:
            conn.close()
    # The batch stays open; RQ's retry or the next reconcile resumes it when the database is back.
    raise DatabaseUnreachable(
        f"batch {batch_id}: database unreachable after {len(RECONNECT_DELAYS)} reconnects: {str(last_error).strip()}"
    )


def _run_connected(conn, batch_id, handlers):
    with conn.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_NAMESPACE, batch_id))
        locked = cur.fetchone()[0]
        conn.commit()
        if not locked:
            log.info("batch %s: another job is working on it; leaving it to that job", batch_id)
            return {"batch": batch_id, "outcome": "left to another job"}
        batch = batches.get_batch(cur, batch_id)
        if not batch.is_open:
            conn.rollback()
            return {"batch": batch_id, "outcome": f"already {batch.state}"}
        batch = batches.start(cur, batch_id)
        conn.commit()
    log.info("batch %s (%s): running, %s/%s chunks done", batch_id, batch.kind, batch.chunks_done, batch.chunks_total)
    handler = handlers[batch.kind]
    try:
        batch = _run_chunks(conn, batch_id, handler)
        result, error = handler.finish(conn, batch)
        with conn.cursor() as cur:
            if error:
                batches.fail(cur, batch_id, error, result)
            else:
                batches.finish(cur, batch_id, result)
        conn.commit()
    except SerialError as exc:
        # Bad input (unknown sequence, unreadable file, ...): retrying cannot help.
        _fail(conn, batch_id, str(exc))
        return {"batch": batch_id, "outcome": "failed", "error": str(exc)}
    except (JobTimeoutException, *_CONNECTION_ERRORS):
        # A job timeout or a lost connection: the committed chunks stand, and the next job (or
        # the reconnect above) continues after them.
        rollback_quietly(conn)
        raise
    except psycopg2.Error as exc:
        _fail(conn, batch_id, f"database refused the batch: {str(exc).strip()}")
        return {"batch": batch_id, "outcome": "failed", "error": str(exc).strip()}
    except Exception as exc:
        _fail(conn, batch_id, f"internal error: {type(exc).__name__}: {exc}")
        raise
    log.info("batch %s: %s", batch_id, "failed: " + error if error else "done")
    return {"batch": batch_id, "outcome": "failed" if error else "done", "result": result}


def _run_chunks(conn, batch_id, handler):
    while True:
        with conn.cursor() as cur:
            batch = batches.get_batch(cur, batch_id, for_update=True)
            index = batch.next_chunk
            if index is None or batch.state != "running":
                conn.rollback()
                return batch
            items = handler.run_chunk(cur, batch, index)
            batch = batches.record_chunk(cur, batch, items)
        conn.commit()
        # About ten progress lines per batch in the worker's log, whatever its size.
        step = max(1, batch.chunks_total // 10)
        if batch.chunks_done % step == 0 or batch.chunks_done == batch.chunks_total:
            log.info(
                "batch %s: %s/%s chunks, %s/%s items",
                batch_id,
                batch.chunks_done,
                batch.chunks_total,
                batch.items_done,
                batch.items_total,
            )


def _fail(conn, batch_id, message):
    conn.rollback()
    with conn.cursor() as cur:
        batches.fail(cur, batch_id, message)
    conn.commit()
    log.error("batch %s failed: %s", batch_id, message)
