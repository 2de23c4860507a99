"""Uninstalls a module and checks that it left nothing behind. Runs inside `odoo-bin shell`:

    SERIALS_UNINSTALL_MODULE=serial_tracking odoo-bin shell -c odoo.conf -d DB < scripts/odoo_uninstall_check.py

Before uninstalling it lists what the module owns (its models' tables and its stored fields' columns,
from ir_model_data); afterwards the module must be 'uninstalled', own no ir_model_data row, and none
of those tables or columns may remain. Prints one "uninstall: ..." line; raises SystemExit(1) on failure.
"""

import os

# `env` is given by odoo-bin shell; this file only runs there.
MODULE = os.environ["SERIALS_UNINSTALL_MODULE"]
cr = env.cr  # noqa: F821


def owned_tables_and_columns():
    """Tables of the module's models and many2many fields, and (table, column) of its stored fields elsewhere."""
    cr.execute(
        # Models the module defines: it inherits others too (an ir_model_data row each), which stay.
        """SELECT m.model FROM ir_model_data d JOIN ir_model m ON m.id = d.res_id
           WHERE d.module = %s AND d.model = 'ir.model'
             AND NOT EXISTS (SELECT 1 FROM ir_model_data o
                             WHERE o.model = 'ir.model' AND o.res_id = d.res_id AND o.module != d.module)""",
        [MODULE],
    )
    models = [row[0] for row in cr.fetchall()]
    tables = {env[model]._table for model in models if model in env and not env[model]._abstract}  # noqa: F821
    cr.execute(
        """SELECT f.model, f.name FROM ir_model_data d JOIN ir_model_fields f ON f.id = d.res_id
           WHERE d.module = %s AND d.model = 'ir.model.fields' AND f.store""",
        [MODULE],
    )
    columns = set()
    for model, name in cr.fetchall():
        field = env[model]._fields.get(name) if model in env else None  # noqa: F821
        if field is None or env[model]._abstract:  # noqa: F821
            continue
        if field.type == "many2many" and field.relation:
            tables.add(field.relation)  # its relation table goes with it
        elif field.column_type:
            columns.add((env[model]._table, name))  # noqa: F821
    return tables, {(table, column) for table, column in columns if table not in tables}


def existing_tables(tables):
    cr.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_name = ANY(%s)",
        [sorted(tables)],
    )
    return sorted(row[0] for row in cr.fetchall())


def existing_columns(columns):
    found = []
    for table, column in sorted(columns):
        cr.execute(
            """SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = %s AND column_name = %s""",
            [table, column],
        )
        if cr.fetchone():
            found.append(f"{table}.{column}")
    return found


def check_uninstall():
    module = env["ir.module.module"].search([("name", "=", MODULE)])  # noqa: F821
    if module.state != "installed":
        print(f"uninstall: FAILED: {MODULE} is {module.state or 'unknown'}, not installed, before uninstalling")
        raise SystemExit(1)
    tables, columns = owned_tables_and_columns()
    module.button_immediate_uninstall()  # commits and reloads the registry
    cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [MODULE])
    state = cr.fetchone()[0]
    cr.execute("SELECT model, count(*) FROM ir_model_data WHERE module = %s GROUP BY model ORDER BY model", [MODULE])
    leftover_data = [f"{model} x{count}" for model, count in cr.fetchall()]
    leftover_tables, leftover_columns = existing_tables(tables), existing_columns(columns)
    problems = []
    if state != "uninstalled":
        problems.append(f"state is {state}")
    if leftover_data:
        problems.append("ir_model_data rows left: " + ", ".join(leftover_data))
    if leftover_tables:
        problems.append("tables left: " + ", ".join(leftover_tables))
    if leftover_columns:
        problems.append("columns left: " + ", ".join(leftover_columns))
    if problems:
        print(f"uninstall: FAILED: {MODULE}: " + "; ".join(problems))
        raise SystemExit(1)
    print(f"uninstall: clean: {MODULE} uninstalled, {len(tables)} tables and {len(columns)} added columns dropped")


check_uninstall()
