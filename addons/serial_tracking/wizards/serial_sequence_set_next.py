from odoo import _, api, fields, models
from odoo.exceptions import UserError

from serial_core import store
from serial_core.formats import parse_format

from ..tools.engine import call_store, store_company


class SerialSequenceSetNext(models.TransientModel):
    """Seed 000's "Set": enter the last serial number issued; the next serial is that plus one."""

    _name = "serial.sequence.set.next"
    _description = "Set the Next Number of a Serial Sequence"

    sequence_id = fields.Many2one("serial.sequence", required=True, ondelete="cascade")
    last_issued = fields.Integer(
        string="Last Number Issued",
        required=True,
        help="The counter value of the most recent serial issued, e.g. 17: the next serial gets 18.",
    )
    product_id = fields.Many2one(
        "product.product",
        help="Only for formats with [[PRODUCT]]: each product has its own series.",
    )
    needs_product = fields.Boolean(compute="_compute_needs_product")
    next_serial = fields.Char(compute="_compute_next_serial")

    @api.depends("sequence_id.format")
    def _compute_needs_product(self):
        for wizard in self:
            fmt = wizard.sequence_id.format
            wizard.needs_product = bool(fmt) and "product" in parse_format(fmt).context_tokens

    @api.depends("sequence_id", "last_issued", "product_id")
    def _compute_next_serial(self):
        for wizard in self:
            wizard.next_serial = False
            if not wizard.sequence_id or (wizard.needs_product and not wizard.product_id) or wizard.last_issued < 0:
                continue
            fmt = parse_format(wizard.sequence_id.format)
            wizard.next_serial = fmt.render(
                wizard.last_issued + 1, fields.Datetime.now(), wizard.sequence_id._serial_context(wizard.product_id)
            )

    def action_apply(self):
        self.ensure_one()
        if self.last_issued < 0:
            raise UserError(_("The last number issued cannot be negative."))
        if self.needs_product and not self.product_id:
            raise UserError(_("This format numbers each product apart: choose the product."))
        sequence = self.sequence_id
        address = {
            "when": fields.Datetime.now(),
            "context": sequence._serial_context(self.product_id),
            "company": store_company(sequence.company_id),
        }
        old_next = call_store(self.env.cr, store.next_value, sequence.code, **address)
        new_next = call_store(self.env.cr, store.set_next, sequence.code, self.last_issued, **address)
        sequence._serial_audit_next(old_next, new_next, self.product_id)
        return sequence.action_preview(next_action={"type": "ir.actions.act_window_close"})
