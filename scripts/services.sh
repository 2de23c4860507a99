#!/usr/bin/env bash
# Starts and stops the project's own PostgreSQL 15 cluster and Redis server, on loopback only,
# with their data under .state/ (git-ignored). Ports and credentials come from odoo.conf.
#   scripts/services.sh start|stop|status
# PostgreSQL refuses to run as root, so a root caller runs it as the postgres user.
# stop only stops what start started: the pids it recorded.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE=$ROOT/.state
CONF=${SERIALS_CONFIG:-$ROOT/odoo.conf}

conf() {  # conf SECTION KEY (worker/config.py reads odoo.conf; it needs only the standard library)
  python3 -m worker.config "$CONF" "$1" "$2"
}

PG_PORT=$(conf options db_port)
PG_USER=$(conf options db_user)
PG_PASSWORD=$(conf options db_password)
PG_DB=$(conf options db_name)
REDIS_URL=$(conf serial_tracking redis_url)
REDIS_PORT=$(python3 -c "import sys,urllib.parse as u; print(u.urlparse(sys.argv[1]).port or 6379)" "$REDIS_URL")

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v initdb 2>/dev/null || echo /usr/bin/initdb)")}
PG_DATA=$STATE/pg
PG_RUN=$STATE/pg-run
REDIS_DIR=$STATE/redis

as_pg() {  # run a PostgreSQL binary as the postgres user when we are root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_redis_installed() {
  command -v redis-server >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "services: installing redis-server (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "services: redis-server is missing; install Debian's redis-server package" >&2; exit 1
  fi
}

pg_running() { [ -f "$PG_DATA/postmaster.pid" ] && kill -0 "$(head -1 "$PG_DATA/postmaster.pid")" 2>/dev/null; }
redis_running() { [ -f "$REDIS_DIR/redis.pid" ] && kill -0 "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null; }

# A server of another checkout may already listen on the configured port (a CI clone next to a working
# copy): when it takes odoo.conf's credentials it is used as it is, and `stop` leaves it alone.
pg_foreign_usable() {
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || return 1
  if ! PGPASSWORD=$PG_PASSWORD "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qtAc 'SELECT 1' >/dev/null 2>&1; then
    echo "services: port $PG_PORT is taken by a PostgreSQL that refuses $PG_USER; change db_port in $CONF" >&2
    exit 1
  fi
  if ! PGPASSWORD=$PG_PASSWORD "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qtAc \
      "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
    PGPASSWORD=$PG_PASSWORD "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$PG_DB"
  fi
  echo "services: using the PostgreSQL already on 127.0.0.1:$PG_PORT (not started here, so stop leaves it running)"
}

start_pg() {
  if pg_running; then echo "services: PostgreSQL already running on port $PG_PORT"; return; fi
  pg_foreign_usable && return
  mkdir -p "$STATE" "$PG_RUN"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DATA" "$PG_RUN"
    chmod 700 "$PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_RUN"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_RUN/pg.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_RUN -c max_connections=200 -c fsync=on" >/dev/null
  # The application role: Odoo will not run as postgres, and needs CREATEDB for its test databases.
  as_pg "$PG_BIN/psql" -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1 <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE "$PG_USER" LOGIN SUPERUSER PASSWORD '$PG_PASSWORD';
  END IF;
END \$\$;
SQL
  if ! as_pg "$PG_BIN/psql" -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres -qtA \
      -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
    as_pg "$PG_BIN/createdb" -h "$PG_RUN" -p "$PG_PORT" -U postgres -O "$PG_USER" "$PG_DB"
  fi
  echo "services: PostgreSQL 15 on 127.0.0.1:$PG_PORT (pid $(head -1 "$PG_DATA/postmaster.pid"))"
}

start_redis() {
  if redis_running; then echo "services: Redis already running on port $REDIS_PORT"; return; fi
  ensure_redis_installed
  if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; then
    echo "services: using the Redis already on 127.0.0.1:$REDIS_PORT (not started here, so stop leaves it running)"
    return
  fi
  mkdir -p "$REDIS_DIR"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" \
    --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
    --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save ""
  for _ in $(seq 50); do redis_running && break; sleep 0.1; done
  redis_running || { echo "services: Redis did not start; see $REDIS_DIR/redis.log" >&2; exit 1; }
  echo "services: Redis on 127.0.0.1:$REDIS_PORT (pid $(cat "$REDIS_DIR/redis.pid"))"
}

stop_pid() {  # stop_pid NAME PID
  local name=$1 pid=$2
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || { echo "services: stopped $name (pid $pid)"; return 0; }; sleep 0.1; done
  echo "services: $name (pid $pid) did not stop in 10 s" >&2
}

case "${1:-}" in
  start) start_pg; start_redis ;;
  start-pg) start_pg ;;
  start-redis) start_redis ;;
  stop)
    redis_running && stop_pid Redis "$(cat "$REDIS_DIR/redis.pid")"
    pg_running && stop_pid PostgreSQL "$(head -1 "$PG_DATA/postmaster.pid")"
    true ;;
  stop-redis) redis_running && stop_pid Redis "$(cat "$REDIS_DIR/redis.pid")"; true ;;
  status)
    pg_running && echo "PostgreSQL: running (pid $(head -1 "$PG_DATA/postmaster.pid"), port $PG_PORT)" || echo "PostgreSQL: stopped"
    redis_running && echo "Redis: running (pid $(cat "$REDIS_DIR/redis.pid"), port $REDIS_PORT)" || echo "Redis: stopped" ;;
  *) echo "usage: scripts/services.sh start|stop|status|start-pg|start-redis|stop-redis" >&2; exit 2 ;;
esac
