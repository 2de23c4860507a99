"""Fixtures and helpers for the worker tests: a private Redis, a migrated database with its own
queue names, `serials worker` subprocesses, and polling with deadlines.

The fixtures are available to every test module (conftest.py loads this module as a plugin).
The private Redis (its own port and append-only data folder under tmp_path) lets a test kill
and restart Redis without touching anyone else's; unique queue names keep the tests' jobs away
from any other worker.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
import redis

from serial_core import store
from worker import schema
from worker.config import load_config, write_copy

ROOT = Path(__file__).resolve().parent.parent
# The installed `serials` command; without a .venv, the same entry point through this Python.
SERIALS = (
    [str(ROOT / ".venv/bin/serials")]
    if (ROOT / ".venv/bin/serials").exists()
    else [sys.executable, "-c", "from serials_cli.main import main; main()"]
)


def wait_until(predicate, timeout, what, interval=0.05):
    """Polls predicate() until it returns a true value (returned); fails the test at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test only, append-only like the project's (appendfsync everysec)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--maxmemory-policy",
                "noeviction",
                "--save",
                "",
                "--logfile",
                str(self.folder / "redis.log"),
            ],
        )
        client = redis.Redis(port=self.port)
        wait_until(lambda: _pings(client), 10, f"redis-server on port {self.port}")

    def kill(self, sig=signal.SIGKILL):
        """Stops this Redis by its pid (SIGKILL: no final fsync, the harshest restart)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(10)

    def client(self):
        return redis.Redis(port=self.port)


def _pings(client):
    try:
        return client.ping()
    except redis.RedisError:
        return False


@pytest.fixture
def private_redis(services, tmp_path):  # services: scripts/services.sh installs redis-server if missing
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    yield server
    server.kill(signal.SIGTERM)


@pytest.fixture
def worker_config(db_config, private_redis):
    """Path of an odoo.conf on a fresh, migrated database, the private Redis and its own queues."""
    write_copy(
        db_config,
        db_config,
        {
            ("serial_tracking", "redis_url"): private_redis.url,
            ("serial_tracking", "queue_bulk"): f"serials-bulk-test-{uuid.uuid4().hex[:8]}",
        },
    )
    config = load_config(db_config)
    with psycopg2.connect(**config.dsn) as conn, conn.cursor() as cur:
        store.migrate(cur)
        schema.migrate(cur)
    conn.close()
    return db_config


def set_option(config_path, section, key, value):
    """Changes one setting of an odoo.conf written by these fixtures."""
    write_copy(config_path, config_path, {(section, key): value})


@pytest.fixture
def pg(worker_config):
    """An autocommit connection to the worker test database, for looking at batches."""
    conn = psycopg2.connect(**load_config(worker_config).dsn)
    conn.autocommit = True
    yield conn
    conn.close()


class WorkerProcesses:
    """`serials worker` subprocesses, each in its own session so a kill takes its work-horse too."""

    def __init__(self, config_path, log_folder):
        self.config_path = config_path
        self.log_folder = Path(log_folder)
        self.processes = []

    def start(self, *extra, chunk_delay=None):
        """A worker; with chunk_delay (seconds) each chunk waits that long before its commit."""
        log = open(self.log_folder / f"worker-{len(self.processes)}.log", "w", encoding="utf-8")
        serials = SERIALS if chunk_delay is None else [sys.executable, "-m", "tests.slow_worker", str(chunk_delay)]
        process = subprocess.Popen(
            [*serials, "--config", str(self.config_path), "worker", "--reconcile-interval", "1", *extra],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes.append(process)
        return process

    @staticmethod
    def kill(process, sig=signal.SIGKILL):
        """Signals every process of the worker's session: the worker, its scheduler and its
        work-horse (RQ puts a horse in a process group of its own, but not in another session)."""
        for pid in _session_members(process.pid):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        process.wait(30)

    @staticmethod
    def kill_main_only(process, sig=signal.SIGKILL):
        """Signals the worker process alone: its work-horse lives on, orphaned."""
        process.send_signal(sig)
        process.wait(30)

    def logs(self):
        return "\n".join(path.read_text(encoding="utf-8") for path in sorted(self.log_folder.glob("worker-*.log")))

    def stop_all(self):
        for process in self.processes:
            self.kill(process, signal.SIGKILL)


@pytest.fixture
def workers(worker_config, tmp_path):
    processes = WorkerProcesses(worker_config, tmp_path)
    yield processes
    processes.stop_all()


def _session_members(session_id):
    """Live (not zombie) processes of a session, from /proc."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After "comm)": state, ppid, pgrp, session, ...
        if fields[0] != "Z" and int(fields[3]) == session_id:
            members.append(int(entry))
    return members


def session_alive(session_id):
    """True while any process of that session (e.g. an orphaned work-horse) still runs."""
    return bool(_session_members(session_id))


def run_serials(*args, config=None, check=True, timeout=120):
    """Runs the `serials` command; returns the CompletedProcess (text)."""
    command = [*SERIALS, *(["--config", str(config)] if config else []), *args]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def batch_row(pg, batch_id):
    with pg.cursor() as cur:
        cur.execute(
            "SELECT state, chunks_done, chunks_total, items_done, items_total, error, attempts"
            " FROM serial_batch WHERE id = %s",
            (batch_id,),
        )
        names = ("state", "chunks_done", "chunks_total", "items_done", "items_total", "error", "attempts")
        return dict(zip(names, cur.fetchone(), strict=False))


def assert_issued_exactly_once(pg, batch_id, count, prefix):
    """The batch holds positions 0..count-1 once each, with serials prefix + first..first+count-1."""
    with pg.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(DISTINCT serial), min(position), max(position) FROM serial_batch_serial"
            " WHERE batch_id = %s",
            (batch_id,),
        )
        rows, distinct, low, high = cur.fetchone()
        assert (rows, distinct, low, high) == (count, count, 0, count - 1)
        cur.execute("SELECT serial FROM serial_batch_serial WHERE batch_id = %s ORDER BY position", (batch_id,))
        serials = [row[0] for row in cur.fetchall()]
    assert all(serial.startswith(prefix) for serial in serials)
    numbers = [int(serial[len(prefix) :]) for serial in serials]
    assert numbers == list(range(numbers[0], numbers[0] + count)), "numbers are not contiguous in position order"
    return serials
