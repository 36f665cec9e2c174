"""The roster export (000 附件1 四) as a filing form: frozen header, print setup, ID numbers as
text, and examiner qualifications that are expired or not yet valid marked, not listed as current."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditEntry
from app.services.roster import (
    PersonInput,
    QualificationInput,
    RoleInput,
    add_person,
)
from app.services.roster_export import export_roster
from tests.services.conftest import make_id

TODAY = dt.date(2026, 5, 1)
SHEETS = ["专职工作人员", "专家", "考评人员", "内部督导人员"]


def _add(s, admin, name, number, roles=(), quals=(), **kw):  # type: ignore[no-untyped-def]
    return add_person(
        s, admin, PersonInput(name=name, id_number=number, **kw), list(roles), list(quals)
    )


def _everyone(s, admin, roster_org) -> None:  # type: ignore[no-untyped-def]
    _add(s, admin, "专职甲", make_id(41), [RoleInput("fulltime", duties="考务组织、报名审核" * 5)])
    _add(s, admin, "专家甲", make_id(42), [RoleInput("expert", specialty="电气")])
    _add(
        s,
        admin,
        "考评甲",
        make_id(43),
        [RoleInput("examiner")],
        [QualificationInput(roster_org["electrician"], 3, certificate_no="KP1")],
    )
    _add(s, admin, "督导甲", make_id(44), [RoleInput("supervisor")], employer="某某技师学院")


def test_every_roster_sheet_is_a_printable_form(db, admin, roster_org, tmp_path: Path) -> None:
    with db.session() as s:
        _everyone(s, admin, roster_org)
        export_roster(s, admin, tmp_path / "名册.xlsx", today=TODAY)
    wb = load_workbook(tmp_path / "名册.xlsx")
    assert wb.sheetnames == SHEETS
    for ws in wb.worksheets:
        width = ws.max_column
        assert ws.freeze_panes == "A3", ws.title  # caption row 1, header row 2 stays in view
        assert {str(r) for r in ws.merged_cells.ranges} == {f"A1:{chr(64 + width)}1"}
        assert ws.print_title_rows == "$2:$2"  # the header repeats on every printed page
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        for cell in ws[3]:  # the data row: bordered, long text wrapped
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
            assert cell.alignment.wrap_text or not isinstance(cell.value, str)
    # the eight-column 考评人员 table is too wide for A4 portrait
    assert wb["考评人员"].page_setup.orientation == "landscape"


def test_id_numbers_are_text_formatted_in_every_sheet(
    db, admin, roster_org, tmp_path: Path
) -> None:
    with db.session() as s:
        _everyone(s, admin, roster_org)
        export_roster(s, admin, tmp_path / "名册.xlsx", today=TODAY)
    wb = load_workbook(tmp_path / "名册.xlsx")
    for ws, number in zip(wb.worksheets, [make_id(n) for n in (41, 42, 43, 44)], strict=True):
        assert ws["C2"].value == "身份证号"
        cell = ws["C3"]
        assert (cell.value, cell.data_type, cell.number_format) == (number, "s", "@"), ws.title
        assert ws["D3"].number_format == "General"  # only the ID column


def test_expired_and_future_qualifications_are_marked_not_listed_as_current(
    db, admin, roster_org, tmp_path: Path, audit_ok
) -> None:
    cook, electrician = roster_org["cook"], roster_org["electrician"]
    hot_dishes = roster_org["work_types"]["中式热菜"]
    with db.session() as s:
        _add(
            s,
            admin,
            "考评乙",
            make_id(51),
            [RoleInput("examiner")],
            [
                QualificationInput(  # expired yesterday
                    electrician,
                    2,
                    certificate_no="KP-OLD",
                    valid_from=dt.date(2021, 1, 1),
                    valid_until=TODAY - dt.timedelta(days=1),
                ),
                QualificationInput(  # current, its last day today
                    cook, 3, work_type_id=hot_dishes, certificate_no="KP-NOW", valid_until=TODAY
                ),
            ],
        )
        _add(
            s,
            admin,
            "考评丙",
            make_id(52),
            [RoleInput("examiner"), RoleInput("proctor")],
            [
                QualificationInput(  # not yet in force
                    electrician, 4, certificate_no="KP-NEW", valid_from=TODAY + dt.timedelta(days=1)
                )
            ],
        )
        result = export_roster(s, admin, tmp_path / "名册.xlsx", today=TODAY)
    assert result.examiners == 2 and result.qualifications_not_current == 2
    assert "2 项考评资格已过期或尚未生效" in result.qualification_note
    ws = load_workbook(tmp_path / "名册.xlsx")["考评人员"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    # 序号 姓名 身份证号 考评员证书号 考评职业 …: the current one first, with its highest level
    assert rows["考评乙"][3] == "KP-NOW、KP-OLD（已过期）"
    assert rows["考评乙"][4] == (
        "中式烹调师（中式热菜，最高三级）、电工（最高二级，已过期：有效期至2026-04-30）"
    )
    assert rows["考评丙"][3] == "KP-NEW（未生效）"
    assert rows["考评丙"][4] == "电工（最高四级，未生效：有效期自2026-05-02起）"
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "roster.export"))
        assert entry is not None and json.loads(entry.summary)["qualifications_not_current"] == 2
    audit_ok()


def test_all_current_qualifications_need_no_note(db, admin, roster_org, tmp_path: Path) -> None:
    with db.session() as s:
        _everyone(s, admin, roster_org)
        result = export_roster(s, admin, tmp_path / "名册.xlsx", today=TODAY)
    assert result.qualifications_not_current == 0 and result.qualification_note == ""
    row = next(
        load_workbook(tmp_path / "名册.xlsx")["考评人员"].iter_rows(min_row=3, values_only=True)
    )
    assert row[3:5] == ("KP1", "电工（最高三级）")
