#!/usr/bin/env bash
# The main job, from a fresh clone, on the project's own local PostgreSQL and Redis:
#   bash scripts/demo.sh            build the demo and stop what it started
#   bash scripts/demo.sh --serve    the same, then serve Odoo on http://127.0.0.1:58069 until Ctrl+C
#   1. set up .venv (scripts/setup.sh) and start PostgreSQL + Redis (scripts/services.sh);
#   2. create the tables (serials db migrate) and the sequence DEMO if it is absent;
#   3. start a worker in the background;
#   4. with an Odoo 18.0 (ODOO_HOME or odoo-bin on PATH): build or update the database serials_demo with
#      Odoo's demo data and the addon, then fill it with serial products and documents
#      (scripts/demo_odoo_data.py: a 1,000-unit receipt, a shared sequence, a delivery, serialize-later),
#      and load opening stock from a file through the worker (serials opening-stock --enqueue --wait: a
#      Serial Job in Odoo);
#   5. allocate a bulk batch through the worker, with progress, into a file and a label sheet, and print
#      the collapsed summary of the file;
#   6. with --serve, run Odoo on the demo database; at the end (or Ctrl+C) stop Odoo, the worker, and the
#      services if this script started them.
# Settings (environment): DEMO_COUNT (100000), DEMO_LABELS (1000: labels for the first N serials),
# DEMO_OPENING (2000: opening-stock units of the drill, each run adds them), DEMO_OUT (.state/demo), DEMO_DB (serials_demo), DEMO_REBUILD=1 (drop and rebuild the demo database),
# SERIALS_CONFIG (odoo.conf). Exit status: 0 done, non-zero at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVE=0
case "${1:-}" in
  --serve) SERVE=1 ;;
  "") ;;
  *) echo "usage: bash scripts/demo.sh [--serve]" >&2; exit 2 ;;
esac
# shellcheck source=scripts/odoo_env.sh
source scripts/odoo_env.sh
DB=${DEMO_DB:-serials_demo}
ODOO_PID=

COUNT=${DEMO_COUNT:-100000}
LABELS=${DEMO_LABELS:-1000}
OPENING=${DEMO_OPENING:-2000}
OUT=${DEMO_OUT:-.state/demo}
CONFIG=${SERIALS_CONFIG:-odoo.conf}
CODE=DEMO
FORMAT='SN-[[YEAR]]-[[INCNUM,NONE,6]]'
SERIALS=.venv/bin/serials

