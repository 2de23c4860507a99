"""Shared fixtures: the project's own PostgreSQL (and Redis) from odoo.conf, and throwaway
databases and schemas in it.

* ``services`` (session): runs ``scripts/services.sh start`` (a no-op when they already run) and
  returns the Config of the checkout's odoo.conf. Services are left running for other test
  runs; scripts/test.sh stops them at its end.
* ``test_database`` (session): a database serials_test_<pid>, dropped at the end.
* ``db_dsn``: a fresh, empty schema of that database; the psycopg2 keywords returned make every
  connection see only it (search_path), so several processes can share it.
* ``conn`` / ``cur``: a connection on a fresh, migrated schema (the store's tables).
* ``db_config``: an odoo.conf in tmp_path for tests that run the `serials` command or other
  processes reading --config: the session database, with PGOPTIONS selecting a fresh schema.

Tests that use these are marked ``services``.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest

from serial_core import store
from worker.config import load_config, write_copy

# Fixtures of the CLI and worker tests, available to every test module without importing them.
pytest_plugins = ("tests.cli_support", "tests.worker_support", "tests.odoo_support")

ROOT = Path(__file__).resolve().parent.parent
MAIN_CONFIG = ROOT / "odoo.conf"


@pytest.fixture(scope="session")
def services():
    """PostgreSQL and Redis running as odoo.conf describes; returns that Config."""
    started = subprocess.run(
        ["bash", str(ROOT / "scripts" / "services.sh"), "start"],
        capture_output=True,
        text=True,
        check=False,
    )
    if started.returncode != 0:
        pytest.fail(f"scripts/services.sh start failed ({started.returncode}):\n{started.stdout}{started.stderr}")
    return load_config(MAIN_CONFIG)


def _run_outside_transactions(config, statement):
    """One statement on the configured database in autocommit, as CREATE/DROP DATABASE need."""
    admin = psycopg2.connect(**config.dsn)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(statement)
    finally:
        admin.close()


@pytest.fixture(scope="session")
def test_database(services):
    """psycopg2 keywords of a throwaway database for this test session."""
    name = f"serials_test_{os.getpid()}"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    _run_outside_transactions(services, drop)
    _run_outside_transactions(services, f'CREATE DATABASE "{name}"')
    yield {**services.dsn, "dbname": name}
    _run_outside_transactions(services, drop)


@pytest.fixture
def db_dsn(test_database):
    """psycopg2 keywords of a fresh, empty schema that every connection made with them sees."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = psycopg2.connect(**test_database)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {schema}")
    # application_name marks this test's sessions, so teardown can end any left open.
    yield {**test_database, "options": f"-c search_path={schema}", "application_name": schema}
    with admin.cursor() as cur:
        # Sessions a test left open (or killed) must not keep the schema alive.
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            (schema,),
        )
        cur.execute(f"DROP SCHEMA {schema} CASCADE")
    admin.close()


@pytest.fixture
def conn(db_dsn):
    """A connection on a fresh schema with the store's tables."""
    connection = psycopg2.connect(**db_dsn)
    with connection.cursor() as cur:
        store.migrate(cur)
    connection.commit()
    yield connection
    connection.close()


@pytest.fixture
def cur(conn):
    with conn.cursor() as cursor:
        yield cursor


@pytest.fixture
def db_config(test_database, db_dsn, tmp_path, monkeypatch):
    """Path of an odoo.conf on the session database, seeing only a fresh, empty schema.

    The schema is selected through PGOPTIONS (libpq reads it at every connect), so the
    `serials` command run in-process or as a subprocess sees it too. A database per test
    would be cleaner still, but each CREATE/DROP DATABASE forces a checkpoint (seconds).
    """
    monkeypatch.setenv("PGOPTIONS", db_dsn["options"])
    monkeypatch.setenv("PGAPPNAME", db_dsn["application_name"])
    return write_copy(MAIN_CONFIG, tmp_path / "odoo.conf", {("options", "db_name"): test_database["dbname"]})
