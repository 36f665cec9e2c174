"""Read-only queries that return plain dicts (CLI --json and exports). ID numbers masked; a
search finds an ID number only by the whole number (see listing.id_search_forms)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Batch, Enrolment, Occupation, Person, StaffRoleEntry, WorkType
from app.models.enums import BATCH_STATUS_NAMES, STAFF_ROLE_NAMES, BatchStatus, StaffRole
from app.services.actor import Actor
from app.services.listing import person_search, sees_full_ids
from app.services.permissions import Perm, require


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
    session: Session,
    actor: Actor,
    *,
    search: str | None = None,
    role: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """People by id; `search` is `listing.person_search` (a part of the name or the whole ID
    number), as in the GUI. The actor needs READ; "birth_date" (digits the mask hides) is
    included only for VIEW_FULL_ID."""
    from app.rules.idcard import mask_id

    require(session, actor, Perm.READ, what="查询人员")
    show_birth = sees_full_ids(actor)
    stmt = select(Person).order_by(Person.id)
    matches = person_search(search, by_id=show_birth)  # the GUI's search too
    if matches is not None:
        stmt = stmt.where(matches)
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
    out = []
    for p in people:
        row: dict[str, Any] = {
            "id": p.id,
            "name": p.name,
            "id_type": p.id_type,
            "id_number": mask_id(p.id_number),
            "gender": p.gender,
        }
        if show_birth:
            row["birth_date"] = p.birth_date.isoformat() if p.birth_date else None
        row["employer"] = p.employer
        row["roles"] = sorted(roles.get(p.id, []))
        row["role_names"] = [STAFF_ROLE_NAMES[StaffRole(r)] for r in row["roles"]]
        out.append(row)
    return out
