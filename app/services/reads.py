"""Read-only queries that return plain dicts (CLI --json and exports). ID numbers masked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.models import Batch, Enrolment, Occupation, Person, StaffRoleEntry, WorkType
from app.models.enums import BATCH_STATUS_NAMES, STAFF_ROLE_NAMES, BatchStatus, StaffRole


def list_batches(session: Session) -> list[dict[str, Any]]:
    counts = (
        select(Enrolment.batch_id, func.count(Enrolment.id).label("n"))
        .group_by(Enrolment.batch_id)
        .subquery()
    )
    stmt = (
        select(Batch, Occupation.name, WorkType.name, func.coalesce(counts.c.n, 0))
        .join(Occupation, Batch.occupation_id == Occupation.id)
        .outerjoin(WorkType, Batch.work_type_id == WorkType.id)
        .outerjoin(counts, counts.c.batch_id == Batch.id)
        .order_by(Batch.code)
    )
    out = []
    for b, occ, wt, n in session.execute(stmt):
        first = min((s.day for s in b.sessions), default=None)
        last = max((s.day for s in b.sessions), default=None)
        out.append(
            {
                "id": b.id,
                "code": b.code,
                "name": b.name,
                "status": b.status,
                "status_name": BATCH_STATUS_NAMES[BatchStatus(b.status)],
                "occupation": occ,
                "work_type": wt,
                "level": b.level,
                "candidates": n,
                "first_session": first.isoformat() if first else None,
                "last_session": last.isoformat() if last else None,
            }
        )
    return out


def list_people(
    session: Session, *, search: str | None = None, role: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    from app.rules.idcard import mask_id

    stmt = select(Person).order_by(Person.id)
    if search:
        term = search.strip().upper()
        stmt = stmt.where(or_(Person.name.contains(search.strip(), autoescape=True), Person.id_number.startswith(term, autoescape=True)))
    if role:
        stmt = stmt.where(Person.id.in_(select(StaffRoleEntry.person_id).where(StaffRoleEntry.role == role)))
    if limit:
        stmt = stmt.limit(limit)
    people = list(session.scalars(stmt))
    roles: dict[int, list[str]] = {}
    if people:
        ids = stmt.with_only_columns(Person.id).scalar_subquery()  # no huge IN list
        for pid, r in session.execute(
            select(StaffRoleEntry.person_id, StaffRoleEntry.role).where(StaffRoleEntry.person_id.in_(ids))
        ):
            roles.setdefault(pid, []).append(r)
    return [
        {
            "id": p.id,
            "name": p.name,
            "id_type": p.id_type,
            "id_number": mask_id(p.id_number),
            "gender": p.gender,
            "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            "employer": p.employer,
            "roles": sorted(roles.get(p.id, [])),
            "role_names": [STAFF_ROLE_NAMES[StaffRole(r)] for r in sorted(roles.get(p.id, []))],
        }
        for p in people
    ]
