#!/usr/bin/env bash
# Creates .venv/ in the checkout with the `serials` command, the engine and the test tools.
# Idempotent: a second run only installs what changed. Needs python3 >= 3.10 and libpq headers.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
# setuptools < 70: an old setup.py among Odoo's pinned requirements breaks on newer ones.
# pip's notes about index folders this machine's pip configuration names but lacks would drown real errors.
quiet_pip() {
  .venv/bin/pip "$@" 2>&1 | sed -u "/^WARNING: Location 'file:.*' is ignored/d"
  return "${PIPESTATUS[0]}"
}
quiet_pip install -q --upgrade pip 'setuptools<70' wheel
stamp=.venv/.serials-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
  echo "setup: installing serial-core (serial_core, worker, serials) and its requirements into .venv"
  quiet_pip install -q -e '.[test]'
  touch "$stamp"
fi
# With an Odoo 18.0 at hand, its pinned requirements go into the same venv now, so the engine's tests and the
# addon's tests run on the same library versions (openpyxl, reportlab, psycopg2...).
if bash scripts/odoo_env.sh home >/dev/null 2>&1; then
  bash scripts/odoo_env.sh install
fi
echo "setup: ready ($(.venv/bin/serials --version 2>/dev/null || echo 'serials installed'))"
