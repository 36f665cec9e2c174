"""The two results-filing tables of 003 (Anhui 皖人社秘〔2020〕65号):

- 附件4 职业技能等级认定结果汇总表: a form (merged cells, borders, two approval blocks), written
  with a normal openpyxl workbook; user text cells are forced to text (data_type "s").
- 附件5 职业技能等级认定合格人员证书信息表: data only (header row + one row per certificate,
  exactly twelve columns, no remarks rows), streamed with app.reports.xlsx.write_workbook.

Only plain openpyxl features are used (merges, thin borders, fonts, alignment, widths, page
setup), so the files open cleanly in Excel, WPS and LibreOffice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from app.output_file import atomic_output
from app.reports.xlsx import (
    DATA_ONLY,
    FORMULA_PREFIXES,
    Column,
    Sheet,
    write_workbook,
    xml_safe,
)

SUMMARY_TITLE = "职业技能等级认定结果汇总表"
CERTIFICATE_TITLE = "职业技能等级认定合格人员证书信息表"
# 附件4 level columns, in the seed's order (初级 … 高级技师) = level codes 5 … 1.
SUMMARY_LEVEL_ORDER = (5, 4, 3, 2, 1)
SUMMARY_LEVEL_HEADERS = ("初级", "中级", "高级", "技师", "高级技师")
CENTRE_OPINION = "受理备案的人社部门所属职业技能鉴定（指导）中心意见"
DEPARTMENT_OPINION = "受理备案的人力资源社会保障行政部门意见"
SIGN_LINE = "负责人：                    年      月      日"
SUMMARY_NOTE = "备注：本表一式三份，评价机构、市人力资源社会保障部门、省职业技能鉴定中心分别留存。"

# 附件5: exactly these twelve columns, in this order.
CERTIFICATE_COLUMNS = (
    Column("姓名", 12),
    Column("证件类型", 10),
    Column("证件号码", 22),
    Column("所在单位", 28),
    Column("职业名称", 18),
    Column("工种名称", 16),
    Column("职业技能等级", 16),
    Column("证书编号", 26),
    Column("发证日期", 12),
    Column("评价机构", 28),
    Column("发证机构", 28),
    Column("考生所在地市", 14),
)


@dataclass(frozen=True)
class SummaryLine:
    """One 认定工种 row: passed candidates per level code (1–5)."""

    work_type: str
    passed_by_level: dict[int, int]

    @property
    def subtotal(self) -> int:
        return sum(self.passed_by_level.values())


@dataclass(frozen=True)
class SummaryTable:
    unit: str  # 填报单位
    filled_on: dt.date  # 填报日期
    period: str  # 认定时间
    filed_count: int  # 备案人数
    candidate_source: str  # 考生来源
    assessed_count: int  # 认定人数
    passed_count: int  # 合格人数
    lines: list[SummaryLine] = field(default_factory=list)

    def total_by_level(self) -> dict[int, int]:
        return {lv: sum(line.passed_by_level.get(lv, 0) for line in self.lines) for lv in SUMMARY_LEVEL_ORDER}


_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_FONT = Font(name="宋体", size=11)
_BOLD = Font(name="宋体", size=11, bold=True)


def _set(ws: Worksheet, ref: str, value: Any, *, user: bool = False, font: Font = _FONT,
         align: Alignment = _CENTER) -> None:
    cell = ws[ref]
    cell.value = xml_safe(value) if isinstance(value, str) else value
    if isinstance(value, str) and (user or value.startswith(FORMULA_PREFIXES)):
        cell.data_type = "s"  # user text is never a formula
    cell.font = font
    cell.alignment = align


def _box(ws: Worksheet, first_row: int, last_row: int, first_col: int = 1, last_col: int = 7) -> None:
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=first_col, max_col=last_col):
        for cell in row:
            cell.border = _BORDER


def _date_cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def write_summary_table(path: Path, table: SummaryTable) -> Path:
    """附件4 on one A4 sheet, columns A–G: 认定工种, 初级, 中级, 高级, 技师, 高级技师, 小计."""
    wb = Workbook()
    ws = wb.active
    ws.title = "结果汇总表"
    for col, width in zip("ABCDEFG", (26, 10, 10, 10, 10, 10, 10), strict=True):
        ws.column_dimensions[col].width = width

    ws.merge_cells("A1:G1")
    _set(ws, "A1", SUMMARY_TITLE, font=Font(name="宋体", size=16, bold=True))
    ws.row_dimensions[1].height = 32
    ws.merge_cells("A2:D2")
    _set(ws, "A2", f"填报单位（章）：{table.unit}", user=True, align=_LEFT)
    ws.merge_cells("E2:G2")
    _set(ws, "E2", f"填报日期：{_date_cn(table.filled_on)}", align=_LEFT)

    # 认定时间 | … | 备案人数 | …
    _set(ws, "A3", "认定时间", font=_BOLD)
    ws.merge_cells("B3:D3")
    _set(ws, "B3", table.period, user=True)
    _set(ws, "E3", "备案人数", font=_BOLD)
    ws.merge_cells("F3:G3")
    _set(ws, "F3", table.filed_count)
    # 考生来源 | … | 认定人数 | … | 合格人数 | …
    _set(ws, "A4", "考生来源", font=_BOLD)
    _set(ws, "B4", table.candidate_source, user=True)
    _set(ws, "C4", "认定人数", font=_BOLD)
    _set(ws, "D4", table.assessed_count)
    _set(ws, "E4", "合格人数", font=_BOLD)
    ws.merge_cells("F4:G4")
    _set(ws, "F4", table.passed_count)
    # 认定工种 | 等级及合格人数 ; / | 初级 … 小计
    _set(ws, "A5", "认定工种", font=_BOLD)
    ws.merge_cells("B5:G5")
    _set(ws, "B5", "等级及合格人数", font=_BOLD)
    _set(ws, "A6", "/")
    for col, title in zip("BCDEFG", (*SUMMARY_LEVEL_HEADERS, "小计"), strict=True):
        _set(ws, f"{col}6", title, font=_BOLD)
    row = 7
    for line in table.lines:
        _set(ws, f"A{row}", line.work_type, user=True)
        for col, lv in zip("BCDEF", SUMMARY_LEVEL_ORDER, strict=True):
            _set(ws, f"{col}{row}", line.passed_by_level.get(lv, 0))
        _set(ws, f"G{row}", line.subtotal)
        row += 1
    totals = table.total_by_level()
    _set(ws, f"A{row}", "合计", font=_BOLD)
    for col, lv in zip("BCDEF", SUMMARY_LEVEL_ORDER, strict=True):
        _set(ws, f"{col}{row}", totals[lv])
    _set(ws, f"G{row}", sum(totals.values()))
    for r in range(3, row + 1):
        ws.row_dimensions[r].height = 24
    _box(ws, 3, row)
    row += 1
    # the two approval blocks: label (A) | blank space and 负责人/date line (B–G)
    for label in (CENTRE_OPINION, DEPARTMENT_OPINION):
        top, bottom = row, row + 3
        ws.merge_cells(f"A{top}:A{bottom}")
        _set(ws, f"A{top}", label, font=_BOLD)
        ws.merge_cells(f"B{top}:G{bottom}")
        _set(ws, f"B{top}", "\n\n\n" + SIGN_LINE,
             align=Alignment(horizontal="right", vertical="bottom", wrap_text=True))
        for r in range(top, bottom + 1):
            ws.row_dimensions[r].height = 22
        _box(ws, top, bottom)
        row = bottom + 1
    ws.merge_cells(f"A{row}:G{row}")
    _set(ws, f"A{row}", SUMMARY_NOTE, align=_LEFT)
    ws.row_dimensions[row].height = 30

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    path = Path(path)
    with atomic_output(path) as tmp:
        wb.save(tmp)
    return path


def write_certificate_table(path: Path, rows: Iterable[Sequence[Any]]) -> Path:
    """附件5, data only: the header row and one row per certificate (twelve text values each:
    证件类型 as the code, e.g. 201; 发证日期 as YYYY-MM-DD text; empty where unknown)."""
    # a data file the province's system reads: no per-cell styles (as fast as bare openpyxl)
    return write_workbook(
        Path(path), [Sheet("证书信息表", CERTIFICATE_COLUMNS, rows, layout=DATA_ONLY)]
    )
