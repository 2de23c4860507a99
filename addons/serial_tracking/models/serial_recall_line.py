from odoo import fields, models

from .stock_lot import SERIAL_STATES


class SerialRecallLine(models.TransientModel):
    """One serial of a recall's answer, with where it is now and its last shipment to a customer."""

    _name = "serial.recall.line"
    _description = "Serial Recall Line"
    _order = "lot_name, id"

    recall_id = fields.Many2one("serial.recall", required=True, ondelete="cascade", index=True)
    lot_id = fields.Many2one("stock.lot", string="Serial", readonly=True, ondelete="cascade")
    lot_name = fields.Char(string="Serial Number", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    serial_state = fields.Selection(SERIAL_STATES, string="State", readonly=True)
    location_id = fields.Many2one("stock.location", string="Current Location", readonly=True)
    shipped_partner_id = fields.Many2one("res.partner", string="Shipped To", readonly=True)
    shipped_date = fields.Datetime(string="Shipped On", readonly=True)