step() { echo; echo "== demo: $*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }

step "setting up .venv (scripts/setup.sh)"
bash scripts/setup.sh || fail "scripts/setup.sh did not complete"

step "starting PostgreSQL and Redis (scripts/services.sh)"
before=$(bash scripts/services.sh status)
bash scripts/services.sh start || fail "the services did not start"
pg_started=0; redis_started=0
grep -q '^PostgreSQL: running' <<<"$before" || pg_started=1
grep -q '^Redis: running' <<<"$before" || redis_started=1

WORKER_PID=
cleanup() {
  status=$?
  if [ -n "$ODOO_PID" ] && kill -0 "$ODOO_PID" 2>/dev/null; then
    echo "demo: stopping Odoo (pid $ODOO_PID)"
    kill -TERM "$ODOO_PID" 2>/dev/null || true
    wait "$ODOO_PID" 2>/dev/null || true
  fi
  if [ -n "$WORKER_PID" ] && kill -0 "$WORKER_PID" 2>/dev/null; then
    echo "demo: stopping the worker (pid $WORKER_PID)"
    kill -TERM "$WORKER_PID" 2>/dev/null || true
    wait "$WORKER_PID" 2>/dev/null || true
  fi
  if [ "$pg_started" = 1 ] && [ "$redis_started" = 1 ]; then
    bash scripts/services.sh stop
  elif [ "$redis_started" = 1 ]; then
    bash scripts/services.sh stop-redis
  elif [ "$pg_started" = 1 ]; then
    echo "demo: PostgreSQL was started here and is left running (bash scripts/services.sh stop stops both)"
  fi
  [ $status -eq 0 ] || echo "demo: exit status $status" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "creating the tables (serials db migrate)"
$SERIALS --config "$CONFIG" db migrate || fail "serials db migrate"

step "sequence $CODE"
codes=$($SERIALS --config "$CONFIG" sequence list 2>/dev/null | cut -f1) || fail "serials sequence list"
if grep -qx "$CODE" <<<"$codes"; then
  echo "sequence $CODE exists; the batch continues its numbering"
else
  $SERIALS --config "$CONFIG" sequence create "$CODE" --format "$FORMAT" || fail "serials sequence create"
fi

step "starting a worker in the background (log: $OUT/worker.log)"
mkdir -p "$OUT"
$SERIALS --config "$CONFIG" worker >"$OUT/worker.log" 2>&1 &
WORKER_PID=$!
sleep 1
kill -0 "$WORKER_PID" 2>/dev/null || { cat "$OUT/worker.log" >&2; fail "the worker exited at start"; }
echo "worker pid $WORKER_PID"

if odoo_locate && odoo_check_version >/dev/null; then
  ODOO_BIN=(.venv/bin/python "$ODOO_HOME/odoo-bin")
  ODOO_OPTIONS=(-c "$CONFIG" --addons-path="$(odoo_addons_path)" -d "$DB")
  ODOO=("${ODOO_BIN[@]}" "${ODOO_OPTIONS[@]}")
  [ "${DEMO_REBUILD:-0}" = 1 ] && { step "dropping $DB (DEMO_REBUILD=1)"; odoo_drop_db "$DB"; }
  started=$(date +%s)
  if [ "$(odoo_module_state "$DB" serial_tracking)" = installed ]; then
    step "updating the addon on the existing demo database $DB"
    "${ODOO[@]}" -u serial_tracking --stop-after-init --no-http --log-level=warn >"$OUT/odoo-build.log" 2>&1 \
      || { tail -n 30 "$OUT/odoo-build.log" >&2; fail "updating serial_tracking on $DB (log: $OUT/odoo-build.log)"; }
  else
    step "building the demo database $DB: Odoo 18.0 ($ODOO_HOME) with its demo data and serial_tracking (3-5 min)"
    odoo_drop_db "$DB"
    "${ODOO[@]}" -i serial_tracking --stop-after-init --no-http --log-level=warn >"$OUT/odoo-build.log" 2>&1 \
      || { tail -n 30 "$OUT/odoo-build.log" >&2; fail "installing serial_tracking on $DB (log: $OUT/odoo-build.log)"; }
  fi
  echo "database $DB ready in $(( $(date +%s) - started )) s"
  step "serial products and documents in $DB (scripts/demo_odoo_data.py)"
  started=$(date +%s)
  "${ODOO_BIN[@]}" shell "${ODOO_OPTIONS[@]}" --no-http --log-level=warn <scripts/demo_odoo_data.py 2>"$OUT/odoo-data.log" \
    | grep '^demo-odoo: ' || { tail -n 30 "$OUT/odoo-data.log" >&2; fail "filling $DB (log: $OUT/odoo-data.log)"; }
  echo "demo data done in $(( $(date +%s) - started )) s"
  step "opening stock through the worker: $OPENING drills counted into WH/Stock, serials from sequence TOOLS"
  printf 'product,location,quantity\nDEMO-DRILL,WH/Stock,%s\n' "$OPENING" >"$OUT/opening_stock.csv"
  $SERIALS --config "$CONFIG" opening-stock "$OUT/opening_stock.csv" -d "$DB" --enqueue --wait \
    || fail "the opening stock did not load (Inventory > Operations > Serial Jobs in $DB)"
  ODOO_READY=1
else
  ODOO_READY=0
  echo
  echo "demo: no Odoo 18.0 found, so only the headless batch runs; to see serials in Odoo, point the project at"
  echo "      an Odoo 18.0 tree: ODOO_HOME=/path/to/odoo bash scripts/demo.sh (or put its odoo-bin on PATH)"
fi

step "allocating $COUNT serials of $CODE through the worker, labels for the first $LABELS"
started=$(date +%s.%N)
$SERIALS --config "$CONFIG" allocate "$CODE" --count "$COUNT" --out "$OUT/serials.txt" --labels "$OUT/labels.pdf" \
  --label-count "$LABELS" --enqueue --wait || fail "the batch did not complete (see serials batch list)"
elapsed=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)")

step "collapsed summary of $OUT/serials.txt ($(wc -l <"$OUT/serials.txt") lines)"
$SERIALS range collapse "$OUT/serials.txt" || fail "serials range collapse"

step "done in $elapsed s: serials in $OUT/serials.txt, label sheet in $OUT/labels.pdf ($(du -h "$OUT/labels.pdf" | cut -f1))"

if [ "$ODOO_READY" = 1 ]; then
  url="http://$(odoo_conf http_interface):$(odoo_conf http_port)"
  step "Odoo: $url/odoo/inventory  database $DB, login admin, password admin"
  if [ "$SERVE" = 1 ]; then
    # Only the demo database is served: the login page opens on it, whatever else the server holds.
    "${ODOO[@]}" --db-filter "^$DB\$" --http-port "$(odoo_conf http_port)" --workers 0 --log-level=warn \
      >"$OUT/odoo-serve.log" 2>&1 &
    ODOO_PID=$!
    echo "Odoo is serving (pid $ODOO_PID, log $OUT/odoo-serve.log); press Ctrl+C to stop it, the worker and the services"
    wait "$ODOO_PID" || true
  else
    echo "bash scripts/demo.sh --serve serves it"
  fi
fi
