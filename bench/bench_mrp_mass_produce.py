"""One manufacturing order of N serial units, produced and closed, two ways, each rolled back:

  * "Produce all with serials" (serial_tracking): N serials issued from the product's format, one
    order, one finished move with N lines, marked done in one call;
  * Odoo 18.0's own mass produce (mrp.batch.produce, "Produce All" on a serial order): the same N
    serial names, the order split into N orders, each marked done.

    ODOO_HOME=/work/shared/odoo18 .venv/bin/python bench/bench_mrp_mass_produce.py --db DB [--count 1000]
    (or, inside `odoo-bin shell -d DB`: exec(open("bench/bench_mrp_mass_produce.py").read()); run(env, 1000))

DB must have serial_tracking installed (e.g. the database left by scripts/odoo_tests.sh with
SERIALS_SKIP_UNINSTALL=1). Both runs use the same product, bill of materials (one untracked
component) and stock; nothing is committed. Prints seconds and the ratio Odoo / serial_tracking.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(env, count):
    """A serial product with a format, a BoM with one untracked component in stock, and a confirmed MO."""
    component = env["product.product"].create({"name": "Bench bolt", "type": "consu", "is_storable": True})
    finished = env["product.product"].create(
        {
            "name": "Bench unit",
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "serial_format": "BENCH-[[INCNUM,NONE,6]]",
        }
    )
    env["mrp.bom"].create(
        {
            "product_tmpl_id": finished.product_tmpl_id.id,
            "product_qty": 1,
            "bom_line_ids": [(0, 0, {"product_id": component.id, "product_qty": 2})],
        }
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    env["stock.quant"]._update_available_quantity(component, warehouse.lot_stock_id, 2 * count)
    production = env["mrp.production"].create({"product_id": finished.id, "product_qty": count})
    production.action_confirm()
    production.action_assign()
    return production


def _serial_tracking(env, count):
    production = _setup(env, count)
    started = time.perf_counter()
    production.action_serial_produce_all()
    env.flush_all()
    elapsed = time.perf_counter() - started
    assert production.state == "done" and len(production.move_finished_ids.move_line_ids.lot_id) == count
    return elapsed, 1


def _odoo_mass_produce(env, count):
    production = _setup(env, count)
    started = time.perf_counter()
    action = production.button_mark_done()  # a serial MO of N > 1: Odoo opens its mass produce wizard
    wizard = env["mrp.batch.produce"].with_context(**action["context"]).create({"lot_name": "ODOO-000001"})
    wizard.lot_qty = count
    wizard.action_generate_production_text()
    wizard.action_done()
    env.flush_all()
    elapsed = time.perf_counter() - started
    orders = env["mrp.production"].search([("procurement_group_id", "=", production.procurement_group_id.id)])
    assert len(orders) == count and set(orders.mapped("state")) == {"done"}, (len(orders), set(orders.mapped("state")))
    return elapsed, len(orders)


def run(env, count):
    """Both runs on ``env``'s cursor, each undone by a savepoint rollback."""
    env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))
    results = {}
    for name, method in (
        ("serial_tracking produce all", _serial_tracking),
        ("odoo mrp.batch.produce", _odoo_mass_produce),
    ):
        savepoint = f"bench_{name.split()[0]}"
        env.cr.execute(f"SAVEPOINT {savepoint}")
        try:
            results[name] = method(env, count)
        finally:
            env.cr.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
            env.invalidate_all()
            env.registry.clear_cache()
    ours = results["serial_tracking produce all"][0]
    for name, (seconds, orders) in results.items():
        print(f"{name:30s} {count} units  {seconds:8.2f} s  {orders} order(s)")
    print(f"ratio odoo / serial_tracking: {results['odoo mrp.batch.produce'][0] / ours:.1f}x")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--config", default=str(ROOT / "odoo.conf"))
    args = parser.parse_args()
    odoo_home = os.environ.get("ODOO_HOME")
    if not odoo_home:
        sys.exit("set ODOO_HOME to the Odoo 18.0 tree")
    sys.path.insert(0, odoo_home)
    sys.path.insert(0, str(ROOT))
    import odoo  # noqa: PLC0415 (Odoo comes from ODOO_HOME, known only now)

    addons = ",".join([f"{odoo_home}/addons", f"{odoo_home}/odoo/addons", str(ROOT / "addons")])
    odoo.tools.config.parse_config(["-c", args.config, "--addons-path", addons, "-d", args.db])
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            run(env, args.count)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
