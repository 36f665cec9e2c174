"""Every role against every data-changing service: allowed or refused, and refusals audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from app.errors import PermissionDenied
from app.models import AuditEntry, Batch, Person, ScorerAssignment
from app.models.enums import UserRole
from app.services import calendar, people, users
from app.services.actor import Actor
from app.services.audit_query import AuditFilter, audit_page, export_audit
from app.services.organisation import OrgInput, save_organisation
from app.services.permissions import MATRIX, Perm, allowed, require

ROLES = list(UserRole)


def _actor(db, admin, role: UserRole) -> Actor:
    if role is UserRole.ADMIN:
        return admin
    with db.session() as s:
        users.create_user(s, admin, f"u_{role.value}", role.value, "Passw0rd#x")
    with db.session() as s:
        return users.authenticate(s, f"u_{role.value}", "Passw0rd#x")


def _person(db, admin) -> int:
    from app.services.audit import record

    with db.session() as s:
        p = Person(id_type="201", id_number="11010519491231002X", name="张三")
        s.add(p)
        record(s, admin, "person.create", p)
        return p.id


# (permission the call needs, the call)
CALLS: dict[str, tuple[Perm, Callable]] = {
    "create_user": (Perm.MANAGE_USERS, lambda s, a, ctx: users.create_user(s, a, "newbie", "clerk", "Newbie#2026")),
    "set_role": (Perm.MANAGE_USERS, lambda s, a, ctx: users.set_role(s, a, "admin", "admin")),
    "save_organisation": (Perm.EDIT_ORGANISATION, lambda s, a, ctx: save_organisation(s, a, OrgInput(name="某培训学校"))),
    "calendar_set": (Perm.EDIT_CALENDAR, lambda s, a, ctx: calendar.set_day(s, a, dt.date(2031, 1, 1), "休", "元旦")),
    "calendar_import": (Perm.EDIT_CALENDAR, lambda s, a, ctx: calendar.import_calendar(s, a, ctx["csv"])),
    "reveal_id": (Perm.VIEW_FULL_ID, lambda s, a, ctx: people.reveal_id_number(s, a, ctx["person"])),
    "audit_page": (Perm.VIEW_AUDIT, lambda s, a, ctx: audit_page(s, a, AuditFilter(), 0, 10)),
    "export_audit": (Perm.VIEW_AUDIT, lambda s, a, ctx: export_audit(s, a, AuditFilter(), ctx["xlsx"])),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", sorted(CALLS))
def test_role_against_service(db, admin, tmp_path: Path, role: UserRole, call: str) -> None:
    perm, fn = CALLS[call]
    actor = _actor(db, admin, role)
    csv = tmp_path / "cal.csv"
    csv.write_text("日期,类型,名称\n2031-01-01,休,元旦\n", encoding="utf-8")
    ctx = {"csv": csv, "person": _person(db, admin), "xlsx": tmp_path / "audit.xlsx"}
    if perm in MATRIX[role]:
        with db.session() as s:
            fn(s, actor, ctx)
    else:
        with pytest.raises(PermissionDenied, match="权限不足"), db.session() as s:
            fn(s, actor, ctx)
        with db.session() as s:
            last = s.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
        assert last.action == "permission.denied" and last.username == actor.username


def test_matrix_matches_the_issue() -> None:
    assert MATRIX[UserRole.ADMIN] == frozenset(Perm)
    assert allowed(Actor(1, "c", UserRole.CLERK), Perm.EDIT_BATCH)
    assert not allowed(Actor(1, "c", UserRole.CLERK), Perm.MANAGE_USERS)
    assert MATRIX[UserRole.SCORER] == {Perm.READ, Perm.ENTER_SCORES}
    assert {Perm.VIEW_AUDIT, Perm.APPROVE} <= MATRIX[UserRole.SUPERVISOR]
    assert Perm.ENTER_SCORES not in MATRIX[UserRole.SUPERVISOR]
    assert {Perm.ISSUE_CERTIFICATES, Perm.PRINT_CERTIFICATES} <= MATRIX[UserRole.CERTIFIER]
    assert Perm.EDIT_ROSTER not in MATRIX[UserRole.CERTIFIER]


def test_scorer_only_for_assigned_batches(db, admin) -> None:
    from app.services.audit import record

    scorer = _actor(db, admin, UserRole.SCORER)
    with db.session() as s:
        save_organisation(s, admin, OrgInput(name="某培训学校"))
    with db.session() as s:
        from app.models import Occupation

        occ = Occupation(code="6-31-01-03", name="电工")
        s.add(occ)
        s.flush()
        b1 = Batch(code="B1", name="一", organisation_id=1, occupation_id=occ.id, level=4)
        b2 = Batch(code="B2", name="二", organisation_id=1, occupation_id=occ.id, level=4)
        s.add_all([b1, b2])
        s.flush()
        sa = ScorerAssignment(user_id=scorer.user_id, batch_id=b1.id)
        s.add(sa)
        record(s, admin, "scorer.assign", sa)
        ids = (b1.id, b2.id)
    with db.session() as s:
        require(s, scorer, Perm.ENTER_SCORES, batch_id=ids[0])
    with pytest.raises(PermissionDenied, match="未分配"), db.session() as s:
        require(s, scorer, Perm.ENTER_SCORES, batch_id=ids[1])


def test_reveal_is_audited(db, admin) -> None:
    pid = _person(db, admin)
    with db.session() as s:
        assert people.reveal_id_number(s, admin, pid, "核对证件") == "11010519491231002X"
    with db.session() as s:
        e = s.query(AuditEntry).filter_by(action="person.reveal_id").one()
    assert e.person_id == pid and e.reason == "核对证件" and "11010519491231002X" not in e.summary
