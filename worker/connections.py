"""Connections to PostgreSQL (the truth) and Redis (the work), and this process's settings.

Jobs run in a worker's forked work-horse and take only a batch id, so they find their settings
here: the worker sets them at start (`use_config`); a job run any other way (plain `rq worker`)
reads the file named by SERIALS_CONFIG, or ./odoo.conf.
"""
import contextlib
import os

import psycopg2
import redis

from .config import load_config
from serial_core.errors import SerialError

_config = None


def use_config(config):
    global _config  # pylint: disable=global-statement
    _config = config


def current_config():
    if _config is None:
        use_config(load_config(os.environ.get("SERIALS_CONFIG", "odoo.conf")))
    return _config


def pg_connect(config, application_name="serials"):
    """A new psycopg2 connection (not autocommit). The application name shows in pg_stat_activity."""
    return psycopg2.connect(**config.dsn, application_name=application_name, connect_timeout=10)


def redis_connect(config):
    """A Redis client for the configured URL; RQ manages its own socket timeouts for blocking pops."""
    return redis.Redis.from_url(config.redis_url, socket_connect_timeout=5, health_check_interval=30)


class ServiceUnavailable(SerialError):
    """PostgreSQL or Redis cannot be reached: a message naming the address, for the command line."""


def open_pg(config, application_name="serials"):
    """pg_connect for commands: an unreachable database becomes one clear ServiceUnavailable."""
    try:
        return pg_connect(config, application_name)
    except psycopg2.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
        raise ServiceUnavailable(f"cannot connect to PostgreSQL at {config.db_address}: {reason} "
                                 f"(is it running? bash scripts/services.sh start)") from None


@contextlib.contextmanager
def redis_errors(config):
    """Turns a Redis failure inside the block into one clear ServiceUnavailable."""
    try:
        yield
    except redis.RedisError as exc:
        raise ServiceUnavailable(f"Redis at {config.redis_url} failed: {exc} "
                                 f"(is it running? bash scripts/services.sh start)") from None
