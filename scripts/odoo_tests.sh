#!/usr/bin/env bash
# Runs the Odoo tests of addons/serial_tracking on a real Odoo 18.0, then checks it uninstalls cleanly.
#   scripts/odoo_tests.sh [extra odoo-bin arguments, e.g. --test-tags /serial_tracking:TestSerialEntry]
# Each run installs the module on a fresh database (dropped first; a copy of a cached database holding the
# module's dependencies), runs its tests (at_install and post_install), reads the log
# (scripts/odoo_test_log.py) and ends with the line "odoo: N passed, N failed".
# The full log goes to .state/odoo-test.log.
#
# Environment:
#   ODOO_HOME               the Odoo 18.0 source tree (default: the tree of `odoo-bin` on PATH)
#   SERIALS_REQUIRE_ODOO=1  fail instead of skipping when no Odoo is found
#   SERIALS_ADDONS_PATH     directory holding serial_tracking (default: <checkout>/addons)
#   SERIALS_ODOO_TEST_DB    database name (default: serials_odoo_test; must match odoo.conf's dbfilter
#                           ^serials); runs on different databases may go in parallel, with the log in
#                           .state/odoo-test-<db>.log
#   SERIALS_ODOO_DEMO=0     a database without Odoo's demo data (default 1: with demo data, as OCA's CI
#                           and most users trying an addon have it); the tests must pass on both
#   SERIALS_ODOO_FULL_INSTALL=1  install the dependencies too instead of copying the cached base database
#   SERIALS_SKIP_UNINSTALL=1  skip the uninstall check (quicker when iterating on one test)
#   SERIALS_CONFIG          the configuration file (default: <checkout>/odoo.conf)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MODULE=serial_tracking
ADDONS=${SERIALS_ADDONS_PATH:-$ROOT/addons}
DEMO=${SERIALS_ODOO_DEMO:-1}
DB=${SERIALS_ODOO_TEST_DB:-serials_odoo_test}
# Demo data or not: Odoo's --without-demo for every install of this run (base database and module).
if [ "$DEMO" = 1 ]; then demo_args=(); else demo_args=(--without-demo=all); fi
LOG=$ROOT/.state/odoo-test.log
[ "$DB" = serials_odoo_test ] || LOG=$ROOT/.state/odoo-test-$DB.log
# shellcheck source=scripts/odoo_env.sh
source "$ROOT/scripts/odoo_env.sh"
CONF=$ODOO_ENV_CONF

banner() {
  echo "################################################################################"
  echo "## $1"
  echo "################################################################################"
}

if ! odoo_locate; then
  banner "ODOO TESTS SKIPPED: no Odoo 18.0 found (set ODOO_HOME or put odoo-bin on PATH)"
  [ "${SERIALS_REQUIRE_ODOO:-0}" = 1 ] && { echo "odoo: SERIALS_REQUIRE_ODOO=1, so this is a failure" >&2; exit 1; }
  exit 0
fi
if ! version=$(odoo_check_version); then
  banner "ODOO TESTS FAILED: $ODOO_HOME is Odoo $version; this addon needs 18.0"
  exit 1
fi
if [ ! -f "$ADDONS/$MODULE/__manifest__.py" ]; then
  echo "odoo: $ADDONS/$MODULE/__manifest__.py not found (SERIALS_ADDONS_PATH=$ADDONS)" >&2
  exit 1
fi
echo "odoo: Odoo $version at $ODOO_HOME; module $MODULE from $ADDONS"

[ -x .venv/bin/python ] || bash scripts/setup.sh || exit 1
odoo_install_requirements || exit 1
bash scripts/services.sh start-pg || exit 1

# HttpCase browser tests (tours) need Chrome; Odoo merely skips them without it (the log verdict fails that).
if ! command -v chromium >/dev/null && ! command -v google-chrome >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "odoo: installing chromium for the browser tests (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
      || { echo "odoo: apt-get install chromium failed" >&2; exit 1; }
  else
    echo "odoo: WARNING: no chromium or google-chrome: browser tests cannot run (install Debian's chromium)" >&2
  fi
