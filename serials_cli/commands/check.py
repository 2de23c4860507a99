"""`serials check`: read a serial file and check it against a pattern and a quantity.

Inline by default; with --enqueue the worker does it as a batch (for large files, or to keep a
record of the check in PostgreSQL). Exit status: 0 no problem, 1 problems found, 2 the file or
the options could not be used.
"""

import sys

import click

from serial_core.filecheck import check_file, summarize


@click.command("check")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--pattern", help="Serial pattern every serial must match (e.g. 996*****).")
@click.option("--quantity", type=click.IntRange(min=0), help="How many serials the file must hold.")
@click.option("--column", help="Column: a 1-based number or a header name (default: the first).")
@click.option("--enqueue", is_flag=True, help="Run the check as a worker batch and print its id.")
@click.option("--wait", is_flag=True, help="With --enqueue: wait for the batch and print its outcome.")
@click.pass_obj
def command(settings, path, pattern, quantity, column, enqueue, wait):
    """Check the serials of FILE (.xlsx, .xls, .csv, .txt): duplicates, count, pattern."""
    if wait and not enqueue:
        raise click.UsageError("--wait goes with --enqueue")
    if enqueue:
        _check_in_worker(settings.config, path, pattern, quantity, column, wait)
    else:
        _check_here(path, pattern, quantity, column)


def _check_here(path, pattern, quantity, column):
    read, problems = check_file(path, pattern, quantity, column)
    for problem in problems:
        click.echo(f"{problem.kind}: {problem.message}")
    if problems:
        click.echo(summarize(problems, path), err=True)
        sys.exit(1)
    click.echo(f"{path}: {len(read.serials)} serials, no problem", err=True)


def _check_in_worker(config, path, pattern, quantity, column, wait):
    from worker import progress
    from worker.submit import submit_check

    from .. import batch_view

    batch, job_id = submit_check(config, path, pattern=pattern, quantity=quantity, column=column)
    queued = f"queued as job {job_id}" if job_id else "queued (Redis unreachable: a worker will pick it up)"
    click.echo(f"batch {batch.id}: check of {path} {queued}", err=True)
    if not wait:
        click.echo(batch.id)
        return
    batch_view.wait_for_batch(config, batch.id)
    batch, problems, _ = progress.load(config, batch.id, with_problems=True)
    click.echo(batch_view.describe(batch, problems))
    if batch.state == "failed":
        # Problems found: 1; the check itself could not run (unreadable file...): 2.
        sys.exit(1 if (batch.result or {}).get("problems") else 2)
