#!/usr/bin/env bash
# Sets everything up and runs all tests:
#   1. the engine, worker and command tests (pytest, against the local PostgreSQL and Redis);
#   2. pylint-odoo on the addon (OCA settings);
#   3. the addon's Odoo tests on a real Odoo 18.0, when one is found (ODOO_HOME or odoo-bin on PATH).
# Services started here are stopped on exit. Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || exit 1
bash scripts/services.sh start || exit 1
trap 'bash scripts/services.sh stop' EXIT

status=0
echo "== pytest: serial_core, worker, scripts =="
.venv/bin/python -m pytest "$@"
rc=$?
# pytest's 5 means it ran nothing: that is a failure of this suite, not a pass.
[ $rc -ne 0 ] && status=1

echo "== lint: .pre-commit-config.yaml (ruff, pylint-odoo, OCA's checks) =="
bash scripts/lint.sh || status=1

echo "== Odoo 18.0 tests of addons/serial_tracking =="
bash scripts/odoo_tests.sh || status=1

exit $status