fi

ODOO_ADDONS_PATH=$(odoo_addons_path)
FILESTORE=$(odoo_filestore)
mkdir -p "$(dirname "$LOG")" "$FILESTORE"
LOCKS=/tmp/serials-odoo-$(odoo_conf db_port)


# The module's dependencies (stock, purchase_stock, sale_stock, mrp: 66 modules) take one to three minutes
# to install. They are installed once into a base database, keyed on Odoo and the dependency list; each run
# copies it (CREATE DATABASE ... TEMPLATE, seconds) and installs only the module on the copy.
# SERIALS_ODOO_FULL_INSTALL=1 installs everything into the test database instead.
prepare_base_db() {
  local depends key base building started variant
  variant=$([ "$DEMO" = 1 ] && echo demo || echo nodemo)
  depends=$(python3 -c 'import ast,sys; print(",".join(ast.literal_eval(open(sys.argv[1]).read()).get("depends", ["base"])))' \
    "$ADDONS/$MODULE/__manifest__.py") || return 1
  # The checkout is part of the key: its filestore (data_dir) goes with the database.
  key=$(printf '%s\n' "$ROOT" "$version" "$ODOO_HOME" "$(stat -c %Y "$ODOO_HOME/odoo/release.py")" "$depends" "demo=$DEMO" \
    "$(cat .venv/.odoo-requirements.sha256 2>/dev/null)" | sha256sum | cut -c1-10)
  base=serials_odoo_base_${variant}_$key
  # One builder per base database; runs needing another base (another checkout or variant) go on.
  exec 8>"$LOCKS-$base.lock"
  odoo_db_exists "$base" || flock 8
  if ! odoo_db_exists "$base"; then
    building=${base}_building
    odoo_drop_db "$building" || return 1
    echo "odoo: installing $depends into a base database $base ($([ "$DEMO" = 1 ] && echo with || echo without) demo data; once per Odoo or dependency change; 1-3 min)"
    started=$(date +%s)
    .venv/bin/python "$ODOO_HOME/odoo-bin" -c "$CONF" --addons-path="$ODOO_ADDONS_PATH" -d "$building" \
      -i "$depends" "${demo_args[@]}" --stop-after-init --no-http --workers 0 --max-cron-threads 0 \
      --log-level=warn >"$ROOT/.state/odoo-base.log" 2>&1
    local rc=$?
    if [ $rc -ne 0 ] || grep -qE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$ROOT/.state/odoo-base.log"; then
      echo "odoo: FAILED: installing $depends (exit status $rc); last lines of .state/odoo-base.log:" >&2
      tail -n 40 "$ROOT/.state/odoo-base.log" >&2
      return 1
    fi
    # This checkout's older bases of the same variant (another Odoo or dependency list: their filestore is
    # here) are dropped;
    # the finished one is renamed into place.
    for old in $(odoo_psql -tA -c "SELECT datname FROM pg_database WHERE datname LIKE 'serials\_odoo\_base\_${variant}\_%' AND datname NOT LIKE '%\_building'"); do
      [ -d "$FILESTORE/$old" ] && odoo_drop_db "$old"
    done
    odoo_psql -c "ALTER DATABASE \"$building\" RENAME TO \"$base\"" || return 1
    [ -d "$FILESTORE/$building" ] && mv "$FILESTORE/$building" "$FILESTORE/$base"
    echo "odoo: base database $base ready in $(( $(date +%s) - started )) s"
  fi
  odoo_drop_db "$DB" || return 1
  odoo_psql -c "CREATE DATABASE \"$DB\" TEMPLATE \"$base\"" || return 1
  [ -d "$FILESTORE/$base" ] && cp -a "$FILESTORE/$base" "$FILESTORE/$DB"
  exec 8>&-
  return 0
}

