"""worker.config: odoo.conf -> psycopg2 keywords and the worker's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from worker.config import DEFAULT_CHUNK_SIZE, ConfigError, load_config, main, write_copy

FULL = """\
[options]
db_host = 127.0.0.1
db_port = 55432
db_user = odoo
db_password = s3cret ; inline comment
db_name = serials

[serial_tracking]
redis_url = redis://127.0.0.1:56379/0
queue_bulk = bulk
chunk_size = 500
job_timeout = 60
failure_ttl = 120
"""


def write(tmp_path, text):
    path = tmp_path / "odoo.conf"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_configuration(tmp_path):
    config = load_config(write(tmp_path, FULL))
    assert config.dsn == {"host": "127.0.0.1", "port": 55432, "user": "odoo", "password": "s3cret", "dbname": "serials"}
    assert config.redis_url == "redis://127.0.0.1:56379/0"
    assert config.queue_bulk == "bulk"
    assert (config.chunk_size, config.job_timeout, config.failure_ttl) == (500, 60, 120)
    assert config.db_address == "127.0.0.1:55432/serials"
    assert "s3cret" not in repr(config)


def test_the_checkout_odoo_conf_loads():
    config = load_config(Path(__file__).resolve().parent.parent / "odoo.conf")
    assert config.dsn["dbname"] and config.redis_url.startswith("redis://")


def test_odoo_false_means_unset_and_defaults_apply(tmp_path):
    config = load_config(write(tmp_path, "[options]\ndb_host = False\ndb_port = False\ndb_name = serials\n"))
    assert config.dsn == {"dbname": "serials"}
    assert config.chunk_size == DEFAULT_CHUNK_SIZE
    assert config.db_address == "local socket:5432/serials"
    with pytest.raises(ConfigError, match=r"\[serial_tracking\] redis_url is not set"):
        config.redis_url  # noqa: B018 (the property checks)


@pytest.mark.parametrize(
    "text,message",
    [
        ("[options]\ndb_host = x\n", r"\[options\] db_name is not set"),
        ("[serial_tracking]\nchunk_size = 5\n", "no \\[options\\] section"),
        ("[options]\ndb_name = s\ndb_port = 99999\n", "db_port = '99999' is not a port number"),
        (
            "[options]\ndb_name = s\n[serial_tracking]\nchunk_size = ten\n",
            r"chunk_size = 'ten' is not a whole number > 0",
        ),
        (
            "[options]\ndb_name = s\n[serial_tracking]\njob_timeout = 0\n",
            r"job_timeout = '0' is not a whole number > 0",
        ),
        ("not an ini file\n", "not a valid configuration file"),
    ],
)
def test_invalid_configuration_names_file_and_setting(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert str(path) in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="nope.conf: configuration file not found"):
        load_config(tmp_path / "nope.conf")


def test_shell_entry_point_prints_one_raw_setting(tmp_path, capsys):
    path = str(write(tmp_path, FULL))
    assert main([path, "options", "db_password"]) == 0
    assert capsys.readouterr().out == "s3cret\n"
    assert main([path, "serial_tracking", "nope"]) == 1
    assert capsys.readouterr().err == f"{path}: [serial_tracking] nope is not set\n"


def test_write_copy_changes_only_the_given_settings(tmp_path):
    copy = write_copy(
        write(tmp_path, FULL),
        tmp_path / "copy.conf",
        {("options", "db_name"): "other", ("serial_tracking", "chunk_size"): 7},
    )
    config = load_config(copy)
    assert (config.dsn["dbname"], config.chunk_size, config.dsn["password"]) == ("other", 7, "s3cret")
