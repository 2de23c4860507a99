"""`serials block`: reserve contiguous blocks of a sequence for a holder."""

from __future__ import annotations

import datetime as dt

import click

from serial_core import store
from worker.connections import run_transaction

from ..options import company_option, context_options, date_option, make_context, parse_datetime, pass_config


def _expiry(ctx, param, value):
    """A date alone means the end of that day: the block is usable all of it."""
    if value is None:
        return None
    moment = parse_datetime(value, "--expires")
    if len(value) == 10:
        moment += dt.timedelta(days=1)
    return moment.astimezone()  # local time, stored as timestamptz


def _describe(block):
    if block.last >= block.first:
        numbers = f"{block.render([block.first])[0]} .. {block.render([block.last])[0]}"
    else:
        numbers = "(none kept)"
    if block.remaining > 0:
        state = f"next {block.render([block.next_unused])[0]}, {block.remaining} left"
    else:
        state = "nothing left"
    if block.released_at:
        state += ", released"
    if block.expires_at:
        state += f", expires {block.expires_at:%Y-%m-%d %H:%M}"
    return f"{block.id}\t{block.sequence_code}\t{block.holder}\t{numbers}\t{state}"


@click.group("block")
def command():
    """Blocks: ranges of a sequence held by one site, line or printer."""


@command.command("reserve")
@click.argument("code")
@click.option("--count", required=True, type=click.IntRange(min=1), help="Numbers in the block.")
@click.option("--holder", required=True, help="Who holds it: a site, a line, a printer.")
@click.option("--expires", callback=_expiry, help="YYYY-MM-DD (through that day) or YYYY-MM-DDTHH:MM.")
@date_option
@context_options
@company_option
@pass_config
def reserve(config, code, count, holder, expires, when, product, location, company):
    """Reserve the next COUNT numbers of CODE for a holder."""
    block = run_transaction(
        config,
        lambda cur: store.reserve_block(
            cur,
            code,
            count,
            holder,
            expires_at=expires,
            when=when,
            context=make_context(product, location),
            company=company,
        ),
        what="block reserve",
    )
    click.echo(f"reserved block {_describe(block)}")


@command.command("list")
@click.option("--code", help="Only blocks of this sequence.")
@click.option("--holder", help="Only blocks of this holder.")
@click.option("--all", "include_released", is_flag=True, help="Include used-up released blocks.")
@pass_config
def list_(config, code, holder, include_released):
    """List blocks: id, sequence, holder, range, state."""
    blocks = run_transaction(
        config,
        lambda cur: store.list_blocks(cur, code=code, holder=holder, include_released=include_released),
        what="block list",
        read_only=True,
    )
    if not blocks:
        click.echo("no blocks", err=True)
    for block in blocks:
        click.echo(_describe(block))


@command.command("release")
@click.argument("block_id", metavar="ID", type=int)
@click.option(
    "--keep",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Unused numbers the holder keeps; the rest are never issued.",
)
@pass_config
def release(config, block_id, keep):
    """Give up the unused tail of block ID."""
    block = run_transaction(config, lambda cur: store.release_block(cur, block_id, keep), what="block release")
    click.echo(f"released block {_describe(block)}")


@command.command("take")
@click.argument("block_id", metavar="ID", type=int)
@click.option("--count", required=True, type=click.IntRange(min=1))
@pass_config
def take(config, block_id, count):
    """Issue the next COUNT serials of block ID, one a line."""
    serials = run_transaction(config, lambda cur: store.take_from_block(cur, block_id, count), what="block take")
    click.echo("\n".join(serials))
