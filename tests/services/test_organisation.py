"""The organisation record: the filing code stored normalised (and the serial counters keyed on
it), 机构级别 and province switches checked against the filed scope, the switch with a new filing
code in one step, the dates and the registered capital."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import ValidationError
from app.models import AuditEntry, Certificate, SerialCounter
from app.services.audit import record
from app.services.catalogue import OccupationInput, create_occupation
from app.services.certificates import issue_certificates
from app.services.dashboard import upcoming_deadlines
from app.services.filed_scope import add_scope_entry, list_scope, remove_scope_entry
from app.services.numbering import serial_scope_key
from app.services.organisation import OrgInput, get_organisation, save_organisation, set_scope_level
from app.services.organisation_overview import organisation_overview
from app.services.settings import choose_profile
from tests.printing.certfactory import small_db

CODE = "S000050000017"


def _save(db, admin, **changes):  # type: ignore[no-untyped-def]
    """Save the organisation with ``changes`` over its current record (or a new Chongqing one)."""
    from dataclasses import fields

    with db.session() as s:
        org = get_organisation(s)
        if org is None:
            data = OrgInput(name="重庆巴渝职业技能培训学校", org_type="S", profile_name="chongqing")
        else:
            data = OrgInput(**{f.name: getattr(org, f.name) for f in fields(OrgInput)})
        for key, value in changes.items():
            setattr(data, key, value)
        return save_organisation(s, admin, data)


def _occupations(db, admin, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return [
            create_occupation(s, admin, OccupationInput(f"6-31-01-0{i + 1}", f"职业{i}", False, [])).id
            for i in range(n)
        ]


# --- bug 1: the filing code as stored ---------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "S0000500000１７",  # what a Chinese IME gives
        "S 0000 50 00 0017",  # as printed on the receipt
        "".join(chr(ord(c) + 0xFEE0) for c in "s000050000017"),  # all full-width
        " s000050000017\u3000",
    ],
)
def test_filing_code_stored_normalised(db, admin, audit_ok, typed: str) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, filing_code=typed)
    with db.session() as s:
        assert get_organisation(s).filing_code == CODE
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    _save(db, admin, filing_code=CODE)  # the same code again: nothing changed, nothing audited
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before
    audit_ok()


def test_blank_filing_code_is_none(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, filing_code="   ")
    with db.session() as s:
        assert get_organisation(s).filing_code is None


def test_filing_code_of_wrong_type_says_what_to_do(db, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="与机构类型「Y」不一致：请核对") as info:
        _save(db, admin, org_type="Y", filing_code="S0000500000１７")
    assert info.value.field == "filing_code"


@given(st.text(alphabet="SY0123456789", min_size=13, max_size=13), st.sampled_from(
    ["organisation", "year", "year_level"]), st.integers(2000, 2099), st.integers(1, 5))
def test_serial_key_unchanged_for_a_normalised_code(code, scope, year, level) -> None:  # type: ignore[no-untyped-def]
    before = {  # the key before normalisation was added
        "year_level": f"{code}|{year % 100:02d}|{level}",
        "year": f"{code}|{year % 100:02d}",
        "organisation": code,
    }[scope]
    assert serial_scope_key(scope, code, year, level) == before


def test_serial_key_of_an_unnormalised_code() -> None:
    assert serial_scope_key("organisation", "S0000500000１７", 2026, 3) == CODE
    assert serial_scope_key("year_level", "S0000340100０１", 2026, 3) == "S000034010001|26|3"


@pytest.mark.parametrize(
    ("stored", "counter"),
    [
        ("S0000500000１７", CODE),  # the QA case: counter of the good code, code re-saved as typed
        (CODE, "S0000500000１７"),  # code stored as typed first, normalised since
    ],
)
def test_serials_continue_across_the_normalisation(db, admin, stored: str, counter: str) -> None:  # type: ignore[no-untyped-def]
    small_db(db, filing_code=stored, batches=(("T-1", 3, 3),))
    with db.session() as s:
        s.add(SerialCounter(scope_key=counter, next_value=8))  # serials 1–7 handed out
    with db.session() as s:
        issue_certificates(s, admin, "T-1", dt.date(2026, 3, 1), fix_content=False)
    with db.session() as s:
        numbers = sorted(s.scalars(select(Certificate.number)))
        assert [int(n[16:]) for n in numbers] == [8, 9, 10]
        assert all(n.startswith(CODE) for n in numbers)
        assert s.get(SerialCounter, CODE).next_value == 11


# --- bugs 2 and 3: 机构级别 and the filed scope ------------------------------------------------


def test_scope_level_district_refused_while_levels_one_two_are_filed(db, admin, audit_ok) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, scope_level="city")
    occ = _occupations(db, admin, 1)[0]
    with db.session() as s:
        for level in (1, 2, 3):
            add_scope_entry(s, admin, occ, level)
    with pytest.raises(ValidationError) as info:
        _save(db, admin, scope_level="district")
    message = info.value.message
    assert "不能把机构级别改为“区县范围”" in message
    assert "重庆市规定区县范围的评价机构只能认定三级/高级工、四级/中级工、五级/初级工" in message
    assert "000 一(二)3" in message and "有 2 项超出" in message
    assert "职业0 一级/高级技师" in message and "职业0 二级/技师" in message
    assert "三级" not in message.split("超出：")[1]
    assert "请先在“机构与备案 › 备案范围”中移除这些条目" in message
    assert info.value.field == "scope_level"
    with pytest.raises(ValidationError, match="区县范围"), db.session() as s:
        set_scope_level(s, admin, "district")
    with db.session() as s:
        assert get_organisation(s).scope_level == "city"
        for row in list_scope(s):
            if row.level < 3:
                remove_scope_entry(s, admin, row.id)
    with db.session() as s:
        set_scope_level(s, admin, "district", reason="区县级机构")
    with db.session() as s:
        assert get_organisation(s).scope_level == "district"
        assert organisation_overview(s).allowed_levels == [3, 4, 5]
    audit_ok()


def test_unknown_scope_level_lists_the_choices(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin)
    with pytest.raises(ValidationError, match=r"city（全市范围）、district（区县范围）"):
        _save(db, admin, scope_level="province")
    with pytest.raises(ValidationError, match="district（区县范围）"), db.session() as s:
        set_scope_level(s, admin, "province")


def test_single_scope_profile_stores_its_scope(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, profile_name="shandong", scope_level="city")
    with db.session() as s:
        assert get_organisation(s).scope_level == "pilot"
    with pytest.raises(ValidationError, match="pilot（试点评价机构）"), db.session() as s:
        set_scope_level(s, admin, "district")


def test_profile_switch_refused_while_the_scope_breaks_the_new_rule(db, admin, audit_ok) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin)  # Chongqing, no filing code yet
    occ = _occupations(db, admin, 4)
    with db.session() as s:
        for o in occ:
            add_scope_entry(s, admin, o, 4)
        add_scope_entry(s, admin, occ[0], 2)
    with pytest.raises(ValidationError) as info, db.session() as s:
        choose_profile(s, admin, "shandong")
    message = info.value.message
    assert message.startswith("不能改用山东省规则")
    assert "山东省规定试点评价机构只能认定" in message and "职业0 二级/技师" in message
    assert "不得超过3个" in message and "有4个" in message and "需减少1个" in message
    assert "再更换省份规则" in message
    with pytest.raises(ValidationError, match="不能改用山东省规则"):
        _save(db, admin, profile_name="shandong")  # the organisation form refuses it too
    with db.session() as s:
        assert get_organisation(s).profile_name == "chongqing"
        for row in list_scope(s):
            if row.level == 2 or row.occupation_id == occ[3]:
                remove_scope_entry(s, admin, row.id)
    with db.session() as s:
        assert choose_profile(s, admin, "shandong") == "shandong"
    with db.session() as s:
        org = get_organisation(s)
        assert (org.profile_name, org.scope_level) == ("shandong", "pilot")
    audit_ok()


def test_overview_flags_scope_saved_before_the_check(db, admin, capsys) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin)
    occ = _occupations(db, admin, 1)[0]
    with db.session() as s:
        add_scope_entry(s, admin, occ, 1)
        org = get_organisation(s)
        org.scope_level = "district"  # as an older version let it be saved
        record(s, admin, "organisation.update", org)
    with db.session() as s:
        problems = organisation_overview(s).scope_problems
        items = [i for i in upcoming_deadlines(s, dt.date.today()) if i.kind == "scope_conflict"]
    assert len(problems) == 1 and "职业0 一级/高级技师" in problems[0]
    # the dashboard shows it first, in red, and leads to the organisation page
    assert len(items) == 1 and items[0].level == "overdue" and items[0].due is None
    assert problems[0] in items[0].detail and items[0].target_page == "organisation"
    with db.session() as s:
        for row in list_scope(s):
            remove_scope_entry(s, admin, row.id)
    with db.session() as s:
        assert not any(i.kind == "scope_conflict" for i in upcoming_deadlines(s, dt.date.today()))


# --- bug 4: switching province with the new filing code -----------------------------------------


def test_switch_province_with_the_new_filing_code(db, admin, audit_ok) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, filing_code=CODE)
    # The organisation form points to the settings, where profile and code change together …
    with pytest.raises(ValidationError) as info:
        _save(db, admin, filing_code="S000052001001")
    assert "贵州省" in info.value.message and "“设置 › 省份规则”改选“贵州省”规则" in info.value.message
    assert "新备案编码" in info.value.message and info.value.field == "filing_code"
    # … and the settings do not send the user back: they ask for the new code or say to clear it.
    with pytest.raises(ValidationError) as info, db.session() as s:
        choose_profile(s, admin, "guizhou")
    assert "请先修改备案编码" not in info.value.message
    assert "请同时给出贵州省赋予本机构的新备案编码" in info.value.message and "命令行" not in info.value.message
    assert "先在“机构与备案”中清空备案编码" in info.value.message
    with pytest.raises(ValidationError, match="新备案编码不符合贵州省规则") as info, db.session() as s:
        choose_profile(s, admin, "guizhou", filing_code="S000050000017")
    assert info.value.field == "filing_code"
    with db.session() as s:
        choose_profile(s, admin, "guizhou", filing_code="S 0000 52 001001", reason="迁至贵州")
    with db.session() as s:
        org = get_organisation(s)
        assert (org.profile_name, org.filing_code, org.scope_level) == ("guizhou", "S000052001001", "all")
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "organisation.profile"
        changed = json.loads(last.summary)["changed"]
        assert sorted(changed) == ["filing_code", "profile_name", "scope_level"]
        assert changed["profile_name"] == {"from": "chongqing", "to": "guizhou"}
        assert changed["filing_code"] == {"from": "S000050000017", "to": "S000052001001"}
    audit_ok()


def test_clearing_the_code_first_still_works(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, filing_code=CODE)
    _save(db, admin, filing_code=None)
    with db.session() as s:
        choose_profile(s, admin, "guizhou")
    _save(db, admin, filing_code="S000052001001")
    with db.session() as s:
        assert get_organisation(s).filing_code == "S000052001001"


def test_switch_keeps_district_or_takes_it_given(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, profile_name="national")
    with db.session() as s:
        choose_profile(s, admin, "chongqing", scope_level="district")
    with db.session() as s:
        assert get_organisation(s).scope_level == "district"
    with pytest.raises(ValidationError, match="district（区县范围）"), db.session() as s:
        choose_profile(s, admin, "chongqing", scope_level="pilot")


# --- bug 5: dates and registered capital ---------------------------------------------------------


def test_valid_until_before_filed_on_refused(db, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="不晚于备案日期") as info:
        _save(db, admin, filed_on=dt.date(2024, 3, 18), filing_valid_until=dt.date(2024, 3, 1))
    assert info.value.field == "filing_valid_until"
    with pytest.raises(ValidationError, match="不晚于备案日期"):
        _save(db, admin, filed_on=dt.date(2024, 3, 18), filing_valid_until=dt.date(2024, 3, 18))


@pytest.mark.parametrize(
    ("profile", "until", "source"),
    [
        ("chongqing", dt.date(2027, 3, 18), None),  # 3 years to the day
        ("chongqing", dt.date(2027, 3, 19), "000 二(三)"),
        ("anhui", dt.date(2028, 3, 17), "003 三(三)"),
        ("guizhou", dt.date(2030, 3, 17), None),  # continued automatically (001 五(二))
        ("shandong", dt.date(2030, 3, 17), None),  # 002 states no validity
        ("national", dt.date(2030, 3, 17), None),
    ],
)
def test_filing_validity_limit_from_the_seeds(db, admin, profile, until, source) -> None:  # type: ignore[no-untyped-def]
    data = {"profile_name": profile, "filed_on": dt.date(2024, 3, 18), "filing_valid_until": until}
    if source is None:
        _save(db, admin, **data)
        return
    with pytest.raises(ValidationError) as info:
        _save(db, admin, **data)
    assert "不超过 3 年" in info.value.message and source in info.value.message
    assert "新备案回执" in info.value.message


def test_validity_limit_checked_only_when_the_dates_change(db, admin) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, filed_on=dt.date(2024, 3, 18), filing_valid_until=dt.date(2027, 3, 17))
    with db.session() as s:  # six years, as an older version let it be saved
        org = get_organisation(s)
        org.filing_valid_until = dt.date(2030, 3, 17)
        record(s, admin, "organisation.update", org)
    _save(db, admin, phone="023-12345678")
    with pytest.raises(ValidationError, match="不能改用安徽省规则：备案有效期过长"), db.session() as s:
        choose_profile(s, admin, "anhui")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("-5"), "不能为负数"),
        (Decimal("Infinity"), "不是有效金额"),
        (Decimal("NaN"), "不是有效金额"),
        (Decimal("1e30"), "超出可登记的范围（最多 999999999999.99 万元）"),
        (Decimal("1000000000000"), "超出可登记的范围"),
        (Decimal("500.125"), "小数超过 2 位"),
    ],
)
def test_registered_capital_refused(db, admin, value: Decimal, expected: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=expected) as info:
        _save(db, admin, registered_capital=value)
    assert info.value.field == "registered_capital"
    with db.session() as s:
        assert get_organisation(s) is None


@pytest.mark.parametrize("value", ["0", "500", "500.50", "999999999999.99"])
def test_registered_capital_stored(db, admin, audit_ok, value: str) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin, registered_capital=Decimal(value))
    with db.session() as s:
        assert get_organisation(s).registered_capital == Decimal(value)
    audit_ok()


def test_contact_fields_are_checked_and_an_unchanged_save_writes_nothing(db, admin, audit_ok) -> None:  # type: ignore[no-untyped-def]
    _save(db, admin)
    for field, bad, needle in (
        ("email", "not-an-email", "电子邮箱“not-an-email”格式不对"),
        ("email", "kaowu\x0b@example.cn", "第 6 个字符是不可见的控制字符"),
        ("phone", "abc", "联系电话“abc”格式不对"),
        ("phone", "139", "联系电话“139”格式不对"),
        ("address", "重庆市\x0b渝中区", "地址”第 4 个字符"),
    ):
        with pytest.raises(ValidationError) as info:
            _save(db, admin, **{field: bad})
        assert needle in info.value.message and info.value.field == field
    _save(db, admin, email="ｋａｏｗｕ@example.cn", phone="023-65012345、13812345678",
          address="重庆市\n渝中区")  # fmt: skip
    with db.session() as s:
        org = get_organisation(s)
        assert (org.email, org.address) == ("kaowu@example.cn", "重庆市 渝中区")
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    _save(db, admin, email="kaowu@example.cn", phone="023-65012345、13812345678", address="重庆市 渝中区")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before
    audit_ok()


@pytest.mark.parametrize("typed", ["1e9", "5E-1", "500万", "0x10", "1_000", "Infinity"])
def test_registered_capital_text_must_be_a_plain_number(typed: str) -> None:
    """Decimal("1e9") is 1000000000: the service, not only the page, refuses such notations."""
    from app.services.organisation import check_registered_capital

    with pytest.raises(ValidationError, match=f"注册资金“{typed}”不是有效金额"):
        check_registered_capital(typed)


def test_registered_capital_text_in_plain_digits_is_read_exactly() -> None:
    from decimal import Decimal

    from app.services.organisation import check_registered_capital

    assert check_registered_capital("１，５００.５") == Decimal("1500.5")
    assert check_registered_capital(" 500 ") == Decimal("500")
    assert check_registered_capital("  ") is None
