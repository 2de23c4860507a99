"""What the commands share: the configuration of the group's --config, and the options of the
commands that number serials (which sequence, when, and the context)."""

from __future__ import annotations

import datetime as dt
import functools

import click

from worker.config import load_config

DATE_HELP = "Date-time the serials are numbered for (YYYY-MM-DD[THH:MM]); default now."


class Settings:
    """The group's context object: --config, read the first time a command needs it."""

    def __init__(self, config_path):
        self.config_path = config_path
        self._config = None

    @property
    def config(self):
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config


def pass_config(function):
    """Passes the Config of the group's --config as the command's first argument."""

    @click.pass_obj
    @functools.wraps(function)
    def with_config(settings, *args, **kwargs):
        return function(settings.config, *args, **kwargs)

    return with_config


def parse_datetime(text, option="--date"):
    """YYYY-MM-DD or YYYY-MM-DDTHH:MM (a space works instead of T) -> datetime."""
    for layout in ("%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"):
        try:
            return dt.datetime.strptime(text, layout)
        except ValueError:
            continue
    raise click.BadParameter(f"{text!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM", param_hint=option)


def _datetime_callback(ctx, param, value):
    return None if value is None else parse_datetime(value, f"--{param.name}")


def date_option(command):
    return click.option("--date", "when", callback=_datetime_callback, help=DATE_HELP)(command)


def company_option(command):
    return click.option("--company", help="Company of the sequence (when one code exists per company).")(command)


def context_options(command):
    """--product and --location: the codes a format's [[PRODUCT]] / [[LOCATION]] need."""
    command = click.option("--location", help="Location code for [[LOCATION]].")(command)
    return click.option("--product", help="Product code for [[PRODUCT]].")(command)


def make_context(product=None, location=None):
    return {key: value for key, value in (("product", product), ("location", location)) if value}
