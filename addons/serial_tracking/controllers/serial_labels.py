from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from serial_core.errors import LabelError
from serial_core.labels import render_labels

from ..tools.labels import LABEL_SOURCES, serial_label_gtins


class SerialLabelController(http.Controller):
    @http.route("/serial_tracking/labels/<string:model>/<string:ids>", type="http", auth="user", methods=["GET"])
    def serial_labels(self, model, ids):
        """A PDF sheet of barcode labels for the serials of the records (serials, transfers, manufacturing
        orders): Code 128, or GS1-128 (01 + 21) for products whose barcode is a GTIN."""
        if model not in LABEL_SOURCES:
            raise NotFound()
        try:
            record_ids = [int(part) for part in ids.split(",")]
        except ValueError:
            raise NotFound() from None
        records = request.env[model].browse(record_ids).exists()
        records.check_access("read")
        lots = records._serial_label_lots()
        names = lots.mapped("name")
        try:
            pdf = render_labels(names, "pdf", gtins=serial_label_gtins(lots))
        except LabelError as error:
            return request.make_response(str(error), [("Content-Type", "text/plain; charset=utf-8")], status=422)
        filename = f"serial-labels-{records[:1].display_name or 'serials'}.pdf".replace("/", "-")
        return request.make_response(
            pdf,
            [
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )
