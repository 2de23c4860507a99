from contextlib import contextmanager

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.sql import create_unique_index

from ..tools.messages import format_serial_list
from ..tools.policy import STOCKED_USAGES

SERIAL_UNIQUE_INDEX = "stock_lot_serial_unique_key_uniq"


def serial_from_unique_key(key):
    """The serial name inside a serial_unique_key (the scope prefix has a fixed number of ':' parts)."""
    scope = key.split(":", 1)[0]
    parts = {"global": 1, "company": 2, "product": 3}.get(scope)
    return key.split(":", parts)[-1] if parts else key


class StockLot(models.Model):
    """Serial uniqueness in the product's scope, enforced by a unique index.

    Odoo's own guard, ``_check_unique_lot``, is a Python constraint: it searches for duplicates of
    (product, name) per company after the insert. Two transactions creating the same serial at the
    same moment each see only their own row, so both pass it. ``serial_unique_key`` turns the scope
    into one indexed value - the name alone for 'global', name + company for 'company', name +
    product + company for 'product' (Odoo's rule) - and the UNIQUE index makes PostgreSQL block the
    second transaction until the first commits and then refuse it. ``_check_unique_lot`` is kept:
    it still reports sequential product-scope duplicates with Odoo's message and covers the one
    case the index cannot see (a lot without company against a lot of a company), and
    ``_check_serial_scope`` does the same for the company and global scopes.
    """

    _inherit = "stock.lot"

    serial_unique_key = fields.Char(
        compute="_compute_serial_unique_key",
        store=True,
        copy=False,
        help="Serial name within its uniqueness scope; unique over all lots. Empty unless the product "
        "is tracked by unique serial.",
    )
    # Genealogy per unit: the component serials a finished serial was built from.
    serial_component_lot_ids = fields.Many2many(
        "stock.lot", "stock_lot_serial_component_rel", "finished_lot_id", "component_lot_id",
        string="Component Serials", copy=False,
        help="Serials of the components consumed to build this unit.",
    )
    serial_finished_lot_ids = fields.Many2many(
        "stock.lot", "stock_lot_serial_component_rel", "component_lot_id", "finished_lot_id",
        string="Built Into", copy=False,
        help="The finished serials this unit was consumed into.",
    )

    def init(self):
        result = super().init()
        # PostgreSQL never counts NULLs as equal, so lots without a key (not serial-tracked) never clash.
        create_unique_index(self.env.cr, SERIAL_UNIQUE_INDEX, self._table, ["serial_unique_key"])
        return result

    @api.depends("name", "product_id", "company_id", "product_id.tracking", "product_id.serial_uniqueness")
    def _compute_serial_unique_key(self):
        for lot in self:
            product = lot.product_id
            if not lot.name or product.tracking != "serial":
                lot.serial_unique_key = False
            elif product.serial_uniqueness == "global":
                lot.serial_unique_key = f"global:{lot.name}"
            elif product.serial_uniqueness == "company":
                lot.serial_unique_key = f"company:{lot.company_id.id or 0}:{lot.name}"
            else:
                lot.serial_unique_key = f"product:{product.id}:{lot.company_id.id or 0}:{lot.name}"

    @contextmanager
    def _serial_unique_guard(self):
        """Turn a violation of the unique index into a ValidationError naming the serial."""
        try:
            with self.env.cr.savepoint():
                yield
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != SERIAL_UNIQUE_INDEX:
                raise
            detail = error.diag.message_detail or ""
            key = detail.partition("=(")[2].rpartition(") already exists")[0]
            raise ValidationError(
                _(
                    "Serial number %(serial)s was just registered by another operation; serial numbers must be "
                    "unique. Reload and use another serial.",
                    serial=serial_from_unique_key(key) if key else detail,
                )
            ) from error

    @api.model_create_multi
    def create(self, vals_list):
        with self._serial_unique_guard():
            lots = super().create(vals_list)
            lots.flush_recordset(["serial_unique_key"])
        return lots

    def write(self, vals):
        if not {"name", "product_id", "company_id"} & set(vals):
            return super().write(vals)
        with self._serial_unique_guard():
            result = super().write(vals)
            self.flush_recordset(["serial_unique_key"])
        return result

    def _serial_scope_clashes(self):
        """'name (other product / company)' for each lot of self whose name its scope already holds.

        Product scope follows Odoo: the same product, and the same company or no company.
        Company scope: any product, same company or no company. Global: any lot anywhere.
        """
        serial_lots = self.filtered(lambda lot: lot.product_id.tracking == "serial" and lot.name)
        if not serial_lots:
            return []
        others = (
            self.env["stock.lot"]
            .sudo()
            .with_context(active_test=False)
            .search([("name", "in", serial_lots.mapped("name")), ("id", "not in", serial_lots.ids)])
        )
        by_name = {}
        for other in others:
            by_name.setdefault(other.name, self.env["stock.lot"].sudo())
            by_name[other.name] |= other
        clashes = []
        for lot in serial_lots:
            scope = lot.product_id.serial_uniqueness
            for other in by_name.get(lot.name, ()):
                same_company = not lot.company_id or not other.company_id or lot.company_id == other.company_id
                if (
                    scope == "global"
                    or (scope == "company" and same_company)
                    or (scope == "product" and same_company and other.product_id == lot.product_id)
                ):
                    where = other.product_id.display_name
                    if other.company_id:
                        where = f"{where}, {other.company_id.name}"
                    clashes.append(f"{lot.name} ({where})")
                    break
        return clashes

    @api.constrains("name", "product_id", "company_id")
    def _check_serial_scope(self):
        # Product scope is Odoo's own rule, already checked by _check_unique_lot.
        wider = self.filtered(lambda lot: lot.product_id.serial_uniqueness in ("company", "global"))
        clashes = wider._serial_scope_clashes()
        if clashes:
            raise ValidationError(
                _("These serial numbers already exist in their uniqueness scope:\n%(serials)s",
                  serials=format_serial_list(self.env, clashes))
            )

    def _serial_on_hand(self):
        """Lots of self with a positive quantity in an internal or transit location."""
        quants = self.env["stock.quant"].sudo().search(
            [("lot_id", "in", self.ids), ("location_id.usage", "in", STOCKED_USAGES), ("quantity", ">", 0)]
        )
        return quants.lot_id

    def _serial_gone(self):
        """Lots of self whose last done move took them to a customer or into production (shipped or
        consumed)."""
        lines = self.env["stock.move.line"].sudo().search(
            [("lot_id", "in", self.ids), ("state", "=", "done")], order="date desc, id desc"
        )
        last_destination = {}
        for line in lines:
            last_destination.setdefault(line.lot_id, line.location_dest_id.usage)
        return self.filtered(lambda lot: last_destination.get(lot) in ("customer", "production"))

    def _serial_unavailable_names(self):
        """Names of lots of self that cannot receive a new unit: on hand already, shipped or consumed."""
        return (self._serial_on_hand() | self._serial_gone()).mapped("name")
