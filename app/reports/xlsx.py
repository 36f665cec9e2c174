"""Writing xlsx tables safely: user text stays text (no formula injection), streamed (write-only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from app.output_file import atomic_output

FORMULA_PREFIXES = ("=", "+", "-", "@")
_HEADER_FONT = Font(bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass
class Column:
    title: str
    width: float = 14
    number_format: str | None = None  # e.g. "yyyy-mm-dd", "0.0"


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    title_rows: list[str] = field(default_factory=list)  # merged caption lines above the header


def xml_safe(value: str) -> str:
    """The text with control characters an xlsx cannot hold (e.g. a pasted vertical tab) shown as
    "�": one such character in a stored record must not make a whole export fail."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if ILLEGAL_CHARACTERS_RE.search(value) else value


def text_cell(ws: Worksheet, value: str) -> WriteOnlyCell:
    """A cell that Excel, WPS and LibreOffice show as the text itself, never as a formula."""
    cell = WriteOnlyCell(ws, value=xml_safe(value))
    cell.data_type = "s"  # openpyxl would otherwise treat a leading '=' as a formula
    return cell


def cell_for(ws: Worksheet, value: Any, column: Column | None = None) -> WriteOnlyCell | Any:
    if value is None:
        return None
    if isinstance(value, str):
        # Plain strings are written as text by openpyxl; only a leading = + - @ needs forcing.
        return text_cell(ws, value) if value.startswith(FORMULA_PREFIXES) else xml_safe(value)
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


def _write_sheet(wb: Workbook, spec: Sheet) -> None:
    ws = wb.create_sheet(title=spec.title[:31])
    for i, col in enumerate(spec.columns):
        ws.column_dimensions[_letter(i)].width = col.width
    for caption in spec.title_rows:
        c = text_cell(ws, caption)
        c.font = Font(bold=True, size=14)
        ws.append([c])
    header = []
    for col in spec.columns:
        c = text_cell(ws, col.title)
        c.font = _HEADER_FONT
        c.alignment = _CENTER
        header.append(c)
    ws.append(header)
    ws.freeze_panes = f"A{len(spec.title_rows) + 2}"
    columns = spec.columns
    for row in spec.rows:
        ws.append([cell_for(ws, v, columns[i] if i < len(columns) else None) for i, v in enumerate(row)])


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
