from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.policy import STOCKED_USAGES

# Serves the history of one serial (and the serial record's refresh): the done lines of a lot in date order.
HISTORY_INDEX = "stock_move_line_serial_history_idx"

SERIAL_EVENT_TYPES = [
    ("RECEIVE", "Receive"),
    ("SHIP", "Ship"),
    ("ADJUST", "Adjust"),
    ("MOVEIN", "Move in"),
    ("MOVEOUT", "Move out"),
    ("BUILD", "Build"),
    ("CONSUME", "Consume"),
    ("WORKBUILD", "Work order build"),
    ("WORKCONSUME", "Work order consume"),
    ("RETURN", "Return"),
]


def event_type_sql():
    """The event type of a done move line ``sml`` of move ``sm``, from ``src`` to ``dst`` (locations).

    The first rule that holds decides:
    ADJUST       an inventory adjustment or a scrap: the move is an inventory move or a scrap, or one end
                 is an inventory-loss location;
    RETURN       a return of an earlier move (to or from a customer or vendor: the move has an origin
                 returned move), or components given back to stock by an unbuild;
    WORKBUILD    a finished unit (or by-product) leaving production for a manufacturing order that has
                 work orders;
    BUILD        any other unit leaving a production location (finished product of an order without
                 work orders);
    WORKCONSUME  a unit consumed into production by a component move attached to a work order;
    CONSUME      any other unit going into a production location (components, or the unit an unbuild
                 takes apart);
    SHIP         a unit going to a customer or vendor location (deliveries, dropships);
    RECEIVE      a unit entering stock from outside it (vendor receipts, customers without a return link);
    MOVEOUT      a unit sent from stock into a transit location (leaving one warehouse or company for
                 another);
    MOVEIN       a unit moved into a stock location from another one (relocation, putaway, arrival from
                 transit).
    """
    stocked = SQL("(%s)", SQL(", ").join(SQL("%s", usage) for usage in STOCKED_USAGES))
    return SQL(
        """CASE
            WHEN sm.is_inventory OR sm.scrap_id IS NOT NULL OR src.usage = 'inventory' OR dst.usage = 'inventory'
                THEN 'ADJUST'
            WHEN sm.origin_returned_move_id IS NOT NULL OR (sm.unbuild_id IS NOT NULL AND src.usage = 'production')
                THEN 'RETURN'
            WHEN src.usage = 'production' AND EXISTS (
                    SELECT 1 FROM mrp_workorder wo WHERE wo.production_id = sm.production_id)
                THEN 'WORKBUILD'
            WHEN src.usage = 'production' THEN 'BUILD'
            WHEN dst.usage = 'production' AND sm.workorder_id IS NOT NULL THEN 'WORKCONSUME'
            WHEN dst.usage = 'production' THEN 'CONSUME'
            WHEN dst.usage IN ('customer', 'supplier') THEN 'SHIP'
            WHEN src.usage NOT IN %(stocked)s THEN 'RECEIVE'
            WHEN dst.usage = 'transit' THEN 'MOVEOUT'
            ELSE 'MOVEIN'
        END""",
        stocked=stocked,
    )


class SerialHistory(models.Model):
    """One row per done move line of a serial: the serial's history, read from Odoo's own move lines.

    A view, not a table: nothing is copied, so the history can never disagree with the stock moves.
    A filter on lot_id reaches stock_move_line through HISTORY_INDEX (the view has no aggregate or
    window that would stop PostgreSQL from pushing the filter down), so a serial with thousands of
    events reads only its own lines.
    """

    _name = "serial.history"
    _description = "Serial History"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "reference"

    lot_id = fields.Many2one("stock.lot", string="Serial", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    event_type = fields.Selection(SERIAL_EVENT_TYPES, string="Event", readonly=True)
    date = fields.Datetime(string="Date/Time", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    location_id = fields.Many2one("stock.location", string="From", readonly=True)
    location_dest_id = fields.Many2one("stock.location", string="To", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    move_line_id = fields.Many2one("stock.move.line", readonly=True)
    reference = fields.Char(readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    production_id = fields.Many2one("mrp.production", string="Manufacturing Order", readonly=True)
    scrap_id = fields.Many2one("stock.scrap", readonly=True)
    unbuild_id = fields.Many2one("mrp.unbuild", readonly=True)
    serial_warranty_end = fields.Date(related="lot_id.serial_warranty_end", string="Warranty End")

    @property
    def _table_query(self):
        return SQL(
            """SELECT sml.id AS id, sml.id AS move_line_id, sml.lot_id, sml.product_id, sml.company_id,
                      %(event_type)s AS event_type, sml.date, sml.quantity_product_uom AS quantity,
                      sml.location_id, sml.location_dest_id,
                      COALESCE(sp.partner_id, sm.partner_id) AS partner_id,
                      COALESCE(sml.reference, sm.reference) AS reference, sml.picking_id,
                      COALESCE(sm.production_id, sm.raw_material_production_id) AS production_id,
                      sm.scrap_id, COALESCE(sm.unbuild_id, sm.consume_unbuild_id) AS unbuild_id
                 FROM stock_move_line sml
                 JOIN stock_move sm ON sm.id = sml.move_id
                 JOIN stock_location src ON src.id = sml.location_id
                 JOIN stock_location dst ON dst.id = sml.location_dest_id
            LEFT JOIN stock_picking sp ON sp.id = sml.picking_id
                WHERE sml.state = 'done' AND sml.lot_id IS NOT NULL""",
            event_type=event_type_sql(),
        )

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON stock_move_line (lot_id, date) "
                "WHERE state = 'done' AND lot_id IS NOT NULL",
                SQL.identifier(HISTORY_INDEX),
            )
        )

    @api.model
    def _serial_document(self, record):
        """(model, id) of the document behind a history row: transfer, manufacturing order, scrap,
        unbuild, or the move itself (inventory adjustments have no document of their own)."""
        for field in ("picking_id", "production_id", "scrap_id", "unbuild_id"):
            if record[field]:
                return record[field]
        return record.move_line_id.move_id

    def action_open_document(self):
        self.ensure_one()
        document = self._serial_document(self)
        if not document:
            raise UserError(_("This event has no document to open."))
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "views": [(False, "form")],
            "target": "current",
        }
