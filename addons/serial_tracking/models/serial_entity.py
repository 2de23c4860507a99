from odoo import _, api, fields, models

ENTITY_STATES = [("in_stock", "In stock"), ("sold", "Sold"), ("delivered", "Delivered")]


class SerialEntity(models.Model):
    """One individual item (e.g. one car) known by its serial: its model, where it is, who has it and
    the orders and transfers that moved it. One entity per serial, reused by every later document."""

    _name = "serial.entity"
    _description = "Serial Entity"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number", required=True, ondelete="restrict", index=True)
    product_id = fields.Many2one(related="lot_id.product_id", store=True, index=True)
    model_id = fields.Many2one("serial.entity.model", ondelete="restrict")
    parameter_name = fields.Char(
        "Serial Parameter",
        default=lambda self: _("Serial number"),
        help="Under which name the serial is recorded on this item, e.g. Chassis number.",
    )
    parameter_value = fields.Char(related="lot_id.name", string="Serial")
    partner_id = fields.Many2one("res.partner", string="Current Partner", tracking=True)
    location_id = fields.Many2one("stock.location", string="Current Location", tracking=True)
    state = fields.Selection(ENTITY_STATES, default="in_stock", required=True, tracking=True)
    sale_line_ids = fields.Many2many(
        "sale.order.line", "serial_entity_sale_line_rel", "entity_id", "line_id", string="Sale Order Lines", copy=False
    )
    purchase_line_ids = fields.Many2many(
        "purchase.order.line",
        "serial_entity_purchase_line_rel",
        "entity_id",
        "line_id",
        string="Purchase Order Lines",
        copy=False,
    )
    picking_ids = fields.Many2many(
        "stock.picking", "serial_entity_picking_rel", "entity_id", "picking_id", string="Transfers", copy=False
    )
    company_id = fields.Many2one(related="lot_id.company_id", store=True)

    _sql_constraints = [
        ("lot_uniq", "unique(lot_id)", "A serial number belongs to one entity only."),
    ]

    @api.model
    def _serial_entities_for(self, lots):
        """The entity of each lot (by lot), creating the missing ones: never two for one serial."""
        existing = {entity.lot_id: entity for entity in self.sudo().search([("lot_id", "in", lots.ids)])}
        missing = lots.filtered(lambda lot: lot not in existing)
        created = self.sudo().create(
            [
                {
                    "name": f"{lot.product_id.serial_entity_model_id.display_name or lot.product_id.name} {lot.name}",
                    "lot_id": lot.id,
                    "model_id": lot.product_id.serial_entity_model_id.id,
                    "parameter_name": lot.product_id.serial_entity_parameter or self.env._("Serial number"),
                }
                for lot in missing
            ]
        )
        existing.update({entity.lot_id: entity for entity in created})
        return existing
