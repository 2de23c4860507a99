"""The deployment's settings, from the odoo.conf that Odoo, the worker and `serials` share.

``[options]`` holds Odoo's own database settings (db_host, db_port, db_user, db_password,
db_name), which the worker and the command line connect with; ``[serial_tracking]`` holds the
worker's: redis_url, the bulk and search-index queues' names, the chunk size and RQ's job timeout and failure TTL.
Odoo writes an unset option as ``False``; it is treated as absent, so libpq's own default
applies (local socket, port 5432, the login user). The serial engine (serial_core) reads none
of this: it works through whatever cursor it is given.
"""

from __future__ import annotations

import configparser
import os
import sys
from dataclasses import dataclass, field

from serial_core.errors import SerialError

# [serial_tracking] defaults: the values odoo.conf ships with.
DEFAULT_QUEUE_BULK = "serials-bulk"
DEFAULT_QUEUE_INDEX = "serials-index"
DEFAULT_CHUNK_SIZE = 10_000
DEFAULT_JOB_TIMEOUT = 3600  # seconds: a bulk chunk of 10,000 serials takes well under that
DEFAULT_FAILURE_TTL = 7 * 24 * 3600  # seconds a failed job stays inspectable in Redis

# odoo.conf key -> psycopg2.connect keyword
_DSN_KEYS = {
    "db_host": "host",
    "db_port": "port",
    "db_user": "user",
    "db_password": "password",
    "db_name": "dbname",
}
_UNSET = {"", "false", "none"}


class ConfigError(SerialError):
    """A missing or invalid setting in odoo.conf."""


@dataclass(frozen=True)
class Config:
    """The settings read from one odoo.conf."""

    path: str
    dsn: dict = field(repr=False)  # psycopg2.connect keywords; repr hides the password
    queue_bulk: str = DEFAULT_QUEUE_BULK
    queue_index: str = DEFAULT_QUEUE_INDEX
    chunk_size: int = DEFAULT_CHUNK_SIZE
    job_timeout: int = DEFAULT_JOB_TIMEOUT
    failure_ttl: int = DEFAULT_FAILURE_TTL
    redis_url_setting: str | None = None

    @property
    def redis_url(self) -> str:
        """[serial_tracking] redis_url; only the worker needs it, so it is checked when asked for."""
        if not self.redis_url_setting:
            raise ConfigError(f"{self.path}: [serial_tracking] redis_url is not set")
        return self.redis_url_setting

    @property
    def db_address(self) -> str:
        """host:port/dbname, for messages (never the password)."""
        host = self.dsn.get("host", "local socket")
        port = self.dsn.get("port", 5432)
        return f"{host}:{port}/{self.dsn['dbname']}"


def _value(parser, section, key):
    if not parser.has_option(section, key):
        return None
    value = parser.get(section, key).strip()
    return None if value.lower() in _UNSET else value


def _positive_int(parser, path, key, default):
    raw = _value(parser, "serial_tracking", key)
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number <= 0:
        raise ConfigError(f"{path}: [serial_tracking] {key} = {raw!r} is not a whole number > 0")
    return number


def read_file(path) -> configparser.ConfigParser:
    """odoo.conf as Odoo reads it (";" and "#" start comments, "%" is plain text); the one place
    that parses it. ConfigError when the file is missing or not an INI file."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ConfigError(f"{path}: configuration file not found (pass --config FILE)")
    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        first_line = str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not a valid configuration file: {first_line}") from None
    return parser


def write_copy(source, target, changes):
    """Writes `target`: odoo.conf `source` with `changes` ({(section, key): value}) applied, for
    runs that need their own database, queue or Redis. Returns `target`."""
    parser = read_file(source)
    for (section, key), value in changes.items():
        if not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, key, str(value))
    with open(target, "w", encoding="utf-8") as stream:
        parser.write(stream)
    return target


def load_config(path="odoo.conf") -> Config:
    """Read odoo.conf; ConfigError names the file and the missing or invalid setting."""
    path = os.fspath(path)
    parser = read_file(path)
    if not parser.has_section("options"):
        raise ConfigError(f"{path}: no [options] section with the db_* settings")

    dsn = {}
    for conf_key, dsn_key in _DSN_KEYS.items():
        value = _value(parser, "options", conf_key)
        if value is not None:
            dsn[dsn_key] = value
    if "dbname" not in dsn:
        raise ConfigError(f"{path}: [options] db_name is not set")
    if "port" in dsn:
        if not dsn["port"].isdigit() or not 0 < int(dsn["port"]) < 65536:
            raise ConfigError(f"{path}: [options] db_port = {dsn['port']!r} is not a port number")
        dsn["port"] = int(dsn["port"])

    section = "serial_tracking"
    return Config(
        path=path,
        dsn=dsn,
        queue_bulk=_value(parser, section, "queue_bulk") or DEFAULT_QUEUE_BULK,
        queue_index=_value(parser, section, "queue_index") or DEFAULT_QUEUE_INDEX,
        chunk_size=_positive_int(parser, path, "chunk_size", DEFAULT_CHUNK_SIZE),
        job_timeout=_positive_int(parser, path, "job_timeout", DEFAULT_JOB_TIMEOUT),
        failure_ttl=_positive_int(parser, path, "failure_ttl", DEFAULT_FAILURE_TTL),
        redis_url_setting=_value(parser, section, "redis_url"),
    )


def main(argv):
    """`python3 -m worker.config FILE SECTION KEY`: prints one raw setting, for the shell scripts
    (they run before .venv exists, so this needs nothing beyond the standard library)."""
    if len(argv) != 3:
        sys.stderr.write("usage: python3 -m worker.config FILE SECTION KEY\n")
        return 2
    path, section, key = argv
    try:
        parser = read_file(path)
    except ConfigError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if not parser.has_option(section, key):
        sys.stderr.write(f"{path}: [{section}] {key} is not set\n")
        return 1
    print(parser.get(section, key).strip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
