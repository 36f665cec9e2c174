"""Reading the roster: warnings (expired or expiring qualifications, missing agreements) and search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ExaminerQualification, Occupation, Person, StaffRoleEntry
from app.models.enums import STAFF_ROLE_NAMES, StaffRole
from app.rules.idcard import mask_id
from app.services.actor import Actor
from app.services.listing import contains_text, examiners_of, id_number_is
from app.services.permissions import Perm, require
from app.services.roster import EXPIRY_NOTICE_DAYS, check_role, expires_text


@dataclass(frozen=True)
class RosterWarning:
    kind: str  # qualification_expired / qualification_expiring / no_agreement / agreement_expired
    person_id: int
    name: str
    message: str
    due: dt.date | None = None


def roster_warnings(
    session: Session,
    today: dt.date,
    *,
    actor: Actor | None = None,
    within_days: int = EXPIRY_NOTICE_DAYS,
) -> list[RosterWarning]:
    """Examiners' expired and soon-expiring qualifications, and examiners with none on file;
    external staff without an agreement on file, or with one expired or soon expiring."""
    if actor is not None:
        require(session, actor, Perm.READ, what="查看人员提醒")
    out: list[RosterWarning] = []
    horizon = today + dt.timedelta(days=within_days)
    quals = session.execute(
        select(ExaminerQualification, Person.name, Occupation.name)
        .join(Person, Person.id == ExaminerQualification.person_id)
        .join(Occupation, Occupation.id == ExaminerQualification.occupation_id)
        .where(
            ExaminerQualification.valid_until.is_not(None),
            ExaminerQualification.valid_until <= horizon,
            # qualifications are kept when the 考评员 role is removed; they concern nobody then
            ExaminerQualification.person_id.in_(
                select(StaffRoleEntry.person_id).where(StaffRoleEntry.role == StaffRole.EXAMINER)
            ),
        )
        .order_by(ExaminerQualification.valid_until, Person.id)
    )
    for q, name, occ in quals:
        if q.valid_until < today:
            out.append(
                RosterWarning(
                    "qualification_expired",
                    q.person_id,
                    name,
                    f"{name}的考评资格（{occ}）已于 {q.valid_until.isoformat()} 过期。",
                    q.valid_until,
                )
            )
        else:
            days = (q.valid_until - today).days
            out.append(
                RosterWarning(
                    "qualification_expiring",
                    q.person_id,
                    name,
                    f"{name}的考评资格（{occ}）{expires_text(q.valid_until, days)}。",
                    q.valid_until,
                )
            )
    unqualified = session.execute(
        select(Person.id, Person.name)
        .where(
            Person.id.in_(
                select(StaffRoleEntry.person_id).where(StaffRoleEntry.role == StaffRole.EXAMINER)
            ),
            Person.id.not_in(select(ExaminerQualification.person_id)),
        )
        .order_by(Person.id)
    )
    out.extend(
        RosterWarning(
            "no_qualification", pid, name,
            f"{name}是考评员，但没有登记考评资格（考评职业、考评员证书号、有效期）。",
        )
        for pid, name in unqualified
    )
    roles = session.execute(
        select(StaffRoleEntry, Person.name)
        .join(Person, Person.id == StaffRoleEntry.person_id)
        .where(StaffRoleEntry.in_house.is_(False))
        .order_by(Person.id, StaffRoleEntry.role)
    )
    for r, name in roles:
        role_name = STAFF_ROLE_NAMES.get(StaffRole(r.role), r.role)
        if not r.agreement_on_file:
            out.append(
                RosterWarning(
                    "no_agreement",
                    r.person_id,
                    name,
                    f"{name}（{role_name}，非本单位人员）没有承诺书或合作协议在档。",
                )
            )
        elif r.agreement_until is not None and r.agreement_until < today:
            out.append(
                RosterWarning(
                    "agreement_expired",
                    r.person_id,
                    name,
                    f"{name}（{role_name}，非本单位人员）的协议已于"
                    f" {r.agreement_until.isoformat()} 到期。",
                    r.agreement_until,
                )
            )
        elif r.agreement_until is not None and r.agreement_until <= horizon:
            out.append(
                RosterWarning(
                    "agreement_expiring",
                    r.person_id,
                    name,
                    f"{name}（{role_name}，非本单位人员）的协议"
                    f"{expires_text(r.agreement_until, (r.agreement_until - today).days)}，请及时续签。",
                    r.agreement_until,
                )
            )
    return out


@dataclass
class RosterEntry:
    id: int
    name: str
    id_type: str
    id_number_masked: str
    roles: list[str]
    role_names: list[str]
    title: str
    employer: str
    in_house: bool | None
    occupations: list[str] = field(default_factory=list)


def search_roster(
    session: Session,
    *,
    name: str | None = None,
    id_number: str | None = None,
    role: str | None = None,
    occupation_id: int | None = None,
    staff_only: bool = False,
    limit: int | None = None,
    actor: Actor | None = None,
) -> list[RosterEntry]:
    """Filter people by name (contains), the whole ID number (never a prefix: that would undo the
    mask), staff role and occupation examined (current examiners only); IDs masked."""
    if actor is not None:
        require(session, actor, Perm.READ, what="查询人员")
    stmt = select(Person).order_by(Person.name, Person.id)
    if name and name.strip():
        stmt = stmt.where(contains_text(Person.name, name))  # 李（小）明 or 李(小)明
    if id_number and id_number.strip():
        if actor is not None:  # (a whole-number search reveals whether a guessed number exists)
            require(session, actor, Perm.VIEW_FULL_ID, what="按完整证件号码查找人员")
        stmt = stmt.where(id_number_is(id_number))
    if role:
        stmt = stmt.where(
            Person.id.in_(
                select(StaffRoleEntry.person_id).where(
                    StaffRoleEntry.role == check_role(role).value
                )
            )
        )
    elif staff_only:
        stmt = stmt.where(Person.id.in_(select(StaffRoleEntry.person_id)))
    if occupation_id is not None:
        stmt = stmt.where(examiners_of(occupation_id))
    if limit:
        stmt = stmt.limit(limit)
    people = list(session.scalars(stmt))
    occ_names = dict(session.execute(select(Occupation.id, Occupation.name)).tuples().all())
    out = []
    for p in people:
        roles = sorted((r.role for r in p.roles), key=lambda x: list(StaffRole).index(StaffRole(x)))
        out.append(
            RosterEntry(
                p.id,
                p.name,
                p.id_type,
                mask_id(p.id_number),
                roles,
                [STAFF_ROLE_NAMES[StaffRole(r)] for r in roles],
                p.title,
                p.employer,
                all(r.in_house for r in p.roles) if p.roles else None,
                [occ_names.get(q.occupation_id, "") for q in p.qualifications],
            )
        )
    return out


