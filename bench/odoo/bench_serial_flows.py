"""Odoo's own serial flows against the addon's bulk path, side by side, on a real Odoo 18.0 database.

    export ODOO_HOME=/path/to/odoo-18.0
    .venv/bin/python bench/odoo/bench_serial_flows.py --config odoo.conf -d DATABASE \
        [--cases receipt-1000 receipt-10000 delivery-10000 opening-10000 opening-100000] \
        [--flows odoo addon job] [--profile CASE:FLOW]

    # e.g. a database for it, left by one test class of the addon:
    SERIALS_ODOO_TEST_DB=serials_bench SERIALS_SKIP_UNINSTALL=1 \
        bash scripts/odoo_tests.sh --test-tags /serial_tracking:TestBulkEquivalence

The database needs serial_tracking installed. Every case runs in its own process (so peak memory is
that case's own) on one cursor that is rolled back at the end: nothing stays in the database. Each
case creates what it needs: a serial product (valued: its receipts and deliveries leave stock
valuation layers), the pickings, the stock to deliver. Without --cases/--flows every case runs in
every flow it has, Odoo's first: Odoo's opening of 100,000 serials takes hours (leave it out with
--cases, or --flows addon job for it).

Flows: "odoo" runs the case with the bulk path switched off (serial_bulk_threshold at the count),
i.e. Odoo's own flow with the addon's checks; "addon" with the bulk path on (threshold 0).
Cases:
  receipt-N    receipt of N serials: generate (Odoo's _generate_serial_numbers) + validate
  delivery-N   delivery of N serials already in stock: reserve + validate (the stock is received
               beforehand through the bulk path, not timed; the delivery type reserves manually so
               that the reservation is in the timed part)
  opening-N    opening stock of N serials: lots + inventory-adjustment quants + apply (Odoo's Physical
               Inventory; in the "addon" flow only its apply takes the bulk path: the counted quants
               are still created one by one by stock.quant's inventory-mode create)
Flow "job" (opening cases only): the opening-stock file load as users run it (Inventory >
Operations > Load Opening Stock Serials, or `serials opening-stock`): the .csv checked and turned
into a serial job, then the job run chunk by chunk, each chunk committed, as the worker runs it
(job._run, in this process: Redis and RQ are not timed). Since it commits, it runs on a throwaway
copy of the database (CREATE DATABASE ... TEMPLATE, dropped at the end); its time covers the check
and the load, not the copy.

Columns: seconds (wall clock), CPU s (this Python process) and DB CPU s (its PostgreSQL backend's, read
from /proc: PostgreSQL on this machine), whose sum is the flow's whole work however loaded the machine
is (the wall clock is not), the queries run, the peak resident memory of the case's process and its
growth during the timed part, the ratios of Odoo's seconds and of its whole CPU (Python + backend) to
the flow's, and the load average when the row was printed. Under a job row: the file check, the chunks,
the job's own bookkeeping around them (lock, job and chunk states, savepoints, commits) as a share of the
chunks' work, and the registry load a worker process pays once per database.
With --profile CASE:FLOW the case runs once under cProfile and the top functions and the query
count are printed instead.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import time
from contextlib import contextmanager

from backend_cpu import backend_cpu_seconds, backend_pid

DEFAULT_CASES = ["receipt-1000", "receipt-10000", "delivery-10000", "opening-10000", "opening-100000"]
FLOWS = ("odoo", "addon", "job")


def odoo_env(config_path, database):
    """Opens Odoo's registry for `database` (Odoo from ODOO_HOME) and returns (registry, cursor, env)."""
    odoo_home = os.environ.get("ODOO_HOME")
    if odoo_home and odoo_home not in sys.path:
        sys.path.insert(0, odoo_home)
    import odoo  # pylint: disable=import-outside-toplevel
    from odoo import SUPERUSER_ID, api  # pylint: disable=import-outside-toplevel

    addons = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "addons")
    addons_path = ",".join(
        [os.path.join(odoo_home or "", "addons"), os.path.join(odoo_home or "", "odoo", "addons"), addons]
    )
    odoo.tools.config.parse_config(
        ["-c", config_path, "-d", database, "--log-level=warn", "--addons-path", addons_path]
    )
    registry = odoo.modules.registry.Registry(database)
    cr = registry.cursor()
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
    return registry, cr, env


