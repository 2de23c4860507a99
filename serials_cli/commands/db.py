"""`serials db`: the engine-owned tables in the database of odoo.conf."""

from __future__ import annotations

import click

from serial_core import migrations
from worker import schema as worker_schema
from worker.connections import run_transaction

from ..options import pass_config


@click.group("db")
def command():
    """Create and inspect the serial_* tables."""


@command.command("migrate")
@pass_config
def migrate(config):
    """Apply the migrations not applied yet (safe to run again, and concurrently)."""
    applied = run_transaction(config, migrations.migrate, what="db migrate")
    if applied:
        click.echo(f"applied migration {', '.join(map(str, applied))}")
    else:
        click.echo(f"schema up to date (version {migrations.LATEST_VERSION})")
    # The worker's own batch tables (worker/schema.py), versioned separately.
    worker_applied = run_transaction(config, worker_schema.migrate, what="db migrate (worker tables)")
    if worker_applied:
        click.echo(f"applied worker migration {', '.join(map(str, worker_applied))}")


@command.command("status")
@pass_config
def status(config):
    """Print the schema version the database is at and the latest one known."""
    version = run_transaction(config, migrations.schema_version, what="db status", read_only=True)
    latest = migrations.LATEST_VERSION
    state = "up to date" if version == latest else "run `serials db migrate`"
    click.echo(f"schema version {version} of {latest}: {state}")
