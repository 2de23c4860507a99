"""Blocked serials: nothing may reserve, move, ship or consume one until it is unblocked."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .serial_record_common import SerialRecordCase


@tagged("post_install", "-at_install")
class TestSerialBlocked(SerialRecordCase):
    def _block(self, lots, reason="Recall R-7: faulty battery"):
        wizard = (
            self.env["serial.block.wizard"].with_env(lots.env).create({"lot_ids": [(6, 0, lots.ids)], "reason": reason})
        )
        wizard.action_block()

    def test_block_needs_a_reason(self):
        lot = self._stock_serials(self.product, ["B-0"])
        with self.assertRaisesRegex(ValidationError, "B-0: give a reason"):
            lot.write({"serial_blocked": True})

    def test_blocked_serial_state_and_unblock(self):
        lot = self._stock_serials(self.product, ["B-1"])
        self._block(lot)
        self.assertEqual(lot.serial_state, "blocked")
        lot.action_serial_unblock()
        self.assertEqual(lot.serial_state, "in_stock")
        self.assertFalse(lot.serial_block_reason)

    def test_reservation_passes_blocked_serials_by(self):
        lots = self._stock_serials(self.product, ["B-2", "B-3"])
        self._block(lots[0])
        delivery = self._create_delivery(self.product, 2)
        self.assertEqual(delivery.move_ids.move_line_ids.lot_id, lots[1])
        self.assertEqual(delivery.move_ids.quantity, 1)

    def test_choosing_a_blocked_serial_is_refused(self):
        lots = self._stock_serials(self.product, ["B-4"])
        self._block(lots)
        delivery = self._create_delivery(self.product, 1)
        with self.assertRaisesRegex(UserError, r"B-4 \(Record Widget\): Recall R-7: faulty battery"):
            self._set_move_serials(delivery.move_ids, ["B-4"])

    def test_reserved_then_blocked_cannot_be_delivered(self):
        lot = self._stock_serials(self.product, ["B-5"])
        delivery = self._create_delivery(self.product, 1, serials=["B-5"])
        self._block(lot)
        with self.assertRaisesRegex(UserError, "B-5 .*Recall R-7"):
            self._validate(delivery)
        self.assertEqual(lot.serial_state, "blocked")
        self.assertEqual(self._on_hand_serials(self.product), ["B-5"])
        lot.action_serial_unblock()
        self._validate(delivery)
        self.assertEqual(lot.serial_state, "shipped")

    def test_blocked_serial_cannot_be_transferred_or_consumed(self):
        lot = self._stock_serials(self.product, ["B-6"])
        transfer = self._create_internal_transfer(self.product, 1, serials=["B-6"])
        self._block(lot)
        with self.assertRaisesRegex(UserError, "B-6"):
            self._validate(transfer)
        component = self._stock_serials(self.component, ["B-C"])
        self._block(component)
        with self.assertRaisesRegex(UserError, "B-C"):
            self._produce(self.finished, "B-F", component)

    def test_blocked_serial_cannot_be_received_by_name(self):
        lot = self._stock_serials(self.product, ["B-7"])
        self._ship(self.product, ["B-7"])
        self._block(lot)
        receipt = self._create_receipt(self.product, 1, serials=["B-7"])
        with self.assertRaisesRegex(UserError, "B-7"):
            self._validate(receipt)

    def test_blocking_is_audited(self):
        lot = self._stock_serials(self.product, ["B-8"])
        self._block(lot.with_user(self.stock_user))
        lot.with_user(self.stock_user).action_serial_unblock()
        log = self.env["serial.audit.log"].search(
            [("lot_id", "=", lot.id), ("action", "in", ("block", "unblock"))], order="id"
        )
        self.assertEqual(log.mapped("action"), ["block", "unblock"])
        self.assertEqual(log.user_id, self.stock_user)
        self.assertEqual(log[0].new_value, "Recall R-7: faulty battery")
