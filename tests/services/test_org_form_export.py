"""The 基本情况表 export: 一、基本信息 with every field of the forms and the 机构性质 boxes ticked,
二、the filed scope one line per occupation (work type) with its level range — read back from the
xlsx — from the service, the CLI and the 上报导出 page; audited, and refused without EXPORT."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.cli.main import main
from app.db import Database
from app.errors import PermissionDenied
from app.models import AuditEntry
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.catalogue import OccupationInput, create_occupation
from app.services.filed_scope import add_scope_entry
from app.services.org_form_export import export_org_form
from app.services.users import authenticate, create_user
from tests.conftest import ADMIN_PASSWORD
from tests.services.test_organisation_qa3 import _save


def _filed(db: Database, admin: Actor) -> None:
    _save(
        db, admin, address="重庆市沙坪坝区大学城中路 88 号", nature="社会组织",
        mobile="13908312345", contact_title="=HYPERLINK(\"x\")", filed_on=dt.date(2024, 3, 18),
        filing_valid_until=dt.date(2027, 3, 17), filing_code="S000050000017",
    )  # fmt: skip
    with db.session() as s:
        occ = create_occupation(
            s, admin, OccupationInput("4-12-01-01", "汽车维修工", False, ["汽车检测工"])
        )
        wt = occ.work_types[0].id
        for level, started, count in ((5, dt.date(2022, 5, 1), 100), (3, dt.date(2021, 4, 1), 20)):
            add_scope_entry(
                s, admin, occ.id, level, wt, started_on=started, assessed_count=count,
                standard="国家职业技能标准",
            )  # fmt: skip
        other = create_occupation(s, admin, OccupationInput("4-14-02-03", "健康照护师", True, []))
        add_scope_entry(s, admin, other.id, 4, subsidised_training="2025 年补贴性培训 60 人次")


def _sheets(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_the_form_read_back(db: Database, admin: Actor, tmp_path: Path) -> None:
    _filed(db, admin)
    with db.session() as s:
        path = export_org_form(s, admin, tmp_path / "基本情况表.xlsx")
    sheets = _sheets(path)
    assert list(sheets) == ["基本信息", "职业（工种）情况"]
    basics = {row[0]: row[1] for row in sheets["基本信息"] if row[1] is not None}
    assert basics["地址"] == "重庆市沙坪坝区大学城中路 88 号"
    assert basics["机构性质"] == "☐企事业单位　☐院校　☑社会组织"  # Chongqing's three boxes
    assert basics["联系人手机"] == "13908312345"
    assert basics["联系人职务"] == '=HYPERLINK("x")'  # stays text, never a formula
    assert basics["备案编码"] == "S000050000017" and basics["备案有效期至"] == "2027-03-17"
    scope = sheets["职业（工种）情况"]
    header = next(i for i, row in enumerate(scope) if row[0] == "序号")
    lines = [row for row in scope[header + 1 :] if row[0] is not None]
    assert [(r[1], r[2], r[3], r[4]) for r in lines] == [
        ("汽车维修工（汽车检测工）", "4-12-01-01", "否", "三级/高级工、五级/初级工"),
        ("健康照护师", "4-14-02-03", "是", "四级/中级工"),
    ]
    first = lines[0]
    assert first[5].date() == dt.date(2021, 4, 1) and first[6] == 120  # earliest, summed
    assert first[7] == "国家职业技能标准" and lines[1][8] == "2025 年补贴性培训 60 人次"
    with db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "organisation.export" and "基本情况表.xlsx" in last.summary
        assert verify_audit(s).ok


def test_refused_without_the_export_right(db: Database, admin: Actor, tmp_path: Path) -> None:
    _filed(db, admin)
    with db.session() as s:
        create_user(s, admin, "lufen", "scorer", "Lufen#2026x", "录分员")
    with db.session() as s:
        scorer = authenticate(s, "lufen", "Lufen#2026x")
    with pytest.raises(PermissionDenied), db.session() as s:
        export_org_form(s, scorer, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_and_page(
    db: Database, admin: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot,
) -> None:  # fmt: skip
    from app.ui.pages import records
    from app.ui.pages.records import ExportsPage

    _filed(db, admin)
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    out = tmp_path / "cli.xlsx"
    code = main(["--data-dir", str(db.data_dir), "export", "org-form", str(out), "--user", "admin"])
    assert code == 0 and str(out) in capsys.readouterr().out
    assert "基本信息" in _sheets(out)

    monkeypatch.setattr(records, "choose_save_file", lambda parent, title, name: tmp_path / name)
    page = ExportsPage(db, admin)
    qtbot.addWidget(page)
    page.buttons["org_form"].click()
    written = tmp_path / "机构基本情况表.xlsx"
    assert written.exists() and str(written) in page.result.text()
