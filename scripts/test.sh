#!/usr/bin/env bash
# Sets everything up and runs all tests:
#   1. lint (.pre-commit-config.yaml: ruff, pylint-odoo with OCA's settings);
#   2. the addon's Odoo tests on a real Odoo 18.0, when one is found (ODOO_HOME or odoo-bin on PATH), on a
#      database with Odoo's demo data (SERIALS_REQUIRE_ODOO=1: no Odoo is a failure);
#   3. the engine, worker and command tests (pytest, against the local PostgreSQL and Redis; the worker's
#      Odoo-job tests start from the base database step 2 leaves);
#   4. the addon's Odoo tests again, on a database without demo data.
# Services started here are stopped on exit. Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || exit 1
bash scripts/services.sh start || exit 1
trap 'bash scripts/services.sh stop' EXIT

status=0
echo "== lint: .pre-commit-config.yaml (ruff, pylint-odoo, OCA's checks) =="
bash scripts/lint.sh || status=1

echo "== Odoo 18.0 tests of addons/serial_tracking, database with demo data =="
SERIALS_ODOO_DEMO=1 bash scripts/odoo_tests.sh || status=1

# After the Odoo run: the worker's Odoo-job tests copy the base database it leaves.
echo "== pytest: serial_core, worker, scripts =="
.venv/bin/python -m pytest "$@"
rc=$?
# pytest's 5 means it ran nothing: that is a failure of this suite, not a pass.
[ $rc -ne 0 ] && status=1
if bash scripts/odoo_env.sh home >/dev/null 2>&1; then
  echo "== Odoo 18.0 tests of addons/serial_tracking, database without demo data =="
  SERIALS_ODOO_DEMO=0 SERIALS_ODOO_TEST_DB=serials_odoo_test_nodemo SERIALS_SKIP_UNINSTALL=1 \
    bash scripts/odoo_tests.sh || status=1
fi

exit $status
