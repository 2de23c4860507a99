"""A large receipt validated in a real browser: Odoo's own flow against the addon's, as a user sees them.

    export ODOO_HOME=/path/to/odoo-18.0
    .venv/bin/python bench/odoo/bench_browser_validate.py --config odoo.conf -d DATABASE \
        [--count 10000] [--flows addon odoo] [--limit-time-real 120] [--screenshots DIR]

On a throwaway copy of DATABASE (serial_tracking installed; CREATE DATABASE ... TEMPLATE, dropped at the
end): an Odoo server in prefork mode (2 workers, Odoo's default limit_time_real of 120 s unless told), a
`serials worker` on a queue of its own, and headless Chromium driven through its DevTools protocol. For each
flow a receipt of --count serials (generated, picked) is opened in the browser as a user opens it, and its
Validate button clicked:

* odoo  - the addon's bulk threshold above the count: Odoo's own validation in the browser request;
* addon - the default threshold (1,000): the request checks the serials and hands the validation to a
          serial job; the worker validates.

It prints, per flow: how long the click kept the browser waiting and what it showed then (a notification,
the transfer done, an error, or nothing by the time the request was killed), when the transfer was done in
the database, and its state at the end. With --screenshots, a PNG of the screen after the click and at the
end of each flow.
"""

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_serial_flows import Setup, admin_statement, odoo_env  # noqa: E402

from worker.config import write_copy  # noqa: E402

