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
SYMBOLOGIES = ("code128", "code39", "ean13", "gs1_128")
_HINTS = {
    "code128": "Code 128 takes ASCII characters",
    "gs1_128": "GS1-128 takes a GS1 element string such as (01) GTIN + (21) serial",
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
    barcode_class = barcode.get_barcode_class(name)  # gs1_128: Code 128 starting with FNC1
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


# GS1 AI 21 (serial number): up to 20 characters of GS1's "character set 82".
_GS1_SERIAL = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}")


def gtin14(gtin):
    """The GTIN as the 14 digits of AI 01 (GTIN-8/12/13 padded with leading zeros); LabelError
    unless it is 8, 12, 13 or 14 digits ending in a valid GS1 check digit."""
    text = str(gtin or "").strip()
    if not text.isdigit() or len(text) not in (8, 12, 13, 14):
        raise LabelError(f"GTIN {gtin!r}: a GTIN is 8, 12, 13 or 14 digits")
    digits = text.rjust(14, "0")
    # GS1 check digit: weights 3, 1, 3, ... from the rightmost data digit.
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    if (10 - total % 10) % 10 != int(digits[-1]):
        raise LabelError(f"GTIN {gtin!r}: wrong check digit")
    return digits


def gs1_serial_data(gtin, serial):
    """The GS1 element string (01) GTIN-14 (21) serial, as encoded in a GS1-128 barcode; LabelError
    naming the serial when GS1 cannot carry it (AI 21 holds up to 20 characters of GS1's set 82)."""
    if not isinstance(serial, str) or not _GS1_SERIAL.fullmatch(serial):
        raise LabelError(
            f"serial {serial!r} cannot be encoded as GS1-128 (21): up to 20 letters, digits or !\"%&'()*+,-./:;<=>?_"
        )
    # AI 21 is variable length and comes last, so no FNC1 separator is needed after it.
    return f"01{gtin14(gtin)}21{serial}"


def gs1_text(data):
    """Human-readable form of gs1_serial_data's string: (01)09506000134352(21)SN-1."""
    return f"(01){data[2:16]}(21){data[18:]}"


_CODE128_STOP = "1100011101011"
_CODE128_START = {103: "A", 104: "B", 105: "C"}
_FNC1 = 102


def decode_code128(modules):
    """Read a Code 128 module string back: (text, gs1). ``gs1`` is True when the symbol starts with
    FNC1 (GS1-128); a later FNC1 reads as the GS separator "\\x1d". LabelError when the modules are not
    a valid Code 128 symbol (unknown pattern, bad check symbol, no stop)."""
    from barcode.charsets.code128 import CODES  # the standard's 107 bar patterns, by symbol value

    patterns = {pattern: value for value, pattern in enumerate(CODES)}
    body = modules.strip("0")
    if not body.endswith(_CODE128_STOP) or (len(body) - len(_CODE128_STOP)) % 11:
        raise LabelError("not a Code 128 symbol: no stop pattern where one belongs")
    values = []
    for start in range(0, len(body) - len(_CODE128_STOP), 11):
        value = patterns.get(body[start : start + 11])
        if value is None:
            raise LabelError(f"not a Code 128 symbol: unknown pattern at module {start}")
        values.append(value)
    if len(values) < 2 or values[0] not in _CODE128_START:
        raise LabelError("not a Code 128 symbol: no start symbol")
    *data, check = values
    if (data[0] + sum(position * value for position, value in enumerate(data[1:], 1))) % 103 != check:
        raise LabelError("Code 128 check symbol does not match")
    code_set, text, gs1 = _CODE128_START[data[0]], [], False
    for position, value in enumerate(data[1:]):
        if value == _FNC1:
            if position == 0:
                gs1 = True
            else:
                text.append("\x1d")
        elif code_set == "C" and value < 100:
            text.append(f"{value:02d}")
        elif code_set != "C" and value < 96:
            text.append(chr(value + 32) if code_set == "B" or value < 64 else chr(value - 64))
        elif value in (99, 100, 101):
            switch = {99: "C", 100: "B", 101: "A"}[value]
            # In set C, 100 is CODE B and 101 CODE A; in A/B, 100 and 101 are FNC4/CODE A, CODE B/FNC4.
            if code_set == "A" and value == 101 or code_set == "B" and value == 100:
                raise LabelError("Code 128 FNC4 (extended characters) is not supported")
            code_set = switch
        else:
            raise LabelError(f"Code 128 symbol value {value} is not supported here")
    return "".join(text), gs1
