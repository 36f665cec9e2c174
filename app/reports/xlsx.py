"""Writing xlsx tables safely: user text stays text (no formula injection), streamed (write-only).

Every sheet is also a printable form (the filing tables of 000 附件1 四 are handed in on paper):
caption lines merged across the table, the header frozen below them, thin borders round every
cell of the table, long text wrapped in its column, A4 (landscape when the table is wider than
portrait holds), fitted to one page wide (as many pages tall as needed), the header row repeated
on every printed page and the page number in the footer. `PrintLayout` changes that per sheet.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from app.output_file import atomic_output

FORMULA_PREFIXES = ("=", "+", "-", "@")
# Column.number_format for text that must never become a number (ID numbers)
TEXT_FORMAT: Final = "@"
_HEADER_FONT = Font(bold=True)
_CAPTION_FONT = Font(bold=True, size=14)
_SUBCAPTION_FONT = Font(bold=True, size=11)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_CAPTION_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="center", wrap_text=True)
_MIDDLE = Alignment(vertical="center")
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# About what fits across A4 portrait inside the margins below, in column-width units (one Latin
# character; a Chinese character takes two). A wider table prints landscape; whatever is still
# too wide is shrunk by fit-to-width.
PORTRAIT_MAX_WIDTH: Final = 100
_PAGE_FOOTER: Final = "第 &P 页，共 &N 页"
# Estimating wrapped rows' heights: width units per character (a "0" is one), the padding inside
# a cell, and the line height as a multiple of the font size (CJK fonts are tall).
_WIDE, _NARROW, _CELL_PADDING, _LINE_SPACING = 2.1, 1.0, 0.5, 1.35


@dataclass
class Column:
    title: str
    width: float = 14
    number_format: str | None = None  # e.g. "yyyy-mm-dd", "0.0", TEXT_FORMAT


@dataclass(frozen=True)
class PrintLayout:
    """How a sheet prints. The default suits every table of the app; change it per sheet."""

    orientation: Literal["auto", "portrait", "landscape"] = "auto"  # auto: by the table's width
    fit_to_width: bool = True  # one page wide, as many pages tall as the rows need
    borders: bool = True  # thin borders round the header and every row cell
    wrap_text: bool = True  # long text wraps in its column (the row grows) instead of spilling


# A data file another system reads (e.g. the 附件5 certificate table): still A4, fitted and
# frozen, but no per-cell styles, which is as fast as bare openpyxl (styled cells take ~1.7x).
DATA_ONLY: Final = PrintLayout(borders=False, wrap_text=False)


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    title_rows: list[str] = field(default_factory=list)  # merged caption lines above the header
    layout: PrintLayout = field(default_factory=PrintLayout)


def xml_safe(value: str) -> str:
    """The text with control characters an xlsx cannot hold (e.g. a pasted vertical tab) shown as
    "�": one such character in a stored record must not make a whole export fail."""
    return (
        ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if ILLEGAL_CHARACTERS_RE.search(value) else value
    )


def text_cell(ws: Worksheet, value: str) -> WriteOnlyCell:
    """A cell that Excel, WPS and LibreOffice show as the text itself, never as a formula."""
    cell = WriteOnlyCell(ws, value=xml_safe(value))
    cell.data_type = "s"  # openpyxl would otherwise treat a leading '=' as a formula
    cell.quotePrefix = True  # and Excel keeps it text when somebody edits the cell
    return cell


def _not_plain_text(value: str) -> bool:
    """Text openpyxl would not write as text: a formula (= + - @) or an error code (#N/A)."""
    return value.startswith(FORMULA_PREFIXES) or value in ERROR_CODES


def cell_for(ws: Worksheet, value: Any, column: Column | None = None) -> WriteOnlyCell | Any:
    """An unstyled value or cell for `value` (None for nothing)."""
    if value is None:
        return None
    if isinstance(value, str):
        # Plain strings are written as text by openpyxl; a leading = + - @ or an error code
        # ("#N/A" typed as somebody's employer) needs forcing.
        if _not_plain_text(value):
            cell = text_cell(ws, value)
        elif column and column.number_format:
            cell = WriteOnlyCell(ws, value=xml_safe(value))
        else:
            return xml_safe(value)
        if column and column.number_format:
            cell.number_format = column.number_format
        return cell
    cell = WriteOnlyCell(ws, value=float(value) if isinstance(value, Decimal) else value)
    if column and column.number_format:
        cell.number_format = column.number_format
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Stream the sheets to `path` (written to a temporary file first, then moved into place)."""
    path = Path(path)
    with atomic_output(path) as tmp:
        wb = Workbook(write_only=True)
        for spec in sheets:
            _write_sheet(wb, spec)
        wb.save(tmp)
    return path


def display_width(text: str) -> float:
    """About how many column-width units (the width of a "0") `text` takes on one line: a
    Chinese or full-width character about two, a Latin one about one. Counted from the UTF-8
    length (a CJK character is three bytes, ASCII one), which is fast on a long export and errs
    on the wide side for the rare other character."""
    extra = (len(text.encode("utf-8", "surrogatepass")) - len(text)) / 2
    return len(text) * _NARROW + extra * (_WIDE - _NARROW)


def text_lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` units wide (explicit breaks count)."""
    usable = max(width - _CELL_PADDING, 1.0)
    if len(text) * _WIDE <= usable and "\n" not in text:
        return 1  # the common short cell: no need to measure it
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def table_width(columns: Sequence[Column]) -> float:
    return sum(c.width for c in columns)


def _write_sheet(wb: Workbook, spec: Sheet) -> None:
    ws = wb.create_sheet(title=spec.title[:31])
    columns = list(spec.columns)
    layout = spec.layout
    header_row = len(spec.title_rows) + 1
    # Write-only: the sheet's head (properties, views, column widths) is streamed with the first
    # row, so everything that goes there is set before any row is appended.
    for i, col in enumerate(columns):
        ws.column_dimensions[get_column_letter(i + 1)].width = col.width
    ws.freeze_panes = f"A{header_row + 1}"
    _page_setup(ws, columns, layout, header_row)
    for r, caption in enumerate(spec.title_rows, start=1):
        _append_caption(ws, caption, r, columns)
    header = [_header_cell(ws, col, layout) for col in columns]
    _append(ws, header_row, header, max((text_lines(c.title, c.width) for c in columns), default=1))
    styles = _RowStyles(ws, columns, layout)
    for r, row in enumerate(spec.rows, start=header_row + 1):
        cells, lines = styles.cells(row)
        _append(ws, r, cells, lines)


def _append(ws: Worksheet, row: int, cells: list[Any], lines: int, size: float = 11) -> None:
    """Append row `row`, as tall as `lines` lines of text. Wrapped text does not make a row
    taller by itself everywhere (LibreOffice keeps the default height when it opens the file),
    so a row of more than one line gets its height written."""
    if lines > 1:
        ws.row_dimensions[row].height = round(lines * size * _LINE_SPACING + 3, 1)
    ws.append(cells)
    if lines > 1:
        del ws.row_dimensions[row]  # written with the row: do not keep one per row in memory


def _page_setup(
    ws: Worksheet, columns: Sequence[Column], layout: PrintLayout, header_row: int
) -> None:
    orientation = layout.orientation
    if orientation == "auto":
        orientation = "landscape" if table_width(columns) > PORTRAIT_MAX_WIDTH else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    if layout.fit_to_width:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # 0 = as many pages tall as needed
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = _PAGE_FOOTER


def _append_caption(ws: Worksheet, caption: str, row: int, columns: Sequence[Column]) -> None:
    """A caption line merged across the table: the first is the title (large, centred), any
    further line (period, organisation) is left-aligned."""
    first = row == 1
    cell = text_cell(ws, caption)
    cell.font = _CAPTION_FONT if first else _SUBCAPTION_FONT
    cell.alignment = _CENTER if first else _CAPTION_LEFT
    if len(columns) > 1:
        ws.merged_cells.add(f"A{row}:{get_column_letter(len(columns))}{row}")
    # A merged cell never grows with its text: give a long caption the lines it needs.
    size = cell.font.sz or 11
    across = max(table_width(columns), 1) * 11 / size  # a larger font fits fewer characters
    _append(ws, row, [cell], text_lines(caption, across), size)


def _header_cell(ws: Worksheet, col: Column, layout: PrintLayout) -> WriteOnlyCell:
    cell = text_cell(ws, col.title)
    cell.font = _HEADER_FONT
    cell.alignment = _CENTER
    if layout.borders:
        cell.border = _BORDER
    return cell


class _RowStyles:
    """The table's row cells, styled per column (border, wrapping, number format). The styles
    are worked out once per column and copied onto each cell: a long export stays fast."""

    def __init__(self, ws: Worksheet, columns: Sequence[Column], layout: PrintLayout) -> None:
        self.ws = ws
        self.columns = columns
        self.layout = layout
        self.styled = layout.borders or layout.wrap_text
        self._text = [self._prototype(c.number_format) for c in columns]
        self._other = [self._prototype(c.number_format, wrap=False) for c in columns]
        self._dates = [
            self._prototype(c.number_format or "yyyy-mm-dd", wrap=False) for c in columns
        ]

    def _prototype(self, number_format: str | None, wrap: bool = True) -> Any:
        cell = WriteOnlyCell(self.ws)
        if self.layout.borders:
            cell.border = _BORDER
        cell.alignment = _WRAP if wrap and self.layout.wrap_text else _MIDDLE
        if number_format:
            cell.number_format = number_format
        return cell._style

    def cells(self, row: Sequence[Any]) -> tuple[list[Any], int]:
        """The row's cells and how many lines of text its tallest cell wraps to."""
        n = len(self.columns)
        values = list(row)
        if not self.styled:
            cells = [
                cell_for(self.ws, v, self.columns[i] if i < n else None)
                for i, v in enumerate(values)
            ]
            return cells, 1
        values += [None] * (n - len(values))  # a short row still gets its bordered cells
        out: list[Any] = []
        lines = 1
        for i, value in enumerate(values):
            if i >= n:  # beyond the declared columns: written, not part of the table
                out.append(cell_for(self.ws, value))
                continue
            if isinstance(value, str):
                value = xml_safe(value)
                cell = Cell(self.ws, 1, 1, value, style_array=self._text[i])
                cell.data_type = "s"  # text stays text: never a formula ("=…") or an error ("#N/A")
                if self.layout.wrap_text:
                    lines = max(lines, text_lines(value, self.columns[i].width))
            elif value is None:
                cell = Cell(self.ws, 1, 1, style_array=self._other[i])
            else:
                style = self._dates[i] if isinstance(value, dt.date) else self._other[i]
                value = float(value) if isinstance(value, Decimal) else value
                # the style is set before the value: a date keeps its column's format
                cell = Cell(self.ws, 1, 1, value, style_array=style)
            out.append(cell)
        return out, lines
