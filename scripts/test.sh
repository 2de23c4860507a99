#!/usr/bin/env bash
# Sets everything up and runs all tests:
#   1. the engine, worker and command tests (pytest, against the local PostgreSQL and Redis);
#   2. pylint-odoo on the addon (OCA settings);
#   3. the addon's Odoo tests on a real Odoo 18.0, when one is found (ODOO_HOME or odoo-bin on PATH), on a
#      database with Odoo's demo data and on one without (SERIALS_REQUIRE_ODOO=1: no Odoo is a failure).
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

echo "== Odoo 18.0 tests of addons/serial_tracking, database with demo data =="
SERIALS_ODOO_DEMO=1 bash scripts/odoo_tests.sh || status=1
if bash scripts/odoo_env.sh home >/dev/null 2>&1; then
  echo "== Odoo 18.0 tests of addons/serial_tracking, database without demo data =="
  SERIALS_ODOO_DEMO=0 SERIALS_ODOO_TEST_DB=serials_odoo_test_nodemo SERIALS_SKIP_UNINSTALL=1 \
    bash scripts/odoo_tests.sh || status=1
fi

exit $status
