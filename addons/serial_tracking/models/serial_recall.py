from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .serial_recall_line import RECALL_RESULT_TABLE

RECALL_DIRECTIONS = [
    ("built_from", "Built from this serial"),
    ("components", "What this serial was built from"),
]


# One step of the genealogy from the lot r.lot_id, in each direction. A finished serial with a per-unit
# genealogy (stock_lot_serial_component_rel: the component serials and lots of that very unit) is linked
# through it only; any other lot through Odoo's own links, a finished move line's consumed component
# lines (stock_move_line_consume_rel: consume_line_id is the finished line, produce_line_id the component
# line), which tie every component of a multi-unit order to every unit of it.
_ODOO_LINKS = """
    SELECT nxt.lot_id
      FROM stock_move_line cur
      JOIN stock_move_line_consume_rel rel ON rel.{here} = cur.id
      JOIN stock_move_line nxt ON nxt.id = rel.{there}
     WHERE cur.lot_id = r.lot_id AND cur.state = 'done' AND nxt.state = 'done' AND nxt.lot_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM stock_lot_serial_component_rel unit WHERE unit.finished_lot_id = {finished})
"""
_STEPS = {
    "built_from": SQL(
        _ODOO_LINKS.format(here="produce_line_id", there="consume_line_id", finished="nxt.lot_id")
        + "UNION ALL SELECT unit.finished_lot_id FROM stock_lot_serial_component_rel unit "
        "WHERE unit.component_lot_id = r.lot_id"
    ),
    "components": SQL(
        _ODOO_LINKS.format(here="consume_line_id", there="produce_line_id", finished="r.lot_id")
        + "UNION ALL SELECT unit.component_lot_id FROM stock_lot_serial_component_rel unit "
        "WHERE unit.finished_lot_id = r.lot_id"
    ),
}


class SerialRecall(models.Model):
    """A recall question about one serial or lot, answered by a recursive SQL query.

    The genealogy is each finished unit's own where the addon recorded it (a produce-all order shares
    its component serials out among its units), Odoo's consumption links otherwise (_STEPS).
    'built_from' follows it down from a component to every finished unit at any depth; 'components'
    follows it up from a finished unit to everything it was built from. The answer is
    written by one INSERT ... SELECT into a plain table (no ORM record, no foreign key check per line),
    so 10,000 units cost one statement.
    """

    _name = "serial.recall"
    _description = "Serial Recall"
    # Answers are kept for a while to be reopened and exported, then dropped (_serial_drop_stale).
    _serial_keep_days = 7

    lot_id = fields.Many2one("stock.lot", string="Serial / Lot", required=True, readonly=True, ondelete="cascade")
    direction = fields.Selection(RECALL_DIRECTIONS, required=True, default="built_from", readonly=True)
    line_ids = fields.One2many("serial.recall.line", "recall_id", string="Serials", readonly=True)
    line_count = fields.Integer(compute="_compute_counts")
    customer_count = fields.Integer(compute="_compute_counts")

    @api.depends("line_ids")
    def _compute_counts(self):
        for recall in self:
            self.env.cr.execute(
                SQL(
                    "SELECT count(*), count(DISTINCT shipped_partner_id) FROM %s WHERE recall_id = %s",
                    SQL.identifier(RECALL_RESULT_TABLE),
                    recall.id or 0,
                ),
            )
            recall.line_count, recall.customer_count = self.env.cr.fetchone()

    def _fill(self):
        """Write the lines of this recall: the related serials, where each is now, and its last shipment."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL jit = off")
        self.env.cr.execute(
            SQL(
                """
            WITH RECURSIVE related(lot_id) AS (
                SELECT %(root)s::integer
                UNION
                SELECT step.lot_id FROM related r CROSS JOIN LATERAL (%(step)s) step
            )
            INSERT INTO %(result)s (recall_id, lot_id, lot_name, product_id, serial_state, location_id,
                                    shipped_partner_id, shipped_date)
            SELECT %(recall)s, lot.id, lot.name, lot.product_id, lot.serial_state, lot.serial_location_id,
                   ship.partner_id, ship.date
              FROM related r
              JOIN stock_lot lot ON lot.id = r.lot_id
         LEFT JOIN LATERAL (
                    SELECT COALESCE(sp.partner_id, sm.partner_id) AS partner_id, sml.date
                      FROM stock_move_line sml
                      JOIN stock_move sm ON sm.id = sml.move_id
                      JOIN stock_location dst ON dst.id = sml.location_dest_id
                 LEFT JOIN stock_picking sp ON sp.id = sml.picking_id
                     WHERE sml.lot_id = lot.id AND sml.state = 'done' AND dst.usage = 'customer'
                  ORDER BY sml.date DESC, sml.id DESC
                     LIMIT 1
              ) ship ON TRUE
             WHERE lot.id != %(root)s
            """,
                step=_STEPS[self.direction],
                root=self.lot_id.id,
                recall=self.id,
                result=SQL.identifier(RECALL_RESULT_TABLE),
            )
        )
        # JIT compiling this one statement costs more than running it (0.4 s of a 10,000-serial recall).
        self.env.cr.execute("RESET jit")
        self.invalidate_recordset(["line_ids", "line_count", "customer_count"])

    @api.model
    def _serial_drop_stale(self):
        """Drop the current user's recalls older than _serial_keep_days (with their lines)."""
        stale = self.search(
            [
                ("create_uid", "=", self.env.uid),
                ("create_date", "<", fields.Datetime.subtract(fields.Datetime.now(), days=self._serial_keep_days)),
            ]
        )
        stale.unlink()

    def unlink(self):
        self.env.cr.execute(
            SQL("DELETE FROM %s WHERE recall_id = ANY(%s)", SQL.identifier(RECALL_RESULT_TABLE), self.ids)
        )
        return super().unlink()

    def _open(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Recall: %(serial)s", serial=self.lot_id.name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_switch_direction(self):
        self.ensure_one()
        other = "components" if self.direction == "built_from" else "built_from"
        return self.lot_id._serial_recall(other)

    def action_export_xlsx(self):
        self.ensure_one()
        if not self.line_count:
            raise UserError(_("Nothing to export: no serial is related to %(serial)s.", serial=self.lot_id.name))
        return {"type": "ir.actions.act_url", "url": f"/serial_tracking/recall/{self.id}/xlsx", "target": "download"}
