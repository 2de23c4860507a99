"""Serial -> barcode modules, with python-barcode as the encoder.

`encode(serial, symbology)` returns the module string of python-barcode's
build(): "1" a dark module, "0" a light one. The label renderers draw it
themselves, so one sheet can hold many barcodes.

A serial is refused (LabelError naming it) unless the barcode would read back as
exactly that serial: Code 39 upper-cases text and EAN-13 computes its own check
digit, so "sn-1" in Code 39 or a 12-digit EAN-13 would scan as something else.
"""

import re

import barcode
from barcode.errors import BarcodeError

from serial_core.errors import LabelError

_BARS = re.compile("1+")
SYMBOLOGIES = ("code128", "code39", "ean13")
_HINTS = {
    "code128": "Code 128 takes ASCII characters",
    "code39": "Code 39 takes A-Z, 0-9, space and - . $ / + %",
    "ean13": "EAN-13 takes 13 digits ending in a valid check digit",
}


def check_symbology(symbology):
    """The symbology name, lowercased; LabelError if it is not supported."""
    name = str(symbology).lower()
    if name not in SYMBOLOGIES:
        raise LabelError(f"unsupported symbology {symbology!r}; choose one of {', '.join(SYMBOLOGIES)}")
    return name


def encode(serial, symbology="code128"):
    """Module string ("1" dark, "0" light) of `serial`; LabelError when it cannot be encoded."""
    name = check_symbology(symbology)
    if not isinstance(serial, str) or not serial.strip():
        raise LabelError(f"serial {serial!r}: empty, nothing to encode")
    barcode_class = barcode.get_barcode_class(name)
    options = {"add_checksum": False} if name == "code39" else {}
    try:
        code = barcode_class(serial, **options)
        full_code = code.get_fullcode()
        modules = "".join(code.build())
    except (BarcodeError, KeyError, ValueError) as exc:
        # KeyError/ValueError: raised by some python-barcode versions on odd characters.
        raise LabelError(f"serial {serial!r} cannot be encoded as {name}: {_HINTS[name]} ({exc})") from None
    if full_code != serial:
        raise LabelError(
            f"serial {serial!r} cannot be encoded as {name}: it would scan as {full_code!r} ({_HINTS[name]})"
        )
    return modules


def bar_runs(modules):
    """(start, width) in modules of each dark bar of a module string."""
    return [(match.start(), match.end() - match.start()) for match in _BARS.finditer(modules)]
