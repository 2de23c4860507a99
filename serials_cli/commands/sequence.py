"""`serials sequence`: create, list, update and set the next number of serial sequences."""

from __future__ import annotations

import click

from serial_core import store
from serial_core.formats import parse_format
from worker.connections import run_transaction

from .. import odoo_audit
from ..options import company_option, context_options, date_option, make_context, pass_config


@click.group("sequence")
def command():
    """Serial sequences: a code, a format, an optional company, gap-free or not."""


@command.command("create")
@click.argument("code")
@click.option("--format", "fmt", required=True, help="Auto-serial format, e.g. SN-[[INCNUM,NONE,4]].")
@click.option(
    "--gap-free",
    is_flag=True,
    help="No holes even when a transaction rolls back (allocations of one series then wait for each other).",
)
@company_option
@click.option("--name", help="A description.")
@pass_config
def create(config, code, fmt, gap_free, company, name):
    """Create sequence CODE."""
    for warning in parse_format(fmt).warnings:
        click.echo(f"serials: warning: {warning}", err=True)
    sequence = run_transaction(
        config,
        lambda cur: store.create_sequence(cur, code, fmt, name=name, company=company, gap_free=gap_free),
        what="sequence create",
    )
    click.echo(f"created sequence {sequence.label}: {sequence.format}{' (gap-free)' if sequence.gap_free else ''}")


@command.command("update")
@click.argument("code")
@click.option("--format", "fmt", help="A new format; counters whose series stays the same continue.")
@click.option("--gap-free/--not-gap-free", default=None, help="Switch numbering mode, continuing from the last number.")
@click.option("--name", help="A new description.")
@company_option
@pass_config
def update(config, code, fmt, gap_free, name, company):
    """Change the format, name or gap-free mode of sequence CODE (Odoo's Serial Sequences show it at once)."""
    changes = {
        key: value for key, value in (("format", fmt), ("gap_free", gap_free), ("name", name)) if value is not None
    }
    if not changes:
        raise click.UsageError("nothing to change: give --format, --name or --gap-free/--not-gap-free")
    if fmt is not None:
        for warning in parse_format(fmt).warnings:
            click.echo(f"serials: warning: {warning}", err=True)
    sequence = run_transaction(
        config, lambda cur: store.update_sequence(cur, code, company=company, **changes), what="sequence update"
    )
    click.echo(f"updated sequence {sequence.label}: {sequence.format}{' (gap-free)' if sequence.gap_free else ''}")


@command.command("list")
@pass_config
def list_(config):
    """List the sequences: code, company, gap-free, format, name."""
    sequences = run_transaction(config, store.list_sequences, what="sequence list", read_only=True)
    if not sequences:
        click.echo("no sequences (create one with `serials sequence create`)", err=True)
        return
    for sequence in sequences:
        click.echo(
            "\t".join(
                [
                    sequence.code,
                    sequence.company or "-",
                    "gap-free" if sequence.gap_free else "-",
                    sequence.format,
                    sequence.name or "",
                ]
            )
        )


@command.command("set-next")
@click.argument("code")
@click.argument("last_issued", metavar="N", type=click.IntRange(min=0))
@date_option
@context_options
@company_option
@pass_config
def set_next(config, code, last_issued, when, product, location, company):
    """Record N as the last serial issued: the next one of that series is N + 1.

    The series (and reset period) is the one --date, --product and --location select. When the Odoo
    addon is installed in the database, its audit log records the change.
    """
    context = make_context(product, location)

    def work(cur):
        before = store.next_value(cur, code, when=when, context=context, company=company)
        after = store.set_next(cur, code, last_issued, when=when, context=context, company=company)
        series = ", ".join(f"{key} {value}" for key, value in context.items())
        odoo_audit.record_sequence_next(cur, code, company, before, after, series=series or None)
        return before, after

    before, after = run_transaction(config, work, what="sequence set-next")
    if after < before:
        click.echo(
            f"serials: warning: moved {code} back from {before} to {after}: numbers "
            f"{after}..{before - 1} may already have been issued and would be issued again",
            err=True,
        )
    click.echo(f"next number of {code}: {after}")
