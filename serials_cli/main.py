"""The `serials` command group.

Each command group lives in its own module (serials_cli/commands/) and is registered here.
--config is an option of the group, read once when a command first needs it. Exit status:
0 all well, 1 a check failed, 2 bad usage or bad input. Messages go to stderr, one line each,
never a traceback.
"""

import sys

import click

from serial_core.errors import SerialError

from .commands import (
    allocate,
    batch,
    block,
    check,
    db,
    index,
    labels,
    opening_stock,
    pattern,
    read,
    search,
    sequence,
    worker,
)
from .commands import format as format_
from .commands import range as range_
from .options import Settings


class SerialsGroup(click.Group):
    """Turns engine errors into one line on stderr and exit status 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SerialError as exc:
            click.echo(f"serials: {exc}", err=True)
            sys.exit(2)


@click.group(cls=SerialsGroup)
@click.option(
    "--config",
    "config_path",
    default="odoo.conf",
    show_default=True,
    envvar="SERIALS_CONFIG",
    type=click.Path(dir_okay=False),
    help="odoo.conf: the database ([options] db_*) and the worker's Redis ([serial_tracking]).",
)
@click.version_option(package_name="serial-core", prog_name="serials")
@click.pass_context
def main(ctx, config_path):
    """Serial-number control: formats, patterns, ranges, files, labels, allocation."""
    ctx.obj = Settings(config_path)


for module in (
    format_,
    pattern,
    range_,
    read,
    labels,
    db,
    sequence,
    allocate,
    block,
    worker,
    batch,
    check,
    opening_stock,
):
    main.add_command(module.command)
# The serial search index (tables the addon fills in the Odoo database).
for module in (index, search):
    main.add_command(module.command)
