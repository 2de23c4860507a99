"""`serials pattern check`: do serials match a serial pattern such as 996*****?"""

import sys

import click

from serial_core.patterns import compile_pattern


@click.group("pattern")
def command():
    """Serial patterns: * letter or digit, # digit, @ letter, \\ escapes, else literal."""


@command.command("check")
@click.argument("pattern_text", metavar="PATTERN")
@click.argument("serials", nargs=-1, required=True, metavar="SERIAL...")
def check(pattern_text, serials):
    """Print "SERIAL: ok" or "SERIAL: <reason>" per serial; exit 1 if any fails."""
    pattern = compile_pattern(pattern_text)
    failed = False
    for serial in serials:
        reason = pattern.check(serial)
        failed = failed or reason is not None
        click.echo(f"{serial}: {reason or 'ok'}")
    if failed:
        sys.exit(1)
