from odoo import models

from ..tools.labels import serial_labels_action


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def _serial_label_lots(self):
        """The finished serials: produced (done lines) or being produced (lot_producing_id)."""
        lots = self.move_finished_ids.move_line_ids.lot_id | self.lot_producing_id
        return lots.filtered(lambda lot: lot.product_id.tracking == "serial")

    def action_serial_print_labels(self):
        return serial_labels_action(self, self._serial_label_lots())
