"""`serials opening-stock` and the worker's Odoo jobs on a real Odoo 18.0 database.

The command's exit statuses (0 loaded, 1 problems and nothing written, 2 bad usage or unreadable
file), and a `serials worker` killed in the middle of an opening-stock job: a new worker resumes
it, and every serial ends up in Odoo exactly once.
"""

import psycopg2
import pytest

from tests.odoo_support import odoo_dsn, odoo_eval
from tests.worker_support import run_serials, wait_until

pytestmark = pytest.mark.services

PRODUCT_SETUP = """
product = env["product.product"].search([("default_code", "=", values["code"])])
if not product:
    product = env["product.product"].create({
        "name": values["code"], "default_code": values["code"], "type": "consu", "is_storable": True,
        "tracking": "serial"})
warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
result = warehouse.lot_stock_id.complete_name
"""


def _product_and_stock(config, code):
    """A serial product with internal reference `code`; returns the stock location's full name."""
    return odoo_eval(config, PRODUCT_SETUP, code=code)


def _write_csv(path, rows):
    path.write_text("product,location,serial\n" + "".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _units_per_serial(config, code):
    """{serial: [units on hand, done move lines]} of the product with internal reference `code`."""
    with psycopg2.connect(**odoo_dsn(config)) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT lot.name,"
            " (SELECT coalesce(sum(q.quantity), 0) FROM stock_quant q JOIN stock_location l ON l.id = q.location_id"
            "   WHERE q.lot_id = lot.id AND l.usage = 'internal'),"
            " (SELECT count(*) FROM stock_move_line ml WHERE ml.lot_id = lot.id AND ml.state = 'done')"
            " FROM stock_lot lot JOIN product_product p ON p.id = lot.product_id WHERE p.default_code = %s",
            (code,),
        )
        rows = {name: [float(units), lines] for name, units, lines in cur.fetchall()}
    conn.close()
    return rows


def _job(config, job_id):
    with psycopg2.connect(**odoo_dsn(config)) as conn, conn.cursor() as cur:
        cur.execute("SELECT state, done_count, total_count, error FROM serial_job WHERE id = %s", (job_id,))
        row = cur.fetchone()
    conn.close()
    return dict(zip(("state", "done_count", "total_count", "error"), row, strict=True))


def _job_at_its_end(config, job_id):
    """The job's row once it is done or failed (a worker runs it)."""
    return wait_until(
        lambda: (row := _job(config, job_id))["state"] in ("done", "failed") and row, 600, "the job to end"
    )


def test_opening_stock_exit_statuses(odoo_config, tmp_path):
    stock = _product_and_stock(odoo_config, "PYT-EXIT")

    missing = run_serials("opening-stock", str(tmp_path / "absent.csv"), config=odoo_config, check=False)
    assert missing.returncode == 2, missing.stderr
    assert "absent.csv: cannot read" in missing.stderr
    unsupported = tmp_path / "stock.pdf"
    unsupported.write_bytes(b"%PDF")
    refused = run_serials("opening-stock", str(unsupported), config=odoo_config, check=False)
    assert refused.returncode == 2 and "unsupported file type" in refused.stderr, refused.stderr
    usage = run_serials("opening-stock", str(unsupported), "--wait", config=odoo_config, check=False)
    assert usage.returncode == 2 and "--wait goes with --enqueue" in usage.stderr, usage.stderr

    bad = _write_csv(tmp_path / "bad.csv", [("PYT-EXIT", stock, "PX-1"), ("PYT-NONE", stock, "PX-2")])
    problems = run_serials("opening-stock", str(bad), config=odoo_config, check=False)
    assert problems.returncode == 1, problems.stderr
    assert "row 3: unknown product PYT-NONE" in problems.stdout
    assert "nothing was loaded" in problems.stderr
    assert _units_per_serial(odoo_config, "PYT-EXIT") == {}

    good = _write_csv(tmp_path / "good.csv", [("PYT-EXIT", stock, "PX-1"), ("PYT-EXIT", stock, "PX-2")])
    loaded = run_serials("opening-stock", str(good), config=odoo_config, check=False)
    assert loaded.returncode == 0, loaded.stderr
    assert "done, 2 serial(s) loaded" in loaded.stderr
    assert _units_per_serial(odoo_config, "PYT-EXIT") == {"PX-1": [1.0, 1], "PX-2": [1.0, 1]}


