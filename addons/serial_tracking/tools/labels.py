"""Barcode labels of serials: which records print them and which products carry a GTIN."""

from odoo.exceptions import UserError

from serial_core.barcodes import gtin14
from serial_core.errors import LabelError

# Models whose records print their serials' labels (each defines _serial_label_lots and
# action_serial_print_labels).
LABEL_SOURCES = ("stock.lot", "stock.picking", "mrp.production")


def serial_label_gtins(lots):
    """{serial: GTIN} for the lots whose product's barcode is a valid GTIN (8, 12, 13 or 14 digits)."""
    gtins = {}
    for lot in lots:
        barcode = lot.product_id.barcode
        if not barcode:
            continue
        try:
            gtins[lot.name] = gtin14(barcode)
        except LabelError:
            continue  # an internal barcode, not a GTIN: the label is plain Code 128
    return gtins


def serial_labels_action(records, lots):
    """The download of the label sheet of ``records`` (a recordset of LABEL_SOURCES) whose serials are
    ``lots``; a UserError when there are none."""
    if not lots:
        raise UserError(records.env._("There are no serial numbers to print labels for."))
    return {
        "type": "ir.actions.act_url",
        "url": f"/serial_tracking/labels/{records._name}/{','.join(str(i) for i in records.ids)}",
        "target": "download",
    }
