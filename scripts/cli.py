"""The `serials` command line.

Each command group lives in its own module (scripts/cmd_*.py) and is registered
here. Exit status: 0 all well, 1 a check failed, 2 bad usage or bad input.
Messages go to stderr, one line each, never a traceback.
"""
import importlib
import sys

import click

from serial_core.errors import SerialError

# Module name -> attribute holding its click command or group.
COMMAND_MODULES = [
    "scripts.cmd_format",
    "scripts.cmd_pattern",
    "scripts.cmd_range",
    "scripts.cmd_read",
    "scripts.cmd_labels",
    "scripts.cmd_db",
    "scripts.cmd_sequence",
    "scripts.cmd_allocate",
    "scripts.cmd_block",
    "scripts.cmd_worker",
    "scripts.cmd_batch",
    "scripts.cmd_check",
]


class SerialsGroup(click.Group):
    """Turns engine errors into one line on stderr and exit status 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SerialError as exc:
            click.echo(f"serials: {exc}", err=True)
            sys.exit(2)


@click.group(cls=SerialsGroup)
@click.version_option(package_name="serial-core", prog_name="serials")
def main():
    """Serial-number control: formats, patterns, ranges, files, labels, allocation."""


for module_name in COMMAND_MODULES:
    module = importlib.import_module(module_name)
    main.add_command(module.command)