class Setup:
    """Product, warehouse and helpers of one case (all inside the case's rolled-back transaction)."""

    def __init__(self, env, tag):
        self.env = env
        self.tag = tag
        self.company = env.company
        self.warehouse = env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        self.stock = self.warehouse.lot_stock_id
        self.product = env["product.product"].create(
            {
                "name": f"Bench serial product {tag}",
                "default_code": f"BENCH-{tag}",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "standard_price": 10.0,
            }
        )
        self.partner = env["res.partner"].create({"name": "Bench partner"})

    def serials(self, count, prefix):
        return [f"{prefix}{self.tag}-{index:07d}" for index in range(count)]

    def picking(self, picking_type, count, location, location_dest):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": self.partner.id,
                "location_id": location.id,
                "location_dest_id": location_dest.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": count,
                            "product_uom": self.product.uom_id.id,
                            "location_id": location.id,
                            "location_dest_id": location_dest.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def stock_serials(self, count):
        """`count` serials on hand in WH/Stock, received from a vendor through the addon's bulk path
        (the records Odoo's own receipt leaves, as tests/test_bulk_equivalence.py checks, in seconds
        where counted quants created one by one in inventory mode take many minutes)."""
        names = self.serials(count, "S")
        supplier = self.env.ref("stock.stock_location_suppliers")
        receipt = self.picking(self.warehouse.in_type_id, count, supplier, self.stock)
        move = receipt.move_ids
        move.with_context(serial_bulk=True)._generate_serial_numbers(names[0], count)
        assert sorted(move.move_line_ids.mapped("lot_name")) == names
        move.picked = True
        result = receipt.with_context(serial_bulk=True).button_validate()
        assert result is True and receipt.state == "done", (result, receipt.state)
        return names


def quants_in_inventory_mode(env, product, location, names):
    """Lots and counted quants, as Odoo's Physical Inventory import leaves them before Apply."""
    lots = env["stock.lot"].create([{"name": name, "product_id": product.id} for name in names])
    return (
        env["stock.quant"]
        .with_context(inventory_mode=True)
        .create(
            [
                {"product_id": product.id, "location_id": location.id, "lot_id": lot.id, "inventory_quantity": 1}
                for lot in lots
            ]
        )
    )


def case_receipt(setup, count):
    receipt_type = setup.warehouse.in_type_id
    supplier = setup.env.ref("stock.stock_location_suppliers")
    picking = setup.picking(receipt_type, count, supplier, setup.stock)

    def run():
        move = picking.move_ids
        move._generate_serial_numbers(f"R{setup.tag}-0000001", count)
        move.picked = True
        result = picking.button_validate()
        assert result is True and picking.state == "done", (result, picking.state)

    return run


def case_delivery(setup, count):
    setup.stock_serials(count)
    delivery_type = setup.warehouse.out_type_id
    # Reserved in the timed part, not when confirmed (the type's default reserves at confirmation).
    delivery_type.reservation_method = "manual"
    customer = setup.env.ref("stock.stock_location_customers")
    picking = setup.picking(delivery_type, count, setup.stock, customer)
    assert picking.state == "confirmed", picking.state

    def run():
        picking.action_assign()
        picking.move_ids.picked = True
        result = picking.button_validate()
        assert result is True and picking.state == "done", (result, picking.state)

    return run


def case_opening(setup, count):
    names = setup.serials(count, "O")

    def run():
        quants_in_inventory_mode(setup.env, setup.product, setup.stock, names).action_apply_inventory()

    return run


CASES = {"receipt": case_receipt, "delivery": case_delivery, "opening": case_opening}


