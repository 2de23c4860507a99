from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

SERIAL_AUDIT_ACTIONS = [
    ("create", "Created"),
    ("rename", "Renamed"),
    ("block", "Blocked"),
    ("unblock", "Unblocked"),
    ("delete", "Deleted"),
    ("policy", "Serial policy changed"),
    ("sequence_next", "Sequence next number set"),
]


class SerialAuditLog(models.Model):
    """Who did what to a serial, a product's serial policy or a sequence's counter, and when.

    Rows are only ever added, by the addon's own code (``_log``, as superuser, in the transaction of the
    change it records). Nobody edits or deletes them: the ACL gives stock managers read access only,
    and write/unlink refuse even the superuser. A deleted serial's rows stay, with its name.
    """

    _name = "serial.audit.log"
    _description = "Serial Audit Log"
    _order = "date desc, id desc"
    _rec_name = "action"
    # Rows are never changed, and date and user_id say when and by whom each was written: no create and
    # write stamps (four columns and two foreign keys less on each of the rows a bulk load adds).
    _log_access = False

    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", readonly=True, ondelete="set null")
    action = fields.Selection(SERIAL_AUDIT_ACTIONS, required=True, readonly=True)
    model = fields.Char(readonly=True, help="Technical name of the changed record's model.")
    res_id = fields.Integer(string="Record ID", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial", readonly=True, ondelete="set null", index="btree_not_null")
    lot_name = fields.Char(string="Serial Number", readonly=True, help="Kept when the serial is deleted.")
    field_name = fields.Char(string="Field", readonly=True)
    old_value = fields.Char(readonly=True)
    new_value = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, ondelete="set null", index="btree_not_null")

    _AUDIT_COLUMNS = (
        "action",
        "model",
        "res_id",
        "lot_id",
        "lot_name",
        "field_name",
        "old_value",
        "new_value",
        "company_id",
    )
    _AUDIT_TYPES = dict.fromkeys(_AUDIT_COLUMNS, "varchar") | dict.fromkeys(("res_id", "lot_id", "company_id"), "int")

    @api.model
    def _log(self, entries):
        """Record ``entries`` (dicts of _AUDIT_COLUMNS) as the current user, now, in one INSERT.

        Plain SQL, one array per column: creating serials in bulk (100,000 at a time) must not create
        100,000 ORM records, nor a statement with a parameter per value.
        """
        if not entries:
            return
        now = fields.Datetime.now()
        uid = self.env.uid
        columns = self._AUDIT_COLUMNS
        self.env.cr.execute(
            SQL(
                "INSERT INTO serial_audit_log (date, user_id, %s) SELECT %s, %s, * FROM unnest(%s)",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                now,
                uid,
                SQL(", ").join(
                    SQL(
                        "%s::%s[]",
                        [self._audit_value(entry, column) for entry in entries],
                        SQL(self._AUDIT_TYPES[column]),
                    )
                    for column in columns
                ),
            )
        )
        self.invalidate_model()

    @api.model
    def _audit_value(self, entry, column):
        value = entry.get(column) or None
        return str(value) if value is not None and self._AUDIT_TYPES[column] == "varchar" else value

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        if vals_list:
            raise UserError(_("The serial audit log is written by the system only."))
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        if self:
            raise UserError(_("The serial audit log cannot be changed."))
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        if self:
            raise UserError(_("The serial audit log cannot be deleted."))
        return super().unlink()
