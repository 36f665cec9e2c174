"""Roster service: add/update people with roles and qualifications, warnings, search, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, StaffRoleEntry
from app.services.roster import (
    PersonInput,
    QualificationInput,
    RoleInput,
    add_person,
    remove_role,
    update_person,
)
from app.services.roster_export import export_roster
from app.services.roster_queries import roster_warnings, search_roster
from app.services.users import authenticate, create_user
from tests.services.conftest import make_id

TODAY = dt.date(2026, 5, 1)


def _add(s, admin, name, number, roles=(), quals=(), **kw):  # type: ignore[no-untyped-def]
    return add_person(
        s, admin, PersonInput(name=name, id_number=number, **kw), list(roles), list(quals)
    )


def test_add_update_and_remove_roles(db, admin, roster_org, audit_ok) -> None:
    number = make_id(1, dt.date(1980, 2, 29))
    with db.session() as s:
        p = _add(
            s,
            admin,
            "王𠇔",
            number.lower(),
            [
                RoleInput(
                    "examiner",
                    in_house=False,
                    agreement_on_file=True,
                    agreement_until=dt.date(2027, 1, 1),
                )
            ],
            [
                QualificationInput(
                    roster_org["electrician"],
                    3,
                    certificate_no="KP1",
                    valid_until=dt.date(2028, 1, 1),
                )
            ],
            title="高级技师",
        )
        pid = p.id
        assert p.id_number == number and p.birth_date == dt.date(1980, 2, 29) and p.gender == "男"
    with db.session() as s, pytest.raises(ValidationError, match="已登记"):
        _add(s, admin, "重复", number)
    with db.session() as s, pytest.raises(ValidationError, match="性别"):
        _add(s, admin, "错性别", make_id(2), gender="男")  # sequence 002 is even: 女
    with db.session() as s:
        update_person(
            s,
            admin,
            pid,
            PersonInput(name="王𠇔", id_number=number, phone="13800000123", title="高级技师"),
            roles=[
                RoleInput("examiner", in_house=False, agreement_on_file=True),
                RoleInput("proctor"),
            ],
        )
    with db.session() as s:
        roles = {r.role for r in s.scalars(select(StaffRoleEntry))}
        assert roles == {"examiner", "proctor"}
        assert remove_role(s, admin, pid, "proctor") is True
        assert remove_role(s, admin, pid, "proctor") is False
        with pytest.raises(ValidationError, match="角色"):
            remove_role(s, admin, pid, "janitor")
    with db.session() as s:
        assert [r.role for r in s.scalars(select(StaffRoleEntry))] == ["examiner"]
        actions = [a for (a,) in s.execute(select(AuditEntry.action))]
        assert "staff_role.remove" in actions and "person.update" in actions
    audit_ok()


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({"notes": "长" * 201}, "备注过长"),
        ({"roles": [RoleInput("expert", specialty="长" * 201)]}, "专业方向过长"),
        ({"roles": [RoleInput("fulltime", duties="长" * 201)]}, "工作职责过长"),
        ({"quals": "certificate_no"}, "考评员证书号过长"),
    ],
)
def test_overlong_texts_are_refused_before_the_database(db, admin, roster_org, kw, needle) -> None:  # type: ignore[no-untyped-def]
    """SQLite would store them; PostgreSQL refuses them (varchar length): a clear message instead."""
    if kw.get("quals"):
        kw = {"roles": [RoleInput("examiner")],
              "quals": [QualificationInput(roster_org["electrician"], 3, certificate_no="K" * 61)]}
    with db.session() as s, pytest.raises(ValidationError, match=needle):
        _add(s, admin, "张三", make_id(3), **kw)


def test_roster_warnings(db, admin, roster_org, audit_ok) -> None:
    occ = roster_org["electrician"]
    with db.session() as s:
        _add(
            s,
            admin,
            "过期",
            make_id(11),
            [RoleInput("examiner")],
            [QualificationInput(occ, 3, valid_until=dt.date(2026, 4, 30))],
        )
        _add(
            s,
            admin,
            "将到期",
            make_id(12),
            [RoleInput("examiner")],
            [QualificationInput(occ, 3, valid_until=dt.date(2026, 6, 30))],
        )
        _add(
            s,
            admin,
            "还早",
            make_id(13),
            [RoleInput("examiner")],
            [QualificationInput(occ, 3, valid_until=dt.date(2026, 7, 1))],
        )
        _add(s, admin, "无协议", make_id(14), [RoleInput("expert", in_house=False)])
        _add(
            s,
            admin,
            "协议过期",
            make_id(15),
            [
                RoleInput(
                    "expert",
                    in_house=False,
                    agreement_on_file=True,
                    agreement_until=dt.date(2026, 1, 1),
                )
            ],
        )
        _add(  # an expired qualification of somebody no longer an examiner concerns nobody
            s,
            admin,
            "已非考评员",
            make_id(17),
            [RoleInput("proctor")],
            [QualificationInput(occ, 3, valid_until=dt.date(2026, 4, 30))],
        )
        _add(
            s,
            admin,
            "协议将到期",
            make_id(18),
            [
                RoleInput(
                    "expert",
                    in_house=False,
                    agreement_on_file=True,
                    agreement_until=TODAY + dt.timedelta(days=20),
                )
            ],
        )
        _add(
            s,
            admin,
            "协议有效",
            make_id(16),
            [
                RoleInput(
                    "expert",
                    in_house=False,
                    agreement_on_file=True,
                    agreement_until=dt.date(2027, 1, 1),
                )
            ],
        )
    with db.session() as s:
        warnings = roster_warnings(s, TODAY, actor=admin)
    kinds = {(w.name, w.kind) for w in warnings}
    assert kinds == {
        ("过期", "qualification_expired"),
        ("将到期", "qualification_expiring"),
        ("无协议", "no_agreement"),
        ("协议过期", "agreement_expired"),
        ("协议将到期", "agreement_expiring"),
    }
    expiring = next(w for w in warnings if w.kind == "qualification_expiring")
    assert "60 天" in expiring.message
    agreement = next(w for w in warnings if w.kind == "agreement_expiring")
    assert "还有 20 天" in agreement.message and "续签" in agreement.message
    audit_ok()


def test_search(db, admin, roster_org) -> None:
    with db.session() as s:
        _add(
            s,
            admin,
            "张考评",
            make_id(21, area="500106"),
            [RoleInput("examiner")],
            [QualificationInput(roster_org["cook"], 3)],
        )
        _add(s, admin, "张监考", make_id(22, area="500107"), [RoleInput("proctor")])
        _add(s, admin, "李考生", make_id(23, area="500106"))
    with db.session() as s:
        assert {e.name for e in search_roster(s, name="张")} == {"张考评", "张监考"}
        assert search_roster(s, id_number="500106") == []  # a whole number only, never a prefix
        assert [e.name for e in search_roster(s, id_number=make_id(23, area="500106"))] == ["李考生"]
        assert [e.name for e in search_roster(s, role="proctor")] == ["张监考"]
        found = search_roster(s, occupation_id=roster_org["cook"])
        assert [e.name for e in found] == ["张考评"] and found[0].occupations == ["中式烹调师"]
        assert {e.name for e in search_roster(s, staff_only=True)} == {"张考评", "张监考"}
        assert all("*" in e.id_number_masked for e in search_roster(s))


def test_export_roster_sheet_by_sheet(db, admin, roster_org, tmp_path: Path, audit_ok) -> None:
    with db.session() as s:
        _add(
            s,
            admin,
            '=HYPERLINK("x")',
            make_id(31),
            [RoleInput("fulltime", duties="+考务组织")],
            title="-主任",
            education="@本科",
        )
        _add(
            s, admin, "专家甲", make_id(32), [RoleInput("expert", specialty="电气", in_house=False)]
        )
        _add(
            s,
            admin,
            "考评甲",
            make_id(33),
            [RoleInput("examiner")],
            [
                QualificationInput(
                    roster_org["cook"],
                    3,
                    work_type_id=roster_org["work_types"]["中式热菜"],
                    certificate_no="KP9",
                ),
                QualificationInput(roster_org["electrician"], 4),
            ],
        )
        _add(
            s,
            admin,
            "督导甲",
            make_id(34),
            [RoleInput("supervisor"), RoleInput("proctor")],
            employer="某某技师学院",
        )
        out = export_roster(s, admin, tmp_path / "roster.xlsx")
    assert (out.fulltime, out.experts, out.examiners, out.supervisors) == (1, 1, 1, 1)
    wb = load_workbook(tmp_path / "roster.xlsx")
    assert wb.sheetnames == ["专职工作人员", "专家", "考评人员", "内部督导人员"]
    ft = wb["专职工作人员"]
    assert [c.value for c in ft[2]] == ["序号", "姓名", "身份证号", "职称/职务", "学历", "工作职责"]
    row = ft[3]
    assert [c.value for c in row] == [
        1,
        '=HYPERLINK("x")',
        make_id(31),
        "-主任",
        "@本科",
        "+考务组织",
    ]
    assert all(c.data_type == "s" for c in row[1:])  # formula-looking text stays text
    ex = wb["专家"]
    assert [c.value for c in ex[2]][-2:] == ["专业方向", "是否本单位人员"]
    assert [c.value for c in ex[3]][-2:] == ["电气", "否"]
    kp = wb["考评人员"]
    assert [c.value for c in kp[2]] == [
        "序号",
        "姓名",
        "身份证号",
        "考评员证书号",
        "考评职业",
        "职称/职务/技能等级",
        "学历",
        "是否本单位人员",
    ]
    # each occupation with the highest level (the seed's table has no column for it)
    assert [c.value for c in kp[3]][2:5] == [
        make_id(33),
        "KP9",
        "中式烹调师（中式热菜，最高三级）、电工（最高四级）",
    ]
    sv = wb["内部督导人员"]
    assert [c.value for c in sv[2]][3] == "所在单位"
    assert [c.value for c in sv[3]][1:4] == ["督导甲", make_id(34), "某某技师学院"]
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "roster.export"))
        assert entry is not None and make_id(31) not in entry.summary
        assert entry.reason.startswith("导出人员名册（备案用）")  # never blank: full IDs left
    with db.session() as s:
        create_user(s, admin, "lufen", "scorer", "Lufen#2026x", "录分员")
    with db.session() as s:
        scorer = authenticate(s, "lufen", "Lufen#2026x")
    with pytest.raises(PermissionDenied), db.session() as s:
        export_roster(s, scorer, tmp_path / "no.xlsx")
    audit_ok()
