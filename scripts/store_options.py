"""Options shared by the commands that number serials: which sequence, when, and the context."""
from __future__ import annotations

import datetime as dt

import click

DATE_HELP = "Date-time the serials are numbered for (YYYY-MM-DD[THH:MM]); default now."


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
    return click.option(
        "--company", help="Company of the sequence (when one code exists per company)."
    )(command)


def context_options(command):
    """--product and --location: the codes a format's [[PRODUCT]] / [[LOCATION]] need."""
    command = click.option("--location", help="Location code for [[LOCATION]].")(command)
    return click.option("--product", help="Product code for [[PRODUCT]].")(command)


def make_context(product=None, location=None):
    return {key: value for key, value in (("product", product), ("location", location)) if value}
