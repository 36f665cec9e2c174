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
from app.errors import PermissionDenied, ValidationError
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
        registered_capital="500",
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
    assert list(sheets) == ["基本信息", "职业（工种）情况", "承诺"]
    assert sheets["基本信息"][0][0] == "社会培训评价组织基本情况表"  # Chongqing's form, 000 附件1
    basics = {row[0]: row[1] for row in sheets["基本信息"] if row[1] is not None}
    assert basics["地址"] == "重庆市沙坪坝区大学城中路 88 号"
    assert basics["机构性质"] == "☐企事业单位　☐院校　☑社会组织"  # Chongqing's three boxes
    assert "联系人手机" not in basics and "网站" not in basics  # not on Chongqing's form
    assert basics["职务"] == '=HYPERLINK("x")'  # the form's label; stays text, never a formula
    assert basics["备案编码"] == "S000050000017" and basics["备案有效期至"] == "2027-03-17"
    scope = sheets["职业（工种）情况"]
    assert scope[1][0] == "二、拟开展职业技能等级评价的职业（工种）情况"
    header = next(i for i, row in enumerate(scope) if row[0] == "序号")
    assert scope[header] == (
        "序号", "职业（工种）名称", "职业编码", "是否新职业", "培训评价起始日期",
        "已培训评价人数（人）", "评价等级范围",
    )  # fmt: skip
    lines = [row for row in scope[header + 1 :] if row[0] is not None]
    assert [(r[1], r[2], r[3], r[6]) for r in lines] == [
        ("汽车维修工（汽车检测工）", "4-12-01-01", "否", "三级/高级工、五级/初级工"),
        ("健康照护师", "4-14-02-03", "是", "四级/中级工"),
    ]
    first = lines[0]
    assert first[4].date() == dt.date(2021, 4, 1) and first[5] == 120  # earliest, summed
    pledge = [row[0] for row in sheets["承诺"] if row[0]]
    assert pledge[1] == "六、诚信承诺" and pledge[2].startswith("本单位承诺申报材料真实有效")
    # the seed's signature lines and its closing 注 (000 附件1), nothing the form does not have
    assert pledge[-3:] == [
        "法定代表人（签字）：", "单位名称（公章）：", "注：请申请单位在单位名称处加盖本单位公章；本表可增行或续页。",
    ]  # fmt: skip
    assert basics["注册资金"] == "500.00 万元"  # the form's label; the unit with the value
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


def _layout_of(profile: str, tmp_path: Path) -> dict[str, list[tuple]]:
    """The form of `profile` written over fixed data and read back."""
    from app.reports.org_form import ScopeLine, org_form_sheets
    from app.reports.xlsx import write_workbook
    from app.rules.profiles import load_profile
    from app.services.org_form_export import form_layout

    values = {"name": "某评价机构", "mobile": "13908312345", "website": "www.example.cn"}
    lines = [
        ScopeLine("汽车维修工", "汽车检测工", "4-12-01-01", False, ["三级/高级工"],
                  dt.date(2021, 4, 1), 20, ["国家职业技能标准"], ["补贴性培训 60 人次"]),
        ScopeLine("健康照护师", "", "4-14-02-03", True, ["四级/中级工"], None, 0),
    ]  # fmt: skip
    form = form_layout(load_profile(profile).organisation_form)
    return _sheets(write_workbook(tmp_path / f"{profile}.xlsx", org_form_sheets(form, values, lines)))


def _table(sheet: list[tuple]) -> list[tuple]:
    header = next(i for i, row in enumerate(sheet) if row[0] == "序号")
    return [row for row in sheet[header:] if row[0] is not None]


def test_guizhou_s_application_form_has_its_own_fields_and_columns(tmp_path: Path) -> None:
    sheets = _layout_of("guizhou", tmp_path)
    assert sheets["基本信息"][0][0] == "职业技能等级认定机构备案申请表"  # 001 附件1
    basics = {row[0]: row[1] for row in sheets["基本信息"][2:]}
    assert basics["单位名称"] == "某评价机构" and basics["联系人手机"] == "13908312345"
    assert basics["网站"] == "www.example.cn" and "联系人电话" in basics
    header, *rows = _table(sheets["职业（工种）情况"])
    assert header == ("序号", "职业名称", "职业编码", "工种名称", "认定等级",
                      "国家职业标准或行业企业评价规范")  # fmt: skip
    assert rows == [
        (1, "汽车维修工", "4-12-01-01", "汽车检测工", "三级/高级工", "国家职业技能标准"),
        (2, "健康照护师", "4-14-02-03", None, "四级/中级工", None),
    ]
    assert [r[0] for r in sheets["承诺"] if r[0]][1] == "四、诚信承诺"


def test_shandong_asks_whether_a_standard_exists_and_anhui_for_subsidised_training(
    tmp_path: Path,
) -> None:
    header, *rows = _table(_layout_of("shandong", tmp_path)["职业（工种）情况"])
    assert header[3] == "有无职业标准或评价规范" and [r[3] for r in rows] == ["有", "无"]
    assert header[4] == "评价经历时间" and header[5] == "已评价人数（人）"
    header, *rows = _table(_layout_of("anhui", tmp_path)["职业（工种）情况"])
    assert header[6] == "开展补贴性培训情况" and rows[0][6] == "补贴性培训 60 人次"
    assert header[7] == "评价等级范围"


def test_the_national_profile_keeps_every_field_and_has_no_pledge(tmp_path: Path) -> None:
    sheets = _layout_of("national", tmp_path)
    assert list(sheets) == ["基本信息", "职业（工种）情况"]
    labels = [row[0] for row in sheets["基本信息"][2:]]
    assert "联系人手机" in labels and "网站" in labels and "统一社会信用代码" in labels


def test_a_nature_that_is_no_box_of_the_province_s_form_stops_the_export(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """After a switch to Guizhou, "社会组织" (a Chongqing box) is none of 001's boxes: the export
    says what to do rather than print a box the form does not have."""
    from app.services.organisation import get_organisation

    _filed(db, admin)
    with db.session() as s:
        get_organisation(s).profile_name = "guizhou"  # as a profile switch leaves it
    with pytest.raises(ValidationError) as info, db.session() as s:
        export_org_form(s, admin, tmp_path / "x.xlsx")
    assert "机构性质“社会组织”不是贵州省基本情况表中的选项" in info.value.message
    assert "请先在“机构与备案”页面重新选择机构性质并保存" in info.value.message
    assert not (tmp_path / "x.xlsx").exists()


def test_the_national_profile_prints_no_note_about_practice(tmp_path: Path) -> None:
    sheets = _layout_of("national", tmp_path)
    assert not any("未规定" in str(cell) for row in sheets["基本信息"] for cell in row)


def test_the_unit_of_the_registered_capital_is_printed_once(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The provinces' forms say 注册资金 (the unit goes with the value); the national layout's
    label 注册资金（万元） holds it already."""
    from app.services.organisation import get_organisation

    _filed(db, admin)
    with db.session() as s:
        get_organisation(s).profile_name = "national"
    with db.session() as s:
        out = export_org_form(s, admin, tmp_path / "n.xlsx")
    basics = {row[0]: row[1] for row in _sheets(out)["基本信息"] if row[1] is not None}
    assert basics["注册资金（万元）"] == "500.00" and "注册资金" not in basics
