"""Reading the first visible sheet of an xlsx/xls file with python-calamine and finding its header.

Hidden and very hidden sheets are passed over (an old list kept hidden in front of the new one is
not imported). Title rows above the header are tolerated (the best-matching row among the first
thirty non-blank rows is the header); blank rows are skipped. A merged range's value fills down
its first column only (one employer for several rows); the range's other columns stay blank, so a
value merged across columns is never taken for the neighbouring fields. Two columns for the same
field are refused rather than one of them silently dropped. Any unreadable file is a
ValidationError that names the file — never a traceback.

Other visible sheets that hold data are not read, but named (`SheetTable.other_sheets`) so the
preview can say so. A sheet with a stray cell far to the right is read without the empty columns
in between (`far_cells`): its rows come back as wide as the header's last import column.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, Final

from openpyxl.utils import get_column_letter

from app.errors import ValidationError
from app.services.importing import far_cells
from app.services.importing.cells import clean_text, is_blank
from app.services.importing.columns import (
    BY_KEY,
    KIND_NAMES,
    NOTES_SHEET,
    alias_map,
    header_key,
)
from app.services.importing.problem_cells import (
    hidden_parts,
    holds_values,
    problem_cells,
    sheet_source,
)

HEADER_SEARCH_ROWS: Final = 30  # non-blank rows searched for the header
# A far-reaching sheet (far_cells): rows with a value first read for the header, at least.
_HEADER_WINDOW: Final = HEADER_SEARCH_ROWS + 10
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
    hidden_rows: frozenset[int] = frozenset()  # Excel rows hidden in the file (still read)
    hidden_columns: frozenset[int] = frozenset()  # 0-based indexes of hidden columns (still read)
    other_sheets: list[str] = field(default_factory=list)  # visible sheets with data, not read

    def other_sheets_note(self, what: str) -> str:
        """"；注意：……" naming the visible sheets with data that were not read ("" when none);
        `what` names the rows a user might have put there (人员, 成绩, 职业)."""
        return other_sheets_note(self.sheet, self.other_sheets, what)

    def hidden_fields(self) -> list[str]:
        """"B 列（证件号码）" for each hidden column the import reads, in column order."""
        return [
            f"{get_column_letter(i + 1)} 列（{self.headers[key]}）"
            for key, i in sorted(self.columns.items(), key=lambda kv: kv[1])
            if i in self.hidden_columns
        ]

    def where(self, key: str) -> tuple[str, str]:
        """(column letter, header text) of a column key."""
        return get_column_letter(self.columns[key] + 1), self.headers[key]


def other_sheets_note(sheet: str, others: list[str], what: str) -> str:
    if not others:
        return ""
    names = "、".join(f"“{name}”" for name in others)
    return (
        f"；注意：工作簿中另有工作表 {names} 含有数据，未读取（只读取第一个可见的工作表“{sheet}”）。"
        f"如其中也有要导入的{what}，请把它另存为单独的文件再导入"
    )


def _visible_sheets(wb: Any, name: str) -> tuple[str, list[str]]:
    """(the first visible worksheet, the other visible worksheets but a template's 填写说明):
    hidden/very hidden sheets and chart sheets are passed over. ValidationError when there is
    no visible worksheet."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    names: list[str] = list(wb.sheet_names)
    if not names:
        raise ValidationError(f"文件“{name}”中没有工作表。请选择含有数据的Excel文件。")
    try:
        metadata = list(wb.sheets_metadata)
    except Exception:  # a format without sheet metadata: its first sheet it is
        return names[0], []
    visible = [
        str(meta.name)
        for meta in metadata
        if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet
    ]
    if visible:
        return visible[0], [n for n in visible[1:] if n != NOTES_SHEET]
    hidden = "、".join(f"“{m.name}”" for m in metadata)
    raise ValidationError(
        f"文件“{name}”中没有可见的工作表（工作表 {hidden} 都已隐藏，或不是数据表）。"
        "请在Excel/WPS中取消隐藏要导入的工作表（右键工作表标签 →“取消隐藏”），保存后重新导入。"
    )


def _has_data(wb: Any, path: Path, sheet: str) -> bool:
    """Whether a sheet holds any value: from its XML (xlsx), else as calamine reads it (.xls)."""
    source = sheet_source(path, sheet)
    if source is not None:
        return holds_values(source[1])
    try:
        rows = wb.get_sheet_by_name(sheet).to_python()
    except Exception:  # a sheet that cannot be read is no sheet the user meant to import
        return False
    return any(not is_blank(v) for row in rows for v in row)


Grid = list[list[object]]  # row 0 is Excel's row 1, column 0 its column A
Merged = list[tuple[tuple[int, int], tuple[int, int]]]  # ((first row, column), (last row, column))


class _Sheet:
    """The sheet to import: read whole, or — far-reaching (`far_cells`) — in two parts: the top
    rows in full for the header, then every row up to the header's last import column."""

    def __init__(self, path: Path, book: Any, name: str, others: list[str]) -> None:
        self.path, self.book, self.name, self.others = path, book, name, others
        source = sheet_source(path, name)
        self.part, self.xml = source if source is not None else ("", None)
        self.far = self.xml is not None and far_cells.reaches_far(self.xml)

    def whole(self) -> tuple[Grid, Merged]:
        sheet = self.book.get_sheet_by_name(self.name)
        return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])

    def _edited(self, xml: bytes) -> Any:
        from python_calamine import CalamineWorkbook

        copy = far_cells.workbook_with(self.path, self.part, xml)
        return CalamineWorkbook.from_filelike(copy).get_sheet_by_name(self.name)

    def top(self) -> Grid:
        """The rows searched for the header (the first 30 non-blank ones and the row after the
        last of them), every column; all rows when the sheet has no more."""
        assert self.xml is not None
        count = _HEADER_WINDOW
        while True:
            xml, complete, used = far_cells.first_rows(self.xml, count)
            grid: Grid = [
                _spread(row, used) for row in self._edited(xml).to_python(skip_empty_area=False)
            ]
            if complete or sum(1 for row in grid if row) > HEADER_SEARCH_ROWS:
                return grid
            count *= 4  # (cells of nothing but spaces: not yet 30 non-blank rows)

    def columns_before(self, limit: int) -> tuple[Grid, Merged]:
        """Every row, the columns before `limit` (0-based) only."""
        assert self.xml is not None
        sheet = self._edited(far_cells.columns_before(self.xml, limit))
        return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])


