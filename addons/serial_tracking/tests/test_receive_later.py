from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestReceiveLater(SerialTrackingCase):
    """Receive now, serialize later, through the worklist "Serials to allocate"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product(
            "Received unserialized", serial_required_on_receipt=False, serial_pattern="RL-###"
        )
        cls.Todo = cls.env["serial.allocation.todo"]

    def _todo(self, product=None, location=None):
        return self.Todo.search(
            [
                ("product_id", "=", (product or self.product).id),
                ("location_id", "=", (location or self.stock_location).id),
            ]
        )

    def _receive_without_serials(self, quantity):
        receipt = self._create_receipt(self.product, quantity)
        self._set_move_quantity_without_serials(receipt.move_ids)
        self._validate(receipt)
        return receipt

    def test_receipt_without_serials_is_validated_and_listed(self):
        receipt = self._receive_without_serials(5)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self.product.qty_available, 5)
        self.assertFalse(receipt.move_line_ids.lot_id)
        todo = self._todo()
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.quantity, 5)
        self.assertEqual(todo.company_id, self.company)

    def test_picking_validated_without_touching_lines(self):
        """The user only presses Validate on a receipt whose lines carry no serial."""
        receipt = self._create_receipt(self.product, 3)
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self._todo().quantity, 3)

    def test_allocate_serials_moves_units_onto_new_lots(self):
        self._receive_without_serials(5)
        lots = self.Todo._allocate_serials(self.product, self.stock_location, ["RL-001", "RL-002", "RL-003"])
        self.assertEqual(sorted(lots.mapped("name")), ["RL-001", "RL-002", "RL-003"])
        self.assertEqual(self._on_hand_serials(self.product), ["RL-001", "RL-002", "RL-003"])
        self.assertEqual(self._todo().quantity, 2, "two units still lack a serial")
        self.assertEqual(self.product.qty_available, 5, "allocation changes no quantity")
        moves = self.env["stock.move.line"].search([("lot_id", "in", lots.ids), ("state", "=", "done")])
        self.assertEqual(len(moves), 3, "each serial has its allocation move in the history")

        self.Todo._allocate_serials(self.product, self.stock_location, ["RL-004", "RL-005"])
        self.assertFalse(self._todo(), "fully serialized stock leaves the worklist")

    def test_allocation_lists_every_bad_serial_and_writes_nothing(self):
        self._receive_without_serials(4)
        with self.assertRaises(UserError) as caught:
            self.Todo._allocate_serials(self.product, self.stock_location, ["RL-001", "X-1", "RL-1", "RL-001"])
        message = str(caught.exception)
        self.assertIn("X-1", message)
        self.assertIn("RL-1", message)
        self.assertIn("RL-001 is entered 2 times", message)
        self.assertFalse(self._find_lot(self.product, "RL-001"))
        self.assertEqual(self._todo().quantity, 4)

    def test_allocation_cannot_exceed_the_units_lacking_serials(self):
        self._receive_without_serials(1)
        with self.assertRaises(UserError) as caught:
            self.Todo._allocate_serials(self.product, self.stock_location, ["RL-001", "RL-002"])
        self.assertIn("only 1", str(caught.exception))

    def test_allocation_refuses_serials_already_in_use(self):
        self._stock_serials(self.product, ["RL-009"], location=self.shelf_location)
        self._receive_without_serials(1)
        with self.assertRaises(UserError) as caught:
            self.Todo._allocate_serials(self.product, self.stock_location, ["RL-009"])
        self.assertIn("RL-009", str(caught.exception))

    def test_stock_from_before_tracking_appears_and_is_initialized(self):
        """Stock that existed before the product was tracked by serial shows as "Serial tracking not initialized"."""
        product = self.env["product.product"].create({"name": "Old stock", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(product, self.stock_location, 3)
        self.assertFalse(self._todo(product), "untracked products are not on the worklist")
        product.tracking = "serial"
        todo = self._todo(product)
        self.assertEqual(todo.quantity, 3)
        # The product form says so and leads to the worklist.
        form = Form(product.product_tmpl_id.with_user(self.stock_user))
        self.assertEqual(form.serial_unallocated_qty, 3)
        action = product.product_tmpl_id.action_open_serial_allocation()
        self.assertEqual(self.Todo.search(action["domain"]), todo)
        self.Todo._allocate_serials(product, self.stock_location, ["OLD-1", "OLD-2", "OLD-3"])
        self.assertFalse(self._todo(product))
        self.assertEqual(self._on_hand_serials(product), ["OLD-1", "OLD-2", "OLD-3"])
        product.product_tmpl_id.invalidate_recordset(["serial_unallocated_qty"])
        self.assertEqual(product.product_tmpl_id.serial_unallocated_qty, 0)

    def test_allocate_button_opens_the_entry_wizard_in_allocate_mode(self):
        self._receive_without_serials(2)
        action = self._todo().action_allocate_serials()
        self.assertEqual(action["res_model"], "serial.allocate.wizard")
        self.assertEqual(action["context"]["default_mode"], "allocate")
        self.assertEqual(action["context"]["default_product_id"], self.product.id)
        self.assertEqual(action["context"]["default_location_id"], self.stock_location.id)
        self.assertEqual(action["context"]["default_quantity"], 2)

    def test_internal_transfer_of_units_without_serials_follows_them(self):
        self._receive_without_serials(2)
        transfer = self._create_internal_transfer(self.product, 2)
        self._set_move_quantity_without_serials(transfer.move_ids)
        self._validate(transfer)
        self.assertEqual(transfer.state, "done")
        self.assertFalse(self._todo())
        self.assertEqual(self._todo(location=self.shelf_location).quantity, 2)

    def test_required_product_keeps_refusing(self):
        required = self._create_serial_product("Required at receipt")
        receipt = self._create_receipt(required, 1)
        with self.assertRaises(UserError):
            self._validate(receipt)
        self.assertEqual(receipt.state, "assigned")

    def test_products_valued_per_serial_always_need_serials(self):
        """stock_account's lot valuation needs a serial on every unit, whatever the receipt policy."""
        self.product.lot_valuated = True
        receipt = self._create_receipt(self.product, 1)
        self._set_move_quantity_without_serials(receipt.move_ids)
        with self.assertRaises(UserError) as caught:
            self._validate(receipt)
        self.assertIn("valued per serial", str(caught.exception))
        self.assertEqual(receipt.state, "assigned")
