#!/usr/bin/env bash
# The headless main job, from a fresh clone, on the project's own local PostgreSQL and Redis:
#   1. set up .venv (scripts/setup.sh) and start PostgreSQL + Redis (scripts/services.sh);
#   2. create the tables (serials db migrate) and the sequence DEMO if it is absent;
#   3. start a worker in the background;
#   4. allocate a bulk batch through the worker, with progress, into a file and a label sheet;
#   5. print the collapsed summary of the file;
#   6. stop the worker, and the services if this script started them.
# Settings (environment): DEMO_COUNT (100000), DEMO_LABELS (1000: labels for the first N serials),
# DEMO_OUT (.state/demo), SERIALS_CONFIG (odoo.conf). Exit status: 0 done, non-zero at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${DEMO_COUNT:-100000}
LABELS=${DEMO_LABELS:-1000}
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

step "allocating $COUNT serials of $CODE through the worker, labels for the first $LABELS"
started=$(date +%s.%N)
$SERIALS --config "$CONFIG" allocate "$CODE" --count "$COUNT" --out "$OUT/serials.txt" --labels "$OUT/labels.pdf" \
  --label-count "$LABELS" --enqueue --wait || fail "the batch did not complete (see serials batch list)"
elapsed=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)")

step "collapsed summary of $OUT/serials.txt ($(wc -l <"$OUT/serials.txt") lines)"
$SERIALS range collapse "$OUT/serials.txt" || fail "serials range collapse"

step "done in $elapsed s: serials in $OUT/serials.txt, label sheet in $OUT/labels.pdf ($(du -h "$OUT/labels.pdf" | cut -f1))"
