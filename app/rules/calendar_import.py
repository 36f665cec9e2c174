"""Read a staff-maintained holiday calendar (.csv or .xlsx) into WorkdayCalendar overrides.

Layout: a header row with the columns 日期, 类型, 名称 (any order; extra columns ignored),
then one row per listed day. 日期: YYYY-MM-DD text (also YYYY/MM/DD, YYYY年M月D日), an Excel
date, or an Excel serial number. 类型: 休 (day off) or 班 (adjusted working day); 放假/休息
and 上班/补班 are accepted too. 名称: the holiday's name (may be blank). Blank rows are skipped.
Row numbers in messages count the header as row 1, as Excel shows them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Final

from app.errors import ValidationError
from app.rules._text import to_halfwidth
from app.rules.workdays import REST, WORK

COLUMNS: Final = ("日期", "类型", "名称")
_KIND_WORDS: Final = {
    "休": REST,
    "放假": REST,
    "休息": REST,
    "假": REST,
    "班": WORK,
    "上班": WORK,
    "补班": WORK,
    "调休上班": WORK,
}
_EXCEL_EPOCH: Final = date(1899, 12, 30)  # 1900 date system (Lotus leap-year bug included)
_DATE_RE: Final = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?",
    re.ASCII,
)
_ENCODINGS: Final = ("utf-8-sig", "gbk")


def _where(source: str, row: int, column: str | None = None) -> str:
    place = f"文件“{source}”" if source else "日历数据"
    place += f"第{row}行"
    return place + (f"“{column}”列" if column else "")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return to_halfwidth(str(value)).strip()


def _parse_date(value: object, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 2958465:
            return _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        text = _cell_text(value)
        if text.isascii() and text.isdigit() and 1 <= int(text) <= 2958465 and len(text) <= 6:
            return _EXCEL_EPOCH + timedelta(days=int(text))
        match = _DATE_RE.fullmatch(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
    raise ValidationError(
        f"{where}：“{_cell_text(value)}”不是有效日期，应写成YYYY-MM-DD（如2027-01-01）。请修改后重新导入。",
        field="日期",
    )


def _header_index(header: Sequence[object], source: str) -> dict[str, int]:
    names = [_cell_text(h).replace(" ", "") for h in header]
    index: dict[str, int] = {}
    for col in COLUMNS:
        for i, name in enumerate(names):
            if name == col or name.startswith(col + "(") or name.startswith(col + "（"):
                index[col] = i
                break
        else:
            raise ValidationError(
                f"{_where(source, 1)}（表头）缺少“{col}”列。第一行应为表头：日期、类型、名称。",
                field=col,
            )
    return index


def parse_calendar_rows(
    rows: Iterable[Sequence[object]], *, source: str = ""
) -> dict[date, tuple[str, str]]:
    """Overrides from rows whose first row is the header; ValidationError names row and column."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None or all(_cell_text(c) == "" for c in header):
        raise ValidationError(
            f"{_where(source, 1)}为空：第一行应为表头（日期、类型、名称）。", field="calendar"
        )
    index = _header_index(header, source)
    entries: dict[date, tuple[str, str]] = {}
    seen_row: dict[date, int] = {}
    for row_no, row in enumerate(iterator, start=2):
        cells = list(row)
        if all(_cell_text(c) == "" for c in cells):
            continue

        def cell(col: str, cells: list[object] = cells) -> object:
            i = index[col]
            return cells[i] if i < len(cells) else None

        day = _parse_date(cell("日期"), _where(source, row_no, "日期"))
        kind_text = _cell_text(cell("类型"))
        kind = _KIND_WORDS.get(kind_text)
        if kind is None:
            raise ValidationError(
                f"{_where(source, row_no, '类型')}：“{kind_text}”无效，应填“休”（放假）或“班”（调休上班）。",
                field="类型",
            )
        name = _cell_text(cell("名称"))
        if day in entries and entries[day][0] != kind:
            raise ValidationError(
                f"{_where(source, row_no, '日期')}：{day.isoformat()}与第{seen_row[day]}行重复且类型矛盾"
                f"（“{entries[day][0]}”与“{kind}”）。请删除其中一行。",
                field="日期",
            )
        entries[day] = (kind, name)
        seen_row.setdefault(day, row_no)
    return entries


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return list(csv.reader(io.StringIO(text, newline="")))
    raise ValidationError(
        f"文件“{path.name}”的编码无法识别：请另存为“CSV UTF-8”或GBK编码的CSV后重新导入。",
        field="calendar",
    )


def _xlsx_rows(path: Path) -> list[list[object]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return [list(r) for r in workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)]
    except (CalamineError, ValueError, OSError) as exc:
        raise ValidationError(
            f"无法读取Excel文件“{path.name}”：{exc}。请确认文件未损坏、未加密，且为.xlsx格式。",
            field="calendar",
        ) from exc


def read_calendar_file(path: str | Path) -> dict[date, tuple[str, str]]:
    """Overrides read from a .csv (UTF-8, UTF-8 with BOM or GBK) or .xlsx/.xls file."""
    file = Path(path)
    if not file.is_file():
        raise ValidationError(f"找不到文件“{file}”，请重新选择。", field="calendar")
    suffix = file.suffix.lower()
    if suffix == ".csv":
        rows: list[list[object]] = list(_csv_rows(file))
    elif suffix in {".xlsx", ".xlsm", ".xls"}:
        rows = _xlsx_rows(file)
    else:
        raise ValidationError(
            f"文件“{file.name}”的类型不支持：请使用.csv或.xlsx文件（列：日期、类型、名称）。",
            field="calendar",
        )
    return parse_calendar_rows(rows, source=file.name)
