from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from serial_core import store
from serial_core.formats import parse_format

from ..tools.engine import call_store, check_syntax, serial_context, store_company, store_serials

# How many upcoming serials the Preview button shows.
PREVIEW_COUNT = 5


class SerialSequence(models.Model):
    """A shared serial counter; its counters live in the serial_core store, in this database.

    Every create / write / unlink changes the store row through ``self.env.cr``, so the Odoo record and
    the engine's sequence commit or roll back together.
    """

    _name = "serial.sequence"
    _description = "Serial Sequence"
    # serial_sequence is the engine's own table (serial_core.migrations) in this same database.
    _table = "serial_tracking_sequence"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    code = fields.Char(required=True, help="Identifies the sequence in the serials store; unique per company.")
    format = fields.Char(
        required=True,
        help="e.g. SN-[[YEAR]]-[[INCNUM,NONE,6]]: exactly one [[INCNUM,RESET,DIGITS(,START)]] counter.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    gap_free = fields.Boolean(
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

    @api.constrains("format")
    def _check_format(self):
        for sequence in self:
            check_syntax(self.env, parse_format, sequence.format, _("Format of serial sequence %(code)s", code=sequence.code))

    def _compute_product_count(self):
        counts = dict(
            self.env["product.template"]._read_group(
                [("serial_sequence_id", "in", self.ids)], ["serial_sequence_id"], ["__count"]
            )
        )
        for sequence in self:
            sequence.product_count = counts.get(sequence, 0)

    # ------------------------------------------------------------------ store mirror

    @api.model_create_multi
    def create(self, vals_list):
        sequences = super().create(vals_list)
        for sequence in sequences:
            call_store(
                self.env.cr,
                store.create_sequence,
                sequence.code,
                sequence.format,
                name=sequence.name,
                company=store_company(sequence.company_id),
                gap_free=sequence.gap_free,
            )
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
        result = super().write(vals)
        if {"name", "format", "gap_free"} & set(vals):
            for sequence in self:
                call_store(
                    self.env.cr,
                    store.update_sequence,
                    sequence.code,
                    company=store_company(sequence.company_id),
                    name=sequence.name,
                    format=sequence.format,
                    gap_free=sequence.gap_free,
                )
        return result

    def unlink(self):
        keys = [(sequence.code, store_company(sequence.company_id)) for sequence in self]
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

    def _preview_serials(self):
        """The next PREVIEW_COUNT serials; [[PRODUCT]] / [[LOCATION]] (different for each product and
        location) are shown as placeholders."""
        self.ensure_one()
        context = self._serial_context()
        context.update({"product": "<PRODUCT>", "location": "<LOCATION>"})
        return self._store_serials(store.peek, PREVIEW_COUNT, context)

    def action_preview(self, next_action=None):
        """Show the next serials in a notification: nothing is issued and nothing is written, so stock
        users (read-only on sequences) can preview too."""
        self.ensure_one()
        params = {
            "title": _("Next serials of %(sequence)s", sequence=self.name),
            "message": "\n".join(self._preview_serials()),
            "type": "info",
            "sticky": True,
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
        self.env["serial.audit.log"]._log([{
            "action": "sequence_next", "model": self._name, "res_id": self.id,
            "field_name": f"next number ({product.display_name})" if product else "next number",
            "old_value": str(old_next), "new_value": str(new_next), "company_id": self.company_id.id,
        }])
