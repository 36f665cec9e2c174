"""xlsx writing: user text that looks like a formula stays text; exports read back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from app.reports.xlsx import Column, Sheet, write_workbook
from app.services.audit_query import AuditFilter, export_audit

DANGEROUS = ["=1+1", "+86 138", "-2", "@SUM(A1)", '=HYPERLINK("http://x","y")']


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    rows = [[v, 1, Decimal("59.5"), dt.date(2026, 11, 23)] for v in DANGEROUS]
    write_workbook(out, [Sheet("表", [Column("值"), Column("数"), Column("分"), Column("日期")], rows, ["标题"])])
    ws = load_workbook(out)["表"]
    assert ws["A1"].value == "标题" and ws["A2"].value == "值"
    for i, v in enumerate(DANGEROUS, start=3):
        cell = ws.cell(i, 1)
        assert cell.value == v and cell.data_type == "s"
        assert ws.cell(i, 3).value == 59.5
        assert ws.cell(i, 4).value.date() == dt.date(2026, 11, 23)
    assert not (tmp_path / "t.xlsx.part").exists()


def test_audit_export_reads_back(db, admin, tmp_path: Path) -> None:
    from app.services import calendar

    with db.session() as s:
        calendar.set_day(s, admin, dt.date(2031, 1, 1), "休", "元旦")
    out = tmp_path / "audit.xlsx"
    with db.session() as s:
        n = export_audit(s, admin, AuditFilter(), out)
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]][:4] == ["序号", "时间（UTC）", "用户", "操作"]
    assert ws.max_row == n + 1 >= 4
    assert ws.cell(n + 1, 5).value == "calendar.set"


def test_error_code_text_stays_text_in_data_only_sheets(tmp_path: Path) -> None:
    """"#N/A" typed as an employer is text, not an error cell (DATA_ONLY sheets write through
    cell_for, as the 附件5 table does); formula-like text keeps Excel's quote prefix."""
    from app.reports.xlsx import DATA_ONLY

    out = tmp_path / "d.xlsx"
    values = ["#N/A", "#REF!", "#DIV/0!", "=1+1", "#不是错误"]
    write_workbook(out, [Sheet("s", [Column(f"c{i}") for i in range(5)], [values], layout=DATA_ONLY)])
    ws = load_workbook(out)["s"]
    row = [ws.cell(2, i + 1) for i in range(5)]
    assert [c.value for c in row] == values
    assert [c.data_type for c in row] == ["s"] * 5
    assert row[3].quotePrefix  # Excel keeps it text when the cell is edited
