"""Validating a transfer with more serials than the bulk threshold: the browser request checks it and
answers the backorder question, a serial job validates it in the worker (here: job._run() in the
test's transaction) and leaves the records a direct validation leaves; the picking is locked while
the job is open, says so, and stays as it was when the job fails."""

from contextlib import closing, contextmanager

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import RUN_STAMPS, SerialTrackingCase

THRESHOLD = 5
RECEIVED = [f"PJ-{number:03d}" for number in range(1, 13)]
IN_STOCK = [f"PJD-{number:03d}" for number in range(1, 9)]


@tagged("post_install", "-at_install")
class TestSerialJobPicking(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Picking job scanner")
        cls.product.standard_price = 7.0
        cls.company.serial_bulk_threshold = THRESHOLD

    # ------------------------------------------------------------------ helpers

    @contextmanager
    def _rolled_back(self):
        with closing(self.env.cr.savepoint()):
            yield
            self.env.flush_all()
        self.env.invalidate_all()

    def _validate_in_job(self, picking):
        """Validate as the button does in a browser request (which leaves large pickings to a job)."""
        return self._validate(picking.with_context(serial_validate_in_job=True))

    def _jobs(self, picking):
        return self.env["serial.job"].search([("picking_id", "=", picking.id)])

    def _validate_to_job(self, picking, user=None):
        """Validate as the button does; the answer is the notification, the picking's job queued."""
        result = self._validate_in_job(picking.with_user(user) if user else picking)
        self.assertEqual(result["tag"], "display_notification", result)
        self.assertIn(picking.name, result["params"]["message"])
        job = self._jobs(picking)
        self.assertEqual(len(job), 1)
        self.assertEqual(picking.state, "assigned", "the request leaves the validation to the job")
        return job

    def _snapshot(self, picking):
        """The records the validation of ``picking`` leaves, field by field."""
        self.env.flush_all()
        self.env.invalidate_all()
        product_domain = [("product_id", "=", self.product.id)]
        rows = {
            "stock.lot": self.env["stock.lot"].search(product_domain),
            "stock.move.line": picking.move_line_ids,
            "stock.quant": self.env["stock.quant"].search(product_domain),
            "stock.move": picking.move_ids,
            "stock.valuation.layer": self.env["stock.valuation.layer"].search(product_domain),
            "stock.picking": picking,
        }
        return {model: self._stored_rows(records, RUN_STAMPS) for model, records in rows.items()}

    def _direct_and_job_snapshots(self, picking):
        """Validate ``picking`` once directly (threshold above its count) and once through its job,
        each from the same start and rolled back; returns both snapshots and the job's run."""
        with self._rolled_back():
            self.company.serial_bulk_threshold = 1000
            self.assertIs(self._validate(picking), True)
            self.assertEqual(picking.state, "done")
            direct = self._snapshot(picking)
        with self._rolled_back():
            job = self._validate_to_job(picking)
            job_facts = {"job": job.read(["kind", "state", "total_count"])[0], "chunks": job.chunk_ids.mapped("count")}
            self.assertTrue(picking.serial_job_notice)
            with self.assertRaisesRegex(UserError, f"{picking.name} is being validated by the serial job"):
                self._validate_in_job(picking)
            with self.assertRaisesRegex(UserError, "being validated by the serial job"):
                self._validate(picking)
            job._run()
            self.assertRecordValues(job, [{"state": "done", "done_count": job.total_count, "error": False}])
            self.assertEqual(picking.state, "done")
            self.assertFalse(picking.serial_job_notice)
            through_job = self._snapshot(picking)
        return direct, through_job, job_facts

    def _assert_same_records(self, direct, through_job):
        for model, rows in direct.items():
            self.assertTrue(rows, model)
            self.assertEqual(through_job[model], rows, f"{model} differs between the direct and the job validation")

    # ------------------------------------------------------------------ tests

    def test_receipt_above_threshold_is_validated_by_a_job_as_directly(self):
        receipt = self._create_receipt(self.product, len(RECEIVED), serials=RECEIVED)
        direct, through_job, facts = self._direct_and_job_snapshots(receipt)
        self.assertEqual(len(direct["stock.lot"]), len(RECEIVED))
        self.assertEqual(facts["job"]["kind"], "receipt")
        self.assertEqual(facts["job"]["state"], "queued")
        self.assertEqual(facts["job"]["total_count"], len(RECEIVED))
        # The new lots in chunks of one threshold each, then the validation.
        self.assertEqual(facts["chunks"], [5, 5, 2, 0])
        self._assert_same_records(direct, through_job)

    def test_delivery_above_threshold_is_validated_by_a_job_as_directly(self):
        self._stock_serials(self.product, IN_STOCK)
        delivery = self._create_delivery(self.product, len(IN_STOCK), serials=IN_STOCK)
        direct, through_job, facts = self._direct_and_job_snapshots(delivery)
        self.assertEqual(facts["job"]["kind"], "delivery")
        self.assertEqual(facts["chunks"], [len(IN_STOCK)])
        self._assert_same_records(direct, through_job)
        self.assertEqual(self._on_hand_serials(self.product), IN_STOCK, "rolled back: still on hand")

    def test_small_picking_validates_in_the_request(self):
        receipt = self._create_receipt(self.product, THRESHOLD, serials=RECEIVED[:THRESHOLD])
        self.assertIs(self._validate_in_job(receipt), True)
        self.assertEqual(receipt.state, "done")
        self.assertFalse(self._jobs(receipt))

    def test_without_a_request_large_pickings_validate_at_once(self):
        """Scripts, crons and the worker (no browser waiting) validate in their own transaction."""
        receipt = self._create_receipt(self.product, len(RECEIVED), serials=RECEIVED)
        self.assertIs(self._validate(receipt), True)
        self.assertEqual(receipt.state, "done")
        self.assertFalse(self._jobs(receipt))

    def test_backorder_choice_is_carried_into_the_job(self):
        """The backorder question is answered in the browser; the job creates (or not) the backorder."""
        for answer, backorders in (("process", 1), ("process_cancel_backorder", 0)):
            with self.subTest(answer=answer):
                serials = [f"PJB-{backorders}-{number}" for number in range(8)]
                receipt = self._create_receipt(self.product, 10, serials=serials)
                wizard_action = receipt.with_context(serial_validate_in_job=True).button_validate()
                self.assertEqual(wizard_action["res_model"], "stock.backorder.confirmation")
                wizard = Form.from_action(self.env, wizard_action).save()
                result = getattr(wizard, answer)()
                self.assertEqual(result["tag"], "display_notification")
                self.assertFalse(receipt.backorder_ids, "no backorder before the job runs")
                self._jobs(receipt)._run()
                self.assertEqual(receipt.state, "done")
                self.assertEqual(len(receipt.backorder_ids), backorders)
                if backorders:
                    self.assertEqual(receipt.backorder_ids.move_ids.product_uom_qty, 2)

    def test_failed_job_leaves_the_picking_unvalidated_and_retry_finishes(self):
        receipt = self._create_receipt(self.product, 8, serials=RECEIVED[:8])
        job = self._validate_to_job(receipt)
        # PJ-003 gets blocked after Validate was clicked: the job's validation refuses it.
        blocked = self._create_blocked_lot(self.product, "PJ-003")
        job._run()
        self.assertEqual(job.state, "failed")
        self.assertIn("PJ-003", job.error)
        self.assertIn(f"{receipt.name} was not validated", job.error)
        self.assertEqual(job.chunk_ids.sorted("sequence").mapped("state"), ["done", "done", "pending"])
        self.assertEqual(receipt.state, "assigned")
        self.assertEqual(self._on_hand_serials(self.product), [])
        self.assertEqual(receipt.serial_job_state, "failed")
        self.assertIn("PJ-003", receipt.serial_job_notice)

        blocked.serial_blocked = False
        job.action_retry()
        self.assertEqual(receipt.serial_job_state, "queued")
        job._run()
        self.assertRecordValues(job, [{"state": "done", "done_count": 8, "total_count": 8}])
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self._on_hand_serials(self.product), RECEIVED[:8])
        self.assertEqual(len(self.env["stock.lot"].search([("product_id", "=", self.product.id)])), 8)

    def test_job_of_a_picking_validated_meanwhile_fails_in_words(self):
        receipt = self._create_receipt(self.product, 8, serials=RECEIVED[:8])
        job = self._validate_to_job(receipt)
        receipt.action_cancel()
        job._run()
        self.assertEqual(job.state, "failed")
        self.assertIn(f"{receipt.name} is Cancelled already", job.error)

    def test_stock_user_validates_and_sees_own_job_only(self):
        other_user = self._create_stock_user("serial_stock_user_2", "stock.group_stock_user")
        receipt = self._create_receipt(self.product, 8, serials=RECEIVED[:8])
        job = self._validate_to_job(receipt, user=self.stock_user)
        self.assertEqual(job.user_id, self.stock_user)
        self.assertEqual(
            self.env["serial.job"].with_user(self.stock_user).search([("picking_id", "=", receipt.id)]), job
        )
        as_other = receipt.with_user(other_user)
        self.assertFalse(self.env["serial.job"].with_user(other_user).search([("picking_id", "=", receipt.id)]))
        with self.assertRaises(AccessError):
            job.with_user(other_user).read(["state"])
        # The other user still sees the picking is busy and cannot validate it.
        self.assertIn(job.name, as_other.serial_job_notice)
        with self.assertRaisesRegex(UserError, "being validated by the serial job"):
            self._validate_in_job(as_other)
        job._run()
        self.assertEqual(receipt.state, "done")
