"""The downloadable import template and the error report of a rejected import."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.errors import ValidationError
from app.output_file import atomic_output
from app.reports.xlsx import Column, Sheet, write_workbook
from app.rules.id_types import ID_TYPES
from app.services.importing.columns import (
    EXAMPLE_ID_NUMBER,
    EXAMPLE_NAME,
    KIND_NAMES,
    NOTES_SHEET,
    columns_for,
)
from app.services.importing.results import MODE_NAMES, MODES, ImportPreview, mode_hint

TEMPLATE_ROWS = 2000  # cells formatted as text below the header, besides the column style
_TEXT_COLUMNS = ("id_number", "phone", "certificate_no", "id_type")
_EXAMPLE = {
    "name": EXAMPLE_NAME,
    "id_type": "201",
    "id_number": EXAMPLE_ID_NUMBER,
    "gender": "女",
    "birth_date": "1949-12-31",
    "phone": "13800138000",
    "employer": "重庆巴渝职业技能培训学校",
    "education": "大学本科",
    "city": "重庆市",
    "title": "高级技师",
    "roles": "考评员、监考员",
    "duties": "",
    "specialty": "",
    "certificate_no": "KP5020230001",
    "occupations": "4-12-01-01",
    "work_type": "",
    "max_level": "三级/高级工",
    "valid_from": "2023-07-01",
    "valid_until": "2028-06-30",
    "in_house": "否",
    "agreement_on_file": "是",
    "agreement_until": "2027-12-31",
}


def write_template(kind: str, out_xlsx: str | Path) -> Path:
    """An xlsx with the header, one example row, and ID/phone columns formatted as text ("@")."""
    if kind not in KIND_NAMES:
        raise ValidationError(
            f"模板类型“{kind}”无效：应为 staff（工作人员）或 people（人员/考生）。"
        )
    cols = columns_for(kind)
    wb = Workbook()  # a normal workbook: column styles need it (write-only cannot style columns)
    ws = wb.active
    ws.title = f"{KIND_NAMES[kind]}导入"
    bold = Font(bold=True)
    required = PatternFill("solid", fgColor="FFF2CC")
    for i, col in enumerate(cols, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=col.title)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        if kind in col.required:
            cell.fill = required
        ws.column_dimensions[letter].width = max(12, len(col.title) * 2 + 4)
        if col.key in _TEXT_COLUMNS:
            ws.column_dimensions[letter].number_format = "@"
            for r in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=r, column=i).number_format = "@"
        value = _EXAMPLE.get(col.key, "")
        if value:
            c = ws.cell(row=2, column=i, value=value)
            c.data_type = "s"
    ws.freeze_panes = "A2"
    notes = wb.create_sheet(NOTES_SHEET)
    notes.append(["列名", "说明"])
    for col in cols:
        flag = "（必填）" if kind in col.required else ""
        notes.append([col.title + flag, col.hint or ""])
    notes.append([])
    notes.append(["证件类型代码", "、".join(f"{c} {n}" for c, n in ID_TYPES.items())])
    notes.append(["提示", "第2行为示例，导入前请删除；证件号码列已设为文本格式，请勿粘贴为数值。"])
    notes.append(["读取哪张表", "只读取第一个未隐藏的工作表（本模板的第一张表）；本说明表不会被导入。"])
    notes.append([])
    notes.append(["导入模式", "导入时选择；先点“检查文件”预览每一行的结果，有任何错误则整个文件都不导入。"])
    for mode in MODES:
        notes.append([f"{MODE_NAMES[mode]}（{mode}）", mode_hint(kind, mode)])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 90
    for row in notes.iter_rows(min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    path = Path(out_xlsx)
    with atomic_output(path) as tmp:
        wb.save(tmp)
    return path


def write_error_report(preview: ImportPreview, out_xlsx: str | Path) -> Path:
    """Every rejected row's problems, one line each: sheet, row, column, header, name, reason."""
    lines = []
    for row in preview.rows:
        for e in row.errors:
            lines.append([e.sheet, e.row, e.column, e.header, row.name, e.message])
    # (替换, staff) people the file leaves out who cannot lose the role: no row to point at.
    # Score and candidate previews have no removals.
    for removal in getattr(preview, "blocked_removals", ()):
        lines.append(["", "", "", "", removal.name, f"{removal.role_name}角色不能移除：{removal.reason}"])
    columns = [
        Column("工作表", 14),
        Column("行号", 8),
        Column("列", 6),
        Column("列名", 16),
        Column("姓名", 14),
        Column("原因", 90),
    ]
    title = f"“{preview.file_name}”导入错误报告：{len(lines)} 处问题（改正后整表重新导入）"
    return write_workbook(Path(out_xlsx), [Sheet("错误报告", columns, lines, title_rows=[title])])