def _spread(row: list[object], used: list[int] | None) -> list[object]:
    """A row of closed-up columns (`far_cells.first_rows`) at its columns in the file, up to its
    last non-blank cell; [] for a blank row."""
    filled = [(used[i] if used else i, v) for i, v in enumerate(row) if not is_blank(v)]
    if not filled:
        return []
    out: list[object] = [""] * (filled[-1][0] + 1)
    for i, v in filled:
        out[i] = v
    return out


def _open(path: Path) -> _Sheet:
    """The first visible sheet of the workbook, not read yet (see `_Sheet`)."""
    from python_calamine import CalamineWorkbook

    name = path.name
    if path.is_dir():
        raise ValidationError(
            f"“{path}”是一个文件夹，不是文件。请打开该文件夹，选择其中要导入的Excel文件（.xlsx）。"
        )
    if not path.is_file():
        raise ValidationError(f"找不到文件“{path}”。请检查路径。")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ValidationError(
            f"文件“{name}”不是Excel工作簿（.xlsx 或 .xls）。请在Excel/WPS中另存为 .xlsx 后再导入。"
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except PermissionError:
        raise _unreadable(path) from None
    except OSError as e:
        raise ValidationError(
            f"文件“{name}”读取失败（系统提示：{e.strerror or type(e).__name__}）。"
            "请确认该文件所在的磁盘或网络位置可以访问、文件能在Excel/WPS中打开后重试。"
        ) from None
    if not head:
        raise ValidationError(f"文件“{name}”是空文件（0 字节）。请选择正确的Excel文件。")
    if path.suffix.lower() != ".xls" and head.startswith(_OLE_MAGIC):
        raise ValidationError(
            f"文件“{name}”设置了打开密码（已加密），或实为旧版 .xls 格式。"
            "请在Excel/WPS中取消密码并另存为 .xlsx 后再导入。"
        )
    with _reading(path):
        wb = CalamineWorkbook.from_path(str(path))
        sheet_name, others = _visible_sheets(wb, name)
        return _Sheet(path, wb, sheet_name, [n for n in others if _has_data(wb, path, n)])


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Whatever calamine raises while reading `path`, as a ValidationError that names the file."""
    from python_calamine import PasswordError

    name = path.name
    try:
        yield
    except ValidationError:
        raise
    except PasswordError:
        raise ValidationError(
            f"文件“{name}”设置了打开密码。请在Excel/WPS中取消密码后另存，再导入。"
        ) from None
    except PermissionError:  # (locked between the check above and calamine's own open)
        raise _unreadable(path) from None
    except Exception:  # calamine raises several types for damaged or foreign files
        raise ValidationError(
            f"文件“{name}”无法作为Excel工作簿读取：文件可能已损坏，或并非Excel文件（例如把 .txt/.csv 改了扩展名）。"
            "请在Excel/WPS中打开确认，另存为 .xlsx 后再导入。"
        ) from None


def _unreadable(path: Path) -> ValidationError:
    return ValidationError(
        f"无法打开文件“{path.name}”：没有读取权限，或文件正被其他程序（如Excel/WPS）占用。"
        "请关闭正在使用该文件的程序（或检查文件的访问权限）后重新导入。"
    )


def _fill_merged(grid: Grid, merged: Merged) -> None:
    """A merged range holds its value only in the top-left cell: fill it down the range's first
    column (one employer merged over several people's rows). The other columns of the range stay
    blank — a value merged across columns belongs to its first column, not to the fields beside it
    (an employer merged over 工作单位 and 所在地市, a footnote merged across the whole table)."""
    for (r0, c0), (r1, _c1) in merged:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            if c0 < len(row) and is_blank(row[c0]):
                row[c0] = value


def _match_header(
    row: list[object], aliases: dict[str, str]
) -> tuple[dict[str, int], dict[str, str], int]:
    """(key -> first column, key -> header text, number of cells that are known headers)."""
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    matched = 0
    for i, cell in enumerate(row):
        if not isinstance(cell, str):
            continue
        key = aliases.get(header_key(cell))
        if not key:
            continue
        matched += 1
        if key not in columns:
            columns[key] = i
            headers[key] = clean_text(cell)
    return columns, headers, matched


def _sub_headers(
    row: list[object], aliases: dict[str, str], above: dict[str, int]
) -> tuple[dict[str, int], dict[str, str]] | None:
    """A second header row under merged group headings (考评资格 over 考评职业/最高等级/有效期至):
    the columns it adds, when every filled cell of it is a known header; else None."""
    filled = [i for i, cell in enumerate(row) if not is_blank(cell)]
    if not filled:
        return None
    columns, headers, matched = _match_header(row, aliases)
    if matched != len(filled):  # a data row, or a row of notes
        return None
    taken = set(above.values())
    added = {k: i for k, i in columns.items() if k not in above and i not in taken}
    return ({k: added[k] for k in added}, {k: headers[k] for k in added}) if added else None


def _same_field_columns(
    header_rows: list[list[object]], aliases: dict[str, str], columns: dict[str, int]
) -> dict[str, list[tuple[int, str]]]:
    """key -> every (column, header text) of the header that maps to it, for the keys that more
    than one column maps to (职称 and 职务, 手机 and 电话, two 证件号码 columns)."""
    found: dict[str, dict[int, str]] = {}
    for row in header_rows:
        for i, cell in enumerate(row):
            if not isinstance(cell, str):
                continue
            key = aliases.get(header_key(cell))
            if key in columns and i not in found.setdefault(key, {}):
                found[key][i] = clean_text(cell)
    return {k: sorted(by_col.items()) for k, by_col in found.items() if len(by_col) > 1}


def read_sheet(path: str | Path, kind: str) -> SheetTable:
    """The first visible sheet of a staff/people file as a header-mapped table."""
    required = [(c.key, c.title) for c in BY_KEY.values() if kind in c.required]
    titles = {c.key: c.title for c in BY_KEY.values()}
    return read_table(path, alias_map(kind), required, KIND_NAMES.get(kind, kind), titles=titles)


def read_table(
    path: str | Path,
    aliases: dict[str, str],
    required: list[tuple[str, str]],
    what: str,
    *,
    titles: dict[str, str] | None = None,
) -> SheetTable:
    """The first visible sheet as a header-mapped table; ValidationError for anything unusable.

    `aliases` maps header_key(header text) to a column key; `required` lists (key, title);
    `titles` (optional) names any column key in messages (else the required titles are used).
    """
    path = Path(path)
    source = _open(path)
    sheet, name = source.name, path.name
    with _reading(path):
        # a far-reaching sheet: only its top rows so far (every column), for the header
        grid, merged = (source.top(), []) if source.far else source.whole()
    if not any(not is_blank(v) for row in grid for v in row):
        raise ValidationError(f"文件“{name}”的工作表“{sheet}”是空的：没有任何数据。")
    # (first header row, last header row, key -> column, key -> header text)
    best: tuple[int, int, dict[str, int], dict[str, str]] | None = None
    searched = 0  # non-blank rows looked at: blank rows above the header do not count
    for r, row in enumerate(grid):
        if all(is_blank(v) for v in row):
            continue
        searched += 1
        if searched > HEADER_SEARCH_ROWS:
            break
        columns, headers, _ = _match_header(row, aliases)
        if columns and (best is None or len(columns) > len(best[2])):
            best = (r, r, columns, headers)
        if columns and r + 1 < len(grid):
            below = _sub_headers(grid[r + 1], aliases, columns)
            if below is not None and len(columns) + len(below[0]) > len(best[2]):  # type: ignore[index]
                best = (r, r + 1, columns | below[0], headers | below[1])
    if best is None or len(best[2]) < min(2, len(required)):
        wanted = "、".join(title for _, title in required)
        raise ValidationError(
            f"文件“{name}”的工作表“{sheet}”前{HEADER_SEARCH_ROWS}行（不计空行）中找不到表头"
            + (f"（导入{what}至少需要列：{wanted}）。" if wanted else f"（导入{what}）。")
            + "请使用导入模板，或把表头放在表格最上方。"
        )
    top_idx, header_idx, columns, headers = best
    missing = [title for key, title in required if key not in columns]
    if missing:
        raise ValidationError(
            f"文件“{name}”的工作表“{sheet}”第 {header_idx + 1} 行表头缺少必需的列："
            f"{'、'.join(missing)}。请补上这些列（列名可参照导入模板）后重新导入。"
        )
    doubled = _same_field_columns(grid[top_idx : header_idx + 1], aliases, columns)
    if doubled:
        named = dict(required) | (titles or {})
        rows = f"第 {header_idx + 1} 行"
        if top_idx != header_idx:
            rows = f"第 {top_idx + 1}–{header_idx + 1} 行"
        parts = []
        for key, cols in doubled.items():
            listed = "和 ".join(f"{get_column_letter(i + 1)} 列“{text}”" for i, text in cols)
            field_name = f"“{named[key]}”" if key in named else "同一项"
            parts.append(f"{listed}都对应{field_name}")
        raise ValidationError(
            f"文件“{name}”的工作表“{sheet}”{rows}表头中，{'；'.join(parts)}："
            "同一项只能有一列，否则其中一列的内容会被忽略。"
            "请只保留其中一列（或先把两列的内容合并到一列），删除或改名另一列后重新导入。"
        )
    known = set(columns.values())
    unknown = [
        clean_text(v) for i, v in enumerate(grid[header_idx]) if i not in known and not is_blank(v)
    ]
    if source.far:  # every row now, without the columns after the last one imported
        with _reading(path):
            grid, merged = source.columns_before(max(known) + 1)
    _fill_merged(grid, [m for m in merged if m[0][0] > header_idx])
    table = SheetTable(path, sheet, header_idx + 1, columns, headers, unknown_headers=unknown)
    table.problems = problem_cells(source.xml)
    table.hidden_rows, table.hidden_columns = hidden_parts(source.xml)
    table.other_sheets = source.others
    width = len(grid[header_idx])
    # the import columns of a row at once (C speed): a sheet may have a million empty rows
    # between the table and a stray cell at its foot
    imported = sorted(known)
    pick = itemgetter(*imported) if len(imported) > 1 else (lambda cells: (cells[imported[0]],))
    empty = ("",) * len(imported)  # calamine's empty cell
    for r in range(header_idx + 1, len(grid)):
        cells = grid[r]
        if len(cells) > imported[-1] and pick(cells) == empty and r + 1 not in table.problems:
            continue
        if all(is_blank(cells[i]) for i in known if i < len(cells)) and not (
            r + 1 in table.problems and known & table.problems[r + 1].keys()
        ):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        table.rows.append((r + 1, cells))
    return table
