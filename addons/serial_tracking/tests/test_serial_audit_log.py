"""Serial audit log: who created, renamed, blocked, deleted serials, changed policies, set sequences."""


from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from serials_cli import odoo_audit

from .serial_record_common import SerialRecordCase


@tagged("post_install", "-at_install")
class TestSerialAuditLog(SerialRecordCase):
    def _log(self, **domain):
        return self.env["serial.audit.log"].search([(key, "=", value) for key, value in domain.items()], order="id")

    def test_create_rename_delete(self):
        lot = self.env["stock.lot"].with_user(self.stock_user).create(
            {"name": "A-1", "product_id": self.product.id, "company_id": self.company.id}
        )
        lot.with_user(self.stock_user).name = "A-1b"
        lot_id = lot.id
        lot.with_user(self.stock_manager).unlink()
        log = self._log(res_id=lot_id, model="stock.lot")
        self.assertEqual(log.mapped("action"), ["create", "rename", "delete"])
        self.assertEqual(log.mapped("user_id"), self.stock_user | self.stock_manager)
        self.assertEqual((log[1].old_value, log[1].new_value), ("A-1", "A-1b"))
        # Kept after the serial is gone, with its name.
        self.assertFalse(log.lot_id)
        self.assertEqual(log.mapped("lot_name"), ["A-1", "A-1b", "A-1b"])

    def test_policy_change(self):
        self.product.product_tmpl_id.with_user(self.stock_manager).write(
            {"serial_pattern": "A-*", "serial_required_on_sale": True, "name": "Renamed product"}
        )
        log = self._log(action="policy", res_id=self.product.product_tmpl_id.id)
        self.assertEqual(sorted(log.mapped("field_name")), ["serial_pattern", "serial_required_on_sale"])
        pattern = log.filtered(lambda entry: entry.field_name == "serial_pattern")
        self.assertEqual((pattern.old_value, pattern.new_value), (False, "A-*"))
        self.assertEqual(pattern.user_id, self.stock_manager)

    def test_sequence_next(self):
        sequence = self.env["serial.sequence"].create(
            {"name": "Audit", "code": "AUDIT", "format": "AU-[[INCNUM,NONE,4]]"}
        )
        wizard = self.env["serial.sequence.set.next"].with_user(self.stock_manager).create(
            {"sequence_id": sequence.id, "last_issued": 41}
        )
        wizard.action_apply()
        entry = self._log(action="sequence_next", res_id=sequence.id)
        self.assertEqual((entry.old_value, entry.new_value, entry.user_id), ("1", "42", self.stock_manager))

    def test_sequence_next_from_the_command_line(self):
        """`serials sequence set-next` writes the same audit row through SQL, naming the command's user."""
        sequence = self.env["serial.sequence"].create(
            {"name": "Audit CLI", "code": "AUDITCLI", "format": "AC-[[INCNUM,NONE,4]]"}
        )
        written = odoo_audit.record_sequence_next(
            self.env.cr, "AUDITCLI", str(sequence.company_id.id), 7, 42, series="product P-1"
        )
        self.assertTrue(written)
        entry = self._log(action="sequence_next", res_id=sequence.id)
        self.assertEqual((entry.model, entry.old_value, entry.new_value), ("serial.sequence", "7", "42"))
        self.assertEqual(entry.company_id, sequence.company_id)
        self.assertFalse(entry.user_id)
        self.assertIn("next number (product P-1), by the serials command", entry.field_name)
        self.assertTrue(entry.date)

    def test_read_only_for_everyone(self):
        self.env["stock.lot"].create({"name": "A-2", "product_id": self.product.id, "company_id": self.company.id})
        entry = self._log(lot_name="A-2")
        self.assertEqual(entry.with_user(self.stock_manager).read(["action"])[0]["action"], "create")
        with self.assertRaises(AccessError):
            entry.with_user(self.stock_user).read(["action"])
        with self.assertRaises(AccessError):
            entry.with_user(self.stock_manager).write({"new_value": "forged"})
        with self.assertRaises(AccessError):
            entry.with_user(self.stock_manager).unlink()
        with self.assertRaises(AccessError):
            self.env["serial.audit.log"].with_user(self.stock_manager).create({"action": "create"})
        # Not even the superuser changes it through the ORM.
        with self.assertRaises(UserError):
            entry.sudo().write({"new_value": "forged"})
        with self.assertRaises(UserError):
            entry.sudo().unlink()
        self.assertEqual(entry.new_value, "A-2")