def admin_statement(config_path, statement):
    """One statement on the maintenance database, outside transactions (CREATE/DROP DATABASE)."""
    import psycopg2  # pylint: disable=import-outside-toplevel

    from worker.config import load_config  # pylint: disable=import-outside-toplevel

    conn = psycopg2.connect(**{**load_config(config_path).dsn, "dbname": "postgres"})
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


def run_job_case(args, count):
    """The "job" flow on a copy of the database: check the file, create the job, run its chunks."""
    copy = f"{args.database}_bench_job_{os.getpid()}"
    admin_statement(args.config, f'CREATE DATABASE "{copy}" TEMPLATE "{args.database}"')
    try:
        loading = time.perf_counter()
        registry, cr, env = odoo_env(args.config, copy)
        registry_seconds = time.perf_counter() - loading
        try:
            setup = Setup(env, f"j{count}")
            cr.commit()
            rows = "".join(
                f"{setup.product.default_code},{setup.stock.complete_name},{name}\n"
                for name in setup.serials(count, "J")
            )
            data = ("product,location,serial\n" + rows).encode()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            queries_before = cr.sql_log_count
            started = time.perf_counter()
            outcome = env["serial.opening.stock.wizard"]._serial_load_file(data, "opening.csv")
            assert "job_id" in outcome, outcome.get("problems", [])[:5]
            cr.commit()
            checked = time.perf_counter() - started
            job = env["serial.job"].browse(outcome["job_id"])
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            db_cpu = BackendCpu(cr)
            cpu_started = time.process_time()
            running = time.perf_counter()
            with timed_chunks(env) as chunk_seconds:
                job._run()
            run_seconds = time.perf_counter() - running
            cpu_seconds = time.process_time() - cpu_started
            db_cpu_seconds = db_cpu.seconds()
            if profiler:
                profiler.disable()
                print_profile(profiler)
            seconds = time.perf_counter() - started
            assert job.state == "done" and job.done_count == count, (job.state, job.done_count, job.error)
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            row = {
                "case": args.case,
                "flow": args.flow,
                "seconds": seconds,
                "check_seconds": checked,
                "cpu_seconds": cpu_seconds,
                "db_cpu_seconds": db_cpu_seconds,
                "chunks": len(chunk_seconds),
                # The job's own bookkeeping around its chunks (lock, states, savepoints, commits).
                "chunk_overhead": (run_seconds - sum(chunk_seconds)) / sum(chunk_seconds),
                "largest_chunk_seconds": max(chunk_seconds),
                # What a worker process pays once, before its first job of a database.
                "registry_seconds": registry_seconds,
                "queries": cr.sql_log_count - queries_before,
                "peak_rss_mb": rss_after / 1024,
                "growth_mb": (rss_after - rss_before) / 1024,
            }
        finally:
            cr.close()
            registry.delete(copy)
    finally:
        admin_statement(args.config, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    print(json.dumps(row))


@contextmanager
def timed_chunks(env):
    """Times each chunk's own work (its runner and the flush of what it wrote) while the job runs;
    yields the list of seconds, filled as chunks run."""
    chunk_class = type(env["serial.job.chunk"])
    original = chunk_class._run
    seconds = []

    def timed_run(chunk):
        started = time.perf_counter()
        try:
            return original(chunk)
        finally:
            chunk.env.flush_all()
            seconds.append(time.perf_counter() - started)

    chunk_class._run = timed_run
    try:
        yield seconds
    finally:
        chunk_class._run = original


class BackendCpu:
    """CPU seconds of a cursor's PostgreSQL backend from now on (None when /proc cannot tell)."""

    def __init__(self, cr):
        self.pid = backend_pid(cr)
        self.started = backend_cpu_seconds(self.pid)

    def seconds(self):
        now = backend_cpu_seconds(self.pid)
        return None if now is None or self.started is None else now - self.started


def whole_cpu(row):
    """Python and PostgreSQL CPU seconds of a row, or None."""
    return None if row["db_cpu_seconds"] is None else row["cpu_seconds"] + row["db_cpu_seconds"]


def print_profile(profiler):
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(35)
        print(out.getvalue(), file=sys.stderr)


def run_case(args):
    """Child process: one case, one flow; prints one JSON line."""
    kind, count = args.case.split("-")
    count = int(count)
    if args.flow == "job":
        if kind != "opening":
            raise SystemExit(f"the job flow is for opening cases, not {args.case}")
        return run_job_case(args, count)
    _registry, cr, env = odoo_env(args.config, args.database)
    try:
        env.company.serial_bulk_threshold = 0  # the stock a delivery needs is put there quickly
        setup = Setup(env, f"{args.flow[0]}{count}")
        run = CASES[kind](setup, count)
        env.company.serial_bulk_threshold = 0 if args.flow == "addon" else count
        env.flush_all()
        db_cpu = BackendCpu(cr)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        queries_before = cr.sql_log_count
        profiler = cProfile.Profile() if args.profile else None
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        run()
        env.flush_all()
        if profiler:
            profiler.disable()
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        db_cpu_seconds = db_cpu.seconds()
        queries = cr.sql_log_count - queries_before
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if profiler:
            print_profile(profiler)
        print(
            json.dumps(
                {
                    "case": args.case,
                    "flow": args.flow,
                    "seconds": seconds,
                    "cpu_seconds": cpu_seconds,
                    "db_cpu_seconds": db_cpu_seconds,
                    "queries": queries,
                    "peak_rss_mb": rss_after / 1024,
                    "growth_mb": (rss_after - rss_before) / 1024,
                }
            )
        )
    finally:
        cr.rollback()
        cr.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="odoo.conf")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--cases", nargs="+", default=DEFAULT_CASES)
    parser.add_argument("--flows", nargs="+", default=list(FLOWS), choices=FLOWS)
    parser.add_argument("--profile", metavar="CASE:FLOW", help="profile one case instead of benchmarking")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--flow", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        return run_case(args)
    if args.profile:
        args.case, args.flow = args.profile.split(":")
        return run_case(args)

    results = {}
    print(
        f"{'case':<16}{'flow':<7}{'seconds':>10}{'CPU s':>9}{'DB CPU s':>10}{'queries':>10}{'peak RSS MB':>13}"
        f"{'growth MB':>11}{'ratio':>8}{'CPU ratio':>11}{'load':>7}"
    )
    for case in args.cases:
        for flow in args.flows:
            if flow == "job" and not case.startswith("opening-"):
                continue
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--config",
                    args.config,
                    "-d",
                    args.database,
                    "--case",
                    case,
                    "--flow",
                    flow,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode != 0:
                print(f"{case:<16}{flow:<7} FAILED\n{child.stderr[-3000:]}")
                continue
            row = json.loads(child.stdout.strip().splitlines()[-1])
            results[case, flow] = row
            baseline = results.get((case, "odoo"))
            ratio = f"{baseline['seconds'] / row['seconds']:.1f}x" if baseline and flow != "odoo" else ""
            cpu_ratio = (
                f"{whole_cpu(baseline) / whole_cpu(row):.1f}x"
                if baseline and flow != "odoo" and whole_cpu(baseline) and whole_cpu(row)
                else ""
            )
            db_cpu = "" if row["db_cpu_seconds"] is None else f"{row['db_cpu_seconds']:.2f}"
            print(
                f"{case:<16}{flow:<7}{row['seconds']:>10.2f}{row['cpu_seconds']:>9.2f}{db_cpu:>10}{row['queries']:>10}"
                f"{row['peak_rss_mb']:>13.0f}{row['growth_mb']:>11.0f}{ratio:>8}{cpu_ratio:>11}"
                f"{os.getloadavg()[0]:>7.1f}",
                flush=True,
            )
            if flow == "job":
                print(
                    f"{'':<23}file check {row['check_seconds']:.2f} s, {row['chunks']} chunks (largest "
                    f"{row['largest_chunk_seconds']:.2f} s), job bookkeeping and commits "
                    f"{100 * row['chunk_overhead']:.1f}% of the chunks' work, registry load (once per worker "
                    f"process) {row['registry_seconds']:.2f} s",
                    flush=True,
                )


if __name__ == "__main__":
    sys.exit(main())
