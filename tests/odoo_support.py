"""An Odoo 18.0 database with serial_tracking for the tests of the worker's Odoo jobs.

Odoo runs only in subprocesses (odoo-bin, `serials`, `serials worker`, and odoo_eval below), never
in the pytest process. The database is a copy of the base database scripts/odoo_tests.sh builds
(Odoo's stock, purchase, sale and mrp) with this checkout's serial_tracking installed on it; the
tests are skipped when there is no Odoo (ODOO_HOME) or no base database yet (run
scripts/odoo_tests.sh once).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import psycopg2
import pytest

from tests.worker_support import WorkerProcesses
from worker.config import load_config, write_copy

ROOT = Path(__file__).resolve().parent.parent
MAIN_CONFIG = ROOT / "odoo.conf"


def _run(command, timeout):
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def _admin(dsn):
    conn = psycopg2.connect(**{**dsn, "dbname": "postgres"})
    conn.autocommit = True
    return conn


def _base_database(admin):
    with admin.cursor() as cur:
        cur.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'serials\\_odoo\\_base\\_%%'"
            " AND datname NOT LIKE '%%\\_building' ORDER BY datname DESC LIMIT 1"
        )
        row = cur.fetchone()
    return row[0] if row else None


def _skip_unless_required(reason):
    """Skip, unless the run requires Odoo (SERIALS_REQUIRE_ODOO=1, as in CI): then it is a failure."""
    if os.environ.get("SERIALS_REQUIRE_ODOO") == "1":
        pytest.fail(f"{reason} (SERIALS_REQUIRE_ODOO=1)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def odoo_database(services):
    """Name of a fresh database with serial_tracking installed (dropped at the end)."""
    home = os.environ.get("ODOO_HOME")
    if not home or not os.path.isfile(os.path.join(home, "odoo-bin")):
        _skip_unless_required("no Odoo 18.0: set ODOO_HOME")
    admin = _admin(services.dsn)
    base = _base_database(admin)
    if not base:
        admin.close()
        _skip_unless_required("no Odoo base database yet: run scripts/odoo_tests.sh once")
    name = f"serials_pytest_odoo_{uuid.uuid4().hex[:8]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base}"')
    try:
        addons = f"{home}/addons,{home}/odoo/addons,{ROOT}/addons"
        installed = _run(
            [sys.executable, f"{home}/odoo-bin", "-c", str(MAIN_CONFIG), "--addons-path", addons, "-d", name,
             "-i", "serial_tracking", "--stop-after-init", "--no-http", "--workers", "0", "--max-cron-threads", "0",
             "--log-level", "warn"],
            timeout=900,
        )  # fmt: skip
        if installed.returncode != 0:
            pytest.fail(f"installing serial_tracking on {name} failed:\n{installed.stderr[-3000:]}")
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def odoo_config(odoo_database, private_redis, tmp_path):
    """Path of an odoo.conf naming the test's Odoo database, its private Redis and its own queue."""
    return write_copy(
        MAIN_CONFIG,
        tmp_path / "odoo-database.conf",
        {
            ("options", "db_name"): odoo_database,
            ("serial_tracking", "redis_url"): private_redis.url,
            ("serial_tracking", "queue_bulk"): f"serials-odoo-test-{uuid.uuid4().hex[:8]}",
        },
    )


@pytest.fixture
def odoo_workers(odoo_config, tmp_path):
    """`serials worker` subprocesses on the Odoo test configuration (killed at the end)."""
    processes = WorkerProcesses(odoo_config, tmp_path)
    yield processes
    processes.stop_all()


def odoo_eval(config_path, script_code, **values):
    """Runs `script_code` (Python using `env`, a superuser environment, and the keyword `values`) in a
    subprocess on the configured Odoo database, commits, and returns the JSON of its `result`."""
    script = (
        textwrap.dedent(
            """
        import json, sys
        from worker.config import load_config
        from worker.odoo_jobs import odoo_registry
        config = load_config(sys.argv[1])
        values = json.loads(sys.argv[2])
        registry = odoo_registry(config, config.dsn["dbname"])
        from odoo import SUPERUSER_ID, api
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            result = None
        """
        )
        + textwrap.indent(textwrap.dedent(script_code), "    ")
        + "\n    print(json.dumps(result))\n"
    )
    done = _run([sys.executable, "-c", script, str(config_path), json.dumps(values)], timeout=300)
    if done.returncode != 0:
        pytest.fail(f"odoo_eval failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def odoo_dsn(config_path):
    return load_config(config_path).dsn
