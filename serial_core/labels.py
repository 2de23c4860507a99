"""Barcode label sheets: one SVG or one PDF for a list of serials.

Each label holds the barcode (serial_core.barcodes, Code 128 by default) above
the serial in plain text. Labels fill a grid of LabelLayout (by default A4 with
3 x 7 labels of 63.5 x 38.1 mm, the common L7160 sheet), row by row.

* SVG: one sheet, as tall as the grid needs. Each label is a
  <g class="label" data-serial="..."> holding a <g class="bars"> whose rects are
  in whole modules (scaled to millimetres by the group's transform), then a
  <text> with the serial.
* PDF (reportlab): A4 pages, as many as the labels need, in one document.

Bars are sized so the barcode fits the label with its quiet zones (10 modules
each side); a serial whose barcode would need modules thinner than
LabelLayout.min_module_mm is refused rather than printed unreadable.
Everything is rendered in memory first: a failure never leaves a partial file.
"""

import io
import math
import os
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from serial_core.atomic_files import write_bytes
from serial_core.barcodes import bar_runs, check_symbology, encode, gs1_serial_data, gs1_text
from serial_core.errors import LabelError

KINDS = ("svg", "pdf")
QUIET_ZONE_MODULES = 10
# Advance width of a monospace glyph (Courier in the PDF) as a fraction of the font size.
_GLYPH_WIDTH = 0.6
_POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class LabelLayout:
    """Page and label geometry in millimetres."""

    page_width: float = 210.0
    page_height: float = 297.0
    columns: int = 3
    rows: int = 7
    label_width: float = 63.5
    label_height: float = 38.1
    left_margin: float = 7.25
    top_margin: float = 15.15
    column_gap: float = 2.5
    row_gap: float = 0.0
    padding: float = 2.5
    text_size: float = 3.2
    max_module_mm: float = 0.5
    min_module_mm: float = 0.19

    @property
    def per_page(self):
        return self.columns * self.rows

    def pages(self, count):
        """Pages of a PDF holding `count` labels."""
        return max(1, math.ceil(count / self.per_page))

    def origin(self, slot):
        """Top-left corner of grid slot `slot` (0-based, row by row), from the page's top-left."""
        row, column = divmod(slot, self.columns)
        return (
            self.left_margin + column * (self.label_width + self.column_gap),
            self.top_margin + row * (self.label_height + self.row_gap),
        )


@dataclass(frozen=True)
class _Label:
    """One label's barcode, placed inside its label box (offsets from the box's top-left)."""

    serial: str
    text: str  # printed under the bars: the serial, or the GS1 element string
    runs: list
    module: float  # module width, mm
    bars_x: float  # left edge of the first module
    bars_y: float
    bars_height: float
    text_x: float
    text_y: float  # text baseline
    text_size: float  # font size, mm: shrunk so a long serial stays inside its label


def render_labels(serials, kind="svg", symbology="code128", layout=None, gtins=None):
    """The label sheet of `serials` as bytes; kind "svg" or "pdf".

    `gtins` (optional) maps a serial to its product's GTIN: that serial's label is GS1-128 with
    AI 01 (GTIN-14) and AI 21 (the serial), whatever `symbology` says for the others.

    LabelError on an empty list, an unknown kind or symbology, or a serial the
    symbology cannot encode or the label cannot fit (the message names it).
    """
    layout = layout or LabelLayout()
    kind = str(kind).lower()
    if kind not in KINDS:
        raise LabelError(f"unsupported label kind {kind!r}; choose svg or pdf")
    symbology = check_symbology(symbology)
    serials = list(serials)
    if not serials:
        raise LabelError("no serials to print")
    gtins = gtins or {}
    labels = [_place(serial, symbology, layout, gtins.get(serial)) for serial in serials]
    return _svg(labels, layout) if kind == "svg" else _pdf(labels, layout)


def write_labels(serials, path, symbology="code128", layout=None, *, tag=None, gtins=None):
    """Write the label sheet to `path` (kind from its .svg or .pdf extension);
    returns the number of labels. The file appears whole or not at all (`tag`: see
    atomic_files.temporary_path)."""
    path = os.fspath(path)
    kind = os.path.splitext(path)[1].lower().lstrip(".")
    if kind not in KINDS:
        raise LabelError(f"{path}: the output must end in .svg or .pdf")
    serials = list(serials)
    data = render_labels(serials, kind, symbology, layout, gtins)
    write_bytes(path, data, what="labels", tag=tag, error=LabelError)
    return len(serials)


