"""Recall of a component lot consumed into 10,000 finished serials, on a real Odoo 18.0 database.

    ODOO_HOME=/work/shared/odoo18 .venv/bin/python $ODOO_HOME/odoo-bin shell -c odoo.conf -d DB \
        --no-http < bench/bench_recall.py          # DB: a database with serial_tracking installed
    (BENCH_RECALL_COUNT=N changes the number of finished serials; everything is rolled back at the end.)

The genealogy is written straight into Odoo's tables (one raw move line of the component lot per
finished serial, linked through stock_move_line_consume_rel as manufacturing orders link them, and
a delivery of each finished serial to a customer): building 10,000 real manufacturing orders through
the ORM would take the bench an hour and measure the ORM, not the recall.

Measured: stock.lot.action_serial_recall() (the recursive query writing the recall lines), reading
the first page of lines as the form does, and the .xlsx export; Python peak memory of each
(tracemalloc). Baseline, same run: one SELECT of the same finished lots by product (what any
answer must at least read). The recall's figure is reported as seconds and as a ratio to it.
"""

import io
import os
import time
import tracemalloc

from odoo.tools import SQL

from odoo.addons.serial_tracking.tools.recall_export import write_recall_xlsx

COUNT = int(os.environ.get("BENCH_RECALL_COUNT", "10000"))
env = env(context=dict(env.context, tracking_disable=True))  # noqa: F821 - given by odoo-bin shell
cr = env.cr


def timed(function):
    """(result, seconds, Python peak bytes): timed on a first call, memory traced on a second one
    (tracemalloc slows allocation down several times, so it never runs under the clock)."""
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak


company = env.company
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
stock, production = warehouse.lot_stock_id, env["stock.location"].search([("usage", "=", "production")], limit=1)
customers = env.ref("stock.stock_location_customers")
partner = env["res.partner"].create({"name": "Bench Customer"})
component = env["product.product"].create({"name": "Bench Cell", "is_storable": True, "tracking": "lot"})
finished = env["product.product"].create({"name": "Bench Pack", "is_storable": True, "tracking": "serial"})
component_lot = env["stock.lot"].create({"name": "CELL-LOT-1", "product_id": component.id, "company_id": company.id})
env.flush_all()

