"""Database access for the `serials` commands: one connection per command, from --config.

run(config, work) opens a connection, runs work(cursor) in one transaction and commits. A
connection lost on the way becomes one clear StoreError: the transaction is gone with it, so
nothing it wrote was kept -- except when the loss hits the COMMIT itself, whose outcome the
client cannot know, and the message says so. Read-only work (read_only=True) is retried once
on a fresh connection instead.
"""
from __future__ import annotations

import click
import psycopg2
import psycopg2.errors

from worker.config import load_config
from serial_core.errors import StoreError

CONNECT_TIMEOUT = 5  # seconds; a server that does not answer is reported, not waited on

def config_option(command):
    """The --config FILE option every database command takes."""
    return click.option(
        "--config",
        "config_path",
        default="odoo.conf",
        show_default=True,
        envvar="SERIALS_CONFIG",
        type=click.Path(dir_okay=False),
        help="odoo.conf with the [options] db_* settings.",
    )(command)


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def connect(config):
    """A psycopg2 connection (not autocommit); StoreError naming host:port when unreachable."""
    try:
        return psycopg2.connect(connect_timeout=CONNECT_TIMEOUT, **config.dsn)
    except psycopg2.OperationalError as exc:
        raise StoreError(
            f"cannot connect to PostgreSQL at {config.db_address} "
            f"(from {config.path}): {_first_line(exc)}"
        ) from None


def _lost(config, what, exc, detail):
    return StoreError(
        f"lost the connection to PostgreSQL at {config.db_address} during {what}: "
        f"{_first_line(exc)}; {detail}"
    )


def run(config, work, *, what="the command", read_only=False):
    """work(cursor) in one transaction, committed; see the module docstring for failures."""
    attempts = 2 if read_only else 1
    for attempt in range(1, attempts + 1):
        conn = connect(config)
        try:
            try:
                with conn.cursor() as cur:
                    result = work(cur)
            except psycopg2.Error as exc:
                if not conn.closed:
                    _rollback_quietly(conn)
                    raise _database_error(config, what, exc) from None
                if attempt < attempts:
                    continue
                raise _lost(config, what, exc, "nothing was written") from None
            except BaseException:
                _rollback_quietly(conn)
                raise
            try:
                conn.commit()
            except psycopg2.Error as exc:
                if not conn.closed:
                    raise _database_error(config, what, exc) from None
                raise _lost(
                    config, what, exc, "the commit may or may not have happened; check before retrying"
                ) from None
            return result
        finally:
            conn.close()
    raise AssertionError("unreachable")  # the loop returns or raises


def _database_error(config, what, exc):
    hint = ""
    if isinstance(exc, psycopg2.errors.UndefinedTable):
        hint = " (run `serials db migrate` first)"
    return StoreError(
        f"PostgreSQL at {config.db_address} refused {what}: {_first_line(exc)}{hint}; "
        f"nothing was written"
    )


def _rollback_quietly(conn):
    try:
        conn.rollback()
    except psycopg2.Error:
        pass  # the server already dropped the transaction with the connection


def run_from(config_path, work, **kwargs):
    """run() with the configuration read from config_path."""
    return run(load_config(config_path), work, **kwargs)