def test_worker_killed_mid_job_resumes_and_loads_each_serial_once(odoo_config, odoo_workers, tmp_path):
    count, chunk = 3000, 100
    stock = _product_and_stock(odoo_config, "PYT-KILL")
    serials = [f"PK-{number:05d}" for number in range(count)]
    path = _write_csv(tmp_path / "opening.csv", [("PYT-KILL", stock, serial) for serial in serials])
    queued = run_serials("opening-stock", str(path), "--enqueue", "--chunk-size", str(chunk), config=odoo_config)
    job_id = int(queued.stdout.strip().splitlines()[-1])

    first = odoo_workers.start()
    mid_job = wait_until(
        lambda: (row := _job(odoo_config, job_id))["done_count"] >= 3 * chunk and row, 300, "three chunks loaded"
    )
    odoo_workers.kill(first)
    stopped = _job(odoo_config, job_id)
    assert stopped["state"] == "running", stopped
    assert mid_job["done_count"] <= stopped["done_count"] < count, "the job ended before the worker was killed"

    odoo_workers.start()
    done = _job_at_its_end(odoo_config, job_id)
    assert done == {"state": "done", "done_count": count, "total_count": count, "error": None}, odoo_workers.logs()
    units = _units_per_serial(odoo_config, "PYT-KILL")
    assert sorted(units) == serials
    assert {tuple(value) for value in units.values()} == {(1.0, 1)}


RECEIPT_SETUP = """
env.company.serial_bulk_threshold = values["threshold"]
product = env["product.product"].create({
    "name": values["code"], "default_code": values["code"], "type": "consu", "is_storable": True,
    "tracking": "serial"})
warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
places = {"location_id": env.ref("stock.stock_location_suppliers").id, "location_dest_id": warehouse.lot_stock_id.id}
receipt = env["stock.picking"].create(dict(places, picking_type_id=warehouse.in_type_id.id, move_ids=[
    (0, 0, dict(places, name=product.name, product_id=product.id, product_uom_qty=len(values["serials"]),
                product_uom=product.uom_id.id))]))
receipt.action_confirm()
receipt.move_ids._serial_replace_lines(names=values["serials"])
receipt.move_ids.picked = True
# As the Validate button in a browser request: the validation is left to a serial job.
receipt.with_context(serial_validate_in_job=True, skip_backorder=True).button_validate()
job = env["serial.job"].search([("picking_id", "=", receipt.id)])
result = [job.id, receipt.id]
"""


def _picking_state(config, picking_id):
    with psycopg2.connect(**odoo_dsn(config)) as conn, conn.cursor() as cur:
        cur.execute("SELECT state FROM stock_picking WHERE id = %s", (picking_id,))
        state = cur.fetchone()[0]
    conn.close()
    return state


def test_worker_killed_mid_receipt_job_resumes_and_receives_each_serial_once(odoo_config, odoo_workers):
    count, threshold = 3000, 100
    serials = [f"PR-{number:05d}" for number in range(count)]
    job_id, receipt_id = odoo_eval(odoo_config, RECEIPT_SETUP, code="PYT-RCV", threshold=threshold, serials=serials)
    assert _picking_state(odoo_config, receipt_id) == "assigned"

    first = odoo_workers.start()
    wait_until(lambda: _job(odoo_config, job_id)["done_count"] >= 3 * threshold, 300, "three chunks of lots made")
    odoo_workers.kill(first)
    stopped = _job(odoo_config, job_id)
    assert stopped["state"] == "running", stopped
    assert _picking_state(odoo_config, receipt_id) == "assigned", "the job ended before the worker was killed"

    odoo_workers.start()
    done = _job_at_its_end(odoo_config, job_id)
    assert done == {"state": "done", "done_count": count, "total_count": count, "error": None}, odoo_workers.logs()
    assert _picking_state(odoo_config, receipt_id) == "done"
    units = _units_per_serial(odoo_config, "PYT-RCV")
    assert sorted(units) == serials
    assert {tuple(value) for value in units.values()} == {(1.0, 1)}
    with psycopg2.connect(**odoo_dsn(odoo_config)) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM stock_lot lot JOIN product_product p ON p.id = lot.product_id"
            " WHERE p.default_code = 'PYT-RCV'"
        )
        assert cur.fetchone()[0] == count, "one lot per serial"
    conn.close()


def test_the_worker_loads_odoos_registry_once_for_all_its_jobs(odoo_config, odoo_workers, tmp_path):
    # Each job runs in a forked work horse: loaded in the worker's own process before the fork, the
    # registry is inherited by every horse instead of being loaded again for each job.
    stock = _product_and_stock(odoo_config, "PYT-ONCE")
    job_ids = []
    for batch in range(3):
        path = _write_csv(tmp_path / f"once-{batch}.csv", [("PYT-ONCE", stock, f"PO-{batch}-{n}") for n in range(5)])
        queued = run_serials("opening-stock", str(path), "--enqueue", config=odoo_config)
        job_ids.append(int(queued.stdout.strip().splitlines()[-1]))
    worker = odoo_workers.start()
    for job_id in job_ids:
        assert _job_at_its_end(odoo_config, job_id)["state"] == "done", odoo_workers.logs()
    database = odoo_dsn(odoo_config)["dbname"]
    loads = [line for line in odoo_workers.logs().splitlines() if f"Odoo registry of {database} loaded" in line]
    assert len(loads) == 1, odoo_workers.logs()
    assert loads[0].endswith(f"(process {worker.pid})"), "loaded by the worker itself, not by a work horse"
    assert sorted(_units_per_serial(odoo_config, "PYT-ONCE")) == sorted(
        f"PO-{batch}-{n}" for batch in range(3) for n in range(5)
    )
