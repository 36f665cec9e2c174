"""Staff/people import QA: lists in the 考评职业/考评工种 cells, merged qualification dates in
update mode, Excel's apostrophe text marker, invisible characters in names, add-mode notices."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.errors import ValidationError
from app.models import ExaminerQualification, Person, StaffRoleEntry
from app.rules._text import compact_upper, to_halfwidth
from app.rules.idcard import validate_id
from app.services.importing import commit_import, preview_import
from app.services.person_text import check_text
from tests.services.conftest import make_id

STAFF = ["姓名", "身份证号", "角色", "考评员证书号", "考评职业", "考评工种", "最高等级"]


def _preview(db, admin, path, kind="staff", mode="add"):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return preview_import(s, admin, path, kind, mode)


def _commit(db, admin, path, kind="staff", mode="add"):  # type: ignore[no-untyped-def]
    with db.session() as s:
        preview = preview_import(s, admin, path, kind, mode)
        assert not preview.has_errors, [str(e) for e in preview.errors]
        return preview, commit_import(s, admin, preview)


def _quals(db) -> set[tuple[int, int | None, int | None, str]]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return {
            (q.occupation_id, q.work_type_id, q.max_level, q.certificate_no)
            for q in s.scalars(select(ExaminerQualification))
        }


# --- 1. several occupations in one cell: every separator the roles column takes --------------------
@pytest.mark.parametrize(
    "cell",
    [
        "6-31-01-03，4-03-02-01",
        "6-31-01-03 4-03-02-01",
        "6-31-01-03,4-03-02-01",
        "6-31-01-03/4-03-02-01",
        "电工(6-31-01-03)/中式烹调师(4-03-02-01)",
        "电工（6-31-01-03），中式烹调师（4-03-02-01）",
        "电工 中式烹调师",
        "6-31-01-03 电工\n4-03-02-01",
    ],
)
def test_every_occupation_in_the_cell_is_imported(
    db, admin, roster_org, make_xlsx, audit_ok, cell: str
) -> None:
    path = make_xlsx([STAFF, ["周考评", make_id(101), "考评员", "KP1", cell, None, 3]])
    _, result = _commit(db, admin, path)
    assert result.qualifications_added == 2
    assert _quals(db) == {
        (roster_org["electrician"], None, 3, "KP1"),
        (roster_org["cook"], None, 3, "KP1"),
    }
    audit_ok()


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("6-31-01-034-03-02-01", "有 2 个职业编码"),
        ("电工(6-31-01-03)和中式烹调师(4-03-02-01)", "有 2 个职业编码"),
        ("电工(4-03-02-01)", "与职业名称“电工”不符"),
        ("6-31-01-03 焊工", "职业“焊工”不在职业目录中"),
    ],
)
def test_an_occupation_that_cannot_be_told_apart_is_refused(
    db, admin, roster_org, make_xlsx, cell: str, says: str
) -> None:
    path = make_xlsx([STAFF, ["周考评", make_id(102), "考评员", None, cell, None, 3]])
    preview = _preview(db, admin, path)
    (e,) = preview.rows[0].errors
    assert (e.row, e.column, e.header) == (2, "E", "考评职业")
    assert says in e.message


def test_a_catalogue_name_with_a_space_stays_whole(db, admin, roster_org, make_xlsx) -> None:
    from app.services.catalogue import OccupationInput, create_occupation

    with db.session() as s:
        occ = create_occupation(
            s, admin, OccupationInput("4-04-05-01", "计算机 程序设计员", False, [])
        )
        occ_id = occ.id
    path = make_xlsx(
        [STAFF, ["周考评", make_id(103), "考评员", None, "计算机 程序设计员、电工", None, 2]]
    )
    preview = _preview(db, admin, path)
    assert not preview.has_errors
    assert {q[0] for q in preview.rows[0].parsed.quals} == {occ_id, roster_org["electrician"]}


# --- 2. several work types of one occupation -------------------------------------------------------
@pytest.mark.parametrize("cell", ["中式面点、中式热菜", "中式面点，中式热菜", "中式面点 中式热菜"])
def test_several_work_types_of_one_occupation(
    db, admin, roster_org, make_xlsx, audit_ok, cell: str
) -> None:
    path = make_xlsx([STAFF, ["郑考评", make_id(111), "考评员", "KP9", "中式烹调师", cell, 2]])
    preview, result = _commit(db, admin, path)
    assert set(preview.rows[0].changes) == {"新增角色：考评员"}
    assert result.qualifications_added == 2
    wts = roster_org["work_types"]
    assert _quals(db) == {
        (roster_org["cook"], wts["中式面点"], 2, "KP9"),
        (roster_org["cook"], wts["中式热菜"], 2, "KP9"),
    }
    audit_ok()


def test_a_second_work_type_is_added_in_update_mode(
    db, admin, roster_org, make_xlsx, audit_ok
) -> None:
    a = make_id(112)
    _commit(
        db, admin, make_xlsx([STAFF, ["郑考评", a, "考评员", "KP9", "中式烹调师", "中式面点", 2]])
    )
    path = make_xlsx(
        [STAFF, ["郑考评", a, "考评员", "KP9", "中式烹调师", "中式面点、中式热菜", 2]],
        name="v2.xlsx",
    )
    preview, result = _commit(db, admin, path, mode="update")
    assert preview.rows[0].changes == ["新增考评资格：中式烹调师（中式热菜）"]
    assert result.qualifications_added == 1
    assert len(_quals(db)) == 2
    audit_ok()


def test_several_occupations_with_a_work_type_say_what_works(
    db, admin, roster_org, make_xlsx
) -> None:
    path = make_xlsx(
        [
            STAFF,
            ["郑考评", make_id(113), "考评员", None, "电工、中式烹调师", "中式面点", 2],
            ["王考评", make_id(114), "考评员", None, "中式烹调师", "中式面点", 2],
            ["王考评", make_id(114), "考评员", None, "中式烹调师", "中式热菜", 2],
        ]
    )
    preview = _preview(db, admin, path)
    (e,) = preview.rows[0].errors
    assert (e.row, e.column, e.header) == (2, "F", "考评工种")
    assert "考评职业只能有一个" in e.message and "用“、”分隔" in e.message
    assert "分行" not in e.message  # a person may appear only once: never advise a second row
    # the within-file duplicate stays an error, and says how to put both in one row
    assert preview.rows[1].status == "new"
    (dup,) = preview.rows[2].errors
    assert "与第 3 行重复" in dup.message and "同一职业的多个工种" in dup.message
    # one row shares one max level: the way to give each occupation its own is named
    assert "共用同一最高等级" in dup.message and "更新（update）模式" in dup.message


def test_an_unknown_work_type_among_several_is_named(db, admin, roster_org, make_xlsx) -> None:
    path = make_xlsx(
        [STAFF, ["郑考评", make_id(115), "考评员", None, "中式烹调师", "中式面点、西点", 2]]
    )
    (e,) = _preview(db, admin, path).rows[0].errors
    assert e.column == "F" and "没有工种“西点”" in e.message


# --- 3. update mode: the stored dates and the file's together ----------------------------------------
DATES = ["姓名", "身份证号", "角色", "考评职业", "最高等级", "资格有效期起", "资格有效期至"]


@pytest.mark.parametrize(
    ("start", "end", "column", "says"),
    [
        (
            None,
            "2020-01-01",
            "G",
            "资格有效期至 2020-01-01 早于库中已登记的资格有效期起 2023-07-01",
        ),
        (
            "2029-01-01",
            None,
            "F",
            "资格有效期起 2029-01-01 晚于库中已登记的资格有效期至 2028-06-30",
        ),
    ],
)
@pytest.mark.parametrize("mode", ["update", "replace"])
def test_update_mode_checks_the_merged_validity(
    db, admin, roster_org, make_xlsx, audit_ok, start, end, column: str, says: str, mode: str
) -> None:
    a = make_id(121)
    _commit(
        db,
        admin,
        make_xlsx(
            [DATES, ["甲", a, "考评员", "电工", 3, "2023-07-01", "2028-06-30"]], name="v1.xlsx"
        ),
    )
    path = make_xlsx([DATES, ["甲", a, "考评员", "电工", None, start, end]], name="v2.xlsx")
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", mode)
        (e,) = preview.rows[0].errors
        assert (e.row, e.column) == (2, column)
        assert says in e.message and "电工" in e.message
        with pytest.raises(ValidationError, match="未导入任何数据"):
            commit_import(s, admin, preview)
    with db.session() as s:
        (q,) = s.scalars(select(ExaminerQualification))
        assert (q.valid_from, q.valid_until) == (dt.date(2023, 7, 1), dt.date(2028, 6, 30))
    audit_ok()


def test_update_mode_accepts_a_consistent_merge(db, admin, roster_org, make_xlsx, audit_ok) -> None:
    a = make_id(122)
    _commit(
        db,
        admin,
        make_xlsx([DATES, ["甲", a, "考评员", "电工", 3, "2023-07-01", None]], name="v1.xlsx"),
    )
    path = make_xlsx([DATES, ["甲", a, "考评员", "电工", None, None, "2030-01-01"]], name="v2.xlsx")
    preview, _ = _commit(db, admin, path, mode="update")
    assert preview.rows[0].changes == ["修改考评资格：电工"]
    with db.session() as s:
        (q,) = s.scalars(select(ExaminerQualification))
        assert (q.valid_from, q.valid_until, q.max_level) == (
            dt.date(2023, 7, 1),
            dt.date(2030, 1, 1),
            3,
        )
    audit_ok()


# --- 4. Excel's text marker: one leading apostrophe ---------------------------------------------------
@pytest.mark.parametrize("mark", ["'", "‘", "’", "＇"])
def test_a_leading_apostrophe_is_ignored_in_id_and_phone(
    db, admin, roster_org, make_xlsx, audit_ok, mark: str
) -> None:
    number = make_id(131)
    path = make_xlsx(
        [
            ["姓名", "证件号码", "联系电话", "角色", "考评员证书号", "考评职业", "最高等级"],
            ["甲", f"{mark}{number}", f"{mark}13800138000", "考评员", f"{mark}KP123", "电工", 3],
        ]
    )
    _commit(db, admin, path)
    with db.session() as s:
        (p,) = s.scalars(select(Person))
        assert (p.id_number, p.phone) == (number, "13800138000")
        (q,) = s.scalars(select(ExaminerQualification))
        assert q.certificate_no == "KP123"
    audit_ok()


def test_only_one_apostrophe_is_ignored(db, admin, make_xlsx) -> None:
    path = make_xlsx([["姓名", "证件号码"], ["甲", "''" + make_id(132)]])
    (e,) = _preview(db, admin, path, "people").rows[0].errors
    assert e.column == "B"  # a second one is not the marker: the number is refused, saying why
    assert "第1位“'”不是数字或X" in e.message


# --- 5. invisible characters -------------------------------------------------------------------------
def test_the_normaliser_drops_invisible_characters_and_keeps_the_rest() -> None:
    assert to_halfwidth("王\u200b𠇔") == "王𠇔"
    assert to_halfwidth("\ufeff陈燊") == "陈燊"
    assert to_halfwidth("张\u2060三\u200e\u200f") == "张三"
    assert to_halfwidth("李\xa0堃") == "李 堃"
    assert to_halfwidth("a\u2007b\u202fc") == "a b c"
    assert to_halfwidth("买买提·艾力") == "买买提·艾力"
    assert to_halfwidth("👨\u200d👩") == "👨\u200d👩"  # the zero-width joiner stays
    assert to_halfwidth("ＡＢ１\u3000") == "AB1 "
    # the name as the GUI saves it, through the same normaliser
    assert check_text("name", "\ufeff王\u200b𠇔\u2060") == "王𠇔"
    # ID numbers lose the same characters (and every space)
    assert compact_upper("\ufeff5001\u200e06\u200f\u2060\xa0") == "500106"
    number = make_id(141)
    assert validate_id("201", f"\u200e{number[:6]}\u202f{number[6:]}\ufeff").number == number


def test_invisible_characters_are_not_stored_in_names(db, admin, make_xlsx, audit_ok) -> None:
    path = make_xlsx(
        [
            ["姓名", "证件号码", "工作单位"],
            ["王\u200b𠇔", make_id(151), "重庆\u200b巴渝\ufeff"],
            ["李\xa0堃", make_id(152), None],
            ["\ufeff陈燊", make_id(153), None],
            ["陈燊", make_id(154), None],
            ["阿依古丽·买买提", make_id(155), None],
        ]
    )
    _commit(db, admin, path, "people")
    with db.session() as s:
        names = sorted(s.scalars(select(Person.name)))
        employer = s.scalar(select(Person.employer).where(Person.name == "王𠇔"))
    assert names == sorted(["王𠇔", "李 堃", "陈燊", "陈燊", "阿依古丽·买买提"])
    assert employer == "重庆巴渝"
    audit_ok()


# --- 6. add mode never touches a registered person: the notice says so and what to do ---------------
def test_add_mode_says_the_row_is_skipped_and_to_use_update(
    db, admin, roster_org, make_xlsx, audit_ok
) -> None:
    a = make_id(161)
    _commit(db, admin, make_xlsx([["姓名", "证件号码"], ["甲", a]], name="people.xlsx"), "people")
    path = make_xlsx([STAFF, ["甲", a, "考评员", None, "电工", None, 3]], name="staff.xlsx")
    preview, result = _commit(db, admin, path)
    row = preview.rows[0]
    assert row.status == "exists"
    (w,) = row.warnings
    assert "跳过此行" in w and "考评员" in w and "考评资格" in w and "更新（update）模式" in w
    assert (result.roles_added, result.qualifications_added) == (0, 0)
    with db.session() as s:
        assert list(s.scalars(select(StaffRoleEntry))) == []
    # the same file in update mode adds the role and the qualification
    preview, result = _commit(db, admin, path, mode="update")
    assert (result.roles_added, result.qualifications_added) == (1, 1)
    audit_ok()
