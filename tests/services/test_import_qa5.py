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
