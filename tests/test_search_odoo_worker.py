"""The serial search index kept by the worker from changes committed through Odoo 18.0 (a real registry,
a real `serials worker`, a private Redis).

The addon asks the worker for a drain once a transaction that changed lots is committed: an after-commit
hook, which Odoo's test cursor never runs, so only a real commit (here `odoo_eval`) shows it. Each commit
below must put the drain job on the index queue by itself (no worker has run yet, so no maintenance round
could have), and the worker must then make the change searchable.
"""

import psycopg2
import pytest
from rq import Queue

from serial_core import search_index
from tests.odoo_support import odoo_dsn, odoo_eval
from tests.worker_support import run_serials, wait_until
from worker import search_jobs
from worker.config import load_config
from worker.connections import redis_connect

pytestmark = pytest.mark.services

SEARCHABLE_WITHIN = 30  # seconds

LOT_CREATE = """
product = env["product.product"].create(
    {"name": "Index Probe", "type": "consu", "is_storable": True, "tracking": "serial"})
result = env["stock.lot"].create(
    {"name": values["name"], "product_id": product.id, "company_id": env.company.id}).id
"""

LOT_RENAME = """
env["stock.lot"].browse(values["lot_id"]).name = values["name"]
"""


def _found(config_path, term):
    """Serials the index finds for ``term`` (what Find Serial and the Serial List's search read)."""
    with psycopg2.connect(**odoo_dsn(config_path)) as conn, conn.cursor() as cur:
        names = sorted(search_index.serial_names(cur, search_index.search(cur, term)).values())
    conn.close()
    return names


def _assert_drain_queued_by_the_commit(config):
    queue = Queue(config.queue_index, connection=redis_connect(config))
    assert queue.count == 1, "the commit put one drain job on the index queue"
    assert queue.jobs[0].func_name == search_jobs.JOB_FUNCTION
    assert queue.jobs[0].kwargs == {"database": config.dsn["dbname"]}


def _drain_with_the_worker(config_path, term, expected):
    run_serials("worker", "--burst", config=config_path)
    wait_until(lambda: _found(config_path, term) == expected, SEARCHABLE_WITHIN, f"{term!r} to find {expected}")


def test_lots_created_and_renamed_through_odoo_become_searchable_through_the_worker(odoo_config):
    config = load_config(odoo_config)
    queue = Queue(config.queue_index, connection=redis_connect(config))
    queue.empty()  # what the install may have asked for is not this test's

    lot_id = odoo_eval(odoo_config, LOT_CREATE, name="AFTERCOMMIT-7731")
    _assert_drain_queued_by_the_commit(config)
    assert _found(odoo_config, "commit-773") == [], "logged by the triggers, not indexed before the drain"
    _drain_with_the_worker(odoo_config, "commit-773", ["AFTERCOMMIT-7731"])
    assert queue.count == 0

    odoo_eval(odoo_config, LOT_RENAME, lot_id=lot_id, name="RENAMED-5529")
    _assert_drain_queued_by_the_commit(config)
    _drain_with_the_worker(odoo_config, "amed-552", ["RENAMED-5529"])
    assert _found(odoo_config, "commit-773") == [], "the old name left the index"
