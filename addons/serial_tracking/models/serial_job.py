"""Long serial work (opening stock, large receipts...) run by the worker, chunk by chunk.

The job row and its chunks (serial.job.chunk) are the whole truth: the worker's RQ job only says
"run job N of database D" and calls _run through Odoo's registry. Each chunk is one committed
transaction that does its work and marks itself done, so a run killed at any point leaves whole
chunks, and the next run starts at the first pending one: every serial is loaded exactly once.
One runner at a time: _run holds a session advisory lock on the job while it works (it dies with
the runner's connection, so a killed worker never leaves it behind).
"""

import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.modules import module as odoo_module
from odoo.tools import config

_logger = logging.getLogger(__name__)

# First key of the two-key advisory lock a runner holds on its job ("SJ"); the worker's reconcile
# (worker/odoo_jobs.py, RUNNER_LOCK_NAMESPACE) looks for it to tell a running job from an orphan.
RUNNER_LOCK_NAMESPACE = 0x534A
OPEN_STATES = ("queued", "running")


class SerialJob(models.Model):
    _name = "serial.job"
    _description = "Serial job"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    kind = fields.Selection(
        [
            ("opening_stock", "Opening stock"),
            ("receipt", "Receipt"),
            ("delivery", "Delivery"),
            ("import", "Import"),
            ("index", "Index"),
        ],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        required=True,
        default="queued",
        readonly=True,
        index=True,
    )
    done_count = fields.Integer(string="Done", readonly=True, default=0, help="Serials done so far (whole chunks).")
    total_count = fields.Integer(string="Total", readonly=True, default=0, help="Serials the job handles.")
    progress = fields.Float(compute="_compute_progress", help="Done, in percent of the total.")
    error = fields.Text(readonly=True, help="Why the job failed, in words.")
    user_id = fields.Many2one(
        "res.users", string="Started by", required=True, readonly=True, index=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    picking_id = fields.Many2one("stock.picking", readonly=True, index="btree_not_null", ondelete="set null")
    file_name = fields.Char(readonly=True)
    chunk_ids = fields.One2many("serial.job.chunk", "job_id", readonly=True)
    date_started = fields.Datetime(readonly=True)
    date_done = fields.Datetime(string="Finished", readonly=True)

    @api.depends("done_count", "total_count")
    def _compute_progress(self):
        for job in self:
            job.progress = 100.0 * job.done_count / job.total_count if job.total_count else 0.0

    # ------------------------------------------------------------------ queueing

    def _enqueue(self):
        """Give these jobs to the worker once this transaction is committed (the worker must see
        their rows). Redis being away leaves them queued: the worker's reconcile finds them."""
        database = self.env.cr.dbname
        job_ids = self.ids

        @self.env.cr.postcommit.add
        def enqueue():
            # The worker package (installed beside serial_core) knows Redis and the queue; the
            # worker in turn reaches the addon only through Odoo's registry.
            from worker.odoo_jobs import enqueue_odoo_jobs  # pylint: disable=import-outside-toplevel

            try:
                enqueue_odoo_jobs(odoo_config_path(), database, job_ids)
            except Exception as error:  # pylint: disable=broad-exception-caught
                _logger.warning("serial jobs %s stay queued: could not enqueue them (%s)", job_ids, error)

    def action_retry(self):
        """A failed job goes back to the queue and resumes at its first chunk not done."""
        failed = self.filtered(lambda job: job.state == "failed")
        if failed != self:
            raise UserError(_("Only failed jobs can be retried."))
        failed.sudo().write({"state": "queued", "error": False, "date_done": False})
        failed._enqueue()
        return True

    # ------------------------------------------------------------------ running

    def _commit(self):
        """Commit what the job did so far; inside Odoo's own tests the test's savepoints stand in."""
        if not odoo_module.current_test:
            # Committing chunk by chunk is the job's contract: a killed worker keeps whole chunks only.
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _run(self):
        """Run these jobs to their end, chunk by chunk (the worker's entry point)."""
        for job in self:
            job._run_locked()
        return True

    def _run_locked(self):
        self.ensure_one()
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (RUNNER_LOCK_NAMESPACE, self.id))
        if not cr.fetchone()[0]:
            _logger.info("serial job %s: another runner is on it", self.id)
            return
        try:
            # A new transaction after the lock: it sees every chunk the previous runner committed.
            self._commit()
            self.invalidate_recordset()
            if self.state not in OPEN_STATES:
                return
            self.write({"state": "running", "date_started": fields.Datetime.now(), "error": False})
            self._commit()
            self._run_chunks()
        finally:
            if not cr.closed:
                cr.execute("SELECT pg_advisory_unlock(%s, %s)", (RUNNER_LOCK_NAMESPACE, self.id))

    def _run_chunks(self):
        # Chatter is left out, as Odoo's own imports leave it (a "created" note on each of 100,000
        # lots would be most of the work).
        runner = (
            self.with_user(self.user_id)
            .with_company(self.company_id)
            .sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
        )
        # Each chunk's payload is read by its own run only: once the cache is cleared by a commit, reading
        # a chunk's state or count would otherwise fetch (and decode) the payloads of all of them.
        chunks = (
            self.chunk_ids.with_context(prefetch_fields=False)
            .filtered(lambda chunk: chunk.state == "pending")
            .sorted("sequence")
        )
        for chunk in chunks:
            try:
                with self.env.cr.savepoint():
                    runner.chunk_ids.browse(chunk.id)._run()
                    chunk.state = "done"
                    self.done_count += chunk.count
            except Exception as error:  # pylint: disable=broad-exception-caught
                # The chunk's savepoint is rolled back: the committed chunks stand, the job can resume.
                self._fail(chunk, error)
                return
            self._commit()
            _logger.info("serial job %s: %s/%s serials", self.id, self.done_count, self.total_count)
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        self._commit()

    def _fail(self, chunk, error):
        if isinstance(error, UserError):
            reason = error.args[0]
        else:
            _logger.exception("serial job %s: chunk %s failed", self.id, chunk.sequence)
            reason = f"{type(error).__name__}: {error}"
        self.write(
            {
                "state": "failed",
                "date_done": fields.Datetime.now(),
                "error": _(
                    "Chunk %(chunk)s of %(chunks)s failed (%(done)s of %(total)s serials were loaded before it; retry "
                    "resumes with it): %(reason)s",
                    chunk=chunk.sequence,
                    chunks=len(self.chunk_ids),
                    done=self.done_count,
                    total=self.total_count,
                    reason=reason,
                ),
            }
        )
        self._commit()


def odoo_config_path():
    """The odoo.conf this Odoo runs with: the worker reads its Redis settings from the same file."""
    path = config.rcfile
    if not path:
        raise UserError(_("Odoo runs without a configuration file, so the serial worker's settings are unknown."))
    return path
