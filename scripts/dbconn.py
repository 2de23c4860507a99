"""The --config option of the `serials` commands, and running work in the database it names."""
from __future__ import annotations

import click

from worker.config import load_config
from worker.connections import run_transaction


def config_option(command):
    """The --config FILE option every database command takes."""
    return click.option(
        "--config",
        "config_path",
        default="odoo.conf",
        show_default=True,
        envvar="SERIALS_CONFIG",
        type=click.Path(dir_okay=False),
        help="odoo.conf with the [options] db_* settings.",
    )(command)


def run_from(config_path, work, **kwargs):
    """run_transaction() with the configuration read from config_path."""
    return run_transaction(load_config(config_path), work, **kwargs)
