from contextlib import contextmanager

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import create_unique_index

from ..tools import search_index
from ..tools.bulk import column_values
from ..tools.labels import serial_labels_action
from ..tools.messages import format_serial_list
from ..tools.policy import STOCKED_USAGES

SERIAL_UNIQUE_INDEX = "stock_lot_serial_unique_key_uniq"

SERIAL_STATES = [
    ("in_stock", "In stock"),
    ("shipped", "Shipped"),
    ("consumed", "Consumed"),
    ("scrapped", "Scrapped"),
    ("blocked", "Blocked"),
]

# The lot fields the serial record keeps (_serial_refresh_record writes them in one statement).
RECORD_FIELDS = [
    "serial_state",
    "serial_location_id",
    "serial_partner_id",
    "serial_last_reference",
    "serial_last_date",
    "serial_warranty_start",
    "serial_warranty_end",
]


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

    It also keeps each serial's record: state, whereabouts, last document and warranty (stored, refreshed
    from the done move lines whenever moves are done, a serial is blocked or unblocked, or a product's
    warranty terms change: one SQL statement per refresh), blocking, and the audit of its changes.
    """

    # Bulk validations flush thousands of these rows with the same values (serial_uniform_write_mixin).
    _name = "stock.lot"
    _inherit = ["stock.lot", "serial.uniform.write.mixin"]

    serial_unique_key = fields.Char(
        compute="_compute_serial_unique_key",
        store=True,
        copy=False,
        help="Serial name within its uniqueness scope; unique over all lots. Empty unless the product "
        "is tracked by unique serial.",
    )
    # Genealogy per unit: the component serials and lots a finished serial was built from.
    serial_component_lot_ids = fields.Many2many(
        "stock.lot",
        "stock_lot_serial_component_rel",
        "finished_lot_id",
        "component_lot_id",
        string="Component Serials",
        copy=False,
        help="Serials and lots of the components consumed to build this unit.",
    )
    serial_finished_lot_ids = fields.Many2many(
        "stock.lot",
        "stock_lot_serial_component_rel",
        "component_lot_id",
        "finished_lot_id",
        string="Built Into",
        copy=False,
        help="The finished serials this unit was consumed into.",
    )

    # The serial record: stored (the Serial List sorts, groups and filters on it), refreshed by
    # _serial_refresh_record.
    serial_state = fields.Selection(SERIAL_STATES, readonly=True, copy=False, index=True)
    serial_location_id = fields.Many2one(
        "stock.location",
        string="Current Location",
        readonly=True,
        copy=False,
        help="Where the unit is on hand, or where its last move took it (a customer, production, scrap).",
    )
    serial_partner_id = fields.Many2one(
        "res.partner",
        string="Shipped To",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The partner of the last shipment, while the unit is shipped.",
    )
    # Looked up, not stored: a stored link to the lot's newest line would have every new lot's row
    # written twice, since the lot's row exists before its first line.
    serial_last_move_line_id = fields.Many2one(
        "stock.move.line", string="Last Move", compute="_compute_serial_last_move_line_id"
    )
    serial_last_reference = fields.Char(string="Last Document", readonly=True, copy=False)
    serial_last_date = fields.Datetime(string="Last Moved", readonly=True, copy=False)
    serial_blocked = fields.Boolean(string="Blocked", copy=False, tracking=True)
    serial_block_reason = fields.Char(string="Block Reason", copy=False)
    serial_warranty_start = fields.Date(string="Warranty Start", readonly=True, copy=False)
    serial_warranty_end = fields.Date(string="Warranty End", readonly=True, copy=False, index="btree_not_null")
    serial_warranty_status = fields.Char(string="Warranty", compute="_compute_serial_warranty_status")
    serial_history_count = fields.Integer(compute="_compute_serial_history_count")
    # The one search box: a fragment of the serial, or a product, partner or document (tools/search_index.py).
    serial_search = fields.Char(
        string="Serial, Product, Partner or Document", compute="_compute_serial_search", search="_search_serial_search"
    )

    def init(self):
        result = super().init()
        # PostgreSQL never counts NULLs as equal, so lots without a key (not serial-tracked) never clash.
        create_unique_index(self.env.cr, SERIAL_UNIQUE_INDEX, self._table, ["serial_unique_key"])
        search_index.install(self.env.cr)
        return result

    def _compute_serial_search(self):
        self.serial_search = False

    def _search_serial_search(self, operator, value):
        return search_index.search_domain(self.env, operator, value)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # A page or a count searched by serial_search: bounded through the index whatever the term.
        query = search_index.indexed_search(self, domain, offset, limit, order, super()._search)
        return super()._search(domain, offset, limit, order) if query is None else query

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
        lots._serial_after_create()
        return lots

    def _serial_after_create(self):
        """What follows the creation of these lots here: the search index told, the audit log written
        (also run for the lots tools/bulk.py's create_lots copies in SQL)."""
        search_index.notify_worker(self.env)
        self.env["serial.audit.log"]._log([lot._serial_audit_entry("create", new=lot.name) for lot in self])

    def write(self, vals):
        audit = self._serial_audit_before_write(vals)
        if not {"name", "product_id", "company_id"} & set(vals):
            result = super().write(vals)
        else:
            with self._serial_unique_guard():
                result = super().write(vals)
                self.flush_recordset(["serial_unique_key"])
            search_index.notify_worker(self.env)
        self._serial_audit_after_write(vals, *audit)
        return result

    def unlink(self):
        self.env["serial.audit.log"]._log([lot._serial_audit_entry("delete", old=lot.name) for lot in self])
        search_index.notify_worker(self.env)
        return super().unlink()

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
        # Product scope is Odoo's own rule, already checked by _check_unique_lot. Lots read by column:
        # thousands at once when created in bulk.
        wider_products = set(
            self.product_id.filtered(lambda product: product.serial_uniqueness in ("company", "global")).ids
        )
        wider = self.browse(
            [
                lot_id
                for lot_id, product_id in zip(self._ids, column_values(self, "product_id"), strict=True)
                if product_id in wider_products
            ]
        )
        clashes = wider._serial_scope_clashes()
        if clashes:
            raise ValidationError(
                _(
                    "These serial numbers already exist in their uniqueness scope:\n%(serials)s",
                    serials=format_serial_list(self.env, clashes),
                )
            )

    def _serial_on_hand(self):
        """Lots of self with a positive quantity in an internal or transit location."""
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search([("lot_id", "in", self.ids), ("location_id.usage", "in", STOCKED_USAGES), ("quantity", ">", 0)])
        )
        return quants.lot_id

    def _serial_gone(self):
        """Lots of self whose last done move took them to a customer or into production (shipped or
        consumed)."""
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search([("lot_id", "in", self.ids), ("state", "=", "done")], order="date desc, id desc")
        )
        last_destination = {}
        for line in lines:
            last_destination.setdefault(line.lot_id, line.location_dest_id.usage)
        return self.filtered(lambda lot: last_destination.get(lot) in ("customer", "production"))

    def _serial_unavailable_names(self):
        """Names of lots of self that cannot receive a new unit: on hand already, shipped or consumed."""
        return (self._serial_on_hand() | self._serial_gone()).mapped("name")

    # ------------------------------------------------------------------ serial record

    @api.constrains("serial_blocked", "serial_block_reason")
    def _check_serial_block_reason(self):
        for lot in self:
            if lot.serial_blocked and not (lot.serial_block_reason or "").strip():
                raise ValidationError(_("Serial %(serial)s: give a reason for blocking it.", serial=lot.name))

    @api.depends("serial_warranty_start", "serial_warranty_end", "product_id.serial_warranty_months")
    def _compute_serial_warranty_status(self):
        today = fields.Date.context_today(self)
        for lot in self:
            months = lot.product_id.serial_warranty_months
            if not months:
                lot.serial_warranty_status = _("No warranty")
            elif not lot.serial_warranty_end:
                lot.serial_warranty_status = _("Warranty of %(months)s months not started", months=months)
            elif lot.serial_warranty_end >= today:
                lot.serial_warranty_status = _("Covered until %(date)s", date=lot.serial_warranty_end)
            else:
                lot.serial_warranty_status = _("Expired on %(date)s", date=lot.serial_warranty_end)

    def _compute_serial_history_count(self):
        counts = dict(self.env["serial.history"]._read_group([("lot_id", "in", self.ids)], ["lot_id"], ["__count"]))
        for lot in self:
            lot.serial_history_count = counts.get(lot, 0)

    # ------------------------------------------------------------------ refresh

    def _serial_refresh_record(self, lot_filter=None):
        """Recompute the record fields of self (or of the lots matching ``lot_filter``, an SQL condition
        on ``lot``) from the done move lines and the quants, in one UPDATE."""
        if lot_filter is None:
            if not self:
                return
            lot_filter = SQL("lot.id = ANY(%s)", self.ids)
        self.env.flush_all()
        stocked = SQL("(%s)", SQL(", ").join(SQL("%s", usage) for usage in STOCKED_USAGES))
        self.env.cr.execute(
            SQL(
                """
            WITH target AS (
                SELECT lot.id, lot.serial_blocked, pt.serial_warranty_months AS months,
                       pt.serial_warranty_starts AS starts
                  FROM stock_lot lot
                  JOIN product_product pp ON pp.id = lot.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE %(lot_filter)s
            ), last_line AS (
                SELECT DISTINCT ON (sml.lot_id) sml.lot_id, sml.id, dst.usage, sml.location_dest_id,
                       COALESCE(sp.partner_id, sm.partner_id) AS partner_id,
                       COALESCE(sml.reference, sm.reference) AS reference, sml.date
                  FROM stock_move_line sml
                  JOIN stock_move sm ON sm.id = sml.move_id
                  JOIN stock_location dst ON dst.id = sml.location_dest_id
             LEFT JOIN stock_picking sp ON sp.id = sml.picking_id
                 WHERE sml.lot_id IN (SELECT id FROM target) AND sml.state = 'done'
              ORDER BY sml.lot_id, sml.date DESC, sml.id DESC
            ), on_hand AS (
                SELECT DISTINCT ON (q.lot_id) q.lot_id, q.location_id
                  FROM stock_quant q
                  JOIN stock_location loc ON loc.id = q.location_id
                 WHERE q.lot_id IN (SELECT id FROM target) AND loc.usage IN %(stocked)s AND q.quantity > 0
              ORDER BY q.lot_id, q.quantity DESC, q.id
            ), warranty AS (
                SELECT sml.lot_id, MIN(sml.date) AS start
                  FROM stock_move_line sml
                  JOIN target t ON t.id = sml.lot_id
                  JOIN stock_move sm ON sm.id = sml.move_id
                  JOIN stock_location src ON src.id = sml.location_id
                  JOIN stock_location dst ON dst.id = sml.location_dest_id
                 WHERE sml.state = 'done'
                   -- CASE, not OR: from an OR PostgreSQL reads a filter on starts, guesses that a
                   -- hundredth of the lots pass it and loops over every done line for each lot.
                   AND CASE t.starts
                           WHEN 'delivery' THEN dst.usage = 'customer' AND sm.origin_returned_move_id IS NULL
                           WHEN 'receipt' THEN src.usage NOT IN %(stocked)s AND dst.usage IN %(stocked)s
                           ELSE FALSE
                       END
              GROUP BY sml.lot_id
            ), record AS (
                SELECT t.id,
                       CASE
                           WHEN t.serial_blocked THEN 'blocked'
                           WHEN oh.lot_id IS NOT NULL THEN 'in_stock'
                           WHEN ll.usage IN ('customer', 'supplier') THEN 'shipped'
                           WHEN ll.usage = 'production' THEN 'consumed'
                           WHEN ll.usage = 'inventory' THEN 'scrapped'
                           WHEN ll.usage IN %(stocked)s THEN 'in_stock'
                       END AS state,
                       COALESCE(oh.location_id, ll.location_dest_id) AS location_id,
                       CASE WHEN oh.lot_id IS NULL AND ll.usage IN ('customer', 'supplier')
                            THEN ll.partner_id END AS partner_id,
                       ll.reference,
                       ll.date,
                       w.start::date AS warranty_start,
                       CASE WHEN COALESCE(t.months, 0) > 0 AND w.start IS NOT NULL
                            THEN (w.start::date + make_interval(months => t.months))::date END AS warranty_end
                  FROM target t
             LEFT JOIN last_line ll ON ll.lot_id = t.id
             LEFT JOIN on_hand oh ON oh.lot_id = t.id
             LEFT JOIN warranty w ON w.lot_id = t.id
            )
            UPDATE stock_lot lot
               SET serial_state = r.state,
                   serial_location_id = r.location_id,
                   serial_partner_id = r.partner_id,
                   serial_last_reference = r.reference,
                   serial_last_date = r.date,
                   serial_warranty_start = r.warranty_start,
                   serial_warranty_end = r.warranty_end
              FROM record r
             WHERE lot.id = r.id
               -- Rows already right stay as they are (lots created with their record: _serial_record_on_arrival).
               AND (lot.serial_state, lot.serial_location_id, lot.serial_partner_id, lot.serial_last_reference,
                    lot.serial_last_date, lot.serial_warranty_start, lot.serial_warranty_end)
                   IS DISTINCT FROM (r.state, r.location_id, r.partner_id, r.reference, r.date,
                                     r.warranty_start, r.warranty_end)
            """,
                lot_filter=lot_filter,
                stocked=stocked,
            )
        )
        self.env["stock.lot"].invalidate_model(RECORD_FIELDS)

    @api.model
    def _serial_record_on_arrival(self, product, location, date, reference):
        """The record _serial_refresh_record gives a new lot of ``product`` once its first move, done on
        ``date`` under ``reference``, has brought its unit into the stock location ``location`` from
        outside stock (an inventory count, a receipt). Lots created with it are not written again
        when their move is done as foreseen; otherwise the refresh corrects them."""
        template = product.product_tmpl_id
        start = date.date() if template.serial_warranty_starts == "receipt" else False
        months = template.serial_warranty_months
        return {
            "serial_state": "in_stock",
            "serial_location_id": location.id,
            "serial_last_reference": reference,
            "serial_last_date": date,
            "serial_warranty_start": start,
            "serial_warranty_end": start + relativedelta(months=months) if start and months > 0 else False,
        }

    # ------------------------------------------------------------------ blocking

    def _serial_check_not_blocked(self):
        """One UserError naming every blocked serial of self with its reason."""
        blocked = self.filtered("serial_blocked")
        if blocked:
            lines = "\n".join(
                self.env._(
                    "%(serial)s (%(product)s): %(reason)s",
                    serial=lot.name,
                    product=lot.product_id.display_name,
                    reason=lot.serial_block_reason,
                )
                for lot in blocked
            )
            raise UserError(
                _(
                    "These serial numbers are blocked; no operation may use them until they are unblocked:\n%(lines)s",
                    lines=lines,
                )
            )

    def action_serial_unblock(self):
        self.write({"serial_blocked": False, "serial_block_reason": False})
        return True

    def action_serial_open_block_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Block Serials"),
            "res_model": "serial.block.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lot_ids": self.ids},
        }

    # ------------------------------------------------------------------ history

    def _compute_serial_last_move_line_id(self):
        """The newest done line of each lot, as the serial record orders them (date, then id)."""
        lot_ids = [lot_id for lot_id in self.ids if lot_id]
        last = {}
        if lot_ids:
            self.env["stock.move.line"].flush_model(["lot_id", "state", "date"])
            self.env.cr.execute(
                SQL(
                    "SELECT DISTINCT ON (lot_id) lot_id, id FROM stock_move_line "
                    "WHERE lot_id = ANY(%s) AND state = 'done' ORDER BY lot_id, date DESC, id DESC",
                    lot_ids,
                )
            )
            last = dict(self.env.cr.fetchall())
        for lot in self:
            lot.serial_last_move_line_id = last.get(lot.id, False)

    def action_serial_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("serial_tracking.serial_history_action")
        action["domain"] = [("lot_id", "=", self.id)]
        action["display_name"] = _("History of %(serial)s", serial=self.name)
        return action

    def action_serial_open_last_document(self):
        self.ensure_one()
        if not self.serial_last_move_line_id:
            raise UserError(_("Serial %(serial)s has not moved yet.", serial=self.name))
        history = self.env["serial.history"].browse(self.serial_last_move_line_id.id)
        return history.action_open_document()

    # ------------------------------------------------------------------ labels

    def _serial_label_lots(self):
        return self.filtered(lambda lot: lot.product_id.tracking == "serial")

    def action_serial_print_labels(self):
        return serial_labels_action(self, self._serial_label_lots())

    # ------------------------------------------------------------------ recall

    def action_serial_recall(self):
        """The recall view of this serial or lot: every finished serial built from it (at any depth),
        where each is now and which customer it was shipped to."""
        self.ensure_one()
        return self._serial_recall("built_from")

    def _serial_recall(self, direction):
        self.env["serial.recall"]._serial_drop_stale()
        recall = self.env["serial.recall"].create({"lot_id": self.id, "direction": direction})
        recall._fill()
        return recall._open()

    # ------------------------------------------------------------------ audit

    def _serial_audit_before_write(self, vals):
        """(renamed lots with their old names, lots whose blocking changes) of a write of ``vals``."""
        renamed = self.filtered(lambda lot: "name" in vals and lot.name != vals["name"])
        old_names = {lot.id: lot.name for lot in renamed}
        blocking = self.browse()
        if "serial_blocked" in vals:
            blocking = self.filtered(lambda lot: lot.serial_blocked != bool(vals["serial_blocked"]))
        return renamed, old_names, blocking

    def _serial_audit_after_write(self, vals, renamed, old_names, blocking):
        entries = [lot._serial_audit_entry("rename", old=old_names[lot.id], new=lot.name) for lot in renamed]
        if blocking:
            action = "block" if vals["serial_blocked"] else "unblock"
            entries += [lot._serial_audit_entry(action, new=lot.serial_block_reason) for lot in blocking]
            blocking._serial_refresh_record()
        self.env["serial.audit.log"]._log(entries)

    def _serial_audit_entry(self, action, old=None, new=None):
        self.ensure_one()
        return {
            "action": action,
            "model": self._name,
            "res_id": self.id,
            "lot_id": self.id if action != "delete" else None,
            "lot_name": self.name,
            "field_name": "name" if action == "rename" else None,
            "old_value": old,
            "new_value": new,
            "company_id": self.company_id.id,
        }
