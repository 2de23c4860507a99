from odoo import fields, models

from ..tools import search_index

FIND_LIMIT = 80  # lots looked at through the index; one match opens it, more open the Serial List


class SerialFindWizard(models.TransientModel):
    """Type a fragment of a serial, a product, a partner or a document number: one match opens the
    serial, several open the Serial List searched for it."""

    _name = "serial.find.wizard"
    _description = "Find Serial"

    term = fields.Char(required=True, help="3 characters or more of a serial, product, partner or document number.")

    def action_find(self):
        self.ensure_one()
        term = self.term.strip()
        lot_ids = search_index.find_lot_ids(self.env, term, FIND_LIMIT)
        lots = self.env["stock.lot"].search([("id", "in", lot_ids)])  # the user's record rules apply
        if len(lots) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "stock.lot",
                "res_id": lots.id,
                "view_mode": "form",
                "target": "current",
            }
        action = self.env["ir.actions.act_window"]._for_xml_id("serial_tracking.stock_lot_action_serial_list")
        action["context"] = {"search_default_serial_search": term}
        return action
