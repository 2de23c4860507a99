"""Rows of a .csv or .txt file: text decoding and csv delimiter detection.

Decoding: a UTF-8 or UTF-16 byte-order mark decides; without one the text is
UTF-8 when it decodes as such, else Windows-1252 (what Excel writes on Windows),
else Latin-1. A NUL character means the file is not text (or UTF-16 without a
BOM) and is refused rather than read as garbage.

Delimiter detection (csv): a first line "sep=X" (Excel's hint) names it. Else each
candidate of DELIMITERS splits the first SAMPLE_LINES non-empty lines (quotes
respected); the winner is the candidate whose most common field count is above 1
on the most lines, earlier candidates winning ties. When none splits the lines,
every line is one cell (a one-column csv).

A .txt is one serial a line, unless tabs split its lines by the same rule: then
it is read as tab-separated (Excel's "Unicode Text" export), so a column can be
chosen.

Rows are (row_number, cells) pairs; row_number is the 1-based line where the
record starts, as a text editor shows it.
"""

import codecs
import csv
import io
import re
from collections import Counter

from serial_core.errors import ReadError

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_LINES = 50
# Used when no delimiter splits the sample: NUL never occurs in accepted text.
_NO_DELIMITER = "\x00"
_SEPARATOR_HINT = re.compile(r'"?sep=(.)"?(?:\r\n|\n|\r)')
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data, source):
    """Decode file bytes as described in the module docstring; ReadError on binary content."""
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(f"{source}: not valid {encoding} text ({exc.reason})") from None
            break
    if text is None:
        for encoding in ("utf-8", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    nul = text.find("\x00")
    if nul >= 0:
        row = text.count("\n", 0, nul) + 1
        raise ReadError(f"{source}: row {row}: NUL character, this is not a text file")
    return text


def text_lines(text):
    """Split text into lines on \\n, \\r\\n or \\r only (str.splitlines also splits on
    form feeds and other rarities, which would shift row numbers)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line, it does not start a new one
    return lines


def txt_rows(text, source):
    """One cell per line, or tab-separated cells when tabs split the lines."""
    if "\t" in text and detect_delimiter(text, ("\t",)):
        return csv_rows(text, source, ("\t",))
    return ((number, (line,)) for number, line in enumerate(text_lines(text), 1))


def detect_delimiter(text, candidates=DELIMITERS):
    """The delimiter of a csv text, or None when no candidate splits its lines."""
    sample = []
    for line in text_lines(text[: 1 << 16]):
        if line.strip():
            sample.append(line)
            if len(sample) == SAMPLE_LINES:
                break
    best, best_lines = None, 0
    for delimiter in candidates:
        counts = Counter(len(fields) for fields in csv.reader(sample, delimiter=delimiter))
        if not counts:
            continue
        fields, lines = counts.most_common(1)[0]
        if fields > 1 and lines > best_lines:
            best, best_lines = delimiter, lines
    return best


def csv_rows(text, source, candidates=DELIMITERS):
    """(row_number, cells) for each csv record; ReadError naming the row on a csv error."""
    hint = _SEPARATOR_HINT.match(text)
    if hint:
        yield 1, []  # the hint line is a row of the file, without cells
        delimiter, text, first_line = hint.group(1), text[hint.end() :], 2
    else:
        delimiter, first_line = detect_delimiter(text, candidates) or _NO_DELIMITER, 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next_line = first_line
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ReadError(f"{source}: row {next_line}: {exc}") from None
        yield next_line, cells
        next_line = first_line + reader.line_num
