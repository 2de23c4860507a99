from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import float_compare

from ..tools import picking_jobs
from ..tools.bulk import column_values
from ..tools.labels import serial_labels_action

# Whether Validate leaves pickings above the bulk threshold to a serial.job: by default when a browser
# (or RPC) request is waiting on it; scripts, crons and the worker itself validate at once.
VALIDATE_IN_JOB_KEY = "serial_validate_in_job"


class StockPicking(models.Model):
    _inherit = "stock.picking"

    serial_job_ids = fields.One2many("serial.job", "picking_id", readonly=True)
    serial_job_notice = fields.Char(compute="_compute_serial_job_notice", help="This transfer's serial job.")
    serial_job_state = fields.Char(compute="_compute_serial_job_notice")

    def _serial_lines_being_validated(self):
        """Lines with a quantity that validation will process: the picked ones, or all of a picking
        where nothing is picked yet (Validate then picks everything)."""
        line_ids = []
        for picking in self:
            # Read by column: a large transfer has thousands of lines.
            lines = picking.move_line_ids
            rounding = {uom.id: uom.rounding for uom in lines.product_uom_id}
            with_quantity, picked = [], []
            columns = zip(
                lines._ids,
                *(column_values(lines, name) for name in ("quantity", "product_uom_id", "picked")),
                strict=True,
            )
            for line_id, quantity, uom_id, is_picked in columns:
                if float_compare(quantity, 0, precision_rounding=rounding[uom_id]) > 0:
                    with_quantity.append(line_id)
                    if is_picked:
                        picked.append(line_id)
            line_ids += picked or with_quantity
        return self.env["stock.move.line"].browse(dict.fromkeys(line_ids))

    def _sanity_check(self, separate_pickings=True):
        # Our rules first: their message names every offending serial and the policy (e.g. serials
        # required at receipt), where Odoo's only says a lot is missing.
        lines = self._serial_lines_being_validated()
        lines._serial_check_done_lines()
        lines._serial_remember_checked()
        return super()._sanity_check(separate_pickings=separate_pickings)

    def _get_lot_move_lines_for_sanity_check(self, none_done_picking_ids, separate_pickings=True):
        lines = super()._get_lot_move_lines_for_sanity_check(none_done_picking_ids, separate_pickings)
        # Lines the product's policy lets through without a serial (receive now, serialize later).
        named = {
            line_id
            for line_id, lot_id, lot_name in zip(
                lines._ids, column_values(lines, "lot_id"), column_values(lines, "lot_name"), strict=True
            )
            if lot_id or lot_name
        }
        return lines.filtered(
            lambda line: line.id in named or line.product_id.tracking != "serial" or not line._serial_may_lack_serial()
        )

    def _action_done(self):
        pickings = self
        if self.env.context.get(VALIDATE_IN_JOB_KEY):
            to_job = self.filtered(picking_jobs.goes_to_job)
            for picking in to_job:
                picking_jobs.create_validation_job(picking, self.env.context.get("cancel_backorder"))
            pickings = (self - to_job).with_context(**{VALIDATE_IN_JOB_KEY: False})
            if not pickings:
                return True
        result = super(StockPicking, pickings)._action_done()
        pickings._serial_update_entities()
        return result

    # ------------------------------------------------------------------ serial jobs

    def _serial_open_jobs(self):
        return (
            self.env["serial.job"]
            .sudo()
            .search([("picking_id", "in", self.ids), ("state", "in", ("queued", "running"))])
        )

    def button_validate(self):
        # Same checks and questions as always; only the final _action_done of a large picking is
        # left to the worker (see tools/picking_jobs.py).
        job = self._serial_open_jobs()[:1]
        if job:
            raise UserError(job.picking_id._serial_job_busy_message(job))
        in_job = self.env.context.get(VALIDATE_IN_JOB_KEY, bool(request))
        result = super(StockPicking, self.with_context(**{VALIDATE_IN_JOB_KEY: in_job})).button_validate()
        jobs = self._serial_open_jobs() if in_job else self.env["serial.job"]
        if not jobs:
            return result
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": _("Validation runs in the background"),
                "message": _(
                    "%(pickings)s: more serials than the bulk threshold; the serial worker validates them "
                    "(Inventory > Operations > Serial Jobs).",
                    pickings=", ".join(jobs.picking_id.mapped("name")),
                ),
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.depends("state", "serial_job_ids.state", "serial_job_ids.done_count", "serial_job_ids.error")
    def _compute_serial_job_notice(self):
        for picking in self:
            # Everyone working on the transfer learns it is busy, whoever started the job.
            job = picking.sudo().serial_job_ids.sorted("id", reverse=True)[:1]
            shown = job.state in ("queued", "running") or (
                job.state == "failed" and picking.state not in ("done", "cancel")
            )
            picking.serial_job_state = job.state if shown else False
            if not picking.serial_job_state:
                picking.serial_job_notice = False
            elif job.state == "failed":
                picking.serial_job_notice = _(
                    'The serial job "%(job)s" of this transfer failed: %(error)s',
                    job=job.name,
                    error=job.error,
                )
            else:
                picking.serial_job_notice = picking._serial_job_busy_message(job)

    def _serial_job_busy_message(self, job):
        """Why this transfer cannot be validated (or its serials entered) while ``job`` is open."""
        return _(
            '%(picking)s is being %(work)s by the serial job "%(job)s" in the background (%(state)s: %(done)s of '
            "%(total)s serials done): it cannot be validated, nor its serials changed, until the job ends.",
            picking=self.name,
            work=_("given its serials") if job.kind == "import" else _("validated"),
            job=job.name,
            state=picking_jobs.state_label(job),
            done=job.done_count,
            total=job.total_count,
        )

    def action_open_serial_job(self):
        self.ensure_one()
        job = self.env["serial.job"].search([("picking_id", "=", self.id)], limit=1)
        return {
            "type": "ir.actions.act_window",
            "res_model": "serial.job",
            "res_id": job.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _serial_update_entities(self):
        """Receipts create the entities of products creating them on receipt (an existing entity of the
        serial is reused); every done transfer links the entities it moved and updates where they are."""
        entities = self.env["serial.entity"]
        for picking in self.filtered(lambda p: p.state == "done"):
            lines = picking.move_line_ids.filtered(lambda line: line.lot_id and line.quantity > 0)
            if not lines:
                continue
            receiving = lines.filtered(
                lambda line: line.product_id.serial_entity_rule == "on_receipt"
                and line.location_id.usage in ("supplier", "customer", "inventory")
            )
            found = entities._serial_entities_for(receiving.lot_id) if receiving else {}
            for entity in entities.sudo().search([("lot_id", "in", lines.lot_id.ids)]):
                found.setdefault(entity.lot_id, entity)
            for line in lines.filtered(lambda line, found=found: line.lot_id in found):
                destination = line.location_dest_id
                values = {"picking_ids": [Command.link(picking.id)], "location_id": destination.id}
                if line.move_id.purchase_line_id:
                    values["purchase_line_ids"] = [Command.link(line.move_id.purchase_line_id.id)]
                if destination.usage == "customer":
                    values.update(state="delivered", partner_id=picking.partner_id.id)
                elif destination.usage in ("internal", "transit") and not (
                    line.move_id.sale_line_id and line.location_id.usage in ("internal", "transit")
                ):
                    # An earlier step of a sale's delivery (pick, pack) leaves a sold unit sold.
                    values.update(state="in_stock", partner_id=False)
                found[line.lot_id].write(values)

    # ------------------------------------------------------------------ labels

    def _serial_label_lots(self):
        lines = self.move_line_ids.filtered(lambda line: line.lot_id and line.product_id.tracking == "serial")
        return lines.sorted(lambda line: (line.picking_id.id, line.move_id.id, line.id)).lot_id

    def action_serial_print_labels(self):
        return serial_labels_action(self, self._serial_label_lots())
