"""Every role against every data-changing service of issues 5–8, on a copy of the demo:
allowed roles succeed, every other role gets PermissionDenied and the refusal is audited."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.db import open_database
from app.errors import PermissionDenied
from app.models import AuditEntry, Certificate, Enrolment, Person, ScorerAssignment
from app.models.enums import UserRole
from app.services import (
    batch_workflow,
    catalogue,
    certificates,
    enrolment,
    plan_filing,
    publicity,
    results_filing,
    roster,
    roster_export,
    scores,
    settings,
    venues,
)
from app.services.audit import record
from app.services.audit_verify import verify_audit
from app.services.demo import build_demo
from app.services.permissions import MATRIX, Perm
from app.services.users import authenticate, create_user

PW = "Role#2026x"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("perm") / "data"
    db = open_database(d)
    build_demo(db, "Demo#2026")
    with db.session() as s:
        admin = authenticate(s, "admin", "Demo#2026")
    with db.session() as s:
        for role in UserRole:
            if role is not UserRole.ADMIN:
                create_user(s, admin, f"u_{role.value}", role.value, PW)
        batch_workflow.advance(s, admin, "2026-04", "in_progress")
        batch_workflow.advance(s, admin, "2026-04", "scoring")
    with db.session() as s:
        scorer_id = s.scalar(select(AuditEntry.entity_id).where(AuditEntry.action == "user.create",
                                                                 AuditEntry.summary.contains("u_scorer")))
        batch = batch_workflow.get_batch(s, "2026-04")
        a = ScorerAssignment(user_id=scorer_id, batch_id=batch.id)
        s.add(a)
        record(s, admin, "scorer.assign", a)
    db.dispose()
    return d


def _ctx(s, tmp: Path) -> dict[str, Any]:
    b4 = batch_workflow.get_batch(s, "2026-04")
    return {
        "tmp": tmp,
        "enrolment": s.scalar(select(Enrolment.id).where(Enrolment.batch_id == b4.id).limit(1)),
        "number": s.scalar(select(Certificate.number).limit(1)),
        "person": s.scalar(select(Person.id).order_by(Person.id.desc()).limit(1)),
    }


CALLS: dict[str, tuple[Perm | tuple[Perm, ...], Callable[[Any, Any, dict[str, Any]], object]]] = {
    "add_person": (Perm.EDIT_ROSTER, lambda s, a, c: roster.add_person(
        s, a, roster.PersonInput(name="新员工", id_number="11010519491231002X"))),
    "create_occupation": (Perm.EDIT_ORGANISATION, lambda s, a, c: catalogue.create_occupation(
        s, a, catalogue.OccupationInput(code="4-01-02-03", name="测试职业"))),
    "create_venue": (Perm.EDIT_BATCH, lambda s, a, c: venues.create_venue(s, a, venues.VenueInput(name="新考点"))),
    "move_batch_back": (Perm.OVERRIDE, lambda s, a, c: batch_workflow.move_back(s, a, "2026-04", "in_progress", "更正")),
    "enter_score": (Perm.ENTER_SCORES, lambda s, a, c: scores.enter_score(s, a, c["enrolment"], "theory", "88.5")),
    "add_objection": (Perm.PUBLICISE, lambda s, a, c: publicity.add_objection(
        s, a, "2026-03", dt.date(2026, 11, 21), "对成绩有异议")),
    # exports with full ID numbers (for the authority) also need the full-ID permission
    "export_results": ((Perm.EXPORT, Perm.VIEW_FULL_ID), lambda s, a, c: results_filing.export_results(s, a, "2026-02", c["tmp"])),
    "export_plan": ((Perm.EXPORT, Perm.VIEW_FULL_ID), lambda s, a, c: plan_filing.export_plan(
        s, a, "2026-04", c["tmp"])),
    "export_roster": ((Perm.EXPORT, Perm.VIEW_FULL_ID), lambda s, a, c: roster_export.export_roster(
        s, a, c["tmp"] / "名册.xlsx")),
    "issue_certificates": (Perm.ISSUE_CERTIFICATES, lambda s, a, c: certificates.issue_certificates(
        s, a, "2026-02", dt.date(2026, 11, 23), fix_content=False)),
    "void_certificate": (Perm.VOID_CERTIFICATE, lambda s, a, c: certificates.void_certificate(
        s, a, c["number"], "信息有误")),
    "idle_lock": (Perm.MANAGE_SETTINGS, lambda s, a, c: settings.set_idle_lock_minutes(s, a, 5)),
    "admission_pattern": (Perm.MANAGE_SETTINGS, lambda s, a, c: enrolment.set_admission_pattern(
        s, a, "{code}{seq:05d}")),
}


@pytest.mark.parametrize("role", list(UserRole))
@pytest.mark.parametrize("call", sorted(CALLS))
def test_role_against_service(template: Path, tmp_path: Path, role: UserRole, call: str) -> None:
    d = tmp_path / "data"
    shutil.copytree(template, d)
    db = open_database(d)
    try:
        with db.session() as s:
            actor = authenticate(s, "admin" if role is UserRole.ADMIN else f"u_{role.value}",
                                 "Demo#2026" if role is UserRole.ADMIN else PW)
        perm, fn = CALLS[call]
        out = tmp_path / "out"
        out.mkdir()
        with db.session() as s:
            ctx = _ctx(s, out)
        needed = perm if isinstance(perm, tuple) else (perm,)
        if all(p in MATRIX[role] for p in needed):
            with db.session() as s:
                fn(s, actor, ctx)
        else:
            with pytest.raises(PermissionDenied, match="权限不足"), db.session() as s:
                fn(s, actor, ctx)
            with db.session() as s:
                last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
            assert last.action == "permission.denied" and last.username == actor.username
        with db.session() as s:
            assert verify_audit(s).ok
    finally:
        db.dispose()
