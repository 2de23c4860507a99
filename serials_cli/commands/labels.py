"""`serials labels FILE|- --out PATH`: print serials as a barcode label sheet."""

import os

import click

from serial_core.barcodes import SYMBOLOGIES
from serial_core.errors import LabelError, ReadError
from serial_core.labels import LabelLayout, write_labels
from serial_core.readers import EXTENSIONS, ReadLimits, read_serials
from serial_core.textfiles import decode_text, text_lines


@click.command("labels")
@click.argument("source", metavar="FILE|-")
@click.option(
    "--out", "out", required=True, metavar="PATH", help="Output file; .svg gives one SVG sheet, .pdf an A4 PDF."
)
@click.option(
    "--symbology",
    type=click.Choice(SYMBOLOGIES, case_sensitive=False),
    default="code128",
    show_default=True,
    help="Barcode type.",
)
@click.option(
    "--column", "-c", metavar="C", help="For .xlsx/.xls/.csv/.txt input: 1-based column number or header name."
)
def command(source, out, symbology, column):
    """Write barcode labels (bars + serial text) for the serials in FILE.

    A FILE ending in .xlsx, .xls, .csv or .txt is read like `serials read`
    (header detected, duplicates dropped). Standard input (-) or any other file
    is plain text: one serial a line, blank lines skipped, nothing else dropped.
    """
    extension = os.path.splitext(source)[1].lower()
    skipped = 0
    if source != "-" and extension in EXTENSIONS:
        result = read_serials(source, column=column)
        serials, skipped = result.serials, len(result.duplicates)
    elif column is not None:
        raise click.UsageError(f"--column needs a {', '.join(EXTENSIONS)} file")
    else:
        serials = _plain_lines(source)
    if not serials:
        raise LabelError(f"{'standard input' if source == '-' else source}: no serials to print")
    count = write_labels(serials, out, symbology=symbology)
    pages = ""
    if out.lower().endswith(".pdf"):
        pages = f", {LabelLayout().pages(count)} page(s)"
    dropped = f", {skipped} duplicate(s) skipped" if skipped else ""
    click.echo(f"wrote {count} {symbology.lower()} label(s){pages} to {out}{dropped}", err=True)


def _plain_lines(source):
    """Trimmed non-blank lines of a file or of standard input (-)."""
    limit = ReadLimits().max_bytes
    name = "standard input" if source == "-" else source
    try:
        with click.open_file(source, "rb") as handle:  # "-" is standard input
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ReadError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise ReadError(f"{name}: more than the limit of {limit:,} bytes")
    return [line.strip() for line in text_lines(decode_text(data, name)) if line.strip()]
