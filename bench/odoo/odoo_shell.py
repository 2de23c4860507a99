"""Running a bench file inside ``odoo-bin shell``: Odoo from $ODOO_HOME, the checkout's odoo.conf and addons,
the bench's settings passed on in the environment (the shell reads the file from stdin, without arguments)."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_in_shell(script_path, db, config, settings):
    """Runs ``script_path`` in ``odoo-bin shell -d db`` with ``settings`` ({name: value}) added to the
    environment; exits with its status."""
    odoo_home = os.environ.get("ODOO_HOME")
    if not odoo_home:
        sys.exit("bench: set ODOO_HOME to the Odoo 18.0 tree")
    addons = f"{odoo_home}/addons,{odoo_home}/odoo/addons,{ROOT}/addons"
    command = [
        sys.executable,
        f"{odoo_home}/odoo-bin",
        "shell",
        "-c",
        config,
        f"--addons-path={addons}",
        "-d",
        db,
        "--no-http",
        "--log-level=warn",
    ]
    environment = dict(os.environ, **{name: str(value) for name, value in settings.items()})
    with open(os.path.abspath(script_path), encoding="utf-8") as script:
        sys.exit(subprocess.run(command, stdin=script, env=environment, cwd=ROOT, check=False).returncode)
