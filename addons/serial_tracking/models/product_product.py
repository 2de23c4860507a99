from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from serial_core import rules, store
from serial_core.errors import StoreError
from serial_core.formats import parse_format

from ..tools.engine import call_store, check_syntax, serial_context, store_company, store_serials
from ..tools.messages import format_serial_list
from ..tools.policy import SERIAL_UNIQUENESS

# After meeting taken serials, generation looks at least this many upcoming serials at a time, and
# this many times more each round that found too few free ones.
MIN_LOOKAHEAD = 16
LOOKAHEAD_GROWTH = 8
# Generation gives up after skipping this many taken serials in one call.
MAX_SKIPPED = 100_000


class ProductProduct(models.Model):
    _inherit = "product.product"

    # ------------------------------------------------------------------ generation

    def _serial_own_sequence_code(self):
        """Store code of the sequence numbering this product from its own format (one per template)."""
        return f"product.template:{self.product_tmpl_id.id}"

    def _serial_numbering(self):
        """(store code, company key) of the counter that numbers this product, creating the product's
        own store sequence on first use or bringing its format up to date."""
        self.ensure_one()
        sequence = self.serial_sequence_id
        if sequence:
            return sequence.code, store_company(sequence.company_id)
        fmt = self._serial_format_text()
        if not fmt:
            raise UserError(
                _(
                    "%(product)s has no serial format or shared serial sequence, so serials cannot be generated. "
                    "Set one on the product's Inventory tab or a default format in the Inventory settings.",
                    product=self.display_name,
                )
            )
        code = self._serial_own_sequence_code()
        company_key = store_company(self.company_id)
        try:
            current = store.get_sequence(self.env.cr, code, company=company_key)
        except StoreError:
            current = None
        if current is None:
            call_store(
                self.env.cr, store.create_sequence, code, fmt, name=self.product_tmpl_id.name, company=company_key
            )
        elif current.format != fmt:
            call_store(self.env.cr, store.update_sequence, code, company=company_key, format=fmt)
        return code, company_key

    def _serial_format_text(self):
        """The format this product's serials are generated from: its shared sequence's, its own, or its
        company's default (False when none)."""
        self.ensure_one()
        if self.serial_sequence_id:
            return self.serial_sequence_id.format
        return self.serial_format or (self.company_id or self.env.company).serial_default_format

    def _serial_format_misfits(self):
        """'product: sample (format) does not match pattern: why' for each product of self whose pattern
        refuses the serials its format generates. The sample is the first serial a new counter issues
        today; a [[LOCATION]] token takes the company's main stock location, where receipts arrive."""
        misfits = []
        for product in self.filtered(lambda p: p.tracking == "serial" and p.serial_pattern):
            text = product._serial_format_text()
            if not text:
                continue
            subject = _("Serial format of %(product)s", product=product.display_name)
            fmt = check_syntax(self.env, parse_format, text, subject)
            location = None
            if "location" in fmt.context_tokens:
                company = product.company_id or self.env.company
                location = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).lot_stock_id
                if not location:
                    continue
            sample = fmt.render(fmt.counter.start, fields.Datetime.now(), product._serial_token_context(location))
            reason = product.product_tmpl_id._serial_compiled_pattern().check(sample)
            if reason:
                misfits.append(
                    _(
                        "%(product)s: %(serial)s (format %(format)s) does not match the pattern "
                        "%(pattern)s: %(reason)s",
                        product=product.display_name,
                        serial=sample,
                        format=text,
                        pattern=product.serial_pattern,
                        reason=reason,
                    )
                )
        return misfits

    @api.constrains("default_code", "product_tmpl_id")
    def _check_serial_format_fits_pattern(self):
        """Generated serials must be able to match the pattern. Also checked from the template, the
        sequence and the company; here for new variants and a changed internal reference ([[PRODUCT]])."""
        misfits = self._serial_format_misfits()
        if misfits:
            raise ValidationError(
                _(
                    "Serials generated for these products would not match their pattern; change the format or "
                    "the pattern:\n%(misfits)s",
                    misfits=format_serial_list(self.env, misfits),
                )
            )

    def _serial_token_context(self, location=None):
        company = self.serial_sequence_id.company_id or self.company_id or self.env.company
        return serial_context(product=self, location=location, company=company)

    def _serial_generate(self, count, location=None, when=None):
        """Issue ``count`` new serials from the shared sequence or the product's own format, skipping
        serials that are already taken (see _serial_generate_free)."""
        return self._serial_generate_free(count, location=location, when=when)[0]

    def _serial_generate_free(self, count, location=None, when=None, exclude=()):
        """(serials, skipped): ``count`` newly issued serials that are neither taken in the product's
        uniqueness scope nor in ``exclude`` (serials already listed elsewhere), and the issued ones left
        out because they were.

        The first round issues ``count`` numbers and looks them all up in one query. When some were
        taken, each further round peeks at a window of the next serials, looks them up in one query and
        issues numbers only up to the last free one it needs (taken ones are issued too, so nobody is
        offered them again); the window grows while it holds too few free serials. Another transaction
        issuing numbers between the peek and the issue only costs one more lookup.
        """
        self.ensure_one()
        code, company_key = self._serial_numbering()
        context = self._serial_token_context(location)
        company = (location.company_id if location else False) or self.company_id or self.env.company
        exclude = set(exclude)

        def taken_among(names):
            return self._serial_taken_names(names, company) | (exclude & set(names))

        free, skipped, upcoming, window = [], [], [], 0
        while len(free) < count:
            missing = count - len(free)
            issue = missing
            if skipped:
                window = max(window * LOOKAHEAD_GROWTH, 2 * missing, MIN_LOOKAHEAD)
                upcoming = store_serials(self.env.cr, store.peek, code, company_key, window, context, when)
                taken = taken_among(upcoming)
                free_positions = [index for index, name in enumerate(upcoming) if name not in taken]
                issue = free_positions[missing - 1] + 1 if len(free_positions) >= missing else window
            issued = store_serials(self.env.cr, store.allocate, code, company_key, issue, context, when)
            if issued != upcoming[:issue]:
                taken = taken_among(issued)
            free += [name for name in issued if name not in taken][:missing]
            skipped += [name for name in issued if name in taken]
            if len(skipped) > MAX_SKIPPED:
                raise UserError(
                    _(
                        "The next %(count)s serials of %(product)s all exist already; set the next number of its "
                        "sequence past them.",
                        count=len(skipped),
                        product=self.display_name,
                    )
                )
        return free, skipped

    def _serial_taken_names(self, names, company=None):
        """The names among ``names`` that exist as serials in this product's uniqueness scope, whatever
        became of them (one query): generation never issues them."""
        self.ensure_one()
        company = company or self.company_id or self.env.company
        domain = [("name", "in", list(names))]
        if self.serial_uniqueness == "product":
            domain += [("product_id", "=", self.id), ("company_id", "in", [company.id, False])]
        elif self.serial_uniqueness == "company":
            domain += [("company_id", "in", [company.id, False])]
        lots = self.env["stock.lot"].sudo().with_context(active_test=False).search_fetch(domain, ["name"])
        return set(lots.mapped("name"))

    def _serial_skipped_note(self, skipped):
        """What generation tells the user about the serials it skipped."""
        return _(
            "Skipped %(count)s serial(s) already taken (uniqueness: %(scope)s): %(serials)s",
            count=len(skipped),
            scope=dict(SERIAL_UNIQUENESS)[self.serial_uniqueness],
            serials=format_serial_list(self.env, skipped, inline=True),
        )

    def _serial_preview(self, count, location=None, when=None):
        """The next ``count`` serials, issuing nothing."""
        self.ensure_one()
        code, company_key = self._serial_numbering()
        return store_serials(
            self.env.cr, store.peek, code, company_key, count, self._serial_token_context(location), when
        )

    # ------------------------------------------------------------------ checks

    def _serial_problems(self, serials, quantity):
        """Pattern, count, whole-quantity and duplicate problems of one line (no database checks)."""
        self.ensure_one()
        return rules.check_line(serials, quantity, self.product_tmpl_id._serial_compiled_pattern())

    def _serial_conflicts(self, serials, company=None):
        """Names among ``serials`` that may not come in as new units of this product.

        A name conflicts when its uniqueness scope already holds it for another product (or for this
        product in another company, for the global scope), when it is on hand already, or when it was
        shipped or consumed (only a return brings such a serial back; callers handling returns do not
        ask about those serials).
        """
        self.ensure_one()
        names = list(dict.fromkeys(serials))
        if not names:
            return []
        company = company or self.company_id or self.env.company
        scope = self.serial_uniqueness
        domain = [("name", "in", names)]
        if scope == "product":
            # Other products' lots never clash in this scope: leave them in the database.
            domain.append(("product_id", "=", self.id))
        lots = self.env["stock.lot"].sudo().with_context(active_test=False).search(domain)
        conflicts = []
        own_lot_ids = []  # ids, not a recordset grown lot by lot: that is quadratic
        for lot in lots:
            same_company = not lot.company_id or lot.company_id == company
            if lot.product_id == self:
                if same_company:
                    own_lot_ids.append(lot.id)
                elif scope == "global":
                    conflicts.append(lot.name)
            elif scope == "global" or (scope == "company" and same_company):
                conflicts.append(lot.name)
        if own_lot_ids:
            conflicts += lots.browse(own_lot_ids)._serial_unavailable_names()
        position = {name: index for index, name in enumerate(names)}
        return sorted(set(conflicts), key=position.__getitem__)
