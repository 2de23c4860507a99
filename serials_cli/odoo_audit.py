"""The Odoo addon's audit log, written by commands that change what the addon audits.

A sequence's next number set from the command line must be as traceable as one set in Odoo's dialog. The
command works on the same database as Odoo (odoo.conf); when the serial_tracking addon is installed there,
its ``serial_audit_log`` table gets the row, in the transaction of the change. Without the addon there is
no audit log to write.
"""

from __future__ import annotations

import getpass


def addon_installed(cur) -> bool:
    cur.execute(
        "SELECT to_regclass('serial_audit_log') IS NOT NULL AND to_regclass('serial_tracking_sequence') IS NOT NULL"
    )
    return cur.fetchone()[0]


def record_sequence_next(cur, code, company, old_next, new_next, *, series=None) -> bool:
    """Record that sequence ``code`` of store company key ``company`` moved from ``old_next`` to ``new_next``.

    The row names the operating-system user who ran the command (there is no Odoo user behind it).
    Returns whether a row was written.
    """
    if not addon_installed(cur):
        return False
    company_id = int(company) if company is not None and str(company).isdigit() else None
    cur.execute(
        "SELECT id, company_id FROM serial_tracking_sequence WHERE code = %s AND company_id IS NOT DISTINCT FROM %s",
        (code, company_id),
    )
    row = cur.fetchone()
    # A store company that is not an Odoo company (or a sequence Odoo does not know) is left unset.
    res_id, company_id = row if row else (None, None)
    what = f"next number ({series})" if series else "next number"
    cur.execute(
        """
        INSERT INTO serial_audit_log (date, action, model, res_id, field_name, old_value, new_value, company_id)
        VALUES (now() AT TIME ZONE 'UTC', 'sequence_next', 'serial.sequence', %s, %s, %s, %s, %s)
        """,
        (
            res_id,
            f"{what}, by the serials command (user {getpass.getuser()})",
            str(old_next),
            str(new_next),
            company_id,
        ),
    )
    return True
