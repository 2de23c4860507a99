"""serial_core.labels and serial_core.barcodes: sheets that parse, bars that decode back."""

import re
import xml.etree.ElementTree as ElementTree

import barcode
import pytest

from serial_core.barcodes import bar_runs, decode_code128, encode, gs1_serial_data, gtin14
from serial_core.errors import LabelError
from serial_core.labels import LabelLayout, render_labels, write_labels

SVG = "{http://www.w3.org/2000/svg}"


def svg_labels(data):
    root = ElementTree.fromstring(data)
    return [group for group in root.iter(f"{SVG}g") if group.get("class") == "label"]


def modules_from_group(label_group):
    """Rebuild the module string from a label's bar rects (x and width are in modules)."""
    bars = next(group for group in label_group.iter(f"{SVG}g") if group.get("class") == "bars")
    rects = [(int(rect.get("x")), int(rect.get("width"))) for rect in bars.iter(f"{SVG}rect")]
    length = max(start + width for start, width in rects)
    modules = ["0"] * length
    for start, width in rects:
        modules[start : start + width] = ["1"] * width
    return "".join(modules)


def pdf_page_count(data):
    return int(re.search(rb"/Count (\d+)", data).group(1))


def test_svg_one_group_per_serial_with_text():
    serials = ["SN-0001", "SN-0002", "A&B<1>", "SN-0001"]
    root_labels = svg_labels(render_labels(serials, "svg"))
    assert [group.get("data-serial") for group in root_labels] == serials
    texts = [group.find(f"{SVG}text").text for group in root_labels]
    assert texts == serials


@pytest.mark.parametrize(
    "serial, symbology",
    [
        ("SN-0001", "code128"),
        ("lot 42/b", "code128"),
        ("1234567890", "code128"),
        ("SN-0001", "code39"),
        ("5901234123457", "ean13"),
    ],
)
def test_svg_bars_decode_back_to_python_barcode_build(serial, symbology):
    group = svg_labels(render_labels([serial], "svg", symbology=symbology))[0]
    expected = "".join(
        barcode.get_barcode_class(symbology)(
            serial, **({"add_checksum": False} if symbology == "code39" else {})
        ).build()
    )
    # Trailing light modules draw nothing; compare up to the last bar.
    assert modules_from_group(group) == expected.rstrip("0")
    assert encode(serial, symbology) == expected


def test_bars_fit_inside_the_label_with_quiet_zones():
    layout = LabelLayout()
    data = render_labels(["SN-0000000001"], "svg", layout=layout).decode()
    translate_x, module = re.search(
        r'class="bars" transform="translate\(([\d.]+),[\d.]+\) scale\(([\d.]+),', data
    ).groups()
    width = len(encode("SN-0000000001")) * float(module)
    assert float(translate_x) >= layout.padding + 10 * float(module) - 1e-9
    assert float(translate_x) + width <= layout.label_width - layout.padding - 10 * float(module) + 1e-9


def test_bar_runs():
    assert bar_runs("0110111001") == [(1, 2), (4, 3), (9, 1)]
    assert bar_runs("000") == []


def test_pdf_starts_with_header_and_pages_grow():
    layout = LabelLayout()
    one_page = render_labels([f"SN-{i:04d}" for i in range(layout.per_page)], "pdf")
    two_pages = render_labels([f"SN-{i:04d}" for i in range(layout.per_page + 1)], "pdf")
    three_pages = render_labels([f"SN-{i:04d}" for i in range(2 * layout.per_page + 5)], "pdf")
    assert one_page.startswith(b"%PDF")
    assert [pdf_page_count(data) for data in (one_page, two_pages, three_pages)] == [1, 2, 3]
    assert len(re.findall(rb"/Type /Page\b(?!s)", three_pages)) == 3


@pytest.mark.parametrize(
    "serial, symbology, reason",
    [
        ("sn-1", "code39", "would scan as 'SN-1'"),
        ("590123412345", "ean13", "would scan as '5901234123457'"),
        ("5901234123458", "ean13", "would scan as '5901234123457'"),
        ("59012341234X7", "ean13", "EAN-13 takes 13 digits"),
        ("SN-é", "code128", "Code 128 takes ASCII"),
        ("   ", "code128", "empty"),
    ],
)
def test_invalid_serial_names_it(serial, symbology, reason):
    with pytest.raises(LabelError, match=re.escape(f"serial {serial!r}")) as caught:
        render_labels(["OK1", serial] if symbology != "ean13" else ["5901234123457", serial], "svg", symbology)
    assert reason in str(caught.value)


