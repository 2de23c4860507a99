"""`serials db`, `serials sequence`, `serials allocate` and `serials block` against a real
PostgreSQL, through the real command group (and once as a separate process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest

from serial_core import store
from serial_core.errors import StoreError
from tests.cli_support import invoke
from worker.config import load_config, write_copy
from worker.connections import run_transaction

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def serials(runner, db_config):
    """Run `serials --config <fresh database> ARGS`; no traceback, ever."""

    def run(*args, expect=0):
        result = invoke(runner, "--config", str(db_config), *args)
        assert result.exit_code == expect, result.output + result.stderr
        return result

    return run


@pytest.fixture
def migrated(serials):
    serials("db", "migrate")
    return serials


def test_db_migrate_twice(serials):
    assert serials("db", "status").stdout == "schema version 0 of 1: run `serials db migrate`\n"
    # The worker's tables come with it (worker/schema.py); the store's line comes first.
    assert serials("db", "migrate").stdout.startswith("applied migration 1\n")
    assert serials("db", "migrate").stdout == "schema up to date (version 1)\n"
    assert serials("db", "status").stdout == "schema version 1 of 1: up to date\n"


def test_sequence_create_and_list(migrated):
    migrated("sequence", "create", "SN", "--format", "SN-[[INCNUM,NONE,4]]", "--name", "Default")
    created = migrated("sequence", "create", "SN", "--format", "B-[[INCNUM,NONE,4]]", "--company", "2", "--gap-free")
    assert created.stdout == "created sequence SN (company 2): B-[[INCNUM,NONE,4]] (gap-free)\n"
    assert migrated("sequence", "list").stdout == (
        "SN\t-\t-\tSN-[[INCNUM,NONE,4]]\tDefault\nSN\t2\tgap-free\tB-[[INCNUM,NONE,4]]\t\n"
    )


def test_sequence_update(migrated):
    migrated("sequence", "create", "SN", "--format", "SN-[[INCNUM,NONE,4]]", "--company", "2")
    migrated("allocate", "SN", "--count", "2", "--company", "2")
    updated = migrated(
        "sequence",
        "update",
        "SN",
        "--company",
        "2",
        "--format",
        "SN-[[INCNUM,NONE,6]]",
        "--gap-free",
        "--name",
        "Wider",
    )
    assert updated.stdout == "updated sequence SN (company 2): SN-[[INCNUM,NONE,6]] (gap-free)\n"
    assert migrated("sequence", "list").stdout == "SN\t2\tgap-free\tSN-[[INCNUM,NONE,6]]\tWider\n"
    assert migrated("allocate", "SN", "--count", "1", "--company", "2").stdout.strip() == "SN-000003"
    assert "nothing to change" in migrated("sequence", "update", "SN", expect=2).stderr
    assert "unknown sequence 'NOPE'" in migrated("sequence", "update", "NOPE", "--name", "x", expect=2).stderr


def test_sequence_create_warns_when_a_reset_repeats_serials(migrated):
    result = migrated("sequence", "create", "R", "--format", "R-[[INCNUM,DAILY,4]]")
    assert "warning: the counter resets DAILY" in result.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        (("sequence", "create", "X", "--format", "X-[[INCNUM,SOMETIMES,4]]"), "RESET 'SOMETIMES'"),
        (("allocate", "NOPE", "--count", "1"), "unknown sequence 'NOPE'"),
        (("sequence", "set-next", "NOPE", "5"), "unknown sequence 'NOPE'"),
        (("block", "release", "99"), "unknown block 99"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(migrated, args, message):
    result = migrated(*args, expect=2)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_not_migrated_says_so(serials):
    result = serials("sequence", "list", expect=2)
    assert "run `serials db migrate` first" in result.stderr


def test_allocate_to_stdout_and_file(migrated, tmp_path):
    migrated("sequence", "create", "D", "--format", "[[DATE]]-[[PRODUCT]]-[[INCNUM,NONE,3]]")
    result = migrated("allocate", "D", "--count", "2", "--date", "2024-12-01", "--product", "AB")
    assert result.stdout == "2024-12-01-AB-001\n2024-12-01-AB-002\n"
    out = tmp_path / "serials.txt"
    result = migrated(
        "allocate", "D", "--count", "3", "--date", "2024-12-01T10:15", "--product", "AB", "--out", str(out)
    )
    assert out.read_text() == "2024-12-01-AB-003\n2024-12-01-AB-004\n2024-12-01-AB-005\n"
    assert result.stdout == ""
    assert "3 serials of D written to" in result.stderr


def test_allocate_failure_writes_no_file_and_issues_nothing(migrated, tmp_path):
    migrated("sequence", "create", "P", "--format", "P-[[PRODUCT]]-[[INCNUM,NONE,3]]", "--gap-free")
    out = tmp_path / "serials.txt"
    result = migrated("allocate", "P", "--count", "3", "--out", str(out), expect=2)
    assert "needs a product code" in result.stderr
    assert list(tmp_path.glob("*serials*")) == []
    assert migrated("allocate", "P", "--count", "1", "--product", "X").stdout == "P-X-001\n"


def test_bad_date_is_a_usage_error(migrated):
    migrated("sequence", "create", "SN", "--format", "SN-[[INCNUM,NONE,4]]")
    result = migrated("allocate", "SN", "--count", "1", "--date", "01/12/2024", expect=2)
    assert "is not YYYY-MM-DD or YYYY-MM-DDTHH:MM" in result.stderr


def test_set_next_and_the_warning_when_moving_back(migrated):
    migrated("sequence", "create", "SN", "--format", "SN-[[INCNUM,NONE,4]]")
    assert migrated("sequence", "set-next", "SN", "17").stdout == "next number of SN: 18\n"
    assert migrated("allocate", "SN", "--count", "1").stdout == "SN-0018\n"
    back = migrated("sequence", "set-next", "SN", "9")
    assert back.stdout == "next number of SN: 10\n"
    assert "warning: moved SN back from 19 to 10: numbers 10..18" in back.stderr


def test_set_next_selects_the_series(migrated):
    migrated("sequence", "create", "P", "--format", "[[PRODUCT]]-[[YEAR]]-[[INCNUM,YEARLY,3]]")
    migrated("sequence", "set-next", "P", "41", "--product", "A", "--date", "2024-06-01")
    assert migrated("allocate", "P", "--count", "1", "--product", "A", "--date", "2024-12-31").stdout == "A-2024-042\n"
    assert migrated("allocate", "P", "--count", "1", "--product", "A", "--date", "2025-01-01").stdout == "A-2025-001\n"


def test_block_reserve_list_release(migrated):
    migrated("sequence", "create", "SN", "--format", "SN-[[INCNUM,NONE,4]]")
    migrated("allocate", "SN", "--count", "2")
    reserved = migrated("block", "reserve", "SN", "--count", "10", "--holder", "printer A", "--expires", "2099-12-31")
    assert reserved.stdout == (
        "reserved block 1\tSN\tprinter A\tSN-0003 .. SN-0012\tnext SN-0003, 10 left, expires 2100-01-01 00:00\n"
    )
    assert migrated("allocate", "SN", "--count", "1").stdout == "SN-0013\n"
    assert migrated("block", "take", "1", "--count", "2").stdout == "SN-0003\nSN-0004\n"
    released = migrated("block", "release", "1", "--keep", "3")
    assert released.stdout.startswith(
        "released block 1\tSN\tprinter A\tSN-0003 .. SN-0007\tnext SN-0005, 3 left, released"
    )
    listed = migrated("block", "list")
    assert listed.stdout.startswith("1\tSN\tprinter A\tSN-0003 .. SN-0007\tnext SN-0005, 3 left")
    refused = migrated("sequence", "set-next", "SN", "5", expect=2)
    assert "reserved by block 1 (printer A)" in refused.stderr
    migrated("block", "release", "1")
    assert migrated("block", "list").stderr == "no blocks\n"
    assert migrated("block", "list", "--all").stdout.startswith("1\tSN\tprinter A")


def test_expired_block_refuses(migrated):
    migrated("sequence", "create", "SN", "--format", "SN-[[INCNUM,NONE,4]]")
    migrated("block", "reserve", "SN", "--count", "5", "--holder", "line 1", "--expires", "2020-01-01T08:00")
    result = migrated("block", "take", "1", "--count", "1", expect=2)
    assert "block 1 (line 1) expired at 2020-01-01 08:00" in result.stderr


# --- the database cannot be reached or goes away --------------------------------------------


def _unreachable_config(tmp_path):
    # Nothing listens on port 1.
    return write_copy(ROOT / "odoo.conf", tmp_path / "down.conf", {("options", "db_port"): 1})


def test_unreachable_database_is_one_line_naming_host_and_port(tmp_path):
    """As a real process: exit status 2, one line on stderr, no traceback."""
    path = _unreachable_config(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from serials_cli.main import main; main()",
            "--config",
            str(path),
            "allocate",
            "SN",
            "--count",
            "1",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("serials: cannot connect to PostgreSQL at 127.0.0.1:1/serials")


def _kill_own_session(cur, dsn):
    """Terminate the session of `cur` from another connection, as a crash or a DBA would."""
    cur.execute("SELECT pg_backend_pid()")
    pid = cur.fetchone()[0]
    killer = psycopg2.connect(**dsn)
    killer.autocommit = True
    with killer.cursor() as killer_cur:
        killer_cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    killer.close()


def test_connection_dropped_mid_write_fails_cleanly(db_config):
    config = load_config(db_config)
    run_transaction(config, store.migrate)
    run_transaction(config, lambda cur: store.create_sequence(cur, "GF", "GF-[[INCNUM,NONE,4]]", gap_free=True))

    def allocate_then_lose_the_connection(cur):
        store.allocate(cur, "GF", 5)
        store.reserve_block(cur, "GF", 5, "line 1")
        _kill_own_session(cur, config.dsn)
        return store.allocate(cur, "GF", 1)

    with pytest.raises(
        StoreError,
        match=r"lost the connection to PostgreSQL at 127\.0\.0\.1:\d+/"
        r"\S+ during allocate: .*; nothing was written",
    ):
        run_transaction(config, allocate_then_lose_the_connection, what="allocate")
    assert run_transaction(config, lambda cur: store.list_blocks(cur)) == []
    assert run_transaction(config, lambda cur: store.allocate(cur, "GF", 1)) == ["GF-0001"]


def test_read_is_retried_once_on_a_fresh_connection(db_config):
    config = load_config(db_config)
    run_transaction(config, store.migrate)
    run_transaction(config, lambda cur: store.create_sequence(cur, "SN", "SN-[[INCNUM,NONE,4]]"))
    attempts = []

    def list_codes(cur):
        attempts.append(1)
        if len(attempts) == 1:
            _kill_own_session(cur, config.dsn)
        return [sequence.code for sequence in store.list_sequences(cur)]

    assert run_transaction(config, list_codes, read_only=True) == ["SN"]
    assert len(attempts) == 2
