"""`serials read FILE [--column C]`: print a file's serials, report duplicates."""

import os
import sys

import click

from serial_core.readers import read_serials


@click.command("read")
@click.argument("file", metavar="FILE")
@click.option(
    "--column", "-c", metavar="C", help="1-based column number (1 = column A) or header name; default the first column."
)
def command(file, column):
    """Print the serials of FILE (.xlsx, .xls, .csv or .txt), one a line.

    The header row is skipped when detected, blank cells are skipped and
    duplicates are removed keeping the first. Each removed duplicate and a
    summary line go to stderr.
    """
    result = read_serials(file, column=column)
    for duplicate in result.duplicates:
        click.echo(
            f"duplicate {duplicate.value} at row {duplicate.row} (first at row {duplicate.first_row})",
            err=True,
        )
    click.echo(
        f"{file}: {len(result.serials)} serial(s) from {result.rows} row(s), "
        f"{len(result.duplicates)} duplicate(s) removed",
        err=True,
    )
    if result.serials:
        echo_lines(result.serials)


def echo_lines(lines):
    """Print lines to stdout; a closed pipe (`| head`) ends quietly instead of a traceback."""
    try:
        click.echo("\n".join(lines))
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