PASSWORD = "bench-browser"  # noqa: S105 (the throwaway copy's admin password)
SHOWN = """(() => {
    const text = (selector) =>
        [...document.querySelectorAll(selector)].map((node) => node.innerText.trim()).join(" | ");
    return JSON.stringify({
        notification: text(".o_notification"),
        error: text(".o_error_dialog, .o_dialog .modal-body"),
        status: text(".o_statusbar_status .o_arrow_button_current"),
        banner: text(".o_serial_job_notice"),
        busy: !!document.querySelector(".o_blockUI, .o_loading_indicator"),
    });
})()"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _wait(predicate, timeout, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


class Browser:
    """Headless Chromium and one page, driven through the DevTools protocol."""

    def __init__(self, folder):
        import websocket  # pylint: disable=import-outside-toplevel

        port = _free_port()
        self.process = subprocess.Popen(
            [shutil.which("chromium") or "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             f"--remote-debugging-port={port}", f"--user-data-dir={folder}/chromium", "--window-size=1400,900",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        targets = _wait(lambda: self._targets(port), 30)
        page = next(target for target in targets if target["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=600)
        self.next_id = 0

    @staticmethod
    def _targets(port):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as response:
                return json.load(response)
        except OSError:
            return None

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def open(self, url):
        self.call("Page.navigate", url=url)

    def screenshot(self, path):
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))

    def close(self):
        self.socket.close()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)


def _receipt(env, count, tag):
    """A confirmed receipt of ``count`` generated serials, every line picked (made quickly: bulk path on)."""
    setup = Setup(env, tag)
    env.company.serial_bulk_threshold = 0
    receipt = setup.picking(setup.warehouse.in_type_id, count, env.ref("stock.stock_location_suppliers"), setup.stock)
    receipt.move_ids._generate_serial_numbers(f"BR{tag}-0000001", count)
    receipt.move_ids.picked = True
    return receipt


def _state(env, picking_id):
    env.cr.rollback()  # a new snapshot: the server and the worker commit in their own transactions
    env.cr.execute("SELECT state FROM stock_picking WHERE id = %s", (picking_id,))
    return env.cr.fetchone()[0]


def run_flow(args, env, browser, base_url, flow):
    receipt = _receipt(env, args.count, f"{flow[0]}{uuid.uuid4().hex[:4]}")
    env.company.serial_bulk_threshold = args.count + 1 if flow == "odoo" else 1000
    env.cr.commit()
    browser.open(f"{base_url}/odoo/action-stock.action_picking_tree_all/{receipt.id}")
    validate = "document.querySelector('.o_form_view button[name=\"button_validate\"]')"
    if not _wait(lambda: browser.evaluate(f"!!{validate}"), 120):
        raise SystemExit(f"{flow}: the receipt's form did not show its Validate button")
    time.sleep(1)  # the form settles (its fields' widgets)
    clicked = time.monotonic()
    browser.evaluate(f"{validate}.click()")

    def answered():
        shown = json.loads(browser.evaluate(SHOWN) or "{}")
        if shown.get("notification") or shown.get("error") or shown.get("status") == "Done":
            return shown
        return None

    shown = _wait(answered, args.limit_time_real + 60, interval=0.5)
    waited = time.monotonic() - clicked
    if args.screenshots:
        browser.screenshot(os.path.join(args.screenshots, f"{flow}-after-click.png"))
    done = _wait(lambda: _state(env, receipt.id) == "done", 1800 if flow == "addon" else 5, interval=0.5)
    done_after = time.monotonic() - clicked if done else None
    if args.screenshots:
        browser.open(f"{base_url}/odoo/action-stock.action_picking_tree_all/{receipt.id}")
        _wait(lambda: browser.evaluate("!!document.querySelector('.o_form_view')"), 60)
        time.sleep(2)
        browser.screenshot(os.path.join(args.screenshots, f"{flow}-end.png"))
    return {
        "flow": flow,
        "browser_waited_s": round(waited, 1),
        "shown": shown or "nothing (no answer, no message)",
        "done_after_s": round(done_after, 1) if done_after else None,
        "final_state": _state(env, receipt.id),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="odoo.conf")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--flows", nargs="+", default=["addon", "odoo"], choices=["addon", "odoo"])
    parser.add_argument("--limit-time-real", type=int, default=120)
    parser.add_argument("--screenshots", help="a folder for the screenshots")
    args = parser.parse_args()
    home = os.environ.get("ODOO_HOME")
    if not home:
        raise SystemExit("set ODOO_HOME to the Odoo 18.0 tree")
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
    copy = f"{args.database}_bench_browser_{os.getpid()}"
    admin_statement(args.config, f'CREATE DATABASE "{copy}" TEMPLATE "{args.database}"')
    processes, browser = [], None
    try:
        with tempfile.TemporaryDirectory() as folder:
            config_path = os.path.join(folder, "odoo.conf")
            port = _free_port()
            write_copy(
                args.config,
                config_path,
                {
                    ("options", "db_name"): copy,
                    ("options", "dbfilter"): f"^{copy}$",
                    ("options", "http_port"): str(port),
                    ("serial_tracking", "queue_bulk"): f"serials-bench-browser-{uuid.uuid4().hex[:8]}",
                },
            )
            registry, cr, env = odoo_env(config_path, copy)
            env.ref("base.user_admin").password = PASSWORD
            cr.commit()
            addons = f"{home}/addons,{home}/odoo/addons,{ROOT}/addons"
            log = open(os.path.join(folder, "odoo.log"), "w", encoding="utf-8")
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        f"{home}/odoo-bin",
                        "-c",
                        config_path,
                        f"--addons-path={addons}",
                        "-d",
                        copy,
                        "--workers",
                        "2",
                        "--max-cron-threads",
                        "0",
                        f"--limit-time-real={args.limit_time_real}",
                        "--log-level=warn",
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
            processes.append(
                subprocess.Popen(
                    [os.path.join(ROOT, ".venv", "bin", "serials"), "--config", config_path, "worker"],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
            base_url = f"http://127.0.0.1:{port}"
            if not _wait(lambda: _answers(f"{base_url}/web/login"), 180, interval=1):
                raise SystemExit(f"the Odoo server did not answer; its log: {folder}/odoo.log")
            browser = Browser(folder)
            browser.open(f"{base_url}/web/login")
            _wait(lambda: browser.evaluate("!!document.querySelector('input[name=login]')"), 60)
            browser.evaluate(
                "document.querySelector('input[name=login]').value = 'admin';"
                f"document.querySelector('input[name=password]').value = '{PASSWORD}';"
                "document.querySelector('form.oe_login_form').submit();"
            )
            if not _wait(lambda: "/odoo" in (browser.evaluate("location.pathname") or ""), 60):
                raise SystemExit("the login did not go through")
            print(
                f"receipt of {args.count:,} serials validated in headless Chromium (limit_time_real "
                f"{args.limit_time_real} s, 2 HTTP workers; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
            )
            for flow in args.flows:
                print(json.dumps(run_flow(args, env, browser, base_url, flow)), flush=True)
            cr.close()
            registry.delete(copy)
    finally:
        if browser is not None:
            browser.close()
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(60)
        admin_statement(args.config, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
