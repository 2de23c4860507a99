"""`serials allocate ... --enqueue [--wait]`: the same allocation as a worker batch.

The batch reserves its whole count as a store block at once and the worker issues it chunk by
chunk into --out (and a label sheet with --labels). The batch id goes to stdout so scripts can
follow it (`serials batch status ID`); with --wait the command shows progress and ends with
the batch (exit 1 if it failed).
"""
import os
import sys

import click

WORKER_ONLY = ("wait", "labels", "label_count", "chunk_size")


def enqueue_options(command):
    """The options `serials allocate` takes for the worker path."""
    for option in reversed([
        click.option("--enqueue", is_flag=True,
                     help="Issue through the worker as a batch (needs --out; see `serials worker`)."),
        click.option("--wait", is_flag=True, help="With --enqueue: wait for the batch, showing progress."),
        click.option("--labels", type=click.Path(dir_okay=False),
                     help="With --enqueue: also write a label sheet (.pdf or .svg) of the serials."),
        click.option("--label-count", type=click.IntRange(min=1),
                     help="With --labels: label only the first N serials (default: all)."),
        click.option("--chunk-size", type=click.IntRange(min=1),
                     help="With --enqueue: serials per chunk (default: chunk_size of the config)."),
    ]):
        command = option(command)
    return command


def reject_worker_options(options):
    """Outside --enqueue, the worker-only options are a usage error rather than silently ignored."""
    given = [f"--{name.replace('_', '-')}" for name in WORKER_ONLY if options.get(name)]
    if given:
        raise click.UsageError(f"{', '.join(given)} only apply with --enqueue")


def run_enqueued(config, code, count, *, when, context, company, out, wait, labels, label_count, chunk_size,
                 **_ignored):
    from scripts import batch_view
    from worker import progress
    from worker.submit import submit_allocation

    if out is None:
        raise click.UsageError("--enqueue needs --out FILE: the worker writes the serials there")
    if label_count and not labels:
        raise click.UsageError("--label-count goes with --labels")
    # The worker writes the files at the end of the batch: say now if it could not.
    for option, path in (("--out", out), ("--labels", labels)):
        folder = os.path.dirname(os.path.abspath(path)) if path else None
        if folder and not os.path.isdir(folder):
            raise click.BadParameter(f"folder {folder} does not exist", param_hint=option)
    batch, job_id = submit_allocation(config, code, count, out, labels=labels, label_count=label_count,
                                      when=when, context=context, company=company, chunk_size=chunk_size)
    queued = f"queued as job {job_id}" if job_id else "queued (Redis unreachable: a worker will pick it up)"
    click.echo(f"batch {batch.id}: {count} serials of {code} into {batch.output_path}, "
               f"{batch.chunks_total} chunk(s), {queued}", err=True)
    if not wait:
        click.echo(batch.id)
        return
    batch_view.wait_for_batch(config, batch.id)
    batch, _, _ = progress.load(config, batch.id)
    click.echo(batch_view.describe(batch))
    if batch.state == "failed":
        sys.exit(1)
