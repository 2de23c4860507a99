"""`serials worker`: run an RQ worker for serial batches (bulk allocation, file checks)."""

import click

from ..options import pass_config


@click.command("worker")
@click.option("--burst", is_flag=True, help="Quit once the queue is empty instead of waiting for work.")
@click.option(
    "--reconcile-interval",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Seconds between rounds that re-enqueue open batches whose job vanished.",
)
@pass_config
def command(config, burst, reconcile_interval):
    """Work serial batches from Redis, recording every step in PostgreSQL.

    Stop it with Ctrl+C or SIGTERM: a running job finishes first (a second signal kills it; its
    batch resumes at its last committed chunk on the next start).
    """
    from worker.service import run_worker  # rq is only loaded by the commands that need it

    run_worker(config, burst=burst, reconcile_interval=reconcile_interval)