# One run per database at a time, across checkouts sharing the PostgreSQL server (the locks are per
# server port, in /tmp): a second run would drop the database under the first one.
exec 9>"$LOCKS-$DB.lock"
if ! flock -n 9; then
  echo "odoo: another Odoo test run uses database $DB; waiting for it (or set SERIALS_ODOO_TEST_DB=serials_<name>)"
  flock 9
fi

if [ "${SERIALS_ODOO_FULL_INSTALL:-0}" = 1 ]; then
  odoo_drop_db "$DB" || exit 1
  what="$MODULE and its dependencies on a new database $DB"
else
  prepare_base_db || exit 1
  what="$MODULE on $DB (a fresh copy of the base database)"
fi

# -i on a missing database makes Odoo create it. --test-tags enables the tests by itself; --test-enable is
# kept for readers. HTTP stays on (a free port) for HttpCase. Tests make the records they rely on, so they
# pass with demo data and without.
port=$(odoo_free_port)
args=(-c "$CONF" --addons-path="$ODOO_ADDONS_PATH" -d "$DB"
      -i "$MODULE" "${demo_args[@]}" --test-enable --test-tags "/$MODULE" --stop-after-init
      --log-level=info --http-port "$port" --workers 0 --max-cron-threads 0 "$@")
echo "odoo: installing $what and running its tests; log: $LOG"
started=$(date +%s)
# The terminal shows only the module's own records, problems and the closing report; the log has everything.
.venv/bin/python "$ODOO_HOME/odoo-bin" "${args[@]}" 2>&1 | tee "$LOG" \
  | grep --line-buffered -E " (WARNING|ERROR|CRITICAL) |odoo\.addons\.$MODULE|tests when loading database|odoo\.tests\.stats: $MODULE|Modules loaded" \
  | cut -c1-300
odoo_rc=${PIPESTATUS[0]}
echo "odoo: install and tests took $(( $(date +%s) - started )) s (odoo-bin exit status $odoo_rc)"

status=0
.venv/bin/python scripts/odoo_test_log.py "$LOG" "$MODULE" >"$LOG.summary" || status=1
installed=$(odoo_module_state "$DB" "$MODULE")
if [ "$installed" != installed ]; then
  echo "odoo: FAILED: $MODULE did not install (state: ${installed:-none})"
  status=1
fi
[ "$odoo_rc" -ne 0 ] && { echo "odoo: FAILED: odoo-bin exited with status $odoo_rc"; status=1; }

if [ "$installed" = installed ] && [ "${SERIALS_SKIP_UNINSTALL:-0}" != 1 ]; then
  echo "odoo: uninstalling $MODULE from $DB"
  started=$(date +%s)
  { echo "==== uninstall check ===="
    SERIALS_UNINSTALL_MODULE=$MODULE .venv/bin/python "$ODOO_HOME/odoo-bin" shell -c "$CONF" \
      --addons-path="$ODOO_ADDONS_PATH" -d "$DB" --log-level=warn \
      <scripts/odoo_uninstall_check.py 2>&1
    echo "==== uninstall exit status $? ===="
  } >>"$LOG"
  uninstall_line=$(grep -E '^uninstall: ' "$LOG" | tail -1)
  uninstall_problems=$(sed -n '/^==== uninstall check ====/,$p' "$LOG" | grep -cE ' (ERROR|CRITICAL) |^Traceback')
  echo "odoo: ${uninstall_line:-uninstall: FAILED: no result (see $LOG)} ($(( $(date +%s) - started )) s)"
  if ! grep -q '^==== uninstall exit status 0 ====' "$LOG" || [[ $uninstall_line != "uninstall: clean"* ]] \
      || [ "$uninstall_problems" -ne 0 ]; then
    echo "odoo: FAILED: $MODULE does not uninstall cleanly (log records after '==== uninstall check ====' in $LOG)"
    status=1
  fi
fi

if [ $status -ne 0 ]; then
  echo "---- last 60 lines of $LOG ----"
  tail -n 60 "$LOG"
  echo "---- end of log ----"
fi
# The summary last: its closing line "odoo: N passed, N failed" is what CI reads.
cat "$LOG.summary"
exit $status
