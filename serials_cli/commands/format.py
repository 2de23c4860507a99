"""`serials format preview`: what a fresh series of an auto-serial format would issue."""

import datetime as dt

import click

from serial_core.formats import parse_format


@click.group("format")
def command():
    """Auto-serial formats such as SN-[[YEAR]]-[[INCNUM,YEARLY,5]]."""


@command.command("preview")
@click.argument("format_text", metavar="FORMAT")
@click.option(
    "--date",
    "when",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    help="Date (and time) to number at, YYYY-MM-DD[THH:MM]; default now.",
)
@click.option(
    "--count", type=click.IntRange(1, 1_000_000), default=10, show_default=True, help="How many serials to show."
)
@click.option("--product", help="Product code for [[PRODUCT]].")
@click.option("--location", help="Location code for [[LOCATION]].")
@click.option("--company", help="Company code for [[COMPANY]].")
def preview(format_text, when, count, product, location, company):
    """Print COUNT serials, one a line, as a fresh series of FORMAT would issue them."""
    serial_format = parse_format(format_text)
    context = {"product": product, "location": location, "company": company}
    serials = serial_format.preview(count, when or dt.datetime.now(), context)
    for warning in serial_format.warnings:
        click.echo(f"serials: warning: {warning}", err=True)
    click.echo("\n".join(serials))