def _place(serial, symbology, layout, gtin=None):
    text = serial
    if gtin:
        data = gs1_serial_data(gtin, serial)
        modules, text, symbology = encode(data, "gs1_128"), gs1_text(data), "gs1_128"
    else:
        modules = encode(serial, symbology)
    usable_width = layout.label_width - 2 * layout.padding
    # Whole micrometres, so the SVG's 3-decimal module width is exact.
    fitting = usable_width / (len(modules) + 2 * QUIET_ZONE_MODULES)
    module = math.floor(min(layout.max_module_mm, fitting) * 1000) / 1000
    if module < layout.min_module_mm:
        raise LabelError(
            f"serial {serial!r} is too long for a {layout.label_width:g} mm label in {symbology} "
            f"({len(modules)} modules would be {module:.3f} mm wide, "
            f"the minimum is {layout.min_module_mm:g} mm)"
        )
    text_gap = layout.text_size * 0.4
    bars_height = layout.label_height - 2 * layout.padding - layout.text_size - text_gap
    fitting_text = math.floor(usable_width / (_GLYPH_WIDTH * len(text)) * 1000) / 1000
    text_size = min(layout.text_size, fitting_text)
    return _Label(
        text_size=text_size,
        serial=serial,
        text=text,
        runs=bar_runs(modules),
        module=module,
        bars_x=(layout.label_width - len(modules) * module) / 2,
        bars_y=layout.padding,
        bars_height=bars_height,
        text_x=layout.label_width / 2,
        text_y=layout.label_height - layout.padding,
    )


def _mm(value):
    """Compact decimal text for an SVG length."""
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _svg(labels, layout):
    grid_rows = math.ceil(len(labels) / layout.columns)
    height = 2 * layout.top_margin + grid_rows * layout.label_height + (grid_rows - 1) * layout.row_gap
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_mm(layout.page_width)}mm" '
        f'height="{_mm(height)}mm" viewBox="0 0 {_mm(layout.page_width)} {_mm(height)}">\n',
    ]
    for slot, label in enumerate(labels):
        x, y = layout.origin(slot)
        bars = "".join(f'<rect x="{start}" width="{width}" height="1"/>' for start, width in label.runs)
        parts.append(
            f'<g class="label" data-serial={quoteattr(label.serial)} '
            f'transform="translate({_mm(x)},{_mm(y)})">'
            f'<g class="bars" transform="translate({_mm(label.bars_x)},{_mm(label.bars_y)}) '
            f'scale({_mm(label.module)},{_mm(label.bars_height)})">{bars}</g>'
            f'<text x="{_mm(label.text_x)}" y="{_mm(label.text_y)}" font-family="monospace" '
            f'font-size="{_mm(label.text_size)}" text-anchor="middle">'
            f"{escape(label.text)}</text>"
            "</g>\n"
        )
    parts.append("</svg>\n")
    return "".join(parts).encode("utf-8")


def _pdf(labels, layout):
    # Imported here: reportlab is only needed for PDF output.
    from reportlab.pdfgen import canvas

    mm = _POINTS_PER_MM
    buffer = io.BytesIO()
    page_size = (layout.page_width * mm, layout.page_height * mm)
    pdf = canvas.Canvas(buffer, pagesize=page_size, invariant=1)
    pdf.setTitle("Serial labels")
    for index, label in enumerate(labels):
        slot = index % layout.per_page
        if index and slot == 0:
            pdf.showPage()
        x, y = layout.origin(slot)
        # PDF y runs upwards from the page bottom; the layout measures down from the top.
        left = x * mm
        top = (layout.page_height - y) * mm
        bars = pdf.beginPath()
        bar_left = left + label.bars_x * mm
        bar_bottom = top - (label.bars_y + label.bars_height) * mm
        for start, width in label.runs:
            bars.rect(
                bar_left + start * label.module * mm, bar_bottom, width * label.module * mm, label.bars_height * mm
            )
        pdf.drawPath(bars, stroke=0, fill=1)
        pdf.setFont("Courier", label.text_size * mm)
        pdf.drawCentredString(left + label.text_x * mm, top - label.text_y * mm, label.text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
