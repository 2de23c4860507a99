import io

from odoo import http
from odoo.http import request

from ..tools.recall_export import write_recall_xlsx


class SerialRecallExport(http.Controller):
    @http.route("/serial_tracking/recall/<int:recall_id>/xlsx", type="http", auth="user", methods=["GET"])
    def serial_recall_xlsx(self, recall_id):
        recall = request.env["serial.recall"].browse(recall_id).exists()
        recall.check_access("read")  # a recall is its creator's only (record rule)
        states = dict(request.env["serial.recall.line"]._fields["serial_state"]._description_selection(request.env))
        output = io.BytesIO()
        write_recall_xlsx(request.env.cr, recall.id, states, output)
        filename = f"recall-{recall.lot_id.name}.xlsx".replace("/", "-")
        return request.make_response(
            output.getvalue(),
            [
                ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )
