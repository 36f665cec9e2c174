"""Excel import of staff: roles, examiner qualifications, external agreements, replace mode."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.errors import ValidationError
from app.models import ExaminerQualification, Person, StaffRoleEntry
from app.services.importing import commit_import, preview_import
from tests.services.conftest import make_id

HEADER = [
    "序号",
    "姓名",
    "身份证号",
    "人员类别",
    "职称/职务",
    "考评员证书号",
    "考评职业",
    "最高等级",
    "资格有效期至",
    "是否本单位人员",
    "协议有效期至",
]


def _roles(db) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        out: dict[str, set[str]] = {}
        for name, role in s.execute(select(Person.name, StaffRoleEntry.role).join(StaffRoleEntry)):
            out.setdefault(name, set()).add(role)
        return out


def _commit(db, admin, path, mode="add"):  # type: ignore[no-untyped-def]
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", mode)
        assert not preview.has_errors, [str(e) for e in preview.errors]
        return preview, commit_import(s, admin, preview)


def test_staff_with_roles_and_qualifications(db, admin, roster_org, make_xlsx, audit_ok) -> None:
    path = make_xlsx(
        [
            HEADER,
            [
                1,
                "周考评",
                make_id(1),
                "考评员、监考员",
                "高级技师",
                "KP50201900001",
                "6-31-01-03",
                "三级/高级工",
                "2028年6月30日",
                "否",
                "2027-12-31",
            ],
            [
                2,
                "吴专职",
                make_id(2),
                "专职工作人员",
                "考务主管",
                None,
                None,
                None,
                None,
                "是",
                None,
            ],
            [
                3,
                "郑外聘",
                make_id(3),
                "考评员",
                "技师",
                "KP2",
                "电工、中式烹调师",
                2,
                46000,
                "否",
                None,
            ],
        ],
        title_rows=["（三）考评人员情况"],
    )
    preview, result = _commit(db, admin, path)
    assert preview.header_row == 2
    assert any("未登记承诺书" in w for w in preview.rows[2].warnings)
    assert result.created == 3 and result.roles_added == 4 and result.qualifications_added == 3
    assert _roles(db) == {
        "周考评": {"examiner", "proctor"},
        "吴专职": {"fulltime"},
        "郑外聘": {"examiner"},
    }
    with db.session() as s:
        zhou = s.scalar(select(Person).where(Person.name == "周考评"))
        (q,) = zhou.qualifications
        assert (q.occupation_id, q.max_level, q.certificate_no) == (
            roster_org["electrician"],
            3,
            "KP50201900001",
        )
        assert q.valid_until == dt.date(2028, 6, 30)
        role = next(r for r in zhou.roles if r.role == "examiner")
        assert (
            not role.in_house
            and role.agreement_on_file
            and role.agreement_until == dt.date(2027, 12, 31)
        )
        zheng = s.scalar(select(Person).where(Person.name == "郑外聘"))
        assert sorted(q.max_level for q in zheng.qualifications) == [2, 2]
        assert {q.valid_until for q in zheng.qualifications} == {
            dt.date(2025, 12, 9)
        }  # serial 46000
    audit_ok()


def test_staff_errors_name_the_column(db, admin, roster_org, make_xlsx) -> None:
    path = make_xlsx(
        [
            ["姓名", "身份证号", "角色", "考评职业", "最高等级", "考评工种"],
            ["甲", make_id(11), "校长", None, None, None],
            ["乙", make_id(12), "考评员", "9-99-99-99", 3, None],
            ["丙", make_id(13), "考评员", "中式烹调师", 7, None],
            ["丁", make_id(14), "考评员", "中式烹调师", 3, "西点"],
            ["戊", make_id(15), "考评员", "电工", None, None],
            ["己", make_id(16), "考评员", "中式烹调师", 4, "中式面点"],
        ]
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff")
    by_row = {r.row: r for r in preview.rows}
    assert (by_row[2].errors[0].column, by_row[2].errors[0].header) == ("C", "角色")
    assert "校长" in by_row[2].errors[0].message
    assert by_row[3].errors[0].column == "D" and "不在职业目录中" in by_row[3].errors[0].message
    assert by_row[4].errors[0].column == "E"
    assert by_row[5].errors[0].column == "F" and "西点" in by_row[5].errors[0].message
    assert "未填写最高等级" in by_row[6].errors[0].message
    assert by_row[7].status == "new"
    assert by_row[7].parsed.quals[0][1] == roster_org["work_types"]["中式面点"]


def test_replace_mode_removes_roles_but_never_people(
    db, admin, roster_org, make_xlsx, audit_ok
) -> None:
    a, b, c = make_id(21), make_id(22), make_id(23)
    _commit(
        db,
        admin,
        make_xlsx(
            [
                ["姓名", "身份证号", "角色"],
                ["甲", a, "监考员、专家"],
                ["乙", b, "监考员"],
                ["丙", c, "专家"],
            ],
            name="v1.xlsx",
        ),
    )
    path = make_xlsx(
        [["姓名", "身份证号", "角色"], ["乙", b, "监考员"], ["丁", make_id(24), "监考员"]],
        name="v2.xlsx",
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "replace")
        assert preview.roles_in_file == ["proctor"]
        assert [(r.name, r.role) for r in preview.removals] == [("甲", "proctor")]
        result = commit_import(s, admin, preview)
    assert result.roles_removed == 1 and result.created == 1
    assert _roles(db) == {"甲": {"expert"}, "乙": {"proctor"}, "丙": {"expert"}, "丁": {"proctor"}}
    with db.session() as s:
        assert len(list(s.scalars(select(Person)))) == 4
    audit_ok()


def test_update_mode_changes_role_details_and_qualifications(
    db, admin, roster_org, make_xlsx, audit_ok
) -> None:
    a = make_id(31)
    _commit(
        db,
        admin,
        make_xlsx(
            [
                ["姓名", "身份证号", "角色", "考评职业", "最高等级", "资格有效期至"],
                ["甲", a, "考评员", "电工", 3, "2026-01-01"],
            ],
            name="v1.xlsx",
        ),
    )
    path = make_xlsx(
        [
            ["姓名", "身份证号", "角色", "考评职业", "最高等级", "资格有效期至", "是否本单位人员"],
            ["甲", a, "考评员、内部督导员", "电工", 2, "2029-01-01", "否"],
        ],
        name="v2.xlsx",
    )
    preview, result = _commit(db, admin, path, "update")
    assert preview.rows[0].status == "update"
    assert set(preview.rows[0].changes) == {
        "修改角色：考评员",
        "新增角色：内部督导员",
        "修改考评资格：电工",
    }
    assert (result.roles_added, result.roles_updated, result.qualifications_updated) == (1, 1, 1)
    with db.session() as s:
        (q,) = s.scalars(select(ExaminerQualification))
        assert (q.max_level, q.valid_until) == (2, dt.date(2029, 1, 1))
        roles = {r.role: r for r in s.scalars(select(StaffRoleEntry))}
        assert not roles["examiner"].in_house and not roles["supervisor"].in_house
    # the same file again changes nothing
    with db.session() as s:
        again = preview_import(s, admin, path, "staff", "update")
    assert [r.status for r in again.rows] == ["unchanged"]
    audit_ok()


def test_staff_needs_the_role_column(db, admin, make_xlsx) -> None:
    path = make_xlsx([["姓名", "身份证号"], ["甲", make_id(41)]])
    with pytest.raises(ValidationError, match="缺少必需的列：角色"), db.session() as s:
        preview_import(s, admin, path, "staff")


def test_over_long_texts_are_refused_by_column(db, admin, roster_org, make_xlsx) -> None:
    # SQLite would store them; PostgreSQL refuses them (String(60)/String(200)): same message on both
    path = make_xlsx(
        [
            ["姓名", "身份证号", "角色", "考评员证书号", "考评职业", "最高等级", "工作职责"],
            ["甲", make_id(21), "考评员", "K" * 61, "电工", 3, None],
            ["乙", make_id(22), "专职工作人员", None, None, None, "考务" * 101],
            ["丙", make_id(23), "考评员", "K" * 60, "电工", 3, "考务" * 100],
        ]
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff")
    by_row = {r.row: r for r in preview.rows}
    assert [(e.column, e.header) for e in by_row[2].errors] == [("D", "考评员证书号")]
    assert "过长（61 字，最多 60 字）" in by_row[2].errors[0].message
    assert [(e.column, e.header) for e in by_row[3].errors] == [("G", "工作职责")]
    assert by_row[4].status == "new"
