"""QA round 3 on the organisation record: the profile only with the settings right, one filing
validity for the dashboard, the page and `org show` (reminder lead time, Guizhou's automatic
continuation, a blank end date), the whole 基本情况表 in `org show`, the filed entries' start date
and count, a rename with issued certificates, and three messages."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli.main import main
from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Certificate, ScopeEntry
from app.services.actor import Actor
from app.services.audit import record
from app.services.catalogue import OccupationInput, create_occupation
from app.services.certificates import issue_certificates
from app.services.dashboard import upcoming_deadlines
from app.services.filed_scope import add_scope_entry, list_scope, update_scope_history
from app.services.organisation import (
    OrgInput,
    get_organisation,
    issued_certificate_count,
    rename_impact,
    save_organisation,
    set_scope_level,
)
from app.services.organisation_overview import organisation_overview
from app.services.users import authenticate, create_user
from tests.printing.certfactory import small_db

NAME = "重庆巴渝职业技能培训学校"
VALID_UNTIL = dt.date(2027, 3, 17)


def _save(db: Database, actor: Actor, reason: str = "", **changes: object):  # type: ignore[no-untyped-def]
    with db.session() as s:
        org = get_organisation(s)
        if org is None:
            data = OrgInput(name=NAME, org_type="S", profile_name="chongqing")
        else:
            data = OrgInput(**{f.name: getattr(org, f.name) for f in fields(OrgInput)})
        for key, value in changes.items():
            setattr(data, key, value)
        return save_organisation(s, actor, data, reason)


def _clerk(db: Database, admin: Actor) -> Actor:
    with db.session() as s:
        create_user(s, admin, "clerk1", "clerk", "Clerk#2026x", "考务员甲")
    with db.session() as s:
        return authenticate(s, "clerk1", "Clerk#2026x")


def _occupation(db: Database, admin: Actor, code: str = "6-31-01-03", is_new: bool = False) -> int:
    with db.session() as s:
        return create_occupation(s, admin, OccupationInput(code, "电工", is_new, [])).id


def _dated(db: Database, admin: Actor, profile: str, filed_on, valid_until) -> None:  # type: ignore[no-untyped-def]
    """The organisation under ``profile`` with these filing dates (saved by the administrator)."""
    _save(db, admin, profile_name=profile, scope_level="city" if profile == "chongqing" else "all",
          filed_on=filed_on, filing_valid_until=valid_until)  # fmt: skip


def _validity(db: Database, today: dt.date):  # type: ignore[no-untyped-def]
    with db.session() as s:
        overview = organisation_overview(s, today)
        items = [
            i for i in upcoming_deadlines(s, today)
            if i.target_page == "organisation" and i.kind != "scope_conflict"
        ]  # fmt: skip
    return overview, items


# --- 1: the province profile needs MANAGE_SETTINGS -------------------------------------------


def test_clerk_cannot_change_the_profile_through_the_form(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin)
    clerk = _clerk(db, admin)
    with pytest.raises(PermissionDenied, match="更换省份规则"):
        _save(db, clerk, profile_name="anhui", filing_code="S000034010001", scope_level="all")
    with db.session() as s:
        org = get_organisation(s)
        assert (org.profile_name, org.filing_code) == ("chongqing", None)
        denied = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "permission.denied")
        ).all()
    assert len(denied) == 1 and denied[0].username == "clerk1"
    assert json.loads(denied[0].summary)["permission"] == "manage_settings"
    # the rest of the form is still the clerk's to edit
    _save(db, clerk, address="重庆市沙坪坝区大学城中路 88 号")
    with db.session() as s:
        assert get_organisation(s).address.startswith("重庆市沙坪坝区")


def test_creating_under_a_province_profile_needs_the_settings_right(db, admin) -> None:  # type: ignore[no-untyped-def]
    clerk = _clerk(db, admin)
    with pytest.raises(PermissionDenied):
        _save(db, clerk)  # a new organisation under chongqing
    with db.session() as s:
        assert get_organisation(s) is None
    _save(db, clerk, profile_name="national", scope_level="all")  # the default profile: allowed
    with db.session() as s:
        assert get_organisation(s).profile_name == "national"


# --- 2: one validity computation, reminding before the deadline -------------------------------


@pytest.mark.parametrize("profile", ["chongqing", "guizhou", "anhui", "national", "shandong"])
def test_page_and_dashboard_agree(db, admin, profile: str) -> None:  # type: ignore[no-untyped-def]
    _dated(db, admin, profile, dt.date(2024, 3, 18), VALID_UNTIL)
    for offset in (-400, -1, 0, 1, 2, 3, 5, 10, 28, 29, 30, 31, 32, 33, 35, 60, 200):
        today = VALID_UNTIL - dt.timedelta(days=offset)
        overview, items = _validity(db, today)
        assert len(items) == 1, (today, items)
        assert overview.validity_urgency == items[0].level, (profile, today, overview.validity_text)
        if items[0].level in ("soon", "overdue"):
            assert overview.validity_status in ("renew_soon", "expired"), (profile, today)
        else:
            assert overview.validity_status in ("valid", "auto_renewed"), (profile, today)


def test_chongqing_reminds_before_the_renewal_deadline(db, admin) -> None:  # type: ignore[no-untyped-def]
    _dated(db, admin, "chongqing", dt.date(2024, 3, 18), VALID_UNTIL)
    # green until the profile's reminder lead (renewal_reminder_days = 60) before the deadline;
    # was 2027-01-16 when the lead was the dashboard's generic 3 working days
    overview, items = _validity(db, dt.date(2026, 12, 16))
    assert overview.validity_status == "valid" and overview.renewal_deadline == dt.date(2027, 2, 15)
    assert "最迟 2027-02-15" in overview.validity_text  # named early, in green
    overview, items = _validity(db, dt.date(2027, 2, 14))  # 31 days left, the deadline tomorrow
    assert overview.validity_status == "renew_soon" and items[0].level == "soon"
    assert "最迟 2027-02-15（还有 1 天）" in overview.validity_text
    overview, _ = _validity(db, dt.date(2027, 2, 15))
    assert "今天是最后一天" in overview.validity_text
    overview, items = _validity(db, dt.date(2027, 2, 16))  # the deadline passed yesterday
    assert overview.validity_urgency == "overdue" == items[0].level
    assert "2027-02-15 已过" in overview.validity_text and "已过" in items[0].detail
    assert "应在到期 30 日前申请延续" not in overview.validity_text
    overview, _ = _validity(db, VALID_UNTIL)
    assert "今天（2027-03-17）到期" in overview.validity_text and "还有 0 天" not in overview.validity_text


def test_a_profile_without_renewal_notice_turns_amber_with_the_dashboard(db, admin) -> None:  # type: ignore[no-untyped-def]
    _dated(db, admin, "anhui", dt.date(2024, 3, 18), VALID_UNTIL)
    overview, items = _validity(db, dt.date(2027, 3, 16))
    assert overview.validity_status == "renew_soon" and items[0].level == "soon"
    overview, items = _validity(db, VALID_UNTIL)
    assert overview.validity_status == "renew_soon" and "今天" in overview.validity_text
    assert "还有 0 天" not in overview.validity_text and "今天到期" in items[0].detail
    # green until the profile's reminder lead (renewal_reminder_days = 60) before the expiry;
    # was 2027-01-16 (60 days ahead) when the lead was the dashboard's generic 3 working days
    overview, _ = _validity(db, dt.date(2027, 1, 15))
    assert overview.validity_status == "valid"


# --- 3: Guizhou continues automatically -------------------------------------------------------


def test_guizhou_filing_continues_automatically(db, admin) -> None:  # type: ignore[no-untyped-def]
    _dated(db, admin, "guizhou", dt.date(2024, 3, 18), VALID_UNTIL)
    overview, items = _validity(db, dt.date(2027, 3, 16))
    assert overview.validity_status == "valid" and "自动延续" in overview.validity_text
    assert items[0].level == "later" and "无需申请" in items[0].detail
    overview, items = _validity(db, dt.date(2027, 4, 1))
    assert overview.validity_status == "auto_renewed"
    assert "自动延续" in overview.validity_text and "不得开展认定" not in overview.validity_text
    assert "2030-03-17" in overview.validity_text  # the continued period, 3 more years
    assert [i.kind for i in items] == ["filing_auto_renewed"] and items[0].level == "later"
    assert items[0].title == "机构备案已自动延续" and "已过期" not in items[0].title


# --- 4: a blank 备案有效期至 ------------------------------------------------------------------


def test_blank_end_date_is_estimated_alike_on_page_and_dashboard(db, admin) -> None:  # type: ignore[no-untyped-def]
    _dated(db, admin, "chongqing", dt.date(2022, 3, 18), None)
    overview, items = _validity(db, dt.date(2026, 11, 23))
    assert overview.validity_status == "expired" and overview.validity_estimated
    assert overview.effective_valid_until == dt.date(2025, 3, 17) == items[0].due
    assert "推算为 2025-03-17" in overview.validity_text and "未登记备案有效期" in overview.validity_text
    assert "推算为 2025-03-17" in items[0].detail and items[0].level == "overdue"
    assert overview.as_dict()["effective_valid_until"] == "2025-03-17"
    _dated(db, admin, "chongqing", None, None)  # nothing to compute from: a line saying so
    overview, items = _validity(db, dt.date(2026, 11, 23))
    assert overview.validity_status == "unknown"
    assert [(i.kind, i.title, i.due) for i in items] == [("filing_unknown", "机构备案有效期未登记", None)]
    assert overview.validity_urgency == items[0].level == "soon"  # amber on both (QA round 11)
    assert "未登记备案日期和备案有效期至" in overview.validity_text


# --- 5: `org show` shows the whole 基本情况表 -------------------------------------------------


def test_org_show_prints_every_field(db, admin, capsys) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, legal_representative="周建国", email="kaowu@example.cn")
    occ = _occupation(db, admin, is_new=True)
    with db.session() as s:
        add_scope_entry(s, admin, occ, 3, started_on=dt.date(2021, 5, 1), assessed_count=120)
    assert main(["--data-dir", str(db.data_dir), "org", "show"]) == 0
    out = capsys.readouterr().out
    for label in ("地址", "注册登记机构", "机构性质", "法定代表人", "注册资金（万元）", "联系人",
                  "联系人职务", "联系电话", "联系人手机", "电子邮箱", "网站"):  # fmt: skip
        assert f"  {label}：" in out, label
    assert "法定代表人：周建国" in out and "电子邮箱：kaowu@example.cn" in out
    assert "注册登记机构：未填写" in out and "注册资金（万元）：未填写" in out
    assert "新职业：是" in out and "培训评价起始日期：2021-05-01" in out and "已培训评价 120 人" in out
    assert main(["--data-dir", str(db.data_dir), "org", "show", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("registration_authority", "nature", "legal_representative", "registered_capital",
                "contact_title", "email"):  # fmt: skip
        assert key in data, key
    assert data["legal_representative"] == "周建国" and data["registered_capital"] is None
    assert data["scope"][0]["is_new"] is True and data["scope"][0]["assessed_count"] == 120


# --- 6: 培训评价起始日期 and 已培训评价人数 ----------------------------------------------------


def test_scope_history_entered_edited_and_audited(db, admin, audit_ok) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin)
    occ = _occupation(db, admin)
    with db.session() as s:
        entry = add_scope_entry(s, admin, occ, 4, started_on=dt.date(2021, 5, 1), assessed_count="35")
        entry_id = entry.id
    with db.session() as s:
        update_scope_history(s, admin, entry_id, started_on=dt.date(2020, 9, 1), assessed_count=120,
                             reason="按 2026 年度统计更新")  # fmt: skip
    with db.session() as s:
        row = list_scope(s)[0]
        assert (row.started_on, row.assessed_count) == (dt.date(2020, 9, 1), 120)
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (last.action, last.entity, last.entity_id) == ("scope.update", "scope_entry", entry_id)
        assert last.reason == "按 2026 年度统计更新" and last.username == "admin"
        assert "2020-09-01" in last.summary and "120" in last.summary
        count = len(s.scalars(select(AuditEntry)).all())
    with db.session() as s:  # the same values again: nothing written
        update_scope_history(s, admin, entry_id, started_on=dt.date(2020, 9, 1), assessed_count=120)
    with db.session() as s:
        assert len(s.scalars(select(AuditEntry)).all()) == count
    audit_ok()


@pytest.mark.parametrize(
    ("started_on", "count", "message"),
    [
        (dt.date.today() + dt.timedelta(days=1), 0, "晚于今天"),
        (None, -1, "不能为负数"),
        (None, "-3", "不能为负数"),
        (None, 2.5, "不是整数"),
        (None, "十二", "不是整数"),
        (None, True, "不是整数"),
        (None, 10_000_000, "超出可登记的范围"),
    ],
)
def test_scope_history_refused(db, admin, started_on, count, message: str) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin)
    occ = _occupation(db, admin)
    with db.session() as s, pytest.raises(ValidationError, match=message):
        add_scope_entry(s, admin, occ, 4, started_on=started_on, assessed_count=count)
    with db.session() as s:
        entry_id = add_scope_entry(s, admin, occ, 4).id
    with db.session() as s, pytest.raises(ValidationError, match=message) as info:
        update_scope_history(s, admin, entry_id, started_on=started_on, assessed_count=count)
    assert info.value.field in ("started_on", "assessed_count")
    with db.session() as s:
        e = s.get(ScopeEntry, entry_id)
        assert (e.started_on, e.assessed_count) == (None, 0)


def test_scope_history_needs_the_edit_right(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin)
    occ = _occupation(db, admin)
    with db.session() as s:
        entry_id = add_scope_entry(s, admin, occ, 4).id
        create_user(s, admin, "scorer1", "scorer", "Scorer#2026x", "录分员")
    with db.session() as s:
        scorer = authenticate(s, "scorer1", "Scorer#2026x")
    with db.session() as s, pytest.raises(PermissionDenied):
        update_scope_history(s, scorer, entry_id, started_on=None, assessed_count=5)


# --- 7: a rename with issued certificates -----------------------------------------------------


def test_rename_with_issued_certificates_is_saved_and_explained(db, admin) -> None:  # type: ignore[no-untyped-def]
    small_db(db, batches=(("T-1", 3, 3),))
    with db.session() as s:
        issue_certificates(s, admin, "T-1", dt.date(2026, 3, 1), fix_content=False)
    with db.session() as s:
        assert issued_certificate_count(s) == 3
        assert rename_impact(s, NAME) is None and rename_impact(s, f" {NAME} ") is None
        assert rename_impact(s, "重庆巴渝职业培训学院") == (NAME, 3)
    _save(db, admin, reason="备案变更", name="重庆巴渝职业培训学院")
    with db.session() as s:
        assert get_organisation(s).name == "重庆巴渝职业培训学院"
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "organisation.update"
        assert last.reason.startswith("备案变更；") and "3 本证书印有改名前的名称" in last.reason
        assert f"由“{NAME}”改为“重庆巴渝职业培训学院”" in last.reason
        # renaming back: the same certificates, whose reprints would not match either way
        assert issued_certificate_count(s) == 3
        assert rename_impact(s, NAME) == ("重庆巴渝职业培训学院", 3)
    _save(db, admin, address="新地址")  # no rename: no such reason
    with db.session() as s:
        assert s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first().reason == ""


def test_voided_certificates_are_not_counted(db, admin) -> None:  # type: ignore[no-untyped-def]
    small_db(db, batches=(("T-1", 3, 2),))
    with db.session() as s:
        issue_certificates(s, admin, "T-1", dt.date(2026, 3, 1), fix_content=False)
    with db.session() as s:
        s.scalars(select(Certificate)).first().status = "voided"
    with db.session() as s:
        assert issued_certificate_count(s) == 1


# --- 8: messages ------------------------------------------------------------------------------


def test_bad_credit_code_names_the_form_field(db, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        _save(db, admin, credit_code="91500000MA5U123456")
    assert info.value.field == "credit_code"


def test_set_scope_level_refusal_names_its_own_action(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, scope_level="city")
    occ = _occupation(db, admin)
    with db.session() as s:
        add_scope_entry(s, admin, occ, 1)
    with db.session() as s, pytest.raises(ValidationError) as info:
        set_scope_level(s, admin, "district")
    assert info.value.message.endswith("再修改机构级别。")
    assert "再保存机构信息" not in info.value.message


def test_org_show_on_an_empty_data_dir(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--data-dir", str(tmp_path / "empty"), "org", "show"]) == 1
    err = capsys.readouterr().err
    assert "尚未登记评价机构信息" in err and "“机构与备案”页面" in err
    assert "再维护备案范围" not in err


def test_set_scope_level_without_an_organisation_names_its_action(db, admin) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s, pytest.raises(ValidationError) as info:
        set_scope_level(s, admin, "district")
    assert info.value.message.endswith("再修改机构级别。") and "“机构与备案”" in info.value.message


# --- 机构性质: the boxes of the province's 基本情况表 ----------------------------------------------
def test_nature_is_one_of_the_provinces_boxes(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, nature="社会组织")  # Chongqing 000 附件1: 企事业单位 / 院校 / 社会组织
    with pytest.raises(ValidationError, match="机构性质“民办非企业单位”不是重庆市基本情况表中的选项") as info:
        _save(db, admin, nature="民办非企业单位")
    assert "企事业单位、院校、社会组织之一" in info.value.message and info.value.field == "nature"
    _save(db, admin, nature="")  # blank: not filled in
    with db.session() as s:
        assert get_organisation(s).nature == ""


def test_a_nature_stored_before_the_check_does_not_block_other_edits(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, nature="社会组织")
    with db.session() as s:  # (as an older version stored it)
        org = get_organisation(s)
        org.nature = "民营培训学校"
        record(s, admin, "organisation.update", org)
    _save(db, admin, address="重庆市渝北区新地址")  # saved: the nature was not touched
    with db.session() as s:
        assert get_organisation(s).nature == "民营培训学校"


def test_after_the_renewal_deadline_the_dashboard_speaks_of_the_expiry(db, admin) -> None:  # type: ignore[no-untyped-def]
    """Chongqing (renew 30 days ahead): between the deadline and the expiry the dashboard's line
    is the coming expiry, dated and sorted by it, still red — not a deadline 30 days old."""
    _dated(db, admin, "chongqing", dt.date(2024, 3, 18), VALID_UNTIL)
    for today, left in ((dt.date(2027, 3, 16), "还有 1 天"), (VALID_UNTIL, "备案今天（2027-03-17）到期")):
        _overview, (item,) = _validity(db, today)
        assert (item.kind, item.due, item.level) == ("filing_expiry", VALID_UNTIL, "overdue")
        assert left in item.detail and "延续申请最迟日" in item.title and "已过" in item.detail


def test_org_show_flags_a_record_stored_before_the_rules(db, admin) -> None:  # type: ignore[no-untyped-def]
    """A 区县范围 organisation on a city code and a 机构性质 outside the form's boxes, as an older
    version stored them: shown as problems until the next save fixes them."""
    _save(db, admin, profile_name="chongqing", scope_level="city", filing_code="S000050000017",
          nature="社会组织")  # fmt: skip
    with db.session() as s:
        assert organisation_overview(s).record_problems == []
        org = get_organisation(s)
        org.scope_level, org.nature = "district", "民营培训学校"
        record(s, admin, "organisation.update", org)
    with db.session() as s:
        problems = organisation_overview(s).record_problems
    assert len(problems) == 2
    assert "机构性质“民营培训学校”不是重庆市基本情况表中的选项" in problems[0]
    assert "机构级别“区县范围”与备案编码第8–9位备案地代码“00”（重庆市）不符" in problems[1]
