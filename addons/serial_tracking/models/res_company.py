from odoo import _, api, fields, models

from serial_core.formats import parse_format

from ..tools.engine import check_syntax
from ..tools.policy import SERIAL_UNIQUENESS


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_default_format = fields.Char(
        string="Default Serial Format",
        help="Format given to products when they become tracked by unique serial and have none, "
        "e.g. SN-[[YEAR]]-[[INCNUM,NONE,6]].",
    )
    serial_default_uniqueness = fields.Selection(
        SERIAL_UNIQUENESS,
        string="Default Serial Uniqueness",
        default="product",
        required=True,
        help="Uniqueness scope given to new serial products.",
    )
    serial_bulk_threshold = fields.Integer(
        string="Bulk Serial Threshold",
        default=1000,
        help="Operations with more serial units than this run through the bulk path: batched validation, "
        "and generating, importing and validating in the background worker.",
    )

    @api.constrains("serial_default_format")
    def _check_serial_default_format(self):
        for company in self.filtered("serial_default_format"):
            subject = _("Default serial format of %(company)s", company=company.name)
            check_syntax(self.env, parse_format, company.serial_default_format, subject)
            # Products without a format or sequence of their own generate from their company's default;
            # those without company from the current one.
            users = (
                self.env["product.product"]
                .sudo()
                .with_company(company)
                .search(
                    [
                        ("tracking", "=", "serial"),
                        ("serial_pattern", "!=", False),
                        ("serial_format", "=", False),
                        ("serial_sequence_id", "=", False),
                        ("company_id", "in", [company.id, False]),
                    ]
                )
            )
            users._check_serial_format_fits_pattern()