uom = component.uom_id.id
cr.execute(
    """INSERT INTO stock_move (name, product_id, product_uom, product_uom_qty, location_id, location_dest_id,
                               company_id, procure_method, date, state, partner_id)
       VALUES ('bench consume', %(component)s, %(uom)s, %(n)s, %(stock)s, %(production)s, %(company)s,
               'make_to_stock', now(), 'done', NULL),
              ('bench build', %(finished)s, %(uom)s, %(n)s, %(production)s, %(stock)s, %(company)s,
               'make_to_stock', now(), 'done', NULL),
              ('bench ship', %(finished)s, %(uom)s, %(n)s, %(stock)s, %(customers)s, %(company)s,
               'make_to_stock', now(), 'done', %(partner)s)
       RETURNING id""",
    dict(
        component=component.id,
        finished=finished.id,
        uom=uom,
        n=COUNT,
        stock=stock.id,
        production=production.id,
        customers=customers.id,
        company=company.id,
        partner=partner.id,
    ),
)
consume_move, build_move, ship_move = (row[0] for row in cr.fetchall())
cr.execute(
    """WITH lots AS (
           INSERT INTO stock_lot (name, product_id, company_id, create_date, write_date)
           SELECT 'PACK-' || lpad(i::text, 6, '0'), %(finished)s, %(company)s, now(), now()
             FROM generate_series(1, %(n)s) i
           RETURNING id
       ), numbered AS (
           SELECT id, row_number() OVER (ORDER BY id) AS i FROM lots
       ), consumed AS (
           INSERT INTO stock_move_line (move_id, product_id, product_uom_id, lot_id, quantity, quantity_product_uom,
                                        location_id, location_dest_id, company_id, state, date)
           SELECT %(consume)s, %(component)s, %(uom)s, %(lot)s, 1, 1, %(stock)s, %(production)s, %(company)s,
                  'done', now() - interval '1 day' + i * interval '1 second'
             FROM numbered
           RETURNING id
       ), built AS (
           INSERT INTO stock_move_line (move_id, product_id, product_uom_id, lot_id, quantity, quantity_product_uom,
                                        location_id, location_dest_id, company_id, state, date)
           SELECT %(build)s, %(finished)s, %(uom)s, id, 1, 1, %(production)s, %(stock)s, %(company)s, 'done',
                  now() - interval '1 day' + i * interval '1 second'
             FROM numbered
           RETURNING id, lot_id
       ), shipped AS (
           INSERT INTO stock_move_line (move_id, product_id, product_uom_id, lot_id, quantity, quantity_product_uom,
                                        location_id, location_dest_id, company_id, state, date)
           SELECT %(ship)s, %(finished)s, %(uom)s, id, 1, 1, %(stock)s, %(customers)s, %(company)s, 'done',
                  now() - interval '1 hour' + i * interval '1 second'
             FROM numbered
           RETURNING id
       )
       INSERT INTO stock_move_line_consume_rel (consume_line_id, produce_line_id)
       SELECT b.id, c.id
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM built) b
         JOIN (SELECT id, row_number() OVER (ORDER BY id) AS i FROM consumed) c USING (i)""",
    dict(
        finished=finished.id,
        component=component.id,
        company=company.id,
        n=COUNT,
        consume=consume_move,
        build=build_move,
        ship=ship_move,
        uom=uom,
        lot=component_lot.id,
        stock=stock.id,
        production=production.id,
        customers=customers.id,
    ),
)
env["stock.lot"]._serial_refresh_record(SQL("lot.product_id = %s", finished.id))
cr.execute("ANALYZE stock_move_line; ANALYZE stock_lot; ANALYZE stock_move_line_consume_rel")
env.invalidate_all()


def baseline():
    cr.execute("SELECT id, name, serial_state, serial_location_id FROM stock_lot WHERE product_id = %s", [finished.id])
    return len(cr.fetchall())


def recall():
    action = component_lot.action_serial_recall()
    return env["serial.recall"].browse(action["res_id"])


baseline_rows, baseline_seconds, _ = timed(baseline)
recall_record, recall_seconds, recall_peak = timed(recall)
page, page_seconds, page_peak = timed(
    lambda: recall_record.line_ids[:80].read(
        ["lot_id", "product_id", "serial_state", "location_id", "shipped_partner_id", "shipped_date"]
    )
)
states = dict(env["serial.recall.line"]._fields["serial_state"]._description_selection(env))
sizes = []


def export():
    output = io.BytesIO()
    write_recall_xlsx(cr, recall_record.id, states, output)
    sizes.append(len(output.getvalue()))


_, export_seconds, export_peak = timed(export)

print(f"recall of a lot consumed into {COUNT} finished serials (each shipped to a customer):")
print(
    f"  lines found: {recall_record.line_count}, customers: {recall_record.customer_count} "
    f"(baseline read {baseline_rows} lots)"
)
print(f"  baseline SELECT of the finished lots: {baseline_seconds * 1000:.1f} ms")
print(
    f"  action_serial_recall (recursive query + INSERT of the lines): {recall_seconds * 1000:.1f} ms "
    f"= {recall_seconds / baseline_seconds:.1f} x baseline; Python peak {recall_peak / 1024:.0f} KiB"
)
print(f"  first page of 80 lines: {page_seconds * 1000:.1f} ms; Python peak {page_peak / 1024:.0f} KiB")
print(
    f"  .xlsx export: {export_seconds * 1000:.1f} ms, {sizes[0] / 1024:.0f} KiB; "
    f"Python peak {export_peak / 1024:.0f} KiB"
)
cr.rollback()
