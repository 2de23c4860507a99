"""The serial entry dialog shared by every flow: enter new serials (generate, paste, upload) or pick
on-hand serials, with the counter and the problems that block Confirm.

Each flow is a small model of its own inheriting this one: the serials of a stock move or a sale order
line (serial.entry.wizard), serials given to stock received without them (serial.allocate.wizard), an
inventory adjustment (serial.adjust.wizard). A flow declares ``line_ids`` (its own line model, see
serial.entry.dialog.line) and says what Confirm does in ``_apply_serials``."""

import base64
import re

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero
from odoo.tools.misc import clean_context

from serial_core import ranges, readers
from serial_core.errors import SerialError

from ..tools.messages import format_serial_list
from ..tools.policy import STOCKED_USAGES

# Pasted text: one serial a line, or separated by commas, semicolons, tabs or spaces.
PASTE_SEPARATORS = re.compile(r"[\s,;]+")


class SerialEntryDialog(models.AbstractModel):
    _name = "serial.entry.dialog"
    _description = "Serial number entry dialog"

    # add: new serials are entered; remove: on-hand serials are picked.
    mode = fields.Selection(
        [("add", "Add serials"), ("remove", "Remove serials")],
        required=True,
        default="add",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        ondelete="cascade",
        domain="[('tracking', '=', 'serial'), ('is_storable', '=', True)]",
    )
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        ondelete="cascade",
        default=lambda self: self._default_location(),
        domain=[("usage", "in", STOCKED_USAGES)],
        help="Where the serials come in (add, allocate) or are taken from (remove).",
    )
    company_id = fields.Many2one("res.company", compute="_compute_company_id", store=True)
    quantity = fields.Float("Required quantity", digits="Product Unit of Measure", required=True)

    # Serials entered in add mode; each flow points it at its own line model (a One2many needs an inverse
    # Many2one to the flow's model).
    line_ids = fields.One2many("serial.entry.dialog.line", "wizard_id", string="Serial numbers")
    # Serials picked in remove mode.
    lot_ids = fields.Many2many("stock.lot", string="Selected serials")
    available_lot_ids = fields.Many2many(
        "stock.lot",
        compute="_compute_available_lot_ids",
        string="On-hand serials",
        help="Serials of the product on hand at the location, not reserved elsewhere, oldest first.",
    )
    search_text = fields.Char("Search", help="Show only the on-hand serials containing this text.")

    # A field rather than notebook tabs: the dialog reopens after each button and shows the method kept here.
    entry_method = fields.Selection(
        [("generate", "Generate"), ("paste", "Paste"), ("upload", "Upload")],
        string="Enter by",
        default="generate",
        required=True,
    )
    # Generate a range.
    gen_prefix = fields.Char("Prefix")
    gen_start = fields.Integer("Start", default=1)
    gen_end = fields.Integer("End", compute="_compute_gen_end", store=True, readonly=False)
    gen_padding = fields.Integer("Padding", help="Digit width: 4 gives 0001.")
    gen_suffix = fields.Char("Suffix")
    # Paste and upload.
    paste_text = fields.Text(
        "Paste serials", help="One serial a line, or separated by commas, semicolons, tabs or spaces."
    )
    upload_file = fields.Binary("Serials file", attachment=False)
    upload_filename = fields.Char("File name")
    import_message = fields.Text("Last import", readonly=True)

    show_all = fields.Boolean("Show all", help="List every serial instead of the collapsed ranges.")
    # Above the company's bulk threshold the entered serials are kept as text, one a line, instead of
    # one line record each: the dialog shows their ranges and the counter, never 100,000 rows.
    serials_as_text = fields.Boolean(compute="_compute_serials_as_text", store=True, readonly=False)
    serial_names_text = fields.Text("Entered serials")
    serials_summary = fields.Text("Serial ranges", compute="_compute_counts")
    entered_count = fields.Integer(compute="_compute_counts")
    required_count = fields.Integer(compute="_compute_counts")
    count_label = fields.Char("Counter", compute="_compute_counts")
    problem_text = fields.Text("Problems", compute="_compute_problems")
    can_confirm = fields.Boolean(compute="_compute_problems")

    @api.model
    def _default_location(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        return warehouse.lot_stock_id

    # ------------------------------------------------------------------ computes

    def _compute_company_id(self):
        self.company_id = self.env.company

    @api.depends("gen_start", "quantity", "line_ids", "serial_names_text")
    def _compute_gen_end(self):
        for wizard in self:
            missing = max(int(wizard.quantity) - len(wizard._entered_names()), 1)
            wizard.gen_end = wizard.gen_start + missing - 1

    @api.depends("quantity", "company_id")
    def _compute_serials_as_text(self):
        for wizard in self:
            wizard.serials_as_text = wizard.serials_as_text or wizard._above_bulk_threshold(wizard.quantity)

    def _above_bulk_threshold(self, count):
        return count > (self.company_id or self.env.company).serial_bulk_threshold

    def _entered_names(self):
        """The new serials entered (add mode), in entry order."""
        self.ensure_one()
        if self.serials_as_text:
            return [name for name in (self.serial_names_text or "").split("\n") if name]
        return [name for name in self.line_ids.mapped("name") if name]

    def _serial_names(self):
        """The serials this wizard holds, in entry order."""
        self.ensure_one()
        if self.mode == "remove":
            return self.lot_ids.mapped("name")
        return self._entered_names()

    @api.depends("mode", "line_ids.name", "serial_names_text", "lot_ids", "quantity")
    def _compute_counts(self):
        for wizard in self:
            names = wizard._serial_names()
            wizard.entered_count = len(names)
            wizard.required_count = int(wizard.quantity)
            wizard.serials_summary = ranges.format_runs(names).rstrip("\n") if names else ""
            wizard.count_label = wizard._count_label(len(names))

    def _count_label(self, entered):
        """The header: serials entered against required, and what a difference means."""
        # The quantity formatted outside _(): the translation extractor evaluates string tokens inside it.
        required = f"{self.quantity:g}"
        label = _("Serial numbers (%(entered)s / %(required)s)", entered=entered, required=required)
        if not float_is_zero(self.quantity % 1, precision_digits=6):
            return label
        surplus = entered - int(self.quantity)
        if surplus > 0:
            return _("%(label)s: %(count)s too many", label=label, count=surplus)
        return label

    def _count_allows_confirm(self, entered):
        """Confirm needs as many serials as the quantity."""
        if not entered or not float_is_zero(self.quantity % 1, precision_digits=6):
            return False
        return entered == int(self.quantity)

    @api.depends("mode", "product_id", "line_ids.name", "serial_names_text", "lot_ids", "quantity", "location_id")
    def _compute_problems(self):
        for wizard in self:
            messages = wizard._problem_messages()
            wizard.problem_text = "\n".join(messages)
            wizard.can_confirm = wizard._count_allows_confirm(len(wizard._serial_names())) and not messages

    def _problem_messages(self):
        """Everything that blocks Confirm except the count itself (the header shows that)."""
        self.ensure_one()
        if not self.product_id:
            return []
        names = self._serial_names()
        if self.mode == "remove":
            return self._remove_problem_messages()
        messages = [
            problem.message
            for problem in self.product_id._serial_problems(names, self.quantity)
            if problem.kind != "count_mismatch"
        ]
        conflicts = self._conflicting_serials(names) if names else []
        if conflicts:
            messages.append(
                _(
                    "Already exist or were used: %(serials)s",
                    serials=format_serial_list(self.env, conflicts, inline=True),
                )
            )
        return messages

    def _conflicting_serials(self, names):
        """The serials among ``names`` that exist already or were used: new serials must be new."""
        return self.product_id._serial_conflicts(names, company=self.company_id)

    def _own_open_move_lines(self):
        """The open move lines this dialog's Confirm replaces (none unless the flow edits a move): the
        serials they reserve stay available to it."""
        return self.env["stock.move.line"]

    def _remove_problem_messages(self):
        messages = []
        if not float_is_zero(self.quantity % 1, precision_digits=6):
            messages.append(
                _("Serial-tracked quantities must be whole numbers, not %(quantity)g.", quantity=self.quantity)
            )
        # _origin: in the dialog (an unsaved wizard) lot_ids holds new-record copies of the lots.
        unavailable = self.lot_ids._origin - self._on_hand_quants().lot_id
        if unavailable:
            messages.append(
                _(
                    "Not on hand at %(location)s or already used: %(serials)s",
                    location=self.location_id.display_name,
                    serials=format_serial_list(self.env, unavailable.mapped("name"), inline=True),
                )
            )
        return messages

    def _on_hand_quants(self):
        """Quants holding one serial of the product under the location, free for this move, FIFO.

        A serial reserved by another move is left out; one reserved by the lines Confirm replaces
        (_own_open_move_lines) is kept.
        """
        self.ensure_one()
        if not self.product_id or not self.location_id:
            return self.env["stock.quant"]
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product_id.id),
                ("location_id", "child_of", self.location_id.id),
                ("location_id.usage", "in", STOCKED_USAGES),
                ("lot_id", "!=", False),
                ("quantity", ">", 0),
            ],
            order="in_date, id",
        )
        own_reserved = {}
        for line in self._own_open_move_lines():
            key = (line.lot_id.id, line.location_id.id)
            own_reserved[key] = own_reserved.get(key, 0.0) + line.quantity_product_uom
        rounding = self.product_id.uom_id.rounding

        def free_quantity(quant):
            return (
                quant.quantity
                - quant.reserved_quantity
                + own_reserved.get((quant.lot_id.id, quant.location_id.id), 0.0)
            )

        return quants.filtered(lambda quant: float_compare(free_quantity(quant), 0.0, precision_rounding=rounding) > 0)

    # Not on lot_ids: selecting and unselecting serials leaves the list and its order alone (the view
    # highlights the selected ones).
    @api.depends("mode", "product_id", "location_id", "search_text")
    def _compute_available_lot_ids(self):
        for wizard in self:
            if wizard.mode != "remove":
                wizard.available_lot_ids = False
                continue
            lots = wizard._on_hand_quants().lot_id
            if wizard.search_text:
                needle = wizard.search_text.strip().lower()
                lots = lots.filtered(lambda lot, needle=needle: needle in lot.name.lower())
            wizard.available_lot_ids = lots

    # ------------------------------------------------------------------ entering serials

    @api.model
    def _dialog_action(self, title, context, res_id=False):
        """The action showing this flow's dialog: a new one opened with ``context``, or the wizard
        ``res_id``."""
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": self._name,
            "res_id": res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def _dialog_title(self):
        return _("Serial numbers: %(product)s", product=self.product_id.display_name)

    def _reopen(self):
        """Keep the dialog open after a button: Odoo closes it unless an action reopens it."""
        self.ensure_one()
        return self._dialog_action(self._dialog_title(), self.env.context, res_id=self.id)

    def _append_serials(self, names, notes=()):
        """Add serials after the existing ones, dropping any already listed, and report what was dropped."""
        self.ensure_one()
        entered = self._entered_names()
        seen = set(entered)
        new_names, repeated = [], []
        for name in names:
            name = name.strip()
            if not name:
                continue
            if name in seen:
                repeated.append(name)
                continue
            seen.add(name)
            new_names.append(name)
        if self.serials_as_text or self._above_bulk_threshold(len(entered) + len(new_names)):
            self.update({"serials_as_text": True, "line_ids": [Command.clear()], "show_all": False})
            self.serial_names_text = "\n".join(entered + new_names)
        else:
            next_sequence = max(self.line_ids.mapped("sequence"), default=0) + 1
            # Commands, not create(): the upload's onchange adds lines to a wizard not saved yet.
            self.line_ids = [
                Command.create({"name": name, "sequence": next_sequence + index})
                for index, name in enumerate(new_names)
            ]
        self.gen_start = self._next_free_start()
        messages = list(notes)
        messages.insert(0, _("%(count)s serials added.", count=len(new_names)))
        if repeated:
            messages.append(
                _(
                    "%(count)s already listed, skipped: %(serials)s",
                    count=len(repeated),
                    serials=format_serial_list(self.env, repeated, inline=True),
                )
            )
        self.import_message = "\n".join(messages)

    def _next_free_start(self):
        """The number after the highest listed serial with the Generate tab's prefix and suffix, so that
        Start and End show the next free range (Start is kept when no such serial is listed)."""
        shape = re.compile(re.escape(self.gen_prefix or "") + r"(\d+)" + re.escape(self.gen_suffix or ""))
        numbers = [int(match.group(1)) for match in map(shape.fullmatch, self._entered_names()) if match]
        return max(numbers) + 1 if numbers else self.gen_start

    def _check_adds_serials(self):
        if self.mode == "remove":
            raise UserError(_("A move taking serials out of stock picks on-hand serials; it cannot create new ones."))

    def action_generate_range(self):
        self.ensure_one()
        self._check_adds_serials()
        try:
            names = ranges.expand(
                prefix=self.gen_prefix or "",
                start=self.gen_start,
                end=self.gen_end,
                padding=self.gen_padding,
                suffix=self.gen_suffix or "",
            )
        except SerialError as error:
            raise UserError(_("Cannot generate serials: %(error)s", error=error)) from error
        self._append_serials(names)
        return self._reopen()

    def action_generate_from_format(self):
        """Issue the missing serials from the product's format or shared sequence (numbers are taken now)."""
        self.ensure_one()
        self._check_adds_serials()
        entered = self._entered_names()
        missing = int(self.quantity) - len(entered)
        if missing <= 0:
            raise UserError(
                _(
                    "%(entered)s serials are already entered for a quantity of %(quantity)g.",
                    entered=len(entered),
                    quantity=self.quantity,
                )
            )
        wizard = self._without_defaults()
        names, skipped = wizard.product_id._serial_generate_free(missing, location=wizard.location_id, exclude=entered)
        self._append_serials(names, [self.product_id._serial_skipped_note(skipped)] if skipped else ())
        return self._reopen()

    def action_add_pasted(self):
        self.ensure_one()
        names = self._pasted_names()
        if not names:
            raise UserError(
                _("Paste serial numbers first: one a line, or separated by commas, semicolons, tabs or spaces.")
            )
        if self.mode == "remove":
            self._select_pasted(names)
            self.paste_text = False
            return self._reopen()
        self._append_serials(names)
        self.paste_text = False
        return self._reopen()

    def _pasted_names(self):
        """The pasted serials; a line holding a collapsed range ("SN-0001 – SN-0010 (10)") expands."""
        names = []
        for line in (self.paste_text or "").splitlines():
            if ranges.RUN_SEPARATOR in line:
                try:
                    names += ranges.parse_runs(line)
                except SerialError as error:
                    raise UserError(_("Cannot read the pasted range: %(error)s", error=error)) from error
            else:
                names += [token for token in PASTE_SEPARATORS.split(line) if token]
        return names

    def _select_pasted(self, names):
        """Select the on-hand serials named; nothing is selected when one of them is not on hand here."""
        free = {lot.name: lot for lot in self._on_hand_quants().lot_id}
        missing = [name for name in dict.fromkeys(names) if name not in free]
        if missing:
            raise UserError(
                _(
                    "Not on hand at %(location)s or already used: %(serials)s",
                    location=self.location_id.display_name,
                    serials=format_serial_list(self.env, missing, inline=True),
                )
            )
        self.lot_ids = [Command.link(free[name].id) for name in dict.fromkeys(names)]

    @api.onchange("upload_file")
    def _onchange_upload_file(self):
        """Import the file as soon as it is chosen; a file that cannot be read is named in a warning."""
        if not self.upload_file or self.mode == "remove":
            return None
        try:
            self._import_upload()
        except UserError as error:
            return {"warning": {"title": _("File not imported"), "message": error.args[0]}}
        finally:
            self.update({"upload_file": False, "upload_filename": False})
        return None

    def _import_upload(self):
        """Add the serials of the chosen file; UserError names the file when it cannot be read."""
        filename = self.upload_filename or _("uploaded file")
        try:
            result = readers.read_serials_bytes(base64.b64decode(self.upload_file), filename)
        except SerialError as error:
            message = str(error)
            if filename not in message:
                message = f"{filename}: {message}"
            raise UserError(message) from error
        notes = [_("%(file)s: %(count)s serials read.", file=filename, count=len(result.serials))]
        if result.duplicates:
            removed = []
            for duplicate in result.duplicates:
                removed.append(
                    _(
                        "%(serial)s (row %(row)s, first on row %(first)s)",
                        serial=duplicate.value,
                        row=duplicate.row,
                        first=duplicate.first_row,
                    )
                )
            notes.append(
                _(
                    "%(count)s duplicates removed: %(serials)s",
                    count=len(result.duplicates),
                    serials=format_serial_list(self.env, removed, inline=True),
                )
            )
        self._append_serials(result.serials, notes)

    # ------------------------------------------------------------------ list management

    def action_show_all(self):
        if self.serials_as_text:
            raise UserError(_("Above the bulk threshold the serials are shown as ranges, not one line each."))
        self.show_all = True
        return self._reopen()

    def action_collapse(self):
        self.show_all = False
        return self._reopen()

    def action_clear(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.serial_names_text = False
        self.lot_ids = [Command.clear()]
        self.import_message = False
        return self._reopen()

    def _missing_selection(self):
        """How many on-hand serials are still to pick; UserError when the count is reached."""
        self.ensure_one()
        missing = int(self.quantity) - len(self.lot_ids)
        if missing <= 0:
            raise UserError(_("%(count)s serials are already selected.", count=len(self.lot_ids)))
        return missing

    def action_select_all(self):
        """Select the on-hand serials listed (the search applies), as many as are still needed."""
        missing = self._missing_selection()
        lots = (self.available_lot_ids - self.lot_ids)[:missing]
        self.lot_ids = [Command.link(lot.id) for lot in lots]
        return self._reopen()

    def action_auto_select(self):
        """Fill the missing count with the oldest on-hand serials (first in, first out)."""
        missing = self._missing_selection()
        free_lots = self._on_hand_quants().lot_id - self.lot_ids
        if not free_lots:
            raise UserError(
                _(
                    "No other serial of %(product)s is on hand at %(location)s.",
                    product=self.product_id.display_name,
                    location=self.location_id.display_name,
                )
            )
        self.lot_ids = [Command.link(lot.id) for lot in free_lots[:missing]]
        return self._reopen()

    # ------------------------------------------------------------------ confirm

    def _without_defaults(self):
        """This wizard without the default_* keys it was opened with: they would leak into the records
        other models create (a default_quantity would become every new move line's quantity)."""
        # Replacing the whole context is the point here: with_context(**...) would keep the keys.
        return self.with_env(self.env(context=clean_context(self.env.context)))

    def action_confirm(self):
        self.ensure_one()
        return self._without_defaults()._confirm()

    def _confirm(self):
        """Check everything again on the server, then write the serials in one batch."""
        names = self._serial_names()
        messages = self._confirm_problems(names)
        if messages:
            raise UserError("\n".join(messages))
        return self._apply_serials(names)

    def _confirm_problems(self, names):
        messages = self._problem_messages()
        if not self._count_allows_confirm(len(names)):
            messages.insert(
                0, _("%(entered)s / %(required)g serial numbers entered.", entered=len(names), required=self.quantity)
            )
        return messages

    def _apply_serials(self, names):
        """What Confirm does with the checked serials (``names``, or ``lot_ids`` in remove mode): each
        flow says it; returns the action closing the dialog."""
        raise NotImplementedError

    @api.model
    def _done_notification(self, message):
        """Say what was done, close the dialog and refresh the screen under it (a list of counts or of
        units waiting for serials shows the change)."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
