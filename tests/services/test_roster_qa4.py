"""QA 4: a person's 联系电话 follows the organisation's phone rule (form and Excel import), one
考评员证书号 belongs to one person (form and import), and the GUI and CLI name searches are one
rule (any part of the name; an ID number only whole)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from app.db import Database
from app.errors import ValidationError
from app.models import ExaminerQualification, Person
from app.rules._text import to_halfwidth
from app.rules.idcard import mask_id
from app.services import listing
from app.services.actor import Actor
from app.services.examiner_certificates import CertificateClaim, certificate_clashes
from app.services.importing import engine, preview_import
from app.services.phone import check_phone
from app.services.reads import list_people
from app.services.roster import (
    PersonInput,
    QualificationInput,
    RoleInput,
    add_person,
    update_person,
)
from tests.services.conftest import make_id

PHONE_HINT = "应为电话或手机号码，如 023-65012345 或 13812345678"


# --- 联系电话 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "phone", ["abc", "123", "139", "电话13812345678", "12-34-56", "1380013800a", "0000000", "000-0000000"]
)
def test_a_person_phone_that_is_no_phone_number_is_refused(
    db: Database, admin: Actor, phone: str
) -> None:
    with db.session() as s, pytest.raises(ValidationError) as caught:
        add_person(s, admin, PersonInput("张三", make_id(1), phone=phone))
    assert caught.value.field == "phone"
    assert caught.value.message.startswith(f"联系电话“{phone}”格式不对")  # the field and the value
    assert PHONE_HINT in caught.value.message  # and what to write
    with db.session() as s:
        assert s.scalars(select(Person)).all() == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("023-65012345", "023-65012345"),
        ("023-65012345 转 801", "023-65012345 转 801"),
        ("023-65012345、13812345678", "023-65012345、13812345678"),
        ("+86 138 1234 5678", "+86 138 1234 5678"),
        ("(023)65012345", "(023)65012345"),
        ("０２３－６５０１２３４５", "023-65012345"),  # full-width, as an input method types it
        ("", ""),
    ],
)
def test_real_phone_numbers_are_accepted(
    db: Database, admin: Actor, typed: str, stored: str
) -> None:
    with db.session() as s:
        pid = add_person(s, admin, PersonInput("张三", make_id(2), phone=typed)).id
    with db.session() as s:
        assert s.get(Person, pid).phone == stored  # type: ignore[union-attr]


def test_updating_a_person_checks_the_phone_too(db: Database, admin: Actor) -> None:
    with db.session() as s:
        pid = add_person(s, admin, PersonInput("张三", make_id(3), phone="13812345678")).id
    with db.session() as s, pytest.raises(ValidationError, match="联系电话“12345”格式不对"):
        update_person(s, admin, pid, PersonInput("张三", make_id(3), phone="12345"))
    with db.session() as s:
        assert s.get(Person, pid).phone == "13812345678"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "phone",
    [
        "abc",
        "123",
        "123456",
        "1234567",
        "023-65012345",
        "0２3 65012345",
        "13812345678;",
        "x13812345678",
    ],
)
def test_the_organisation_and_a_person_follow_one_phone_rule(
    db: Database, admin: Actor, phone: str
) -> None:
    """Same verdict and same message for the same text, in the organisation's record and a person's."""
    from app.services.organisation import OrgInput, save_organisation

    def outcome(save) -> str | None:  # type: ignore[no-untyped-def]
        try:
            with db.session() as s:
                save(s)
        except ValidationError as exc:
            assert exc.field == "phone"
            return exc.message
        return None

    org = outcome(lambda s: save_organisation(s, admin, OrgInput(name="某评价机构", phone=phone)))
    person = outcome(lambda s: add_person(s, admin, PersonInput("张三", make_id(4), phone=phone)))
    assert org == person
    try:  # the one shared check, on the text as both store it (half-width)
        check_phone(to_halfwidth(phone))
    except ValidationError as exc:
        assert exc.message == person
    else:
        assert person is None


def _people_file(make_xlsx, rows):  # type: ignore[no-untyped-def]
    return make_xlsx([["姓名", "身份证号", "联系电话"], *rows])


def test_the_people_import_refuses_a_bad_phone_per_row_and_column(
    db: Database, admin: Actor, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    path = _people_file(
        make_xlsx,
        [["甲", make_id(11), "abc"], ["乙", make_id(12), 13800138000], ["丙", make_id(13), "'023-65012345"],
         ["丁", make_id(14), "123"]],
    )  # fmt: skip
    with db.session() as s:
        preview = preview_import(s, admin, path, "people", "add")
    assert [r.status for r in preview.rows] == ["error", "new", "new", "error"]
    issues = [(e.sheet, e.row, e.column, e.header) for e in preview.errors]
    assert issues == [("名单", 2, "C", "联系电话"), ("名单", 5, "C", "联系电话")]
    assert preview.rows[0].errors[0].message.startswith("联系电话“abc”格式不对")
    assert PHONE_HINT in preview.rows[3].errors[0].message


def test_the_staff_import_refuses_a_bad_phone(
    db: Database, admin: Actor, roster_org, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    path = make_xlsx(
        [["姓名", "身份证号", "人员类别", "手机"], ["甲", make_id(15), "监考员", "1380013"]]
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "add")
    assert preview.rows[0].status == "new" and preview.errors == []  # 7 digits: a local landline
    path = make_xlsx(
        [["姓名", "身份证号", "人员类别", "手机"], ["甲", make_id(15), "监考员", "138001"]],
        name="b.xlsx",
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "add")
    [issue] = preview.errors
    assert (issue.row, issue.column, issue.header) == (2, "D", "手机")  # as the file heads it
    assert issue.message.startswith("联系电话“138001”格式不对")


# --- 考评员证书号 -------------------------------------------------------------------------------------
CERT = "KP50201900007"


def _examiner(db: Database, admin: Actor, name: str, seq: int, *certs: str, occ: int) -> int:
    with db.session() as s:
        return add_person(
            s,
            admin,
            PersonInput(name, make_id(seq)),
            [RoleInput("examiner")],
            [QualificationInput(occ, 3, certificate_no=c) for c in certs],
        ).id


def _certs(db: Database, pid: int) -> list[str]:
    with db.session() as s:
        stmt = select(ExaminerQualification.certificate_no).where(
            ExaminerQualification.person_id == pid
        )
        return sorted(s.scalars(stmt))


@pytest.mark.parametrize(
    "typed", [CERT, CERT.lower(), " KP 5020 1900 007 ", "ＫＰ５０２０１９００００７"]
)
def test_a_certificate_number_another_examiner_holds_is_refused(
    db: Database,
    admin: Actor,
    roster_org,
    typed: str,  # type: ignore[no-untyped-def]
) -> None:
    occ = roster_org["electrician"]
    _examiner(db, admin, "丁婉文", 21, CERT, occ=occ)
    with db.session() as s, pytest.raises(ValidationError) as caught:
        add_person(
            s,
            admin,
            PersonInput("测试", make_id(22)),
            [RoleInput("examiner")],
            [QualificationInput(occ, 3, certificate_no=typed)],
        )
    message = caught.value.message
    assert caught.value.field == "qual.0.certificate_no"  # the dialog focuses that cell
    assert "丁婉文" in message and mask_id(make_id(21)) in message and make_id(21) not in message
    assert "第 1 条考评资格" in message and "请核对证书号" in message
    with db.session() as s:
        assert s.scalar(select(Person).where(Person.name == "测试")) is None


def test_updating_another_examiner_to_a_held_number_is_refused(
    db: Database, admin: Actor, roster_org
) -> None:  # type: ignore[no-untyped-def]
    occ, cook = roster_org["electrician"], roster_org["cook"]
    _examiner(db, admin, "丁婉文", 21, CERT, occ=occ)
    other = _examiner(db, admin, "高超", 23, "KP50201900008", occ=occ)
    quals = [
        QualificationInput(occ, 3, certificate_no="KP50201900008"),
        QualificationInput(cook, 2, certificate_no=CERT),
    ]
    with db.session() as s, pytest.raises(ValidationError, match="丁婉文") as caught:
        update_person(
            s, admin, other, PersonInput("高超", make_id(23)), [RoleInput("examiner")], quals
        )
    assert caught.value.field == "qual.1.certificate_no"
    assert _certs(db, other) == ["KP50201900008"]


def test_one_examiner_keeps_one_number_on_several_qualifications(
    db: Database, admin: Actor, roster_org
) -> None:  # type: ignore[no-untyped-def]
    occ, cook = roster_org["electrician"], roster_org["cook"]
    with db.session() as s:
        pid = add_person(
            s,
            admin,
            PersonInput("丁婉文", make_id(21)),
            [RoleInput("examiner")],
            [
                QualificationInput(occ, 3, certificate_no=CERT),
                QualificationInput(cook, 2, certificate_no=CERT),
            ],
        ).id
    with db.session() as s:  # saving the same person again (a new phone) does not clash with itself
        update_person(
            s,
            admin,
            pid,
            PersonInput("丁婉文", make_id(21), phone="13812345678"),
            [RoleInput("examiner")],
            [
                QualificationInput(occ, 4, certificate_no=CERT),
                QualificationInput(cook, 2, certificate_no=CERT),
            ],
        )
    assert _certs(db, pid) == [CERT, CERT]


def test_a_duplicate_stored_before_the_rule_does_not_block_other_edits(
    db: Database, admin: Actor, roster_org
) -> None:  # type: ignore[no-untyped-def]
    occ = roster_org["electrician"]
    first = _examiner(db, admin, "丁婉文", 21, CERT, occ=occ)
    second = _examiner(db, admin, "高超", 23, "KP1", occ=occ)
    with db.session() as s:  # as an older version could leave it
        s.execute(
            update(ExaminerQualification)
            .where(ExaminerQualification.person_id == second)
            .values(certificate_no=CERT)
        )
    with db.session() as s:
        update_person(
            s, admin, second, PersonInput("高超", make_id(23), employer="新单位"),
            [RoleInput("examiner")], [QualificationInput(occ, 3, certificate_no=CERT)],
        )  # fmt: skip
    assert _certs(db, first) == _certs(db, second) == [CERT]


def test_certificate_clashes_compares_claims_with_each_other(
    db: Database, admin: Actor, roster_org
) -> None:  # type: ignore[no-untyped-def]
    _examiner(db, admin, "丁婉文", 21, CERT, occ=roster_org["electrician"])
    a, b = ("201", make_id(31)), ("201", make_id(32))
    claims = [
        CertificateClaim("KP9", None, a, "第 2 行"),
        CertificateClaim("kp9", None, a, "第 3 行"),  # the same person again: not a clash here
        CertificateClaim("KP 9", None, b, "第 4 行"),
        CertificateClaim(CERT, None, b, "第 5 行"),
        CertificateClaim("", None, b, "第 6 行"),
        CertificateClaim(CERT, None, ("201", make_id(21)), "第 7 行"),  # its holder, after row 5
    ]
    with db.session() as s:
        found = certificate_clashes(s, claims)
    assert found[:2] == [None, None] and found[4:] == [None, None]
    assert found[2] is not None and "已在第 2 行填写给另一人员" in found[2]
    assert found[3] is not None and "丁婉文" in found[3] and mask_id(make_id(21)) in found[3]


# --- the import path ------------------------------------------------------------------------------
STAFF = ["姓名", "身份证号", "人员类别", "考评员证书号", "考评职业", "最高等级"]


def test_the_staff_import_refuses_a_certificate_number_held_by_another(
    db: Database, admin: Actor, roster_org, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    _examiner(db, admin, "丁婉文", 21, CERT, occ=roster_org["electrician"])
    path = make_xlsx(
        [
            STAFF,
            ["甲", make_id(41), "考评员", CERT.lower(), "电工", "三级"],  # held in the database
            ["乙", make_id(42), "考评员", "KP50201900099", "电工", "三级"],
            ["丙", make_id(43), "考评员", "KP 50201900099", "电工", "三级"],  # row 3 has it
            ["丁婉文", make_id(21), "考评员", CERT, "电工", "三级"],  # its holder: fine
        ]
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "replace")
    assert [r.status for r in preview.rows] == ["error", "new", "error", "unchanged"], [
        str(e) for e in preview.errors
    ]
    issues = [(e.sheet, e.row, e.column, e.header) for e in preview.errors]
    assert issues == [("名单", 2, "D", "考评员证书号"), ("名单", 4, "D", "考评员证书号")]
    first, third = preview.rows[0].errors[0].message, preview.rows[2].errors[0].message
    assert "丁婉文" in first and mask_id(make_id(21)) in first and make_id(21) not in first
    assert "已在第 3 行填写给另一人员" in third


def test_an_import_update_keeps_the_persons_own_number(
    db: Database, admin: Actor, roster_org, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    pid = _examiner(db, admin, "丁婉文", 21, CERT, occ=roster_org["electrician"])
    path = make_xlsx([STAFF, ["丁婉文", make_id(21), "考评员", CERT, "中式烹调师", "二级"]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "update")
        assert not preview.has_errors, [str(e) for e in preview.errors]
        engine.commit_import(s, admin, preview)
    assert _certs(db, pid) == [CERT, CERT]


# --- one name search -------------------------------------------------------------------------------
def test_the_gui_and_cli_searches_match_any_part_of_a_name(db: Database, admin: Actor) -> None:
    number = make_id(8, dt.date(1975, 6, 12))
    with db.session() as s:
        target = add_person(s, admin, PersonInput("高琪涵", number)).id
        add_person(s, admin, PersonInput("高超", make_id(9)))
        add_person(s, admin, PersonInput("100%_达标", make_id(10)))
    for term, names in {
        "琪": ["高琪涵"], "琪涵": ["高琪涵"], "涵": ["高琪涵"], "高": ["高琪涵", "高超"],
        "%": ["100%_达标"], "_": ["100%_达标"], "*": [], "琪x": [],
    }.items():  # fmt: skip
        with db.session() as s:
            gui = [r.name for r in listing.people_page(s, 0, 50, term)]
            count = listing.people_count(s, term)
            cli = [r["name"] for r in list_people(s, admin, search=term)]
        assert gui == cli == names and count == len(names), term
    for part in (number[:6], number[6:14], number[-4:], number[:17], number[1:]):  # never a part
        with db.session() as s:
            assert (
                listing.people_page(s, 0, 50, part) == []
                and list_people(s, admin, search=part) == []
            )
    with db.session() as s:
        assert [r.id for r in listing.people_page(s, 0, 50, number.lower())] == [target]
        assert [r["id"] for r in list_people(s, admin, search=number)] == [target]
