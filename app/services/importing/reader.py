"""Reading the first sheet of an xlsx/xls file with python-calamine and finding its header row.

Title rows above the header are tolerated (the best-matching row among the first ten is the
header); blank rows are skipped; a merged cell's value is copied to every cell of the range.
Any unreadable file is a ValidationError that names the file — never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from openpyxl.utils import get_column_letter

from app.errors import ValidationError
from app.services.importing.cells import clean_text, is_blank
from app.services.importing.columns import BY_KEY, KIND_NAMES, alias_map, header_key
from app.services.importing.problem_cells import problem_cells

HEADER_SEARCH_ROWS: Final = 10
SUPPORTED_SUFFIXES: Final = (".xlsx", ".xlsm", ".xls")
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"


@dataclass
class SheetTable:
    path: Path
    sheet: str
    header_row: int  # Excel 1-based row number of the header
    columns: dict[str, int]  # column key -> 0-based column index
    headers: dict[str, str]  # column key -> header text as written in the file
    rows: list[tuple[int, list[object]]] = field(default_factory=list)  # (Excel row, cells)
    unknown_headers: list[str] = field(default_factory=list)
    # Excel row -> {column index: message}: error values and value-less formulas (problem_cells)
    problems: dict[int, dict[int, str]] = field(default_factory=dict)

    def where(self, key: str) -> tuple[str, str]:
        """(column letter, header text) of a column key."""
        return get_column_letter(self.columns[key] + 1), self.headers[key]


def _open(path: Path) -> tuple[str, list[list[object]], list]:  # type: ignore[type-arg]
    from python_calamine import CalamineWorkbook, PasswordError

    name = path.name
    if not path.is_file():
        raise ValidationError(f"找不到文件“{path}”。请检查路径。")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ValidationError(
            f"文件“{name}”不是Excel工作簿（.xlsx 或 .xls）。请在Excel/WPS中另存为 .xlsx 后再导入。"
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise ValidationError(f"文件“{name}”是空文件（0 字节）。请选择正确的Excel文件。")
    if path.suffix.lower() != ".xls" and head.startswith(_OLE_MAGIC):
        raise ValidationError(
            f"文件“{name}”设置了打开密码（已加密），或实为旧版 .xls 格式。"
            "请在Excel/WPS中取消密码并另存为 .xlsx 后再导入。"
        )
    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = wb.sheet_names
        if not names:
            raise ValidationError(f"文件“{name}”中没有工作表。")
        sheet = wb.get_sheet_by_index(0)
        grid = sheet.to_python(skip_empty_area=False)
        merged = list(sheet.merged_cell_ranges or [])
    except ValidationError:
        raise
    except PasswordError:
        raise ValidationError(
            f"文件“{name}”设置了打开密码。请在Excel/WPS中取消密码后另存，再导入。"
        ) from None
    except Exception:  # calamine raises several types for damaged or foreign files
        raise ValidationError(
            f"文件“{name}”无法作为Excel工作簿读取：文件可能已损坏，或并非Excel文件（例如把 .txt/.csv 改了扩展名）。"
            "请在Excel/WPS中打开确认，另存为 .xlsx 后再导入。"
        ) from None
    return names[0], grid, merged


def _fill_merged(grid: list[list[object]], merged: list) -> None:  # type: ignore[type-arg]
    """A merged range holds its value only in the top-left cell: copy it across the range."""
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else None
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) != (r0, c0) and is_blank(row[c]):
                    row[c] = value


def _match_header(
    row: list[object], aliases: dict[str, str]
) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for i, cell in enumerate(row):
        if not isinstance(cell, str):
            continue
        key = aliases.get(header_key(cell))
        if key and key not in columns:
            columns[key] = i
            headers[key] = clean_text(cell)
    return columns, headers


def _sub_headers(
    row: list[object], aliases: dict[str, str], above: dict[str, int]
) -> tuple[dict[str, int], dict[str, str]] | None:
    """A second header row under merged group headings (考评资格 over 考评职业/最高等级/有效期至):
    the columns it adds, when every filled cell of it is a known header; else None."""
    filled = [i for i, cell in enumerate(row) if not is_blank(cell)]
    if not filled:
        return None
    columns, headers = _match_header(row, aliases)
    if len(columns) != len(filled):  # a data row, or a row of notes
        return None
    taken = set(above.values())
    added = {k: i for k, i in columns.items() if k not in above and i not in taken}
    return ({k: added[k] for k in added}, {k: headers[k] for k in added}) if added else None


def read_sheet(path: str | Path, kind: str) -> SheetTable:
    """The first sheet of a staff/people file as a header-mapped table."""
    required = [(c.key, c.title) for c in BY_KEY.values() if kind in c.required]
    return read_table(path, alias_map(kind), required, KIND_NAMES.get(kind, kind))


def read_table(
    path: str | Path, aliases: dict[str, str], required: list[tuple[str, str]], what: str
) -> SheetTable:
    """The first sheet as a header-mapped table; ValidationError for anything unusable.

    `aliases` maps header_key(header text) to a column key; `required` lists (key, title).
    """
    path = Path(path)
    sheet, grid, merged = _open(path)
    name = path.name
    if not any(not is_blank(v) for row in grid for v in row):
        raise ValidationError(f"文件“{name}”的第一个工作表“{sheet}”是空的：没有任何数据。")
    best: tuple[int, dict[str, int], dict[str, str]] | None = None
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns, headers = _match_header(row, aliases)
        if columns and (best is None or len(columns) > len(best[1])):
            best = (r, columns, headers)
        if columns and r + 1 < len(grid):
            below = _sub_headers(grid[r + 1], aliases, columns)
            if below is not None and len(columns) + len(below[0]) > len(best[1]):  # type: ignore[index]
                best = (r + 1, columns | below[0], headers | below[1])
    if best is None or len(best[1]) < min(2, len(required)):
        wanted = "、".join(title for _, title in required)
        raise ValidationError(
            f"文件“{name}”的工作表“{sheet}”前{HEADER_SEARCH_ROWS}行中找不到表头"
            f"（导入{what}至少需要列：{wanted}）。"
            "请使用导入模板，或把表头放在表格最上方。"
        )
    header_idx, columns, headers = best
    missing = [title for key, title in required if key not in columns]
    if missing:
        raise ValidationError(
            f"文件“{name}”的工作表“{sheet}”第 {header_idx + 1} 行表头缺少必需的列："
            f"{'、'.join(missing)}。请补上这些列（列名可参照导入模板）后重新导入。"
        )
    _fill_merged(grid, [m for m in merged if m[0][0] > header_idx])
    known = set(columns.values())
    unknown = [
        clean_text(v) for i, v in enumerate(grid[header_idx]) if i not in known and not is_blank(v)
    ]
    table = SheetTable(path, sheet, header_idx + 1, columns, headers, unknown_headers=unknown)
    table.problems = problem_cells(path)
    width = len(grid[header_idx])
    for r in range(header_idx + 1, len(grid)):
        cells = grid[r]
        if all(is_blank(cells[i]) for i in known if i < len(cells)) and not (
            r + 1 in table.problems and known & table.problems[r + 1].keys()
        ):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        table.rows.append((r + 1, cells))
    return table
