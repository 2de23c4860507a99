"""`serials search TERM`: serials holding a fragment, or of a matching product, partner or document."""

from __future__ import annotations

import click

from serial_core import search_index
from worker.connections import run_transaction

from ..options import pass_config


@click.command("search")
@click.argument("term")
@click.option("--limit", type=click.IntRange(min=1), default=80, show_default=True, help="Serials shown at most.")
@pass_config
def command(config, term, limit):
    """Print the serials matching TERM (3 characters or more): one "serial<TAB>lot id" line each."""
    search_index.normalise_term(term)  # a term too short is refused before connecting

    def look(cur):
        search_index.check_sources(cur)
        lot_ids = search_index.search(cur, term, limit)
        return lot_ids, search_index.serial_names(cur, lot_ids)

    lot_ids, names = run_transaction(config, look, what="search", read_only=True)
    for lot_id in lot_ids:
        click.echo(f"{names.get(lot_id, '')}\t{lot_id}")
    more = " (the first ones; raise --limit for more)" if len(lot_ids) == limit else ""
    click.echo(f"{len(lot_ids)} serials match {term!r}{more}", err=True)
