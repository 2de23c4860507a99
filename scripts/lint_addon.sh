#!/usr/bin/env bash
# Lints the Odoo addon the way OCA's CI does for 18.0 (oca-addons-repo-template's pre-commit):
#   1. pylint-odoo with .pylintrc-mandatory: blocking;
#   2. pylint-odoo with .pylintrc (mandatory + optional): advisory, only its extra messages are printed;
#   3. oca-checks-odoo-module (XML, CSV and manifest checks) and oca-checks-po (.po/.pot files): blocking.
#   scripts/lint_addon.sh [ADDON_DIR]     (default: addons/serial_tracking)
# Exit 1 when any blocking check reports anything.
set -uo pipefail
cd "$(dirname "$0")/.."
ADDON=${1:-addons/serial_tracking}
# pylint-odoo and oca-odoo-pre-commit-hooks (the version OCA pins for 18.0) come with the [test] extra.
[ -x .venv/bin/pylint ] && [ -x .venv/bin/oca-checks-odoo-module ] || bash scripts/setup.sh || exit 1
[ -f "$ADDON/__manifest__.py" ] || { echo "lint: $ADDON/__manifest__.py not found" >&2; exit 1; }

status=0

echo "== pylint-odoo, mandatory checks (.pylintrc-mandatory) on $ADDON =="
mandatory=$(.venv/bin/pylint --rcfile=.pylintrc-mandatory --output-format=text "$ADDON" 2>&1)
if [ $? -ne 0 ]; then
  status=1
  echo "$mandatory"
  echo "lint: FAILED: $(grep -cE ': \[[A-Z][0-9]+' <<<"$mandatory") mandatory pylint-odoo messages"
else
  echo "lint: no mandatory pylint-odoo message"
fi

echo "== pylint-odoo, advisory checks (.pylintrc, messages beyond the mandatory ones; never fails) =="
advisory=$(.venv/bin/pylint --rcfile=.pylintrc --output-format=text --exit-zero "$ADDON" 2>&1 \
  | grep -E ': \[[A-Z][0-9]+' | grep -vxF -f <(grep -E ': \[[A-Z][0-9]+' <<<"$mandatory"))
if [ -n "$advisory" ]; then echo "$advisory"; else echo "lint: no advisory message"; fi

echo "== oca-checks-odoo-module on $ADDON =="
if .venv/bin/oca-checks-odoo-module "$ADDON"; then echo "lint: no oca-checks-odoo-module message"
else status=1; echo "lint: FAILED: oca-checks-odoo-module"; fi

mapfile -t po_files < <(find "$ADDON" -name '*.po' -o -name '*.pot' | sort)
if [ ${#po_files[@]} -gt 0 ]; then
  echo "== oca-checks-po on ${#po_files[@]} translation files =="
  # po-pretty-format is disabled in OCA's template as well.
  .venv/bin/oca-checks-po --disable=po-pretty-format "${po_files[@]}" \
    || { status=1; echo "lint: FAILED: oca-checks-po"; }
fi

if [ $status -eq 0 ]; then echo "lint: $ADDON is clean"; else echo "lint: $ADDON has blocking messages (above)"; fi
exit $status
