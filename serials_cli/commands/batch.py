"""`serials batch`: look at and resume the worker's batches."""

import sys

import click

from ..options import pass_config


@click.group("batch")
def command():
    """Status, list and resume of worker batches (allocations, file checks)."""


@command.command("status")
@click.argument("batch_id", type=int)
@click.option("--wait", is_flag=True, help="Wait for the batch to end, showing progress.")
@pass_config
def status(config, batch_id, wait):
    """Print batch BATCH_ID: state, chunks and serials done, output, error.

    Exit status 1 when the batch failed.
    """
    from worker import progress

    from .. import batch_view

    if wait:
        batch_view.wait_for_batch(config, batch_id)
    batch, problems, live = progress.load(config, batch_id, with_problems=True)
    click.echo(batch_view.describe(batch, problems, live))
    sys.exit(1 if batch.state == "failed" else 0)


@command.command("list")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(("queued", "running", "done", "failed")),
    help="Only batches in this state; repeat for several.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Newest first, at most this many."
)
@pass_config
def list_(config, states, limit):
    """One line per batch, newest first."""
    from worker import batches
    from worker.connections import run_transaction

    found = run_transaction(
        config, lambda cur: batches.list_batches(cur, states=states, limit=limit), what="batch list", read_only=True
    )
    if not found:
        click.echo("no batches", err=True)
    for batch in found:
        error = f" - {batch.error}" if batch.error else ""
        click.echo(f"{batch.progress_line()}{error}")


@command.command("resume")
@click.argument("batch_id", type=int, required=False)
@pass_config
def resume(config, batch_id):
    """Give batch BATCH_ID a job again (a failed one restarts after its last committed chunk).

    Without BATCH_ID: every queued or running batch whose job vanished gets a new one.
    """
    from worker import reconcile
    from worker.connections import open_pg, redis_connect, redis_errors

    pg = open_pg(config, "serials-resume")
    try:
        with redis_errors(config):
            connection = redis_connect(config)
            if batch_id is None:
                requeued = reconcile.reconcile(config, pg, connection)
            else:
                job_id = reconcile.resume(config, pg, connection, batch_id)
    finally:
        pg.close()
    if batch_id is None:
        for requeued_id, job_id in requeued:
            click.echo(f"batch {requeued_id}: enqueued as job {job_id}")
        if not requeued:
            click.echo("every open batch has a live or waiting job")
        return
    if job_id is None:
        click.echo(f"batch {batch_id} is being worked on or waits in the queue already")
    else:
        click.echo(f"batch {batch_id}: enqueued as job {job_id}")
