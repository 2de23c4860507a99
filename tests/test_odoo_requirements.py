"""scripts/odoo_requirements.py: Odoo's requirements.txt adjusted for the project's venv."""

import hashlib

from tests.tool_support import load_tool

odoo_requirements = load_tool("odoo_requirements")
EXTRA_LINES, adjusted_lines, main = (
    odoo_requirements.EXTRA_LINES,
    odoo_requirements.adjusted_lines,
    odoo_requirements.main,
)

ODOO_LINES = [
    "# a comment\n",
    "\n",
    "cbor2==5.4.2 ; python_version < '3.12'\n",
    "cbor2==5.6.2 ; python_version >= '3.12'\n",
    "python-ldap==3.4.0 ; sys_platform != 'win32' and python_version < '3.12' # min version\n",
    "python-ldap==3.4.4 ; sys_platform != 'win32' and python_version >= '3.12'\n",
    "xlrd==1.2.0 ; python_version < '3.12'  # (jammy)\n",
    "xlrd==2.0.1 ; python_version >= '3.12'\n",
    "openpyxl==3.0.9 ; python_version < '3.12'\n",
]


def test_adjustments_replace_drop_and_keep_lines():
    assert list(adjusted_lines(ODOO_LINES)) == [
        "cbor2==5.4.6 ; python_version < '3.12'",
        "cbor2==5.6.2 ; python_version >= '3.12'",
        "xlrd==2.0.1 ; python_version < '3.12'",
        "xlrd==2.0.1 ; python_version >= '3.12'",
        "openpyxl==3.0.9 ; python_version < '3.12'",
    ]


def test_main_writes_the_file_and_prints_its_hash(tmp_path, capsys):
    source, output = tmp_path / "requirements.txt", tmp_path / "out.txt"
    source.write_text("".join(ODOO_LINES))
    assert main(["odoo_requirements.py", str(source), str(output)]) == 0
    text = output.read_text()
    assert capsys.readouterr().out.strip() == hashlib.sha256(text.encode()).hexdigest()
    assert "python-ldap==" not in text
    assert all(line in text.splitlines() for line in EXTRA_LINES)
