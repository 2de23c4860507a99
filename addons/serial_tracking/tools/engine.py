"""The addon's one door to serial_core: engine errors become Odoo errors with the engine's words, and
Odoo records become the store's keys and the formats' token values."""

from odoo import fields
from odoo.exceptions import UserError, ValidationError

from serial_core.errors import SerialError


def check_syntax(env, parse, value, subject):
    """Run an engine parser (parse_format, compile_pattern) on ``value``; its error becomes a
    ValidationError after ``subject``, e.g. "Serial format of Phone: ..."."""
    try:
        return parse(value)
    except SerialError as error:
        raise ValidationError(env._("%(subject)s: %(error)s", subject=subject, error=error)) from error


def store_company(company):
    """The store's company key of an Odoo company: its id, or None for 'all companies'."""
    return company.id or None


def call_store(cr, function, *args, **kwargs):
    """Call a serial_core.store function; its errors become UserErrors with the engine's message."""
    try:
        return function(cr, *args, **kwargs)
    except SerialError as error:
        raise UserError(str(error)) from error


def store_serials(cr, function, code, company_key, count, context, when=None):
    """``count`` serials of the store sequence (code, company_key) through ``function``: store.allocate
    issues them, store.peek only shows them."""
    return call_store(
        cr, function, code, count, when=when or fields.Datetime.now(), context=context, company=company_key
    )


def serial_context(product=None, location=None, company=None):
    """The values of the format's [[PRODUCT]], [[LOCATION]] and [[COMPANY]] tokens."""
    context = {}
    if product:
        context["product"] = product.default_code or product.name
    if location:
        context["location"] = location.name
    if company:
        context["company"] = company.name
    return context
