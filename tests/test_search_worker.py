"""The search index through the worker and the command line: a drain job on the index queue run by a real
`serials worker`, the maintenance round's look at the log, `serials index rebuild` and `serials search`.

Real PostgreSQL (a fresh schema with tests/search_support.py's host views), a private real Redis.
"""

import psycopg2
import pytest

from serial_core import search_index
from tests.cli_support import invoke
from tests.search_support import add_lots, create_host
from tests.worker_support import run_serials
from worker import search_jobs
from worker.batches import BatchError
from worker.config import load_config
from worker.connections import redis_connect

pytestmark = pytest.mark.services


@pytest.fixture
def host_config(worker_config):
    """worker_config's odoo.conf, its schema holding the host views."""
    with psycopg2.connect(**load_config(worker_config).dsn) as conn, conn.cursor() as cur:
        create_host(cur)
    conn.close()
    return worker_config


def _run(config, work):
    with psycopg2.connect(**load_config(config).dsn) as conn, conn.cursor() as cur:
        result = work(cur)
    conn.close()
    return result


def test_a_drain_job_on_the_index_queue_indexes_the_logged_lots(host_config):
    config = load_config(host_config)
    _run(host_config, lambda cur: add_lots(cur, ["WKR-99600123", "WKR-99600124"]))
    client = redis_connect(config)
    job_id = search_jobs.enqueue_drain(client, config.queue_index, config.dsn["dbname"])
    assert job_id
    assert search_jobs.enqueue_drain(client, config.queue_index, config.dsn["dbname"]) is None, "one waits already"
    run_serials("worker", "--burst", config=host_config)
    assert _run(host_config, lambda cur: search_index.search(cur, "600124")) != []
    assert _run(host_config, search_index.pending_changes) == 0
    assert not client.exists(search_jobs.pending_key(config.dsn["dbname"])), "the job cleared its mark"
    assert search_jobs.enqueue_drain(client, config.queue_index, config.dsn["dbname"]), "a new change gets a job"


def test_the_maintenance_round_enqueues_a_drain_only_when_changes_wait(host_config):
    config = load_config(host_config)
    client = redis_connect(config)
    assert search_jobs.enqueue_if_pending(config, client) is None
    _run(host_config, lambda cur: add_lots(cur, ["MNT-1234"]))
    assert search_jobs.enqueue_if_pending(config, client)


def test_a_job_of_another_database_is_refused(host_config, monkeypatch):
    monkeypatch.setattr(search_jobs, "current_config", lambda: load_config(host_config))
    with pytest.raises(BatchError, match="reached a worker of"):
        search_jobs.drain_index(database="some_other_db")


def test_index_rebuild_shows_progress_and_search_prints_the_serials(host_config, runner):
    _run(host_config, lambda cur: add_lots(cur, [f"CLI-{n:04d}" for n in range(250)] + ["OTHER-1"]))
    rebuilt = invoke(runner, "--config", str(host_config), "index", "rebuild", "--chunk", "100")
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert "indexed 100 of 251 lots" in rebuilt.stderr and "indexed 251 of 251 lots" in rebuilt.stderr
    assert "index rebuilt: 251 lots, 1,505 serial suffixes, 251 product/partner/document links" in rebuilt.stdout
    found = invoke(runner, "--config", str(host_config), "search", "I-012")
    assert found.exit_code == 0, found.stderr
    assert [line.split("\t")[0] for line in found.stdout.splitlines()] == [f"CLI-{n:04d}" for n in range(120, 130)]
    assert "10 serials match 'I-012'" in found.stderr
    limited = invoke(runner, "--config", str(host_config), "search", "CLI-", "--limit", "5")
    assert len(limited.stdout.splitlines()) == 5 and "raise --limit" in limited.stderr
    status = invoke(runner, "--config", str(host_config), "index", "status")
    assert "0 changes waiting" in status.stdout


def test_a_short_term_and_a_database_without_the_addon_are_refused_clearly(db_config, runner):
    short = invoke(runner, "--config", str(db_config), "search", "ab")
    assert short.exit_code == 2
    assert "too short: type at least 3 characters" in short.stderr
    missing = invoke(runner, "--config", str(db_config), "index", "rebuild")
    assert missing.exit_code == 2
    assert "no serial_search_source view: install the serial_tracking addon" in missing.stderr
