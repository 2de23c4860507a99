from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSecurity(SerialTrackingCase):
    """Stock users use, stock managers configure; company rules on the new models."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._create_second_company()
        cls.sequence_a = cls.env["serial.sequence"].create({"name": "A", "code": "A", "format": "A-[[INCNUM,NONE,3]]"})
        cls.sequence_b = cls.env["serial.sequence"].create(
            {"name": "B", "code": "B", "format": "B-[[INCNUM,NONE,3]]", "company_id": cls.company_b.id}
        )
        cls.sequence_shared = cls.env["serial.sequence"].create(
            {"name": "Shared", "code": "S", "format": "S-[[INCNUM,NONE,3]]", "company_id": False}
        )

    def test_every_model_of_the_addon_has_access_rules(self):
        model_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", "serial_tracking"), ("model", "=", "ir.model")])
            .mapped("res_id")
        )
        addon_models = self.env["ir.model"].browse(model_ids)
        self.assertIn("serial.sequence", addon_models.mapped("model"))
        self.assertIn("serial.allocation.todo", addon_models.mapped("model"))
        # As Odoo's own check at install: an abstract model (the shared serial entry dialog) has no records.
        for model in addon_models.filtered(lambda model: not self.env[model.model]._abstract):
            self.assertTrue(model.access_ids, f"{model.model} has no access rules")

    def test_stock_user_uses_but_does_not_configure(self):
        Sequence = self.env["serial.sequence"].with_user(self.stock_user)
        self.assertEqual(Sequence.browse(self.sequence_a.id).name, "A")
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            Sequence.create({"name": "X", "code": "X", "format": "X-[[INCNUM,NONE,3]]"})
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            Sequence.browse(self.sequence_a.id).unlink()
        Todo = self.env["serial.allocation.todo"].with_user(self.stock_user)
        self.assertTrue(Todo.has_access("read"))
        self.assertFalse(Todo.has_access("write"), "the worklist is computed from stock, never edited")

    def test_stock_manager_configures(self):
        Sequence = self.env["serial.sequence"].with_user(self.stock_manager)
        sequence = Sequence.create({"name": "M", "code": "M", "format": "M-[[INCNUM,NONE,3]]"})
        sequence.write({"name": "Managed"})
        wizard = (
            self.env["serial.sequence.set.next"]
            .with_user(self.stock_manager)
            .create({"sequence_id": sequence.id, "last_issued": 9})
        )
        wizard.action_apply()
        self.assertEqual(sequence._peek(1), ["M-010"])
        sequence.unlink()
        self.assertFalse(sequence.exists())

    def test_sequences_follow_the_allowed_companies(self):
        visible = (
            self.env["serial.sequence"]
            .with_user(self.stock_user)
            .with_context(allowed_company_ids=[self.company.id])
            .search([])
        )
        self.assertIn(self.sequence_a, visible)
        self.assertIn(self.sequence_shared, visible, "a sequence without company is shared")
        self.assertNotIn(self.sequence_b, visible)
        both = (
            self.env["serial.sequence"]
            .with_user(self.stock_user)
            .with_context(allowed_company_ids=[self.company.id, self.company_b.id])
            .search([])
        )
        self.assertIn(self.sequence_b, both)

    def test_worklist_follows_the_allowed_companies(self):
        product = self._create_serial_product("Unserialized", serial_required_on_receipt=False)
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", self.company_b.id)], limit=1)
        self._stock_without_serials(product, 2)
        self._stock_without_serials(product, 3, location=warehouse_b.lot_stock_id)
        Todo = self.env["serial.allocation.todo"].with_user(self.stock_user)
        rows_a = Todo.with_context(allowed_company_ids=[self.company.id]).search([("product_id", "=", product.id)])
        self.assertEqual(rows_a.mapped("quantity"), [2])
        rows_ab = Todo.with_context(allowed_company_ids=[self.company.id, self.company_b.id]).search(
            [("product_id", "=", product.id)]
        )
        self.assertEqual(sorted(rows_ab.mapped("quantity")), [2, 3])

    def test_stock_user_allocates_serials(self):
        product = self._create_serial_product("Allocated by a user")
        self._stock_without_serials(product, 2)
        Todo = self.env["serial.allocation.todo"].with_user(self.stock_user)
        lots = Todo._allocate_serials(product.with_user(self.stock_user), self.stock_location, ["U-1", "U-2"])
        self.assertEqual(sorted(lots.mapped("name")), ["U-1", "U-2"])
