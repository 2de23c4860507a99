"""`serials allocate`: issue serials of a sequence, one a line, to stdout or a file.

Two ways to run the same allocation:

* directly (allocate_now): issued in this process, in one transaction;
* through the worker (--enqueue): the batch reserves its whole count as a store block at once
  and the worker issues it chunk by chunk into --out (and a label sheet with --labels). The
  batch id goes to stdout so scripts can follow it (`serials batch status ID`); with --wait the
  command shows progress and ends with the batch (exit 1 if it failed).
"""

from __future__ import annotations

import os
import sys

import click

from serial_core import store
from serial_core.atomic_files import replacing
from worker.connections import run_transaction

from ..options import company_option, context_options, date_option, make_context, pass_config

WORKER_ONLY = ("wait", "labels", "label_count", "chunk_size")


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


def allocate_enqueued(config, code, count, *, out, wait, labels, label_count, **options):
    """Submit the allocation as a worker batch; with `wait`, follow it to its end.

    `options` (when, context, company, chunk_size) go to the batch as they are.
    """
    from worker import progress
    from worker.submit import submit_allocation

    from .. import batch_view

    if out is None:
        raise click.UsageError("--enqueue needs --out FILE: the worker writes the serials there")
    if label_count and not labels:
        raise click.UsageError("--label-count goes with --labels")
    # The worker writes the files at the end of the batch: say now if it could not.
    for option, path in (("--out", out), ("--labels", labels)):
        folder = os.path.dirname(os.path.abspath(path)) if path else None
        if folder and not os.path.isdir(folder):
            raise click.BadParameter(f"folder {folder} does not exist", param_hint=option)
    batch, job_id = submit_allocation(config, code, count, out, labels=labels, label_count=label_count, **options)
    queued = f"queued as job {job_id}" if job_id else "queued (Redis unreachable: a worker will pick it up)"
    click.echo(
        f"batch {batch.id}: {count} serials of {code} into {batch.output_path}, "
        f"{batch.chunks_total} chunk(s), {queued}",
        err=True,
    )
    if not wait:
        click.echo(batch.id)
        return
    batch_view.wait_for_batch(config, batch.id)
    batch, _, _ = progress.load(config, batch.id)
    click.echo(batch_view.describe(batch))
    if batch.state == "failed":
        sys.exit(1)


@click.command("allocate")
@click.argument("code")
@click.option("--count", required=True, type=click.IntRange(min=1), help="How many serials.")
@date_option
@context_options
@company_option
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="Write the serials to this file instead of stdout."
)
@click.option(
    "--enqueue", is_flag=True, help="Issue through the worker as a batch (needs --out; see `serials worker`)."
)
@click.option("--wait", is_flag=True, help="With --enqueue: wait for the batch, showing progress.")
@click.option(
    "--labels",
    type=click.Path(dir_okay=False),
    help="With --enqueue: also write a label sheet (.pdf or .svg) of the serials.",
)
@click.option(
    "--label-count", type=click.IntRange(min=1), help="With --labels: label only the first N serials (default: all)."
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    help="With --enqueue: serials per chunk (default: chunk_size of the config).",
)
@pass_config
def command(config, code, count, when, product, location, company, out, enqueue, **worker_options):
    """Issue COUNT serials of sequence CODE, one a line."""
    context = make_context(product, location)
    if enqueue:
        allocate_enqueued(config, code, count, when=when, context=context, company=company, out=out, **worker_options)
        return
    # Outside --enqueue, the worker-only options are a usage error rather than silently ignored.
    given = [f"--{name.replace('_', '-')}" for name in WORKER_ONLY if worker_options.get(name)]
    if given:
        raise click.UsageError(f"{', '.join(given)} only apply with --enqueue")
    serials = allocate_now(config, code, count, when=when, context=context, company=company, out=out)
    if out is not None:
        click.echo(f"{len(serials)} serials of {code} written to {out}", err=True)
