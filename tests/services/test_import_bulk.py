"""The bulk path of an import: new people, roles and qualifications written by Core statements.

Each new row must be audited exactly as an ORM write would be: its own entry, naming the
right row and person, with the digest of the row as stored — and a stale preview is refused.
"""

from __future__ import annotations

import gc

import pytest
from sqlalchemy import select

from app.errors import ValidationError
from app.models import AuditEntry, ExaminerQualification, Person, StaffRoleEntry
from app.services.audit import digest_of_row
from app.services.importing import commit_import, preview_import
from app.services.roster import PersonInput, add_person, update_person
from tests.services.conftest import make_id

STAFF_HEADER = ["姓名", "身份证号", "人员类别", "考评职业", "最高等级"]


def _stored_digest(session, table, pk: int) -> str:  # type: ignore[no-untyped-def]
    row = session.execute(select(table).where(table.c.id == pk)).mappings().one()
    return digest_of_row(dict(row))


def test_new_rows_are_audited_one_by_one_with_their_stored_digest(
    db, admin, roster_org, make_xlsx, audit_ok
) -> None:
    with db.session() as s:  # people already registered: new ids do not start at 1
        for seq in (1, 2):
            add_person(s, admin, PersonInput(f"老{seq}", make_id(seq)))
    path = make_xlsx(
        [
            STAFF_HEADER,
            ["周考评", make_id(11), "考评员、监考员", "6-31-01-03", "三级"],
            ["吴专家", make_id(12), "专家", None, None],
            ["郑督导", make_id(13), "内部督导员、考评员", "电工、中式烹调师", "四级"],
        ]
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "add")
        assert not preview.has_errors, [str(e) for e in preview.errors]
        result = commit_import(s, admin, preview)
    assert (result.created, result.roles_added, result.qualifications_added) == (3, 5, 3)
    with db.session() as s:
        people = {p.name: p for p in s.scalars(select(Person))}
        assert [r.person_id for r in preview.rows] == [
            people[n].id for n in ("周考评", "吴专家", "郑督导")
        ]
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.entity != "")))
        by_entity = {(e.entity, e.entity_id): e for e in entries}
        for name in ("周考评", "吴专家", "郑督导"):
            p = people[name]
            created = by_entity[("person", p.id)]
            assert (created.action, created.person_id) == ("person.create", p.id)
            assert created.row_digest == _stored_digest(s, Person.__table__, p.id)
            for role in p.roles:
                e = by_entity[("staff_role", role.id)]
                assert (e.action, e.person_id) == ("staff_role.add", p.id)
                assert e.row_digest == _stored_digest(s, StaffRoleEntry.__table__, role.id)
                assert role.role in e.summary
            for q in p.qualifications:
                e = by_entity[("examiner_qualification", q.id)]
                assert (e.action, e.person_id) == ("qualification.add", p.id)
                assert e.row_digest == _stored_digest(s, ExaminerQualification.__table__, q.id)
        assert {r.role for r in people["郑督导"].roles} == {"supervisor", "examiner"}
        assert sorted(q.max_level for q in people["郑督导"].qualifications) == [4, 4]
        assert "110" not in "".join(e.summary for e in entries)  # no full ID number in summaries
    audit_ok()


def test_an_occupation_named_twice_in_a_cell_is_one_qualification(
    db, admin, roster_org, make_xlsx, audit_ok
) -> None:
    path = make_xlsx([STAFF_HEADER, ["周考评", make_id(21), "考评员", "电工、6-31-01-03", "三级"]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "add")
        result = commit_import(s, admin, preview)
    assert result.qualifications_added == 1
    audit_ok()


def test_an_existing_person_changed_after_the_preview_refuses_the_commit(
    db, admin, make_xlsx, audit_ok
) -> None:
    with db.session() as s:
        pid = add_person(s, admin, PersonInput("甲", make_id(31), phone="13800000111")).id
    path = make_xlsx(
        [["姓名", "身份证号", "联系电话"], ["甲", make_id(31), "13800000222"], ["乙", make_id(32), ""]]
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "people", "replace")
    assert [r.status for r in preview.rows] == ["update", "new"]
    with db.session() as s:  # somebody else sets the same phone meanwhile
        update_person(s, admin, pid, PersonInput("甲", make_id(31), phone="13800000222"), reason="电话变更")
    with db.session() as s:
        before = len(list(s.scalars(select(AuditEntry.id))))
    with pytest.raises(ValidationError, match="重新检查文件（预览）"), db.session() as s:
        commit_import(s, admin, preview)
    with db.session() as s:
        assert [p.name for p in s.scalars(select(Person))] == ["甲"]  # 乙 was not written either
        assert len(list(s.scalars(select(AuditEntry.id)))) == before
    audit_ok()


def test_the_import_runs_with_the_collector_paused(db, admin, make_xlsx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.services.importing import commit_import, engine, preview_import

    seen = []
    real = engine.parse_row
    monkeypatch.setattr(engine, "parse_row", lambda *a: (seen.append(gc.isenabled()), real(*a))[1])
    path = make_xlsx([["姓名", "身份证号"], ["甲", make_id(1)]])
    with db.session() as s:
        commit_import(s, admin, preview_import(s, admin, path, "people"))
    assert seen == [False] and gc.isenabled()
