"""What python-calamine does not tell about a sheet: cells it reads as blank although they are
not, and rows and columns hidden in Excel.

calamine gives "" for an Excel error value (#N/A, #VALUE!, #DIV/0! …) and for a formula saved
without its computed value (files written by other programs and never opened in Excel/WPS).
Taken as blank, such a cell would silently lose data — an expiry date imported as none, an ID
number reported as "empty". So the sheet's XML is scanned for them (xlsx/xlsm only; only when
it holds any formula or error at all), and the importer reports each one by row and column.

calamine also reads hidden rows (hidden by hand or by a filter) and hidden columns like any
other: the importer imports them, but says so, since what the user saw is not all it reads.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Final
from xml.etree import ElementTree

_MAIN_NS: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
# One cell element (any namespace prefix): its attributes, and its content unless self-closed.
_CELL: Final = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF: Final = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_ERROR_TYPE: Final = re.compile(rb'\bt="e"')
_VALUE: Final = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_ANY_VALUE: Final = re.compile(rb"<(?:\w+:)?(?:v|is)>")
_FORMULA: Final = re.compile(rb"<(?:\w+:)?f\b")
_HIDDEN: Final = re.compile(rb'\bhidden="(?:1|true)"')
_ROW: Final = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER: Final = re.compile(rb'\br="(\d+)"')
_COL: Final = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_COL_SPAN: Final = re.compile(rb'\bmin="(\d+)"[^>]*?\bmax="(\d+)"|\bmax="(\d+)"[^>]*?\bmin="(\d+)"')

ERROR_MESSAGE: Final = (
    "单元格是 Excel 错误值 {value}（公式出错），不能当作空白导入：请改正公式或直接填写内容后重新导入"
)
NO_VALUE_MESSAGE: Final = (
    "单元格是公式，但文件中没有它的计算结果（多为其他程序生成、未在 Excel/WPS 中保存过）："
    "请在 Excel/WPS 中打开并保存该文件，或把公式改为数值后重新导入"
)


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _sheet_part(book: zipfile.ZipFile, name: str | None = None) -> str | None:
    """The zip member of the sheet called `name` (of the first sheet when None), found through
    xl/workbook.xml and its relationships; None when there is no such sheet."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    sheets = workbook.findall(f"{{{_MAIN_NS}}}sheets/{{{_MAIN_NS}}}sheet")
    if name is not None:
        sheets = [s for s in sheets if s.get("name") == name]
    if not sheets:
        return None
    rel_id = sheets[0].get(f"{{{_REL_NS}}}id")
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def sheet_source(path: Path, sheet: str | None = None) -> tuple[str, bytes] | None:
    """(zip member, XML) of the sheet called `sheet` (the first sheet when None); None when the
    file is not a zip workbook (.xls) or has no such sheet."""
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet)
            return None if part is None else (part, book.read(part))
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return None  # .xls, or a package calamine read some other way: nothing more to learn


def holds_values(data: bytes) -> bool:
    """Whether a sheet's XML has any cell with a value (a <v>, or an inline string's <is>)."""
    return _ANY_VALUE.search(data) is not None


def problem_cells(data: bytes | None) -> dict[int, dict[int, str]]:
    """Excel row (1-based) -> {0-based column: message} for the error and value-less formula
    cells of a sheet's XML; empty when there are none (or no XML)."""
    # (plain substring tests first: a 10,000-row sheet is 5 MB of XML, and mostly has neither)
    if not data or not any(mark in data for mark in (b't="e"', b"<f", b":f")):
        return {}
    found: dict[int, dict[int, str]] = {}
    for cell in _CELL.finditer(data):
        attributes, content = cell.group(1), cell.group(2) or b""
        is_error = _ERROR_TYPE.search(attributes) is not None
        if not is_error and _FORMULA.search(content) is None:
            continue
        value = _VALUE.search(content)
        if is_error:
            text = value.group(1).decode("utf-8", "replace") if value else "#错误"
            message = ERROR_MESSAGE.format(value=text)
        elif value is None:  # (an empty <v></v> is a formula that computed "")
            message = NO_VALUE_MESSAGE
        else:
            continue  # a formula with its computed value: calamine reads the value
        ref = _REF.search(attributes)
        if ref is None:
            continue
        found.setdefault(int(ref.group(2)), {})[_column_index(ref.group(1))] = message
    return found


def hidden_parts(data: bytes | None) -> tuple[frozenset[int], frozenset[int]]:
    """(Excel row numbers, 0-based column indexes) hidden in a sheet's XML — rows by hand or by
    a filter (<row hidden>), columns by <col min max hidden>. One scan when there are none."""
    # (a plain substring test first: the pattern's leading \b makes a scan of 5 MB take 40 ms)
    if not data or b"hidden=" not in data or _HIDDEN.search(data) is None:
        return frozenset(), frozenset()
    rows = set()
    for row in _ROW.finditer(data):
        attributes = row.group(1)
        if _HIDDEN.search(attributes):
            number = _ROW_NUMBER.search(attributes)
            if number:
                rows.add(int(number.group(1)))
    columns: set[int] = set()
    for col in _COL.finditer(data):
        attributes = col.group(1)
        span = _COL_SPAN.search(attributes)
        if _HIDDEN.search(attributes) and span:
            low, high = (span.group(1), span.group(2)) if span.group(1) else (span.group(4), span.group(3))
            columns.update(range(int(low) - 1, min(int(high), 16_384)))
    return frozenset(rows), frozenset(columns)
