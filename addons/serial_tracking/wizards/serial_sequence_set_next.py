from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import escape_psql

from serial_core import store
from serial_core.formats import COUNTER_MARKER

from ..tools.engine import call_store, store_company
from ..tools.messages import format_serial_list


class SerialSequenceSetNext(models.TransientModel):
    """Set Next Number: enter the last number issued; the next serial is that number + 1. Opens at the
    series' current last number; going back (numbers issued again) needs an explicit confirmation."""

    _name = "serial.sequence.set.next"
    _description = "Set the Next Number of a Serial Sequence"

    sequence_id = fields.Many2one("serial.sequence", required=True, ondelete="cascade")
    product_id = fields.Many2one(
        "product.product",
        help="Only for formats with [[PRODUCT]]: each product has its own series.",
    )
    needs_product = fields.Boolean(compute="_compute_needs_product")
    current_last_issued = fields.Integer(
        string="Current Last Number",
        compute="_compute_current_last_issued",
        help="The counter value of the most recent serial issued in this series (start - 1 when none was).",
    )
    last_issued = fields.Integer(
        string="Last Number Issued",
        compute="_compute_last_issued",
        store=True,
        readonly=False,
        required=True,
        help="The next serial will be this number + 1: enter 17, the next serial gets 18.",
    )
    next_serial = fields.Char(compute="_compute_next_serial")
    moves_back = fields.Boolean(compute="_compute_move_back")
    move_back_warning = fields.Text(compute="_compute_move_back")
    confirm_move_back = fields.Boolean(
        string="Issue these numbers again",
        help="Going back issues numbers that were issued before; serials that already exist are skipped "
        "when products generate serials.",
    )

    def _series_ready(self):
        return bool(self.sequence_id) and not (self.needs_product and not self.product_id)

    def _store_key(self):
        """(code, company key, token context) of the series this wizard sets."""
        sequence = self.sequence_id
        return sequence.code, store_company(sequence.company_id), sequence._serial_context(self.product_id)

    @api.depends("sequence_id.format")
    def _compute_needs_product(self):
        for wizard in self:
            wizard.needs_product = (
                bool(wizard.sequence_id.format) and "product" in wizard.sequence_id._parsed_format().context_tokens
            )

    @api.depends("sequence_id", "product_id", "needs_product")
    def _compute_current_last_issued(self):
        for wizard in self:
            wizard.current_last_issued = wizard._read_last_issued() if wizard._series_ready() else 0

    def _read_last_issued(self):
        code, company_key, context = self._store_key()
        return (
            call_store(
                self.env.cr, store.next_value, code, when=fields.Datetime.now(), context=context, company=company_key
            )
            - 1
        )

    @api.depends("sequence_id", "product_id", "needs_product")
    def _compute_last_issued(self):
        for wizard in self:
            wizard.last_issued = wizard.current_last_issued

    @api.depends("sequence_id", "last_issued", "product_id")
    def _compute_next_serial(self):
        for wizard in self:
            wizard.next_serial = False
            if not wizard._series_ready() or wizard.last_issued < 0:
                continue
            fmt = wizard.sequence_id._parsed_format()
            wizard.next_serial = fmt.render(
                wizard.last_issued + 1, fields.Datetime.now(), wizard.sequence_id._serial_context(wizard.product_id)
            )

    @api.depends("sequence_id", "last_issued", "product_id", "current_last_issued")
    def _compute_move_back(self):
        for wizard in self:
            wizard.moves_back = wizard._series_ready() and 0 <= wizard.last_issued < wizard.current_last_issued
            wizard.move_back_warning = (
                wizard._move_back_text(wizard.current_last_issued) if wizard.moves_back else False
            )

    def _move_back_text(self, current):
        """What going back from ``current`` to last_issued means: the numbers issued again, and the
        serials among them that already exist."""
        first, last = self.last_issued + 1, current
        fmt = self.sequence_id._parsed_format()
        now = fields.Datetime.now()
        context = self.sequence_id._serial_context(self.product_id)
        text = _(
            "Numbers %(first)s to %(last)s (%(first_serial)s to %(last_serial)s) were issued already and will be "
            "issued again.",
            first=first,
            last=last,
            first_serial=fmt.render(first, now, context),
            last_serial=fmt.render(last, now, context),
        )
        existing = self._existing_serials_between(first, last)
        if existing:
            text += "\n" + _(
                "%(count)s of them already exist as serials: %(serials)s",
                count=len(existing),
                serials=format_serial_list(self.env, existing, inline=True),
            )
        else:
            text += "\n" + _("None of them exists as a serial yet.")
        return text

    def _existing_serials_between(self, first, last):
        """Serials of this series numbered first..last that exist in the uniqueness scope of the
        products using the sequence (any product's when none does), in number order.

        One query finds the lots named like the series (its text before and after the counter); the
        counter value is read back from each name, so a range of any length costs the same.
        """
        fmt = self.sequence_id._parsed_format()
        now = fields.Datetime.now()
        context = self.sequence_id._serial_context(self.product_id)
        before, _marker, after = fmt.series_key(now, context).partition(COUNTER_MARKER)
        lots = (
            self.env["stock.lot"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("name", "=like", f"{escape_psql(before)}%{escape_psql(after)}")], ["name"])
        )
        numbered = {}
        for name in set(lots.mapped("name")):
            digits = name[len(before) : len(name) - len(after)]
            if digits.isascii() and digits.isdigit() and first <= int(digits) <= last:
                if fmt.render(int(digits), now, context) == name:
                    numbered[name] = int(digits)
        products = self.product_id or self.env["product.product"].sudo().with_context(active_test=False).search(
            [("serial_sequence_id", "=", self.sequence_id.id)]
        )
        if products:
            in_scope = set()
            for product in products:
                in_scope |= product._serial_taken_names(numbered)
            numbered = {name: value for name, value in numbered.items() if name in in_scope}
        return sorted(numbered, key=numbered.get)

    def action_apply(self):
        self.ensure_one()
        if self.last_issued < 0:
            raise UserError(_("The last number issued cannot be negative."))
        if self.needs_product and not self.product_id:
            raise UserError(_("This format numbers each product apart: choose the product."))
        # The position now, not when the dialog opened: serials may have been issued meanwhile.
        current = self._read_last_issued()
        if self.last_issued < current and not self.confirm_move_back:
            raise UserError(
                _(
                    "Going back from %(current)s to %(new)s:\n%(warning)s\n"
                    "Tick 'Issue these numbers again' to confirm.",
                    current=current,
                    new=self.last_issued,
                    warning=self._move_back_text(current),
                )
            )
        code, company_key, context = self._store_key()
        address = {"when": fields.Datetime.now(), "context": context, "company": company_key}
        old_next = call_store(self.env.cr, store.next_value, code, **address)
        new_next = call_store(self.env.cr, store.set_next, code, self.last_issued, **address)
        self.sequence_id._serial_audit_next(old_next, new_next, self.product_id)
        return self.sequence_id.action_preview(
            next_action={"type": "ir.actions.act_window_close"}, product=self.product_id
        )