def test_too_long_serial_is_refused_not_squeezed():
    with pytest.raises(LabelError, match=r"serial 'X{60}' is too long for a 63.5 mm label"):
        render_labels(["X" * 60], "pdf")


def test_empty_list_unknown_kind_and_symbology():
    with pytest.raises(LabelError, match="no serials to print"):
        render_labels([], "svg")
    with pytest.raises(LabelError, match="unsupported label kind 'png'"):
        render_labels(["SN-1"], "png")
    with pytest.raises(LabelError, match="unsupported symbology 'qr'"):
        render_labels(["SN-1"], "svg", symbology="qr")


def test_write_labels_by_extension_and_nothing_partial(tmp_path):
    assert write_labels(["SN-1", "SN-2"], tmp_path / "l.svg") == 2
    assert len(svg_labels((tmp_path / "l.svg").read_bytes())) == 2
    write_labels(["SN-1"], tmp_path / "l.PDF")
    assert (tmp_path / "l.PDF").read_bytes().startswith(b"%PDF")
    with pytest.raises(LabelError, match=r"l\.png: the output must end in \.svg or \.pdf"):
        write_labels(["SN-1"], tmp_path / "l.png")
    with pytest.raises(LabelError, match="sn-1"):
        write_labels(["SN-1", "sn-1"], tmp_path / "bad.svg", symbology="code39")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["l.PDF", "l.svg"]
    with pytest.raises(LabelError, match="cannot write"):
        write_labels(["SN-1"], tmp_path / "missing" / "l.svg")


def test_long_serial_text_shrinks_to_stay_inside_its_label():
    layout = LabelLayout()
    serials = ["SN-1", "1234567890" * 4]  # 40 digits: Code 128 set C keeps the bars short
    groups = svg_labels(render_labels(serials, "svg", layout=layout))
    sizes = [float(group.find(f"{SVG}text").get("font-size")) for group in groups]
    assert sizes[0] == layout.text_size
    assert sizes[1] < layout.text_size
    assert 0.6 * sizes[1] * len(serials[1]) <= layout.label_width - 2 * layout.padding + 1e-3


@pytest.mark.parametrize(
    "serial, symbology",
    [
        ("SN-0001", "code128"),
        ("lot 42/b", "code128"),
        ("1234567890", "code128"),
        ("a1B2c3", "code128"),
    ],
)
def test_code128_labels_scan_back_to_the_serial(serial, symbology):
    group = svg_labels(render_labels([serial], "svg", symbology=symbology))[0]
    assert decode_code128(modules_from_group(group)) == (serial, False)


def test_gs1_label_carries_gtin_and_serial():
    data = render_labels(["SN-0001", "PLAIN-1"], "svg", gtins={"SN-0001": "9506000134352"})
    gs1_label, plain_label = svg_labels(data)
    # GTIN-13 padded to the 14 digits of AI 01; AI 21 last, so no FNC1 separator after it.
    assert decode_code128(modules_from_group(gs1_label)) == ("0109506000134352" + "21SN-0001", True)
    assert gs1_label.find(f"{SVG}text").text == "(01)09506000134352(21)SN-0001"
    assert gs1_label.get("data-serial") == "SN-0001"
    assert decode_code128(modules_from_group(plain_label)) == ("PLAIN-1", False)


@pytest.mark.parametrize(
    "gtin, serial, message",
    [
        ("9506000134353", "SN-1", "wrong check digit"),
        ("95060001343", "SN-1", "8, 12, 13 or 14 digits"),
        ("9506000134352", "SN 1", "'SN 1' cannot be encoded as GS1-128"),
        ("9506000134352", "S" * 21, "cannot be encoded as GS1-128"),
    ],
)
def test_gs1_refuses_what_it_cannot_carry(gtin, serial, message):
    with pytest.raises(LabelError, match=re.escape(message)):
        gs1_serial_data(gtin, serial)


def test_gtin14_pads_shorter_gtins():
    assert gtin14("96385074") == "00000096385074"
    assert gtin14("09506000134352") == "09506000134352"


def test_decode_refuses_damaged_bars():
    modules = encode("SN-0001", "code128")
    flipped = modules[:30] + ("0" if modules[30] == "1" else "1") + modules[31:]
    with pytest.raises(LabelError):
        decode_code128(flipped)
