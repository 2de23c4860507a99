"""Fixtures shared by the serial_tracking Odoo tests.

Everything here builds real records on a real Odoo 18.0 database (TransactionCase: each test is rolled
back). Pickings are made the way a user makes them (confirm, reserve, fill the detailed operations, mark
picked, validate), so the addon's server-side checks run exactly as they do in production.
"""

from odoo import Command
from odoo.tests import Form, TransactionCase, new_test_user

# Wall-clock stamps and bookkeeping that differ between any two runs of the same flow (a serial's last
# move line is each run's own line, its last date the run's clock): left out when comparing their records.
RUN_STAMPS = frozenset(
    {
        "id",
        "create_date",
        "write_date",
        "create_uid",
        "write_uid",
        "in_date",
        "date",
        "date_done",
        "inventory_date",
        "last_count_date",
        "__last_update",
        "serial_last_date",
    }
)


class SerialTrackingCase(TransactionCase):
    """Company, users, warehouse, locations and helpers for serial products and their moves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Chatter messages on every picking and lot only slow the tests down.
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.shelf_location = cls.env["stock.location"].create(
            {"name": "Serial shelf", "location_id": cls.stock_location.id, "usage": "internal"}
        )
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.picking_type_in = cls.warehouse.in_type_id
        cls.picking_type_out = cls.warehouse.out_type_id
        cls.picking_type_internal = cls.warehouse.int_type_id
        cls.partner = cls.env["res.partner"].create({"name": "Serial Test Partner"})

        cls.stock_user = cls._create_stock_user("serial_stock_user", "stock.group_stock_user")
        cls.stock_manager = cls._create_stock_user("serial_stock_manager", "stock.group_stock_manager")

    @classmethod
    def _create_stock_user(cls, login, group):
        """A user of the test company with ``group`` and Lots & Serial Numbers."""
        return new_test_user(
            cls.env,
            login=login,
            groups=f"{group},stock.group_production_lot",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    # ------------------------------------------------------------------ products

    @classmethod
    def _create_serial_product(cls, name="Serial Widget", company=None, **policy):
        """A storable product tracked by unique serial; ``policy`` sets the serial_* template fields."""
        vals = {
            "name": name,
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
        }
        if company is not None:
            vals["company_id"] = company.id
        vals.update(policy)
        return cls.env["product.product"].create(vals)

    @classmethod
    def _create_second_company(cls, name="Serial Second Company"):
        """Another company (with its own warehouse), which both test users may also work in."""
        company = cls.env["res.company"].create({"name": name})
        for user in (cls.stock_user, cls.stock_manager):
            user.write({"company_ids": [Command.link(company.id)]})
        return company

    # ------------------------------------------------------------------ stock

    @classmethod
    def _find_lot(cls, product, name, company=None):
        domain = [("product_id", "=", product.id), ("name", "=", name)]
        if company is not None:
            domain.append(("company_id", "in", [company.id, False]))
        return cls.env["stock.lot"].search(domain, limit=1)

    @classmethod
    def _create_blocked_lot(cls, product, name):
        """Serial ``name`` of ``product``, blocked (held for inspection)."""
        return cls.env["stock.lot"].create(
            {
                "name": name,
                "product_id": product.id,
                "company_id": cls.company.id,
                "serial_blocked": True,
                "serial_block_reason": "Held for inspection",
            }
        )

    @classmethod
    def _stock_serials(cls, product, serials, location=None):
        """Put one unit of each serial on hand at ``location`` through an inventory adjustment."""
        location = location or cls.stock_location
        return cls.env["stock.quant"]._serial_adjust(product, location, add_names=serials, reason="Test stock")

    @classmethod
    def _stock_without_serials(cls, product, quantity, location=None):
        """On-hand units of a serial product that carry no serial (e.g. stock from before tracking)."""
        location = location or cls.stock_location
        cls.env["stock.quant"]._update_available_quantity(product, location, quantity)
        return cls.env["stock.quant"]._gather(product, location, strict=True)

    # ------------------------------------------------------------------ pickings

    @classmethod
    def _create_picking(cls, picking_type, product, quantity, location=None, location_dest=None, serials=None):
        """A confirmed and reserved picking with one move of ``quantity`` units of ``product``; with
        ``serials`` its move is filled and picked."""
        location = location or picking_type.default_location_src_id
        location_dest = location_dest or picking_type.default_location_dest_id
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": cls.partner.id,
                "location_id": location.id,
                "location_dest_id": location_dest.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.display_name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": location.id,
                            "location_dest_id": location_dest.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        if serials is not None:
            cls._set_move_serials(picking.move_ids, serials)
        return picking

    @classmethod
    def _create_receipt(cls, product, quantity, serials=None, location_dest=None):
        """A receipt from the vendor location; with ``serials`` its move is filled and picked."""
        return cls._create_picking(
            cls.picking_type_in,
            product,
            quantity,
            serials=serials,
            location=cls.supplier_location,
            location_dest=location_dest or cls.stock_location,
        )

    @classmethod
    def _create_delivery(cls, product, quantity, serials=None, location=None):
        """A delivery to the customer location; with ``serials`` its move is filled and picked."""
        return cls._create_picking(
            cls.picking_type_out,
            product,
            quantity,
            serials=serials,
            location=location or cls.stock_location,
            location_dest=cls.customer_location,
        )

    @classmethod
    def _create_internal_transfer(cls, product, quantity, serials=None, location=None, location_dest=None):
        """An internal transfer (stock -> shelf by default); with ``serials`` its move is filled and picked."""
        return cls._create_picking(
            cls.picking_type_internal,
            product,
            quantity,
            serials=serials,
            location=location or cls.stock_location,
            location_dest=location_dest or cls.shelf_location,
        )

    @classmethod
    def _move_line_vals(cls, move, quantity):
        """Values of a detailed operation of ``move`` for ``quantity`` units, without serial."""
        return {
            "move_id": move.id,
            "picking_id": move.picking_id.id,
            "product_id": move.product_id.id,
            "product_uom_id": move.product_uom.id,
            "location_id": move.location_id.id,
            "location_dest_id": move.location_dest_id.id,
            "quantity": quantity,
        }

    @classmethod
    def _set_move_serials(cls, move, serials, quantity_per_line=1):
        """Replace the move's detailed operations by one line per serial and mark the move picked.

        Types that create lots get ``lot_name`` (the lot is created at validation); the others get the
        existing lot of that name (``lot_id``), as a user choosing it in the detailed operations would.
        """
        move.ensure_one()
        move.move_line_ids.unlink()
        creates_lots = move.picking_type_id.use_create_lots and not move.picking_type_id.use_existing_lots
        lines = []
        for serial in serials:
            vals = cls._move_line_vals(move, quantity_per_line)
            lot = False if creates_lots else cls._find_lot(move.product_id, serial, move.company_id)
            if lot:
                vals["lot_id"] = lot.id
            else:
                vals["lot_name"] = serial
            lines.append(vals)
        cls.env["stock.move.line"].create(lines)
        move.picked = True
        return move.move_line_ids

    @classmethod
    def _set_move_quantity_without_serials(cls, move, quantity=None):
        """Detailed operations with the quantity but no serial at all (receive now, serialize later)."""
        move.ensure_one()
        move.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            cls._move_line_vals(move, move.product_uom_qty if quantity is None else quantity)
        )
        move.picked = True
        return move.move_line_ids

    @classmethod
    def _validate(cls, picking):
        """Validate as the Validate button does, without the backorder question."""
        return picking.with_context(skip_backorder=True).button_validate()

    def _counted_quants(self, lots, location=None):
        """Counted quants of ``lots`` (one unit each) waiting in Physical Inventory, as a user enters them."""
        return (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": lot.product_id.id,
                        "location_id": (location or self.stock_location).id,
                        "lot_id": lot.id,
                        "inventory_quantity": 1,
                    }
                    for lot in lots
                ]
            )
        )

    @staticmethod
    def _stored_rows(records, ignored, by_name=("stock.lot",)):
        """Every stored field of ``records`` but ``ignored``, sorted, for comparing two runs: links to
        records of the ``by_name`` models (made during a run, so their ids differ) by display name."""
        rows = []
        for record in records:
            row = []
            for name, field in sorted(record._fields.items()):
                if not field.store or name in ignored or field.type in ("one2many", "many2many", "binary"):
                    continue
                value = record[name]
                if field.type == "many2one":
                    value = value.display_name if field.comodel_name in by_name else value.id
                row.append((name, value))
            rows.append(tuple(row))
        return sorted(rows, key=repr)

    @classmethod
    def _csv_file(cls, rows, header=("product", "location", "serial")):
        """The bytes of a .csv file with ``header`` and ``rows`` (tuples of cells)."""
        lines = [header, *rows] if header else rows
        return "".join(",".join(str(cell) for cell in line) + "\n" for line in lines).encode()

    @classmethod
    def _on_hand_serials(cls, product, location=None):
        """Names of the product's serials with a positive quant at ``location`` (and its children)."""
        location = location or cls.stock_location
        quants = cls.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "child_of", location.id),
                ("lot_id", "!=", False),
                ("quantity", ">", 0),
            ]
        )
        return sorted(quants.lot_id.mapped("name"))

    # ------------------------------------------------------------------ manufacturing

    @classmethod
    def _set_producing_serial(cls, production, serial):
        """Set a confirmed order to produce one unit as new serial ``serial``, components picked: ready
        for Mark as Done."""
        form = Form(production)
        form.qty_producing = 1
        form.lot_producing_id = cls.env["stock.lot"].create(
            {"name": serial, "product_id": production.product_id.id, "company_id": cls.company.id}
        )
        production = form.save()
        production.move_raw_ids.picked = True
        return production
