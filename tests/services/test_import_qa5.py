"""Staff/people import, QA round 5: a commit checks again what may have changed since the preview
(certificate numbers, the catalogue), an ID number is one person whatever the ID type, and the
messages name every column in Chinese."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import ValidationError
from app.models import ExaminerQualification, Person
from app.services.catalogue import OccupationInput, create_occupation, delete_occupation
from app.services.importing import commit_import, preview_import
from app.services.importing.engine import CHANGED_SINCE_PREVIEW
from app.services.roster import PersonInput, QualificationInput, RoleInput, add_person
from tests.services.conftest import make_id

STAFF = ["姓名", "证件号码", "角色", "考评职业", "考评工种", "最高等级", "考评员证书号"]


def _occupation(db, admin, code: str = "6-31-01-03", name: str = "电工") -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return create_occupation(s, admin, OccupationInput(code, name, False, ["维修电工"])).id


def _people(db) -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Person))


def test_a_certificate_number_registered_after_the_preview_stops_the_commit(
    db, admin, make_xlsx, audit_ok
) -> None:  # type: ignore[no-untyped-def]
    occ = _occupation(db, admin)
    path = make_xlsx([STAFF, ["新考评员", make_id(601), "考评员", "电工", "维修电工", 3, "KP0001"]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "add")
        assert not preview.has_errors
    with db.session() as s:  # meanwhile, somebody enters the same number in the person dialog
        add_person(s, admin, PersonInput("另一人", make_id(602)), [RoleInput("examiner")],
                   [QualificationInput(occ, 3, certificate_no="KP0001")])  # fmt: skip
    with pytest.raises(ValidationError) as info, db.session() as s:
        commit_import(s, admin, preview)
    assert info.value.message == CHANGED_SINCE_PREVIEW
    with db.session() as s:
        holders = s.scalars(
            select(ExaminerQualification).where(ExaminerQualification.certificate_no == "KP0001")
        ).all()
    assert len(holders) == 1 and _people(db) == 1
    audit_ok()


def test_an_occupation_deleted_after_the_preview_stops_the_commit_in_chinese(
    db, admin, make_xlsx, audit_ok
) -> None:  # type: ignore[no-untyped-def]
    occ = _occupation(db, admin, "4-99-01-01", "临时职业")
    path = make_xlsx([STAFF, ["新考评员", make_id(701), "考评员", "临时职业", "维修电工", 3, ""]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "add")
        assert not preview.has_errors
    with db.session() as s:
        delete_occupation(s, admin, occ, reason="不用了")
    with pytest.raises(ValidationError) as info, db.session() as s:
        commit_import(s, admin, preview)
    assert info.value.message == CHANGED_SINCE_PREVIEW  # not a raw IntegrityError
    assert _people(db) == 0
    audit_ok()


# --- one number, one person, whatever the ID type -------------------------------------------------


def test_a_resident_number_registered_again_as_another_id_type_is_refused(
    db, admin, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    number = make_id(801)
    with db.session() as s:
        add_person(s, admin, PersonInput("任英英", number))
    path = make_xlsx([
        ["姓名", "证件类型", "证件号码"],
        ["任英英", "其他个人证件", number],  # the registered resident ID under type 299
        ["乙", "201", make_id(802)],
        ["乙", "其他个人证件", make_id(802)],  # the row above's number, another type
    ])  # fmt: skip
    for mode in ("add", "update", "replace"):
        with db.session() as s:
            preview = preview_import(s, admin, path, "people", mode)
        first, _second, third = preview.rows
        assert first.status == "error" and third.status == "error", mode
        assert "已登记在人员“任英英”名下（证件类型：居民身份证）" in first.errors[-1].message
        assert first.errors[-1].column == "C" and len(first.errors) == 1  # not also "库中没有此人"
        assert "与第 3 行相同，但证件类型不同（第 3 行为“居民身份证”）" in third.errors[-1].message
    with db.session() as s:
        with pytest.raises(ValidationError, match="已登记在人员“任英英”名下") as info:
            add_person(s, admin, PersonInput("任英英", number, id_type="299"))
        assert info.value.field == "id_number"
    with db.session() as s:
        other = add_person(s, admin, PersonInput("丙", "X1234567", id_type="208"))
    from app.services.roster import update_person

    with pytest.raises(ValidationError, match="已登记在人员“任英英”名下"), db.session() as s:
        update_person(s, admin, other.id, PersonInput("丙", number, id_type="299"))
    with db.session() as s:  # saving a person under its own number and type is fine
        update_person(s, admin, other.id, PersonInput("丙二", "X1234567", id_type="208"))
    assert _people(db) == 2


# --- messages: every column named in Chinese, no warning about what is on file ------------------


def test_qualification_details_without_an_occupation_column_name_it_and_the_unknown_headers(
    db, admin, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from app.services.importing import write_error_report

    path = make_xlsx([
        ["名字", "身份证号", "人员类别", "考评员证号", "职业", "等级"],
        ["甲", make_id(901), "考评员", "KP0901", "电工", "3"],
    ])  # fmt: skip
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "add")
    (issue,) = preview.rows[0].errors
    assert issue.header == "考评职业" and "occupations" not in str(issue)
    assert "文件中没有“考评职业”列（未识别的列：职业、等级；" in issue.message
    report = write_error_report(preview, path.parent / "errors.xlsx")
    cells = [c for row in load_workbook(report).active.iter_rows(values_only=True) for c in row]
    assert "考评职业" in cells and "occupations" not in cells


def test_updating_an_examiner_whose_qualifications_are_on_file_does_not_warn_of_none(
    db, admin, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    occ = _occupation(db, admin)
    with db.session() as s:
        add_person(s, admin, PersonInput("丁婉文", make_id(911)), [RoleInput("examiner")],
                   [QualificationInput(occ, 3)])  # fmt: skip
        add_person(s, admin, PersonInput("无资格", make_id(912)), [RoleInput("examiner")])
    path = make_xlsx([
        ["姓名", "证件号码", "角色", "工作单位"],
        ["丁婉文", make_id(911), "考评员", "新单位"],
        ["无资格", make_id(912), "考评员", "新单位"],
    ])  # fmt: skip
    with db.session() as s:
        first, second = preview_import(s, admin, path, "staff", "update").rows
    assert "考评员未填写考评职业" not in first.warnings
    assert "考评员未填写考评职业" in second.warnings  # nobody on file: still worth saying


def test_names_get_the_id_card_s_middle_dot_and_refuse_emoji(db, admin, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    path = make_xlsx([
        ["姓名", "证件号码"],
        ["阿卜杜•热合曼", make_id(921)],  # a bullet typed for the middle dot
        ["买买提・艾力", make_id(922)],  # the katakana middle dot
        ["表情😀", make_id(923)],
    ])  # fmt: skip
    with db.session() as s:
        preview = preview_import(s, admin, path, "people", "add")
    first, second, third = preview.rows
    assert first.parsed.person["name"] == "阿卜杜·热合曼" and not first.errors
    assert second.parsed.person["name"] == "买买提·艾力"
    (issue,) = third.errors
    assert issue.column == "A" and "有符号“😀”" in issue.message
    with pytest.raises(ValidationError, match="有符号“☆”"), db.session() as s:
        add_person(s, admin, PersonInput("王☆", make_id(924)))


def test_an_expired_or_future_qualification_is_imported_with_a_warning_and_bad_ids_shown_masked(
    db, admin, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    _occupation(db, admin)
    past, future = dt.date.today() - dt.timedelta(days=6), dt.date.today() + dt.timedelta(days=30)
    path = make_xlsx([
        ["姓名", "证件号码", "角色", "考评职业", "最高等级", "资格有效期起", "资格有效期至"],
        ["过期", make_id(931), "考评员", "电工", 3, "2020-01-01", past.isoformat()],
        ["未生效", make_id(932), "考评员", "电工", 3, future.isoformat(), ""],
        ["错号", "110105199505050019", "考评员", "电工", 3, "", ""],
    ])  # fmt: skip
    with db.session() as s:
        expired, pending, wrong = preview_import(s, admin, path, "staff", "add").rows
    assert f"考评资格已过期（有效期至 {past.isoformat()}）" in expired.warnings
    assert expired.status == "new"  # still imported: the roster then flags it
    assert f"考评资格尚未生效（有效期自 {future.isoformat()} 起）" in pending.warnings
    assert wrong.status == "error" and wrong.id_masked == "110105**********19"
