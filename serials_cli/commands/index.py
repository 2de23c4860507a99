"""`serials index`: the serial search index of the Odoo database named in odoo.conf."""

from __future__ import annotations

import time

import click

from serial_core import search_index
from worker.connections import run_transaction

from ..options import pass_config


@click.group("index")
def command():
    """Rebuild, drain and inspect the serial search index."""


@command.command("rebuild")
@click.option(
    "--chunk",
    type=click.IntRange(min=100),
    default=search_index.REBUILD_CHUNK,
    show_default=True,
    help="Lots read per statement (progress is shown after each).",
)
@pass_config
def rebuild(config, chunk):
    """Build the index from scratch (searches use the old one until it is done)."""
    started = time.monotonic()

    def progress(done, total):
        click.echo(f"indexed {done:,} of {total:,} lots", err=True)

    counts = run_transaction(config, lambda cur: search_index.rebuild(cur, progress, chunk), what="index rebuild")
    click.echo(
        f"index rebuilt: {counts['lots']:,} lots, {counts['suffixes']:,} serial suffixes, "
        f"{counts['links']:,} product/partner/document links in {time.monotonic() - started:.1f} s"
    )


@command.command("drain")
@pass_config
def drain(config):
    """Index the changes waiting in the change log now, as the worker's drain job does."""
    from worker.search_jobs import drain as drain_log  # rq is only loaded by the commands that need it

    run_transaction(config, search_index.check_sources, what="index drain", read_only=True)
    click.echo(f"indexed {drain_log(config):,} logged changes")


@command.command("status")
@pass_config
def status(config):
    """Changes waiting to be indexed and the size of the index."""

    def look(cur):
        search_index.check_sources(cur)
        search_index.ensure_schema(cur)
        return search_index.pending_changes(cur), search_index.index_size(cur)

    pending, sizes = run_transaction(config, look, what="index status")
    click.echo(f"{pending:,} changes waiting")
    for table, size in sizes.items():
        click.echo(f"{table}: {size / 2**20:.1f} MiB")
