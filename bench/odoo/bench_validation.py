"""Time of the serial check run at each validation (stock.move.line._serial_check_done_lines) for a
receipt of 1,000 and of 10,000 serial lines, against a plain search and read of the same lines in the
same run.

Run (on a database where serial_tracking is installed; the bench commits nothing):

    .venv/bin/python bench/odoo/bench_validation.py --db serials_mine [--counts 1000,10000] [--repeat 3]

which runs this file inside ``odoo-bin shell`` (Odoo from $ODOO_HOME, odoo.conf, the checkout's addons). Each
receipt is built the way a user fills one (one quantity-1 line per new serial, picked); then, from an
empty ORM cache every time (rounds interleaved, best kept):

* baseline - ``search`` of the lines by id and ``read`` of the fields the check looks at;
* check    - the check itself, as _sanity_check and _action_done call it.

The "check / baseline" column is the ratio to the baseline measured in this run. The last line
compares the growth of both from the smallest to the largest receipt: a check that scales with the
number of lines grows like the baseline (about x10 from 1,000 to 10,000 lines).
"""

import gc
import os
import time


def launch():
    """Outside Odoo: run this file in ``odoo-bin shell`` with the arguments passed on in the environment."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a database where serial_tracking is installed")
    parser.add_argument("--counts", default="1000,10000", help="lines per receipt, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per case (best kept)")
    parser.add_argument("--config", default="odoo.conf")
    args = parser.parse_args()
    from odoo_shell import run_in_shell  # bench/odoo/, beside this file

    run_in_shell(__file__, args.db, args.config, {"BENCH_COUNTS": args.counts, "BENCH_REPEAT": args.repeat})


def build_receipt(env, count):
    """A confirmed receipt of ``count`` units of a new serial product, one picked line per new serial."""
    product = env["product.product"].create(
        {"name": f"Bench validation {count}", "type": "consu", "is_storable": True, "tracking": "serial"}
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    supplier = env.ref("stock.stock_location_suppliers")
    picking = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "location_id": supplier.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": count,
                        "product_uom": product.uom_id.id,
                        "location_id": supplier.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    },
                )
            ],
        }
    )
    picking.action_confirm()
    picking.action_assign()
    move = picking.move_ids
    move.move_line_ids.unlink()
    base = move._prepare_move_line_vals(quantity=1)
    env["stock.move.line"].create(
        [dict(base, lot_name=f"BV{count}-{index:06d}", picked=True) for index in range(count)]
    )
    return picking._serial_lines_being_validated()


def best_seconds(env, run, repeat):
    """Best time of ``run()`` over ``repeat`` runs, each from an empty ORM cache, GC off while timing."""
    best = float("inf")
    for _ in range(repeat):
        env.invalidate_all()
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    return best


def bench(env):
    counts = [int(count) for count in os.environ.get("BENCH_COUNTS", "1000,10000").split(",")]
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    # Chatter on every record only adds noise.
    env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))
    lines_model = env["stock.move.line"]
    results = []
    try:
        for count in counts:
            lines = build_receipt(env, count)
            assert len(lines) == count, (len(lines), count)
            ids = lines.ids

            def baseline(ids=ids):
                # The columns the serial check reads.
                lines_model.search([("id", "in", ids)]).read(list(lines_model._SERIAL_CHECKED_FIELDS))

            def check(ids=ids):
                lines_model.browse(ids)._serial_check_done_lines()

            check()  # the receipt must pass, or the figure would time an error path
            timed = {"baseline": float("inf"), "check": float("inf")}
            for _ in range(repeat):  # rounds interleaved, so machine noise falls on both alike
                for name, run in (("baseline", baseline), ("check", check)):
                    timed[name] = min(timed[name], best_seconds(env, run, 1))
            results.append((count, timed["baseline"], timed["check"]))
    finally:
        env.cr.rollback()

    print(f"serial check of a receipt's lines, best of {repeat}; baseline: search + read of the same lines")
    print(f"{'lines':>8} {'baseline s':>11} {'check s':>9} {'check / baseline':>17}")
    for count, baseline_s, check_s in results:
        print(f"{count:>8,} {baseline_s:>11.3f} {check_s:>9.3f} {check_s / baseline_s:>17.1f}")
    if len(results) > 1:
        (small, small_base, small_check), (large, large_base, large_check) = results[0], results[-1]
        print(
            f"growth {small:,} -> {large:,} lines: check x{large_check / small_check:.1f}, "
            f"baseline x{large_base / small_base:.1f} (lines x{large / small:g})"
        )


if "env" in globals():
    bench(env)  # noqa: F821  (given by odoo-bin shell)
elif __name__ == "__main__":
    launch()
