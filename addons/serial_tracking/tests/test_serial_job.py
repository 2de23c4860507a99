"""Serial jobs: chunks committed one by one, a failure leaving the chunks done before it, retry
resuming after them, one runner at a time, and who sees which jobs."""

from unittest.mock import patch

from odoo.api import Cache
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.serial_job import RUNNER_LOCK_NAMESPACE, SerialJob
from ..tools.opening_stock import OpeningStockPlan, create_opening_stock_job
from .common import SerialTrackingCase

SERIALS = [f"SJ-{number:03d}" for number in range(1, 7)]


@tagged("post_install", "-at_install")
class TestSerialJob(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Job scanner")
        cls.product.default_code = "SJ-SCAN"

    def _job(self, serials=SERIALS, chunk_size=2, env=None):
        env = env or self.env
        data = self._csv_file([("SJ-SCAN", self.stock_location.complete_name, serial) for serial in serials])
        plan = OpeningStockPlan(env, data, "jobs.csv", self.company)
        self.assertEqual(plan.messages, [])
        return create_opening_stock_job(plan, chunk_size=chunk_size)

    def _units_per_serial(self):
        """{serial: (on-hand units, done inventory moves)} of the product."""
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", self.stock_location.id)]
        )
        moves = self.env["stock.move"].search([("product_id", "=", self.product.id), ("state", "=", "done")])
        return {
            serial: (
                sum(quants.filtered(lambda quant, s=serial: quant.lot_id.name == s).mapped("quantity")),
                len(moves.move_line_ids.filtered(lambda line, s=serial: line.lot_id.name == s)),
            )
            for serial in SERIALS
        }

    def test_failed_chunk_leaves_earlier_chunks_and_retry_finishes(self):
        job = self._job()
        # The second chunk's SJ-003 is blocked after the file was checked: its chunk fails.
        blocked = self._create_blocked_lot(self.product, "SJ-003")
        job._run()
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.done_count, 2)
        self.assertEqual(job.chunk_ids.sorted("sequence").mapped("state"), ["done", "pending", "pending"])
        self.assertIn("Chunk 2 of 3 failed", job.error)
        self.assertIn("SJ-003", job.error)
        self.assertIn("2 of 6 serials were loaded", job.error)
        self.assertEqual(self._on_hand_serials(self.product), ["SJ-001", "SJ-002"])

        blocked.serial_blocked = False
        job.action_retry()
        self.assertRecordValues(job, [{"state": "queued", "error": False}])
        job._run()
        self.assertRecordValues(job, [{"state": "done", "done_count": 6, "total_count": 6}])
        self.assertEqual(self._units_per_serial(), {serial: (1.0, 1) for serial in SERIALS})

    def test_a_done_job_run_again_does_nothing(self):
        job = self._job()
        job._run()
        self.assertEqual(job.state, "done")
        job._run()
        self.assertEqual(self._units_per_serial(), {serial: (1.0, 1) for serial in SERIALS})
        with self.assertRaisesRegex(UserError, "Only failed jobs"):
            job.action_retry()

    def test_one_runner_at_a_time(self):
        """A job whose runner lock another connection holds is left to that runner."""
        job = self._job()
        with self.env.registry.cursor() as other:
            other.execute("SELECT pg_advisory_lock(%s, %s)", (RUNNER_LOCK_NAMESPACE, job.id))
            job._run()
            self.assertEqual(job.state, "queued")
            self.assertEqual(job.done_count, 0)
            other.execute("SELECT pg_advisory_unlock(%s, %s)", (RUNNER_LOCK_NAMESPACE, job.id))
        job._run()
        self.assertEqual(job.state, "done")

    def test_users_see_their_jobs_managers_all(self):
        user_job = self._job(SERIALS[:1], env=self.env(user=self.stock_manager))
        user_job.sudo().user_id = self.stock_user
        manager_job = self._job(SERIALS[1:2], env=self.env(user=self.stock_manager))
        other_company = self._create_second_company()
        foreign_job = manager_job.sudo().copy({"company_id": other_company.id, "user_id": self.stock_user.id})
        jobs = user_job | manager_job | foreign_job

        home = {"allowed_company_ids": [self.company.id]}
        both = {"allowed_company_ids": [self.company.id, other_company.id]}
        as_user = self.env["serial.job"].with_user(self.stock_user)
        self.assertEqual(as_user.with_context(**home).search([("id", "in", jobs.ids)]), user_job)
        self.assertEqual(as_user.with_context(**both).search([("id", "in", jobs.ids)]), user_job | foreign_job)
        with self.assertRaises(AccessError):
            manager_job.with_user(self.stock_user).with_context(**home).read(["state"])
        as_manager = self.env["serial.job"].with_user(self.stock_manager)
        self.assertEqual(as_manager.with_context(**home).search([("id", "in", jobs.ids)]), user_job | manager_job)
        self.assertEqual(as_manager.with_context(**both).search([("id", "in", jobs.ids)]), jobs)
        # The user may retry a failed job of their own only.
        (user_job | manager_job).sudo().state = "failed"
        user_job.with_user(self.stock_user).action_retry()
        self.assertEqual(user_job.state, "queued")
        with self.assertRaises(AccessError):
            manager_job.with_user(self.stock_user).action_retry()

    def test_each_chunk_payload_fetched_by_its_run_only(self):
        """A commit clears the ORM's cache: reading a chunk's state or count afterwards must not fetch
        the payloads of every chunk again (100,000 serials decoded after each of 20 commits)."""
        job = self._job()
        fetched = []
        insert_missing = Cache.insert_missing

        def counted(cache, records, field, values):
            if field.name == "payload":
                fetched.extend(records.ids)
            return insert_missing(cache, records, field, values)

        self.env.invalidate_all()
        # A commit is a savepoint in tests: clearing the cache stands in for what a commit does to it.
        with (
            patch.object(SerialJob, "_commit", lambda job: job.env.invalidate_all()),
            patch.object(Cache, "insert_missing", counted),
        ):
            job._run()
        self.assertEqual(job.state, "done")
        self.assertEqual(sorted(fetched), job.chunk_ids.ids)
