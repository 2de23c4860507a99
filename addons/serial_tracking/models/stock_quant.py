from odoo import models
from odoo.tools import float_compare


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_reserve_quantity(self, product_id, location_id, quantity, product_packaging_id=None, uom_id=None,
                              lot_id=None, package_id=None, owner_id=None, strict=False):
        # Reserving passes blocked serials by; unreserving (a negative quantity) still finds them.
        quants = self
        if float_compare(quantity, 0, precision_rounding=product_id.uom_id.rounding) > 0:
            quants = self.with_context(serial_skip_blocked=True)
        return super(StockQuant, quants)._get_reserve_quantity(
            product_id, location_id, quantity, product_packaging_id=product_packaging_id, uom_id=uom_id,
            lot_id=lot_id, package_id=package_id, owner_id=owner_id, strict=strict,
        )

    def _gather(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False, qty=0):
        quants = super()._gather(product_id, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id,
                                 strict=strict, qty=qty)
        if self.env.context.get("serial_skip_blocked"):
            quants = quants.filtered(lambda quant: not quant.lot_id.serial_blocked)
        return quants
