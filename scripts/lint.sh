#!/usr/bin/env bash
# Runs the repository's one lint configuration, .pre-commit-config.yaml, on every tracked file:
#   ruff and ruff-format with OCA's settings (.ruff.toml) on all the Python, the addon's included;
#   pylint-odoo on the addon: .pylintrc printed (advisory), .pylintrc-mandatory blocking;
#   OCA's oca-checks-odoo-module and oca-checks-po, the README.rst generated from readme/, and the
#   pre-commit-hooks file checks (whitespace, end of file, XML, merge conflicts...).
#   scripts/lint.sh [pre-commit run arguments]     (default: --all-files)
# Every hook runs a tool from .venv (installed from PyPI by scripts/setup.sh), so no hook is cloned
# or downloaded: it runs offline and in CI alike. Hooks that fix files (ruff, whitespace) fix them and
# still fail, showing the diff. Exit 1 when any hook fails.
set -uo pipefail
cd "$(dirname "$0")/.."
for tool in pre-commit ruff pylint oca-checks-odoo-module trailing-whitespace-fixer; do
  [ -x ".venv/bin/$tool" ] || { bash scripts/setup.sh || exit 1; break; }
done
PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-$PWD/.state/pre-commit} \
  .venv/bin/pre-commit run --show-diff-on-failure --color never "${@:---all-files}"
status=$?
if [ $status -eq 0 ]; then echo "lint: clean"; else echo "lint: FAILED (hook messages above)"; fi
exit $status
