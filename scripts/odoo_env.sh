#!/usr/bin/env bash
# Locates an Odoo 18.0 source tree and prepares the project's .venv to run it.
#   scripts/odoo_env.sh home      prints the Odoo tree (exit 3 when none is found, 4 when not 18.0)
#   scripts/odoo_env.sh install   installs Odoo's Python requirements into .venv (once per requirements change)
# Also sourced by scripts/odoo_tests.sh for its functions.
#
# Where Odoo comes from: $ODOO_HOME, else the directory of the real file behind `odoo-bin` on PATH.
# Odoo itself is never copied into the checkout; it only runs from that tree with .venv's Python.

ODOO_ENV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_ENV_VENV=$ODOO_ENV_ROOT/.venv
ODOO_REQUIRED_MAJOR=18

# Sets ODOO_HOME to the Odoo tree; returns 1 when there is none.
odoo_locate() {
  local bin
  if [ -n "${ODOO_HOME:-}" ]; then
    if [ ! -f "$ODOO_HOME/odoo-bin" ] || [ ! -f "$ODOO_HOME/odoo/release.py" ]; then
      echo "odoo: ODOO_HOME=$ODOO_HOME is not an Odoo source tree (no odoo-bin or odoo/release.py)" >&2
      return 1
    fi
    ODOO_HOME=$(cd "$ODOO_HOME" && pwd -P)
  elif bin=$(command -v odoo-bin 2>/dev/null); then
    ODOO_HOME=$(dirname "$(realpath "$bin")")
    if [ ! -f "$ODOO_HOME/odoo/release.py" ]; then
      echo "odoo: $bin resolves to $ODOO_HOME, which is not an Odoo source tree" >&2
      return 1
    fi
  else
    return 1
  fi
  export ODOO_HOME
}

# Prints the Odoo version string of $ODOO_HOME; returns 1 when its major version is not 18.
odoo_check_version() {
  python3 - "$ODOO_HOME/odoo/release.py" "$ODOO_REQUIRED_MAJOR" <<'PY'
import runpy, sys
release = runpy.run_path(sys.argv[1])  # release.py imports nothing: safe to run on its own
print(release["version"])
sys.exit(0 if release["version_info"][0] == int(sys.argv[2]) else 1)
PY
}

# Installs $ODOO_HOME/requirements.txt (adjusted by scripts/odoo_requirements.py) into .venv together with
# the project's own requirements, so one resolver run must satisfy both. Skipped when the stamp matches.
odoo_install_requirements() {
  local generated=$ODOO_ENV_VENV/odoo-requirements.txt stamp=$ODOO_ENV_VENV/.odoo-requirements.sha256 key
  if [ ! -x "$ODOO_ENV_VENV/bin/python" ]; then
    echo "odoo: $ODOO_ENV_VENV is missing; run scripts/setup.sh first" >&2
    return 1
  fi
  "$ODOO_ENV_VENV/bin/python" "$ODOO_ENV_ROOT/scripts/odoo_requirements.py" \
    "$ODOO_HOME/requirements.txt" "$generated.new" >/dev/null || return 1
  key=$(cat "$generated.new" "$ODOO_ENV_ROOT/requirements.txt" "$ODOO_ENV_ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
    rm -f "$generated.new"
    return 0
  fi
  mv "$generated.new" "$generated"
  echo "odoo: installing Odoo's Python requirements into .venv (first run takes about a minute)"
  # --no-build-isolation: an old setup.py among the pins breaks with the setuptools >= 70 an isolated
  # build would fetch; .venv keeps setuptools < 70 (scripts/setup.sh).
  # The sed drops pip's notes about the machine's absent extra indexes, which would drown real errors.
  "$ODOO_ENV_VENV/bin/pip" install -q --no-build-isolation \
      -r "$generated" -r "$ODOO_ENV_ROOT/requirements.txt" 2>&1 \
    | sed -u "/^WARNING: Location 'file:.*' is ignored/d"
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    echo "odoo: installing $generated into .venv failed (see pip's message above)" >&2
    return 1
  fi
  if ! "$ODOO_ENV_VENV/bin/pip" check; then
    echo "odoo: .venv has conflicting requirements after installing Odoo's (pip check above)" >&2
    return 1
  fi
  echo "$key" >"$stamp"
}

# ---- the configured PostgreSQL and Odoo's databases (for scripts that source this file) ----
ODOO_ENV_CONF=${SERIALS_CONFIG:-$ODOO_ENV_ROOT/odoo.conf}

odoo_conf() {  # odoo_conf KEY: a value of odoo.conf's [options] (read by worker/config.py)
  PYTHONPATH=$ODOO_ENV_ROOT python3 -m worker.config "$ODOO_ENV_CONF" options "$1"
}
odoo_psql() {  # runs SQL on the maintenance database as the application role (a superuser, see services.sh)
  PGPASSWORD=$(odoo_conf db_password) PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 \
    -h "$(odoo_conf db_host)" -p "$(odoo_conf db_port)" -U "$(odoo_conf db_user)" -d postgres "$@"
}
odoo_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
odoo_filestore() {  # Odoo resolves a relative data_dir from its working directory: the checkout
  (cd "$ODOO_ENV_ROOT" && realpath -m "$(odoo_conf data_dir)/filestore")
}
odoo_db_exists() { [ "$(odoo_psql -tA -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }
odoo_drop_db() {
  local filestore
  filestore=$(odoo_filestore)
  odoo_psql -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" && rm -rf "${filestore:?}/$1"
}
odoo_module_state() {  # odoo_module_state DB MODULE: installed, to upgrade, ... or nothing
  odoo_psql -d "$1" -tA -c "SELECT state FROM ir_module_module WHERE name = '$2'" 2>/dev/null
}
odoo_addons_path() {  # Odoo's own addons and the checkout's
  echo "$ODOO_HOME/addons,$ODOO_HOME/odoo/addons,${SERIALS_ADDONS_PATH:-$ODOO_ENV_ROOT/addons}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    home|install)
      odoo_locate || { echo "odoo: no Odoo found (set ODOO_HOME or put odoo-bin on PATH)" >&2; exit 3; }
      version=$(odoo_check_version) || { echo "odoo: $ODOO_HOME is Odoo $version, not $ODOO_REQUIRED_MAJOR.0" >&2; exit 4; }
      if [ "$1" = home ]; then echo "$ODOO_HOME"; exit 0; fi
      odoo_install_requirements || exit 1
      echo "odoo: .venv is ready for Odoo $version at $ODOO_HOME" ;;
    *) echo "usage: scripts/odoo_env.sh home|install" >&2; exit 2 ;;
  esac
fi
