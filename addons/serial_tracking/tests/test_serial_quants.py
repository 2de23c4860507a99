"""The quants the addon creates (allocation, Adjust Serials) are left as a receipt leaves its quants:
no counted quantity waiting in Physical Inventory, where applying it would change the stock."""

from odoo import fields
from odoo.tests import Form, tagged

from .common import SerialTrackingCase

ADJUST_VIEW = "serial_tracking.serial_adjust_wizard_view_form_start"

# Every stored field of a quant that a count or a move sets; a quant of the addon must equal a
# receipt's quant in each of them (in_date is checked apart: it is the moment the unit came in).
COMPARED_FIELDS = (
    "quantity",
    "reserved_quantity",
    "inventory_quantity",
    "inventory_quantity_set",
    "inventory_diff_quantity",
    "inventory_date",
    "is_outdated",
    "user_id",
    "owner_id",
    "package_id",
    "company_id",
    "location_id",
)


@tagged("post_install", "-at_install")
class TestSerialQuants(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start = fields.Datetime.now()
        cls.received = cls._create_serial_product("Quant Received")
        cls.allocated = cls._create_serial_product("Quant Allocated", serial_required_on_receipt=False)
        cls.adjusted = cls._create_serial_product("Quant Adjusted")
        cls.helper_stocked = cls._create_serial_product("Quant Helper")

    def _quant(self, product, serial):
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("lot_id.name", "=", serial),
                ("location_id", "=", self.stock_location.id),
            ]
        )
        self.assertEqual(len(quant), 1, f"one quant of {serial}")
        return quant

    def _receive(self):
        self._validate(self._create_receipt(self.received, 1, ["RCV-1"]))
        return self._quant(self.received, "RCV-1")

    def _allocate(self, names):
        self._stock_without_serials(self.allocated, len(names) + 1)
        todo = (
            self.env["serial.allocation.todo"]
            .with_user(self.stock_user)
            .search([("product_id", "=", self.allocated.id)])
        )
        action = todo.action_allocate_serials()
        action["context"]["default_quantity"] = len(names)
        form = Form(self.env["serial.allocate.wizard"].with_user(self.stock_user).with_context(**action["context"]))
        form.entry_method = "paste"
        form.paste_text = " ".join(names)
        wizard = form.save()
        wizard.action_add_pasted()
        wizard.action_confirm()

    def _adjust_in(self, names):
        form = Form(self.env["serial.adjust.wizard"].with_user(self.stock_user), view=ADJUST_VIEW)
        form.adjust_mode = "add"
        form.product_id = self.adjusted
        form.quantity = len(names)
        wizard = form.save()
        wizard.action_start_adjustment()
        wizard.paste_text = " ".join(names)
        wizard.action_add_pasted()
        wizard.action_confirm()

    def _adjust_out(self, name):
        form = Form(self.env["serial.adjust.wizard"].with_user(self.stock_user), view=ADJUST_VIEW)
        form.adjust_mode = "remove"
        form.product_id = self.adjusted
        form.quantity = 1
        wizard = form.save()
        wizard.action_start_adjustment()
        wizard.search_text = name
        wizard.action_select_all()
        wizard.action_confirm()

    def _stock_state(self, products):
        """(product, serial, location, quantity) of the on-hand quants of ``products``: what Apply must not change."""
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "in", products.ids),
                ("location_id.usage", "in", ["internal", "transit"]),
                ("quantity", "!=", 0),
            ]
        )
        return sorted(
            (quant.product_id.name, quant.lot_id.name or "", quant.location_id.name, quant.quantity) for quant in quants
        )

    def test_created_quants_are_left_as_a_receipt_leaves_them(self):
        received = self._receive()
        self._allocate(["ALC-1", "ALC-2"])
        self._adjust_in(["ADJ-1"])
        self._stock_serials(self.helper_stocked, ["HLP-1"])
        expected = {name: received[name] for name in COMPARED_FIELDS}
        self.assertFalse(expected["inventory_quantity_set"], "a receipt leaves no count to apply")
        for product, serial in (
            (self.allocated, "ALC-1"),
            (self.allocated, "ALC-2"),
            (self.adjusted, "ADJ-1"),
            (self.helper_stocked, "HLP-1"),
        ):
            quant = self._quant(product, serial)
            for name in COMPARED_FIELDS:
                self.assertEqual(quant[name], expected[name], f"{serial}: {name}")
            self.assertGreaterEqual(quant.in_date, self.start, f"{serial}: in_date")
        # The units that kept no serial are not left with a count either.
        rest = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.allocated.id),
                ("lot_id", "=", False),
                ("location_id", "=", self.stock_location.id),
            ]
        )
        self.assertEqual(rest.quantity, 1)
        self.assertFalse(rest.inventory_quantity_set)
        self.assertFalse(rest.user_id)

    def test_apply_all_in_physical_inventory_changes_nothing(self):
        """Physical Inventory > Apply All, then "Keep Counted Quantity" if Odoo asks, as a user would."""
        self._allocate(["ALL-1", "ALL-2", "ALL-3"])
        self._adjust_in(["ALL-4", "ALL-5"])
        self._adjust_out("ALL-5")
        products = self.allocated | self.adjusted
        before = self._stock_state(products)
        self.assertEqual(len(before), 5, before)

        domain = [("product_id", "in", products.ids), ("location_id.usage", "in", ["internal", "transit"])]
        manager_quants = self.env["stock.quant"].with_user(self.stock_manager).with_context(inventory_mode=True)
        action = manager_quants.with_context(active_domain=domain).action_apply_all()
        wizard = (
            self.env[action["res_model"]].with_user(self.stock_manager).with_context(**action["context"]).create({})
        )
        result = wizard.action_apply()
        if isinstance(result, dict) and result.get("res_model") == "stock.inventory.conflict":
            conflict = (
                self.env["stock.inventory.conflict"]
                .with_user(self.stock_manager)
                .with_context(**result["context"])
                .create({})
            )
            # A new request in the browser: nothing computed before (is_outdated) is still cached.
            self.env.invalidate_all()
            conflict.action_keep_counted_quantity()
        self.assertEqual(self._stock_state(products), before)
        self.assertFalse(
            manager_quants.search(domain + [("inventory_quantity_set", "=", True)]), "no row offers Apply or Clear"
        )
