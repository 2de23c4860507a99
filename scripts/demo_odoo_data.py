"""Fills the demo database with serial products and the documents a warehouse makes with them. Runs inside
`odoo-bin shell` (scripts/demo.sh does this):

    odoo-bin shell -c odoo.conf -d serials_demo < scripts/demo_odoo_data.py

Idempotent: products and documents are found by their internal reference / origin and made only when
absent, so a second run on the same database adds nothing. Prints one line per step with its time.
"""

import time

from odoo import Command

# `env` is given by odoo-bin shell; this file only runs there.
env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))  # noqa: F821
RECEIPT_UNITS = 1000
ORIGIN = "Serial Tracking demo"


def step(label, function):
    started = time.perf_counter()
    result = function()
    print(f"demo-odoo: {label}: {result} ({time.perf_counter() - started:.1f} s)", flush=True)


def product(code, name, **policy):
    existing = env["product.product"].search([("default_code", "=", code)], limit=1)
    if existing:
        return existing
    return env["product.product"].create(
        {"name": name, "default_code": code, "type": "consu", "is_storable": True, "tracking": "serial", **policy}
    )


def partner(name):
    return env["res.partner"].search([("name", "=", name)], limit=1) or env["res.partner"].create({"name": name})


def tools_sequence():
    sequence = env["serial.sequence"].search([("code", "=", "TOOLS")], limit=1)
    return sequence or env["serial.sequence"].create(
        {"name": "Power tools", "code": "TOOLS", "format": "TL-[[INCNUM,NONE,6]]"}
    )


def products():
    sequence = tools_sequence()
    return {
        "phone": product(
            "DEMO-PHONE",
            "Smartphone S9",
            serial_pattern="996*****",
            serial_auto_generate=True,
            serial_format="996[[INCNUM,NONE,5]]",
            serial_required_on_sale=True,
            list_price=399.0,
        ),
        "router": product(
            "DEMO-ROUTER",
            "Wi-Fi Router AX3000",
            serial_auto_generate=True,
            serial_format="RT-[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4]]",
        ),
        "drill": product("DEMO-DRILL", "Cordless Drill 18V", serial_auto_generate=True, serial_sequence_id=sequence.id),
        "saw": product("DEMO-SAW", "Circular Saw 1400W", serial_auto_generate=True, serial_sequence_id=sequence.id),
        "drum": product("DEMO-DRUM", "Cable Drum 50 m", serial_required_on_receipt=False),
    }


def purchase(vendor, lines, reference):
    """A confirmed purchase order and its validated receipt; an existing one (same origin) is reused."""
    order = env["purchase.order"].search([("origin", "=", reference)], limit=1)
    if not order:
        order = env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "origin": reference,
                "order_line": [
                    Command.create({"product_id": item.id, "product_qty": quantity, "price_unit": 10.0})
                    for item, quantity in lines
                ],
            }
        )
        order.button_confirm()
    receipt = order.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel"))
    for picking in receipt:
        picking.action_assign()
        for move in picking.move_ids:
            # Units that get no serial from the product's format are received without one (the
            # product allows it) and wait in "Serials to allocate".
            if not move.move_line_ids:
                move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
    done = order.picking_ids.filtered(lambda picking: picking.state == "done")
    serials = len(done.move_line_ids.lot_id)
    return f"{order.name}, receipt {', '.join(done.mapped('name'))} done with {serials} serials"


def sale(customer, item, quantity, reference):
    """A confirmed sale order whose delivery ships serials from stock."""
    order = env["sale.order"].search([("origin", "=", reference)], limit=1)
    if not order:
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "origin": reference,
                "order_line": [Command.create({"product_id": item.id, "product_uom_qty": quantity})],
            }
        )
        order.action_confirm()
    for picking in order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
        picking.action_assign()
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
    shipped = order.picking_ids.filtered(lambda p: p.state == "done").move_line_ids.lot_id
    return f"{order.name}, delivery shipped {', '.join(shipped.sorted('name').mapped('name'))}"


items = {}
step("serial products", lambda: items.update(products()) or ", ".join(p.default_code for p in items.values()))
vendor = partner("Serial Demo Vendor")
customer = partner("Serial Demo Customer")
step(
    f"purchase receipt of {RECEIPT_UNITS} phones, serials generated from 996[[INCNUM,NONE,5]]",
    lambda: purchase(vendor, [(items["phone"], RECEIPT_UNITS)], f"{ORIGIN}: phones"),
)
step(
    "purchase receipt of routers, drills and saws (monthly format, shared sequence TOOLS)",
    lambda: purchase(vendor, [(items["router"], 12), (items["drill"], 20), (items["saw"], 10)], f"{ORIGIN}: tools"),
)
step(
    "purchase receipt of 7 cable drums without serials (serialize later)",
    lambda: purchase(vendor, [(items["drum"], 7)], f"{ORIGIN}: drums"),
)
step("sale of 5 phones and its delivery", lambda: sale(customer, items["phone"], 5, f"{ORIGIN}: phones sale"))
waiting = env["serial.allocation.todo"].search([("product_id", "=", items["drum"].id)])
print(
    f"demo-odoo: Serials to allocate: {sum(waiting.mapped('quantity')):g} cable drums waiting for serials", flush=True
)
env.cr.commit()
