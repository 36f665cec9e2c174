"""A staff role assigned in an unfinished batch cannot be taken away in the person edit path, and
the batch check names an assignee who no longer holds the role (as an import in 替换 mode can leave)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import Database, open_database
from app.errors import ValidationError
from app.models import Batch, Person, StaffAssignment, StaffRoleEntry
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.batch_checks import check_batch
from app.services.batches import unassign_staff
from app.services.demo import build_demo
from app.services.roster import (
    UNFINISHED_BATCH_STATUSES,
    PersonInput,
    RoleInput,
    delete_role,
    remove_role,
    update_person,
)
from app.services.users import authenticate

PW = "Demo#2026"


@pytest.fixture
def demo(tmp_path) -> tuple[Database, Actor]:  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "data")
    build_demo(db, PW)
    with db.session() as s:
        admin = authenticate(s, "admin", PW)
    yield db, admin
    db.dispose()


def _assigned_examiner(db: Database) -> tuple[int, str]:
    """An examiner assigned in a draft batch: (person id, batch code)."""
    with db.session() as s:
        pid, code = s.execute(
            select(StaffAssignment.person_id, Batch.code)
            .join(Batch, Batch.id == StaffAssignment.batch_id)
            .where(StaffAssignment.duty == "examiner", Batch.status == "draft")
            .order_by(Batch.code)
        ).first()
        return pid, code


def _roles(db: Database, pid: int) -> set[str]:
    with db.session() as s:
        return set(s.scalars(select(StaffRoleEntry.role).where(StaffRoleEntry.person_id == pid)))


def test_the_edit_path_refuses_to_remove_an_assigned_role(demo) -> None:  # type: ignore[no-untyped-def]
    db, admin = demo
    pid, code = _assigned_examiner(db)
    before = _roles(db, pid)
    with db.session() as s:
        p = s.get(Person, pid)
        data = PersonInput(p.name, p.id_number, p.id_type)
    kept = [RoleInput(r) for r in sorted(before - {"examiner"})] or [RoleInput("proctor")]
    with pytest.raises(ValidationError) as info, db.session() as s:
        update_person(s, admin, pid, data, roles=kept, reason="调岗")
    assert code in info.value.message and "考评员" in info.value.message
    assert "人员安排" in info.value.message and info.value.field == "roles"
    with pytest.raises(ValidationError), db.session() as s:
        remove_role(s, admin, pid, "examiner")
    assert _roles(db, pid) == before  # nothing written

    # once the batch names somebody else, the role can go
    with db.session() as s:
        open_ones = select(StaffAssignment).join(Batch).where(
            StaffAssignment.person_id == pid, StaffAssignment.duty == "examiner",
            Batch.status.in_(UNFINISHED_BATCH_STATUSES))  # fmt: skip
        for a in list(s.scalars(open_ones)):
            unassign_staff(s, admin, a.id, "换人")
    with db.session() as s:
        assert remove_role(s, admin, pid, "examiner", reason="调岗")
    assert "examiner" not in _roles(db, pid)
    with db.session() as s:
        assert verify_audit(s).ok


def test_the_batch_check_names_an_assignee_without_the_role(demo) -> None:  # type: ignore[no-untyped-def]
    db, admin = demo
    pid, code = _assigned_examiner(db)
    with db.session() as s:
        assert not [i for i in check_batch(s, code).items if i.key.startswith("role:")]
        entry = s.scalar(select(StaffRoleEntry).where(
            StaffRoleEntry.person_id == pid, StaffRoleEntry.role == "examiner"))  # fmt: skip
        delete_role(s, admin, entry, "导入（替换）")  # what a replace-mode import does
        name = s.get(Person, pid).name
    with db.session() as s:
        report = check_batch(s, code)
    found = [i for i in report.items if i.key == f"role:{pid}:examiner"]
    assert len(found) == 1 and found[0].level == "error" and name in found[0].message
    assert "没有其考评员角色" in found[0].message and not report.can_file
