"""Large validations of transfers through the worker: a serial.job per picking.

Validate checks everything in the browser request as usual (the serial rules and Odoo's
_sanity_check, the backorder question); only the final stock.picking._action_done of a picking with
more serial lines than its company's serial_bulk_threshold is left to a job. Its chunks:

- ``lots`` chunks (receipts naming new serials): the lots of one chunk of lines are created and
  linked to their lines, as Odoo's _action_done would create them (tools/bulk.py assign_new_lots),
  committed chunk by chunk. A killed worker resumes with the first chunk not committed; a line of a
  committed chunk already has its lot, so each lot is made once.
- one ``validate`` chunk, last: _sanity_check then Odoo's own _action_done of the picking (which
  takes the in-request bulk path), with the backorder choice made in the browser, in one transaction:
  the picking is either validated whole or stays as it was.

Progress: a serial counts as done when its lot is made (``lots`` chunks); the ``validate`` chunk
counts the serials that needed no new lot (a delivery's, or a receipt of existing lots).
"""

from odoo.exceptions import UserError

from .bulk import assign_new_lots

STEP_LOTS = "lots"
STEP_VALIDATE = "validate"


def serial_lines_to_validate(picking):
    """The serial lines the validation of ``picking`` will process."""
    return picking._serial_lines_being_validated().filtered(lambda line: line.product_id.tracking == "serial")


def goes_to_job(picking):
    """Whether validating ``picking`` is left to the worker: more serial lines than the threshold."""
    return len(serial_lines_to_validate(picking)) > picking.company_id.serial_bulk_threshold


def job_kind(picking):
    """``receipt`` for incoming transfers; ``delivery`` for everything that takes serials out of a
    stock location (deliveries, internal transfers, pick and pack steps): their lots exist already."""
    return "receipt" if picking.picking_type_code == "incoming" else "delivery"


def create_validation_job(picking, cancel_backorder):
    """The queued serial.job validating ``picking`` (checked already) with Odoo's backorder choice."""
    env = picking.env
    lines = serial_lines_to_validate(picking)
    new_lots = lines.filtered(
        lambda line: not line.lot_id and line.lot_name and line.move_id.picking_type_id.use_create_lots
    )
    chunk_size = max(picking.company_id.serial_bulk_threshold, 1)
    line_ids = new_lots.sorted("id").ids
    parts = [line_ids[start : start + chunk_size] for start in range(0, len(line_ids), chunk_size)]
    job = env["serial.job"].create(
        {
            "name": env._("Validate %(picking)s", picking=picking.name),
            "kind": job_kind(picking),
            "picking_id": picking.id,
            "company_id": picking.company_id.id,
            "total_count": len(lines),
        }
    )
    chunk_vals = [
        {"job_id": job.id, "sequence": index, "count": len(part), "payload": {"step": STEP_LOTS, "line_ids": part}}
        for index, part in enumerate(parts, 1)
    ]
    chunk_vals.append(
        {
            "job_id": job.id,
            "sequence": len(parts) + 1,
            "count": len(lines) - len(new_lots),
            "payload": {"step": STEP_VALIDATE, "cancel_backorder": bool(cancel_backorder)},
        }
    )
    env["serial.job.chunk"].sudo().create(chunk_vals)
    job._enqueue()
    return job


def create_import_job(move, names):
    """The queued serial.job giving ``move`` one line per serial of ``names`` (checked already), in
    chunks of one threshold each: the first chunk replaces the move's open lines, the next add theirs."""
    env = move.env
    chunk_size = max(move.company_id.serial_bulk_threshold, 1)
    parts = [names[start : start + chunk_size] for start in range(0, len(names), chunk_size)]
    job = env["serial.job"].create(
        {
            "name": env._(
                "Serials of %(product)s for %(picking)s",
                product=move.product_id.display_name,
                picking=move.picking_id.name,
            ),
            "kind": "import",
            "picking_id": move.picking_id.id,
            "company_id": move.company_id.id,
            "total_count": len(names),
        }
    )
    env["serial.job.chunk"].sudo().create(
        [
            {
                "job_id": job.id,
                "sequence": index,
                "count": len(part),
                "payload": {"move_id": move.id, "names": part, "replace": index == 1},
            }
            for index, part in enumerate(parts, 1)
        ]
    )
    job._enqueue()
    return job


def run_import_chunk(chunk):
    """One chunk of an import job: its serials' lines on the move."""
    payload = chunk.payload
    move = chunk.env["stock.move"].browse(payload["move_id"]).exists()
    if not move or move.state in ("done", "cancel"):
        raise UserError(chunk.env._("The move of these serials is gone, done or cancelled: nothing to add them to."))
    move._serial_replace_lines(names=payload["names"], keep_open_lines=not payload["replace"])


def state_label(record):
    """The user's words for ``record``'s state (a serial job's or a picking's)."""
    return dict(record._fields["state"]._description_selection(record.env))[record.state]


def run_validation_chunk(chunk):
    """One chunk of a receipt or delivery job (see the module's docstring)."""
    picking = chunk.job_id.picking_id
    if not picking:
        raise UserError(chunk.env._("The transfer of this job was deleted."))
    if picking.state in ("done", "cancel"):
        raise UserError(
            chunk.env._(
                "%(picking)s is %(state)s already: there is nothing left to validate.",
                picking=picking.name,
                state=state_label(picking),
            )
        )
    payload = chunk.payload
    if payload["step"] == STEP_LOTS:
        lines = chunk.env["stock.move.line"].browse(payload["line_ids"]).exists()
        assign_new_lots(lines.filtered(lambda line: not line.lot_id and line.lot_name))
        return
    # Chatter as the request would leave it: the job runner turns tracking off for bulk loads.
    picking = picking.with_context(tracking_disable=False, mail_notrack=False, mail_create_nolog=False)
    try:
        picking._sanity_check()
        picking.with_context(cancel_backorder=payload["cancel_backorder"])._action_done()
    except UserError as error:
        # The chunk's savepoint undoes the whole validation: say so, the lots made before stay.
        raise UserError(
            chunk.env._(
                "%(picking)s was not validated, nothing of it was moved: %(reason)s",
                picking=picking.name,
                reason=error.args[0],
            )
        ) from error
