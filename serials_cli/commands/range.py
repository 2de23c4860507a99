"""`serials range expand|collapse`: generate serial ranges and write lists as ranges."""

import click

from serial_core.errors import RangeError
from serial_core.ranges import expand as expand_range
from serial_core.ranges import format_runs


@click.group("range")
def command():
    """Serial ranges such as SN-0001 – SN-0010 (10)."""


@command.command("expand")
@click.option("--prefix", default="", help="Text before the number, e.g. SN-.")
@click.option("--start", type=click.IntRange(min=0), required=True, help="First number.")
@click.option("--end", type=click.IntRange(min=0), help="Last number (or give --count).")
@click.option("--count", type=click.IntRange(min=1), help="How many serials (or give --end).")
@click.option(
    "--padding",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Digit width, zero-padded: 4 gives 0001.",
)
@click.option("--suffix", default="", help="Text after the number, e.g. -A.")
def expand(prefix, start, end, count, padding, suffix):
    """Print the serials PREFIX+START..END (or COUNT of them)+SUFFIX, one a line."""
    if (end is None) == (count is None):
        raise click.UsageError("give exactly one of --end and --count")
    serials = expand_range(prefix, start, end=end, count=count, padding=padding, suffix=suffix)
    click.echo("\n".join(serials))


@command.command("collapse")
@click.argument("source", type=click.File("rb"), default="-", metavar="[FILE|-]")
def collapse(source):
    """Read serials one a line (blank lines skipped) and print them as ranges."""
    name = getattr(source, "name", "-")
    name = "standard input" if name in ("-", "<stdin>") else name
    try:
        text = source.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RangeError(f"{name}: not UTF-8 text (byte {exc.start + 1})") from None
    serials = [line.strip() for line in text.splitlines() if line.strip()]
    click.echo(format_runs(serials), nl=False)
