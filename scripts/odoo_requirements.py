"""Writes Odoo's requirements.txt, adjusted for the project's virtual environment, to a file.

    python scripts/odoo_requirements.py ODOO_HOME/requirements.txt OUTPUT

Odoo pins the versions of Debian 12 / Ubuntu 24.04; a few of them cannot be installed from
PyPI into the project's Python 3.11 venv, or clash with the project's own requirements.
Each adjustment below says why. Every other line is kept as is (pip evaluates the markers).
Prints the sha256 of the written file, which the caller uses as its install stamp.
"""

import hashlib
import re
import sys

# (name in lower case, pinned version or None for any) -> (replacement line or None to drop it, reason)
ADJUSTMENTS = {
    ("python-ldap", None): (
        None,
        "only auth_ldap uses it and it builds against the libldap2-dev/libsasl2-dev headers",
    ),
    ("cbor2", "5.4.2"): (
        "cbor2==5.4.6 ; python_version < '3.12'",
        "5.4.2 does not build on Python 3.11; 5.4.6 is the same API (auth_passkey)",
    ),
    ("xlrd", "1.2.0"): (
        "xlrd==2.0.1 ; python_version < '3.12'",
        "the project reads .xls with xlrd 2; Odoo 18 pins 2.0.1 itself on Python 3.12 "
        "and base_import checks for 2.x (it reads .xlsx with openpyxl then)",
    ),
}

# Needed by Odoo's test framework but absent from its requirements.txt (Debian installs python3-websocket):
# without it every HttpCase browser test (tours, browser_js) is skipped instead of run.
EXTRA_LINES = [
    "websocket-client==1.2.3  # Debian 12's version; odoo.tests.common drives Chrome with it",
]

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:==\s*([^\s;#]+))?")


def adjusted_lines(lines):
    """Yields the requirement lines to install: comments dropped, adjusted lines replaced."""
    for line in lines:
        match = REQUIREMENT.match(line)
        if not match:
            continue  # blank line or comment
        name = match.group(1).lower().replace("_", "-")
        key = next((k for k in ((name, match.group(2)), (name, None)) if k in ADJUSTMENTS), None)
        if key is None:
            yield line.rstrip("\n")
            continue
        replacement, _reason = ADJUSTMENTS[key]
        if replacement is not None:
            yield replacement


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    source, output = argv[1], argv[2]
    with open(source, encoding="utf-8") as handle:
        lines = list(adjusted_lines(handle)) + EXTRA_LINES
    header = [f"# Generated from {source} by scripts/odoo_requirements.py; adjustments:"]
    header += [f"#   {name} {version or '(any)'}: {reason}" for (name, version), (_line, reason) in ADJUSTMENTS.items()]
    text = "\n".join(header + lines) + "\n"
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(hashlib.sha256(text.encode()).hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
