"""`serials allocate`: issue serials of a sequence, one a line, to stdout or a file.

The direct path (allocate_now) issues in this process, in one transaction. Other ways to
run the same allocation (the worker's --enqueue) add their options and branch in `command`
before it.
"""
from __future__ import annotations

import sys

import click

from scripts import dbconn
from scripts.enqueue_allocate import enqueue_options, reject_worker_options, run_enqueued
from scripts.store_options import company_option, context_options, date_option, make_context
from serial_core import store
from serial_core.atomic_files import replacing
from worker.config import load_config
from worker.connections import run_transaction


def _write_serials(serials, stream):
    stream.write("\n".join(serials))
    if serials:
        stream.write("\n")


def allocate_now(config, code, count, *, when=None, context=None, company=None, out=None):
    """Issue `count` serials and write them to `out` (a path) or stdout; return them.

    With a file, the serials are written to a temporary file beside it before the commit and
    replace `out` after it: a failed write issues nothing, and a failed commit leaves no file.
    """
    def allocate(cur):
        return store.allocate(cur, code, count, when=when, context=context, company=company)

    what = f"allocate {count} of {code}"
    if out is None:
        serials = run_transaction(config, allocate, what=what)
        _write_serials(serials, sys.stdout)
        return serials
    with replacing(out, what="the serials") as temporary:
        def allocate_into_file(cur):
            serials = allocate(cur)
            with open(temporary, "w", encoding="utf-8") as stream:
                _write_serials(serials, stream)
            return serials

        return run_transaction(config, allocate_into_file, what=what)


@click.command("allocate")
@click.argument("code")
@click.option("--count", required=True, type=click.IntRange(min=1), help="How many serials.")
@date_option
@context_options
@company_option
@click.option("--out", type=click.Path(dir_okay=False, writable=True),
              help="Write the serials to this file instead of stdout.")
@dbconn.config_option
@enqueue_options
def command(code, count, when, product, location, company, out, config_path, **worker_options):
    """Issue COUNT serials of sequence CODE, one a line."""
    config = load_config(config_path)
    if worker_options["enqueue"]:
        run_enqueued(config, code, count, when=when, context=make_context(product, location),
                     company=company, out=out, **worker_options)
        return
    reject_worker_options(worker_options)
    serials = allocate_now(config, code, count, when=when,
                           context=make_context(product, location), company=company, out=out)
    if out is not None:
        click.echo(f"{len(serials)} serials of {code} written to {out}", err=True)
