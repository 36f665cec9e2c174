"""Sheets with a stray cell far to the right (a note typed into column XFD, a value pasted off
to the side): read without the grid of empty cells between the table and the stray cell.

python-calamine builds a sheet as one dense grid spanning every cell that holds a value: one
stray cell in XFD1 of a 10,000-row file is 10,001 × 16,384 cells (gigabytes) before a single
row reaches Python. So for such a sheet (a cell in column DY or beyond, `reaches_far`) the
reader hands calamine two edited copies of the sheet's XML instead of the sheet itself:

1. `first_rows`: the rows at the top, every column but with the empty columns closed up — to
   find the header and to name every header cell, wherever it stands;
2. `columns_before`: every row, the columns up to the header's last import column — the data.

Rows keep their numbers (their `r` attributes are left alone); the data keeps its columns (only
cells after the last import column are dropped) and the header rows' closed-up columns are
mapped back, so every row and column number in a message stays the one Excel shows. xlsx/xlsm
only: an .xls sheet has at most 256 columns.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Final

from app.services.importing.problem_cells import holds_values

# A cell reference in column DY (0-based 128) or beyond: DY–DZ, EA–ZZ, three letters. Searched
# for in the sheet data, where only <row r="7"> (digits) and <c r="B7"> have an attribute r=.
_FAR_REF: Final = re.compile(rb"""r=["'](?:[A-Z]{3}|[E-Z][A-Z]|D[Y-Z])[0-9]""")
_SHEET_DATA: Final = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")
_SHEET_DATA_END: Final = re.compile(rb"</(?:\w+:)?sheetData>")
_ROW: Final = re.compile(rb"<(?:\w+:)?row\b[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.DOTALL)
# A cell with a reference: the reference's column letters in group 1.
_CELL: Final = re.compile(
    rb"""<(?:\w+:)?c\b[^>]*?\br=["']([A-Z]{1,3})[0-9]+["'][^>]*?(?:/>|>.*?</(?:\w+:)?c>)""",
    re.DOTALL,
)
_ANY_CELL: Final = re.compile(rb"<(?:\w+:)?c\b")


def _sheet_data(xml: bytes) -> tuple[int, int] | None:
    """(start, end) of the sheet data's content; None when there is none."""
    start = _SHEET_DATA.search(xml)
    if start is None or start.group(1):  # <sheetData/>: an empty sheet
        return None
    # its end tag, looked for from the end: the sheet data is nearly all of a sheet's XML
    tail = xml.rfind(b"sheetData>")
    end = _SHEET_DATA_END.match(xml, xml.rfind(b"<", start.end(), tail))
    return (start.end(), end.start()) if end and end.end() == tail + 10 else None


def reaches_far(xml: bytes) -> bool:
    """Whether any cell of the sheet stands in column DY (the 129th) or beyond."""
    span = _sheet_data(xml)
    return span is not None and _FAR_REF.search(xml, *span) is not None


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _letters(index: int) -> bytes:
    """Column letters of a 0-based column index (0 → A, 26 → AA)."""
    out = b""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = bytes([65 + rest]) + out
    return out


def first_rows(xml: bytes, count: int) -> tuple[bytes, bool, list[int] | None]:
    """The sheet cut after its `count`-th row that holds a value (rows in between kept), with its
    columns closed up: (XML, whether that is the whole sheet, the columns used).

    Column i of the returned sheet is column `used[i]` of the file: the cells keep their order
    and rows their numbers, but the empty columns between them are gone, so that a stray cell
    far away costs one column, not thousands. `used` is None when the columns are left as they
    are: some cell has no reference, its column is the one after the cell before it."""
    span = _sheet_data(xml)
    if span is None:
        return xml, True, None
    start, end = span
    cut, complete, seen = end, True, 0
    for row in _ROW.finditer(xml, start, end):
        if not holds_values(row.group()):
            continue
        if seen == count:  # a row with a value beyond the window: cut before it
            cut, complete = row.start(), False
            break
        seen += 1
    body = xml[start:cut]
    cells = [_column(cell.group(1)) for cell in _CELL.finditer(body)]
    if len(cells) != len(_ANY_CELL.findall(body)):
        return xml[:cut] + xml[end:], complete, None
    used = sorted(set(cells))
    rank = {column: _letters(i) for i, column in enumerate(used)}

    def close_up(cell: re.Match[bytes]) -> bytes:
        text, at = cell.group(), cell.start(1) - cell.start()
        return text[:at] + rank[_column(cell.group(1))] + text[cell.end(1) - cell.start() :]

    return xml[:start] + _CELL.sub(close_up, body) + xml[end:], complete, used


def columns_before(xml: bytes, limit: int) -> bytes:
    """The sheet without the cells in column `limit` (0-based) and beyond.

    A cell without a reference (the format allows it; it follows the cell before) is kept: it
    cannot be far, its row would have to spell out every cell up to it."""
    span = _sheet_data(xml)
    if span is None:
        return xml
    start, end = span

    def keep(cell: re.Match[bytes]) -> bytes:
        return b"" if _column(cell.group(1)) >= limit else cell.group()

    return xml[:start] + _CELL.sub(keep, xml[start:end]) + xml[end:]


def workbook_with(path: Path, part: str, xml: bytes) -> io.BytesIO:
    """An in-memory copy of the workbook at `path` with the zip member `part` replaced by `xml`
    (stored uncompressed: it is read once, straight away)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            if not info.is_dir():
                dst.writestr(info.filename, xml if info.filename == part else src.read(info))
    out.seek(0)
    return out
