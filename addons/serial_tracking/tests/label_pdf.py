"""Reads a label sheet PDF back: every barcode drawn on it, decoded (a scanner's view, for the tests)."""

import base64
import re
import zlib

from serial_core.barcodes import decode_code128

_STREAM = re.compile(rb"/Filter \[ /ASCII85Decode /FlateDecode \] /Length \d+\s*>>\s*stream\r?\n(.*?)endstream", re.S)
_RECT = re.compile(rb"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re")
# Bars of one barcode are at most 4 modules apart; labels are at least 2 x 10 quiet modules apart.
_MAX_GAP_MODULES = 5


def _page_contents(pdf):
    for match in _STREAM.finditer(pdf):
        data = match.group(1).strip()
        if data.endswith(b"~>"):
            data = data[:-2]
        yield zlib.decompress(base64.a85decode(data))


def read_barcodes(pdf):
    """[(text, gs1)] of every barcode on every page, in drawing order."""
    found = []
    for content in _page_contents(pdf):
        rows = {}
        for x, y, width, height in (map(float, rect.groups()) for rect in _RECT.finditer(content)):
            rows.setdefault((round(y, 2), round(height, 2)), []).append((x, width))
        for bars in rows.values():
            bars.sort()
            module = min(width for _x, width in bars)
            symbol = [bars[0]]
            for bar in bars[1:] + [None]:
                previous = symbol[-1]
                if bar is not None and bar[0] - (previous[0] + previous[1]) < _MAX_GAP_MODULES * module:
                    symbol.append(bar)
                    continue
                modules = ["0"] * round((previous[0] + previous[1] - symbol[0][0]) / module)
                for start, width in symbol:
                    first = round((start - symbol[0][0]) / module)
                    modules[first : first + round(width / module)] = ["1"] * round(width / module)
                found.append(decode_code128("".join(modules)))
                symbol = [bar]
    return found
