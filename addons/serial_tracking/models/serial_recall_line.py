from odoo import fields, models
from odoo.tools import SQL

from .stock_lot import SERIAL_STATES

# The lines a recall writes: a plain table without foreign keys. A recall of 10,000 serials is one
# INSERT; foreign keys on its seven references would add seven constraint triggers per row (2.4 s of
# the 4 s such a recall took). The rows go with their recall (serial.recall.unlink) and the table with
# the module (uninstall_hook).
RECALL_RESULT_TABLE = "serial_recall_result"


class SerialRecallLine(models.Model):
    """One serial of a recall's answer, with where it is now and its last shipment to a customer: a view
    of RECALL_RESULT_TABLE, visible to the user who asked (record rule on the recall's creator)."""

    _name = "serial.recall.line"
    _description = "Serial Recall Line"
    _auto = False
    _order = "lot_name, id"

    recall_id = fields.Many2one("serial.recall", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial", readonly=True)
    lot_name = fields.Char(string="Serial Number", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    serial_state = fields.Selection(SERIAL_STATES, string="State", readonly=True)
    location_id = fields.Many2one("stock.location", string="Current Location", readonly=True)
    shipped_partner_id = fields.Many2one("res.partner", string="Shipped To", readonly=True)
    shipped_date = fields.Datetime(string="Shipped On", readonly=True)
    requested_by = fields.Many2one("res.users", readonly=True)

    def init(self):
        self.env.cr.execute(
            SQL(
                """CREATE TABLE IF NOT EXISTS %(table)s (
                   id bigserial PRIMARY KEY,
                   recall_id integer NOT NULL,
                   lot_id integer NOT NULL,
                   lot_name varchar,
                   product_id integer,
                   serial_state varchar,
                   location_id integer,
                   shipped_partner_id integer,
                   shipped_date timestamp
               );
               CREATE INDEX IF NOT EXISTS %(index)s ON %(table)s (recall_id, lot_name)""",
                table=SQL.identifier(RECALL_RESULT_TABLE),
                index=SQL.identifier(f"{RECALL_RESULT_TABLE}_recall_idx"),
            )
        )
        return super().init()

    @property
    def _table_query(self):
        return SQL(
            """SELECT result.id, result.recall_id, result.lot_id, result.lot_name, result.product_id,
                      result.serial_state, result.location_id, result.shipped_partner_id, result.shipped_date,
                      recall.create_uid AS requested_by
                 FROM %s result
                 JOIN serial_recall recall ON recall.id = result.recall_id""",
            SQL.identifier(RECALL_RESULT_TABLE),
        )
