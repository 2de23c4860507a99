from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from serial_core import store
from serial_core.formats import parse_format

from ..tools.engine import call_store, check_syntax, serial_context, store_company, store_serials

# How many upcoming serials the Preview button shows.
PREVIEW_COUNT = 5
# What the store holds of a sequence, read and written through serial.sequence.
STORE_FIELDS = ("name", "format", "gap_free")


class SerialSequence(models.Model):
    """A shared serial counter, owned by the serial_core store in this database.

    The store's serial_sequence row holds the sequence (name, format, gap-free flag) and its counters:
    the rows the `serials` command and the worker read and write. This record is Odoo's handle on it:
    the key (code, company), whether it is archived, and the products using it. Name, format and
    gap-free are read from the store row and written to it (in the same transaction, through
    ``env.cr``), so there is no second copy that could diverge.
    """

    _name = "serial.sequence"
    _description = "Serial Sequence"
    # serial_sequence is the engine's own table (serial_core.migrations) in this same database.
    _table = "serial_tracking_sequence"
    _order = "code, id"
    _check_company_auto = True

    code = fields.Char(required=True, help="Identifies the sequence in the serials store; unique per company.")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    name = fields.Char(
        required=True,
        compute="_compute_name",
        inverse="_inverse_name",
        search="_search_name",
    )
    format = fields.Char(
        required=True,
        compute="_compute_format",
        inverse="_inverse_format",
        search="_search_format",
        help="e.g. SN-[[YEAR]]-[[INCNUM,NONE,6]]: exactly one [[INCNUM,RESET,DIGITS(,START)]] counter.",
    )
    gap_free = fields.Boolean(
        compute="_compute_gap_free",
        inverse="_inverse_gap_free",
        search="_search_gap_free",
        help="Issue numbers strictly one after another: an allocation waits for the previous one to commit.",
    )
    active = fields.Boolean(default=True)
    product_count = fields.Integer(compute="_compute_product_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "A serial sequence with this code already exists in this company.",
        ),
    ]

    def init(self):
        # The engine's tables (sequences, counters, blocks) live in Odoo's own database. Uninstalling the
        # module leaves them: the `serials` command and the worker use the same database (odoo.conf), and
        # dropping the counters would let a reinstall issue numbers that were already issued.
        store.migrate(self.env.cr)

    @api.constrains("code", "company_id")
    def _check_code_without_company(self):
        # UNIQUE (code, company_id) lets NULL companies repeat; the store would refuse such a pair too.
        for sequence in self.filtered(lambda s: not s.company_id):
            if self.search_count([("code", "=", sequence.code), ("company_id", "=", False), ("id", "!=", sequence.id)]):
                raise ValidationError(_("A serial sequence with code %(code)s already exists.", code=sequence.code))

    def _parsed_format(self):
        """The sequence's format parsed; a malformed one is a ValidationError."""
        self.ensure_one()
        return check_syntax(
            self.env, parse_format, self.format, _("Format of serial sequence %(code)s", code=self.code)
        )

    @api.constrains("format")
    def _check_format(self):
        for sequence in self:
            sequence._parsed_format()
        self.env["product.product"].sudo().search(
            [("serial_sequence_id", "in", self.ids)]
        )._check_serial_format_fits_pattern()

    def _compute_product_count(self):
        counts = dict(
            self.env["product.template"]._read_group(
                [("serial_sequence_id", "in", self.ids)], ["serial_sequence_id"], ["__count"]
            )
        )
        for sequence in self:
            sequence.product_count = counts.get(sequence, 0)

    # ------------------------------------------------------------------ the store owns the sequence

    def _store_key(self):
        return self.code, store_company(self.company_id)

    # One compute and one inverse per field: Odoo protects every field of a compute method while one of
    # them is written, so a shared method would read the others as empty.
    def _read_store(self, field):
        with_code = self.filtered("code")
        rows = (
            {
                (row.code, row.company): row
                for row in call_store(self.env.cr, store.list_sequences, codes=set(with_code.mapped("code")))
            }
            if with_code
            else {}
        )
        for sequence in self:
            code, company = sequence._store_key()
            row = rows.get((code, None if company is None else str(company)))
            sequence[field] = getattr(row, field) if row else False

    def _write_store(self, field):
        for sequence in self:
            code, company = sequence._store_key()
            value = sequence[field]
            if field == "format":
                self._check_format_syntax(value, code)
            call_store(self.env.cr, store.update_sequence, code, company=company, **{field: value})

    # No @api.depends: the key never changes once created, and on a new record (a form being filled in)
    # a dependency on the code would replace what the user typed with the still empty store values.
    def _compute_name(self):
        self._read_store("name")

    def _compute_format(self):
        self._read_store("format")

    def _compute_gap_free(self):
        self._read_store("gap_free")

    def _inverse_name(self):
        self._write_store("name")

    def _inverse_format(self):
        self._write_store("format")

    def _inverse_gap_free(self):
        self._write_store("gap_free")

    def _search_in_store(self, field, operator, value):
        # Few sequences exist: their store values are read and the condition is applied to them.
        handles = self.with_context(active_test=False).search([])
        return [("id", "in", handles.filtered_domain([(field, operator, value)]).ids)]

    def _search_name(self, operator, value):
        return self._search_in_store("name", operator, value)

    def _search_format(self, operator, value):
        return self._search_in_store("format", operator, value)

    def _search_gap_free(self, operator, value):
        return self._search_in_store("gap_free", operator, value)

    def _check_format_syntax(self, fmt, code):
        check_syntax(self.env, parse_format, fmt or "", _("Format of serial sequence %(code)s", code=code))

    @api.model_create_multi
    def create(self, vals_list):
        # Odoo's handle first (its unique key refuses a twin), then the store row it points to.
        store_values = [{field: vals.get(field) for field in STORE_FIELDS} for vals in vals_list]
        handles = [{key: value for key, value in vals.items() if key not in STORE_FIELDS} for vals in vals_list]
        sequences = super().create(handles)
        for sequence, values in zip(sequences, store_values, strict=False):
            self._check_format_syntax(values["format"], sequence.code)
            call_store(
                self.env.cr,
                store.create_sequence,
                sequence.code,
                values["format"],
                name=values["name"],
                company=store_company(sequence.company_id),
                gap_free=bool(values["gap_free"]),
            )
        sequences.invalidate_recordset(STORE_FIELDS)
        return sequences

    def write(self, vals):
        # The store finds a sequence by (code, company) and keeps its counters under that key; moving
        # them would silently restart or merge numbering, so the key is fixed once created.
        changes_key = any(
            ("code" in vals and vals["code"] != sequence.code)
            or ("company_id" in vals and (vals["company_id"] or False) != sequence.company_id.id)
            for sequence in self
        )
        if changes_key:
            raise UserError(_("The code and company of a serial sequence cannot change; create a new sequence."))
        return super().write(vals)

    def unlink(self):
        keys = [sequence._store_key() for sequence in self]
        result = super().unlink()
        for code, company in keys:
            call_store(self.env.cr, store.delete_sequence, code, company=company)
        return result

    # ------------------------------------------------------------------ issuing

    def _serial_context(self, product=None, location=None):
        return serial_context(product=product, location=location, company=self.company_id or self.env.company)

    def _store_serials(self, function, count, context, when=None):
        return store_serials(self.env.cr, function, self.code, store_company(self.company_id), count, context, when)

    def _allocate(self, count, product=None, location=None, when=None):
        """Issue ``count`` serials (same transaction as the caller)."""
        self.ensure_one()
        return self._store_serials(store.allocate, count, self._serial_context(product, location), when)

    def _peek(self, count, product=None, location=None, when=None):
        """The next ``count`` serials, issuing nothing."""
        self.ensure_one()
        return self._store_serials(store.peek, count, self._serial_context(product, location), when)

    # ------------------------------------------------------------------ buttons

    def _preview_serials(self, product=None):
        """The next PREVIEW_COUNT serials (of ``product``'s series); [[PRODUCT]] / [[LOCATION]]
        (different for each product and location) are shown as placeholders otherwise."""
        self.ensure_one()
        context = self._serial_context(product)
        context.setdefault("product", "<PRODUCT>")
        context.setdefault("location", "<LOCATION>")
        return self._store_serials(store.peek, PREVIEW_COUNT, context)

    def action_preview(self, next_action=None, product=None):
        """Show the next serials in a notification, one a line (o_serial_preview keeps the line breaks):
        nothing is issued and nothing is written, so stock users (read-only on sequences) can preview too."""
        self.ensure_one()
        params = {
            "title": _("Next serials of %(sequence)s", sequence=self.name),
            "message": "\n".join(self._preview_serials(product)),
            "type": "info",
            "sticky": True,
            "className": "o_serial_preview",
        }
        if next_action:
            params["next"] = next_action
        return {"type": "ir.actions.client", "tag": "display_notification", "params": params}

    def action_open_set_next(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Set Next Number"),
            "res_model": "serial.sequence.set.next",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sequence_id": self.id},
        }

    def action_view_products(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Products"),
            "res_model": "product.template",
            "view_mode": "list,form",
            "domain": [("serial_sequence_id", "=", self.id)],
        }

    def _serial_audit_next(self, old_next, new_next, product=None):
        """Record who moved the next number of this sequence (of ``product``'s series), from what to what."""
        self.ensure_one()
        self.env["serial.audit.log"]._log(
            [
                {
                    "action": "sequence_next",
                    "model": self._name,
                    "res_id": self.id,
                    "field_name": f"next number ({product.display_name})" if product else "next number",
                    "old_value": str(old_next),
                    "new_value": str(new_next),
                    "company_id": self.company_id.id,
                }
            ]
        )
