from odoo import _, api, fields, models


class SerialWarrantyLookup(models.TransientModel):
    """Type or scan a serial: is it still under warranty?"""

    _name = "serial.warranty.lookup"
    _description = "Serial Warranty Lookup"

    serial = fields.Char(required=True)
    lot_ids = fields.Many2many("stock.lot", compute="_compute_answer", string="Serials Found")
    answer = fields.Text(compute="_compute_answer")

    @api.depends("serial")
    def _compute_answer(self):
        for lookup in self:
            name = (lookup.serial or "").strip()
            lots = self.env["stock.lot"].search([("name", "=", name)]) if name else self.env["stock.lot"]
            lookup.lot_ids = lots
            if not name:
                lookup.answer = False
            elif not lots:
                lookup.answer = _("No serial %(serial)s.", serial=name)
            else:
                lookup.answer = "\n".join(
                    self.env._(
                        "%(serial)s (%(product)s): %(status)s",
                        serial=lot.name,
                        product=lot.product_id.display_name,
                        status=lot.serial_warranty_status,
                    )
                    for lot in lots
                )
