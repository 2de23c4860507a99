"""`serials opening-stock FILE`: load opening stock serials into an Odoo database.

The file is checked whole by the addon, through Odoo's registry (the command never imports the
addon): on any problem every one is printed with its row and nothing is written (exit 1). A clean
file becomes a serial job (Inventory > Operations > Serial Jobs), loaded here in-process, or with
--enqueue by a `serials worker` (--wait shows its progress). Exit status: 0 loaded (or queued),
1 problems in the file or the load failed, 2 bad usage or a file that cannot be read.
"""

import os
import sys
import time

import click

from serial_core.errors import ReadError

from ..options import pass_config

POLL_SECONDS = 1.0


def _odoo_user_error():
    from odoo.exceptions import UserError  # pylint: disable=import-outside-toplevel

    return UserError


@click.command("opening-stock")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--company", help="Company (id or name) whose stock this is; default: the database's main company.")
@click.option("-d", "--database", help="Odoo database (default: odoo.conf's db_name).")
@click.option("--chunk-size", type=click.IntRange(min=1), help="Serials per transaction (default: the addon's, 5000).")
@click.option("--enqueue", is_flag=True, help="Let a `serials worker` load it, and print the job's id.")
@click.option("--wait", is_flag=True, help="With --enqueue: show the job's progress until it ends.")
@pass_config
def command(config, path, company, database, chunk_size, enqueue, wait):
    """Load opening stock serials from FILE (.xlsx, .xls, .csv): columns product, location and
    serial, or product, location and quantity (serials generated from the product's format)."""
    from worker.odoo_jobs import call_job_method, odoo_registry  # Odoo is loaded only here

    if wait and not enqueue:
        raise click.UsageError("--wait goes with --enqueue")
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from None
    database = database or config.dsn["dbname"]
    registry = odoo_registry(config, database)
    outcome = _create_job(registry, data, os.path.basename(path), company, chunk_size)
    if "problems" in outcome:
        for problem in outcome["problems"]:
            click.echo(problem)
        click.echo(f"{path}: {len(outcome['problems'])} problem(s); nothing was loaded", err=True)
        sys.exit(1)
    job_id, total = outcome["job_id"], outcome["total"]
    click.echo(f"{path}: {total} serial(s), job {job_id} of {database}", err=True)
    if enqueue:
        _enqueue(config, database, job_id, wait, registry)
        return
    state = call_job_method(registry, job_id)
    _finish(registry, job_id, state)


def _create_job(registry, data, file_name, company, chunk_size):
    from odoo import SUPERUSER_ID, api  # pylint: disable=import-outside-toplevel

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            outcome = env["serial.opening.stock.wizard"]._serial_load_file(data, file_name, company, chunk_size)
        except _odoo_user_error() as exc:
            cr.rollback()
            raise ReadError(f"{file_name}: {exc.args[0]}") from None
        if "problems" in outcome:
            cr.rollback()  # nothing written, not even a generated serial
        return outcome


def _job_row(registry, job_id):
    with registry.cursor() as cr:
        cr.execute("SELECT state, done_count, total_count, error FROM serial_job WHERE id = %s", (job_id,))
        return cr.fetchone()


def _enqueue(config, database, job_id, wait, registry):
    from worker.connections import redis_connect, redis_errors  # pylint: disable=import-outside-toplevel
    from worker.odoo_jobs import enqueue_odoo_job  # pylint: disable=import-outside-toplevel

    with redis_errors(config):
        rq_id = enqueue_odoo_job(config, redis_connect(config), database, job_id)
    click.echo(f"job {job_id}: queued as {rq_id}", err=True)
    if not wait:
        click.echo(job_id)
        return
    shown = None
    while True:
        state, done, total, _error = _job_row(registry, job_id)
        if (state, done) != shown:
            click.echo(f"job {job_id}: {state}, {done}/{total} serials", err=True)
            shown = state, done
        if state in ("done", "failed"):
            break
        time.sleep(POLL_SECONDS)
    _finish(registry, job_id, state)


def _finish(registry, job_id, state):
    state, done, total, error = _job_row(registry, job_id)
    if state != "done":
        click.echo(f"job {job_id}: {state}, {done}/{total} serials loaded: {error or ''}", err=True)
        sys.exit(1)
    click.echo(f"job {job_id}: done, {done} serial(s) loaded", err=True)
