"""Connections to PostgreSQL (the truth) and Redis (the work), and this process's settings.

The one connection layer of the worker and the `serials` command:

* pg_connect: a plain connection; the runner handles a lost one itself (it reconnects);
* open_pg: the same, with an unreachable database turned into one clear ServiceUnavailable;
* run_transaction: work(cursor) in one transaction, committed, for the commands. A connection
  lost on the way becomes one clear StoreError: the transaction is gone with it, so nothing it
  wrote was kept -- except when the loss hits the COMMIT itself, whose outcome the client cannot
  know, and the message says so. Read-only work (read_only=True) is retried once on a fresh
  connection instead.

Jobs run in a worker's forked work-horse and take only a batch id, so they find their settings
here: the worker sets them at start (`use_config`); a job run any other way (plain `rq worker`)
reads the file named by SERIALS_CONFIG, or ./odoo.conf.
"""

import contextlib
import os

import psycopg2
import psycopg2.errors
import redis

from serial_core.errors import SerialError, StoreError

from .config import load_config

CONNECT_TIMEOUT = 5  # seconds; a server that does not answer is reported, not waited on

_config = None


def use_config(config):
    global _config  # pylint: disable=global-statement
    _config = config


def current_config():
    if _config is None:
        use_config(load_config(os.environ.get("SERIALS_CONFIG", "odoo.conf")))
    return _config


class ServiceUnavailable(SerialError):
    """PostgreSQL or Redis cannot be reached: a message naming the address, for the command line."""


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def pg_connect(config, application_name=None):
    """A new psycopg2 connection (not autocommit).

    application_name shows in pg_stat_activity; without one libpq's PGAPPNAME applies.
    """
    named = {"application_name": application_name} if application_name else {}
    return psycopg2.connect(**config.dsn, **named, connect_timeout=CONNECT_TIMEOUT)


def open_pg(config, application_name=None):
    """pg_connect for commands: an unreachable database becomes one clear ServiceUnavailable."""
    try:
        return pg_connect(config, application_name)
    except psycopg2.OperationalError as exc:
        raise ServiceUnavailable(
            f"cannot connect to PostgreSQL at {config.db_address} (from {config.path}): "
            f"{_first_line(exc)} (is it running? bash scripts/services.sh start)"
        ) from None


def rollback_quietly(conn):
    """Rolls back; a connection already gone took its transaction with it."""
    try:
        conn.rollback()
    except psycopg2.Error:
        pass


def run_transaction(config, work, *, what="the command", read_only=False):
    """work(cursor) in one transaction, committed; see the module docstring for failures."""
    attempts = 2 if read_only else 1
    for attempt in range(1, attempts + 1):
        conn = open_pg(config)
        try:
            try:
                with conn.cursor() as cur:
                    result = work(cur)
            except psycopg2.Error as exc:
                if not conn.closed:
                    rollback_quietly(conn)
                    raise _refused(config, what, exc) from None
                if attempt < attempts:
                    continue
                raise _lost(config, what, exc, "nothing was written") from None
            except BaseException:
                rollback_quietly(conn)
                raise
            try:
                conn.commit()
            except psycopg2.Error as exc:
                if not conn.closed:
                    raise _refused(config, what, exc) from None
                raise _lost(
                    config, what, exc, "the commit may or may not have happened; check before retrying"
                ) from None
            return result
        finally:
            conn.close()
    raise AssertionError("unreachable")  # the loop returns or raises


def _lost(config, what, exc, detail):
    return StoreError(
        f"lost the connection to PostgreSQL at {config.db_address} during {what}: {_first_line(exc)}; {detail}"
    )


def _refused(config, what, exc):
    hint = ""
    if isinstance(exc, psycopg2.errors.UndefinedTable):
        hint = " (run `serials db migrate` first)"
    return StoreError(
        f"PostgreSQL at {config.db_address} refused {what}: {_first_line(exc)}{hint}; nothing was written"
    )


def redis_connect(config):
    """A Redis client for the configured URL; RQ manages its own socket timeouts for blocking pops."""
    return redis.Redis.from_url(config.redis_url, socket_connect_timeout=5, health_check_interval=30)


@contextlib.contextmanager
def redis_errors(config):
    """Turns a Redis failure inside the block into one clear ServiceUnavailable."""
    try:
        yield
    except redis.RedisError as exc:
        raise ServiceUnavailable(
            f"Redis at {config.redis_url} failed: {exc} (is it running? bash scripts/services.sh start)"
        ) from None
