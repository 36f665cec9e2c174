"""The roster (人员名册): people, their staff roles and examiner qualifications.

One person row serves as staff and as candidate. Staff roles: 专职工作人员 fulltime, 专家
expert, 考评员 examiner, 内部督导员 supervisor, 监考员 proctor (000 附件1 四). External
people (not 本单位) need a signed commitment or cooperation agreement on file.

The Excel import (app.services.importing) validates and writes through the same helpers
here, so a person is checked and audited the same way whichever path created it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import (
    Batch,
    ExaminerQualification,
    Occupation,
    Person,
    StaffAssignment,
    StaffRoleEntry,
    WorkType,
)
from app.models.enums import STAFF_ROLE_NAMES, BatchStatus, StaffRole
from app.rules.id_types import GB11643_TYPES, id_type_name
from app.rules.idcard import IdInfo, mask_id, validate_id
from app.services.actor import Actor
from app.services.audit import record
from app.services.examiner_certificates import CertificateClaim, certificate_clashes
from app.services.permissions import Perm, require
from app.services.person_text import PERSON_TEXT_LIMITS, check_text

EXPIRY_NOTICE_DAYS: Final = 60


def expires_text(until: dt.date, days: int) -> str:
    """"将于 … 到期（还有 N 天）", or "今天（…）到期" on the day itself (valid through today):
    the roster list's warnings and the staff import's say it alike."""
    if days == 0:
        return f"今天（{until.isoformat()}）到期"
    return f"将于 {until.isoformat()} 到期（还有 {days} 天）"
PERSON_FIELDS: Final = (
    "name",
    "gender",
    "birth_date",
    "phone",
    "employer",
    "education",
    "city",
    "title",
)
ROLE_FIELDS: Final = ("duties", "specialty", "in_house", "agreement_on_file", "agreement_until")
QUAL_FIELDS: Final = ("max_level", "certificate_no", "valid_from", "valid_until")


@dataclass
class PersonInput:
    name: str
    id_number: str
    id_type: str = "201"
    gender: str | None = None  # derived from a GB 11643 number when None
    birth_date: dt.date | None = None  # derived likewise
    phone: str = ""
    employer: str = ""
    education: str = ""
    city: str = ""
    title: str = ""
    notes: str = ""


@dataclass
class RoleInput:
    role: str
    duties: str = ""
    specialty: str = ""
    in_house: bool = True
    agreement_on_file: bool = False
    agreement_until: dt.date | None = None


@dataclass
class QualificationInput:
    occupation_id: int
    max_level: int
    work_type_id: int | None = None
    certificate_no: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


# --- validation shared with the importer ---------------------------------------------------
def check_identity(
    id_type: str, raw_number: object, gender: str | None, birth_date: dt.date | None
) -> tuple[IdInfo, str | None, dt.date | None]:
    """Validate the number; derive or cross-check gender and birth date (ValidationError.field says which)."""
    info = validate_id(id_type, raw_number)
    if info.id_type in GB11643_TYPES:
        if gender is not None and info.gender and gender != info.gender:
            raise ValidationError(
                f"性别“{gender}”与证件号码第17位（{info.gender}）不符。请核对性别或证件号码。",
                field="gender",
            )
        if birth_date is not None and info.birth_date and birth_date != info.birth_date:
            raise ValidationError(
                f"出生日期 {birth_date.isoformat()} 与证件号码中的出生日期"
                f" {info.birth_date.isoformat()} 不符。请核对。",
                field="birth_date",
            )
        gender = gender or info.gender
        birth_date = birth_date or info.birth_date
    return info, gender, birth_date


def check_role(role: str) -> StaffRole:
    try:
        return StaffRole(role)
    except ValueError:
        raise ValidationError(
            f"角色“{role}”无效：应为 "
            + "、".join(f"{r.value}（{n}）" for r, n in STAFF_ROLE_NAMES.items()),
            field="role",
        ) from None


def check_qualification(
    session: Session,
    occupation_id: int,
    work_type_id: int | None,
    max_level: int | None,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
) -> None:
    occ = session.get(Occupation, occupation_id)
    if occ is None:
        raise ValidationError(f"职业目录中没有编号为 {occupation_id} 的职业。", field="occupation")
    if work_type_id is not None:
        wt = session.get(WorkType, work_type_id)
        if wt is None or wt.occupation_id != occupation_id:
            raise ValidationError(f"工种不属于职业“{occ.name}”。", field="work_type")
    if max_level is not None and not 1 <= int(max_level) <= 5:
        raise ValidationError("最高等级应为1–5。", field="max_level")
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(
            f"资格有效期至 {valid_until.isoformat()} 早于有效期起 {valid_from.isoformat()}。",
            field="valid_until",
        )


# --- 考评员证书号: one number, one person (app.services.examiner_certificates) -----------------
def check_certificate_numbers(
    session: Session,
    person_id: int | None,
    person_key: tuple[str, str],
    qualifications: Sequence[QualificationInput] | None,
) -> None:
    """The person form: refuse a 考评员证书号 another person holds, naming that person (masked ID);
    the field names the qualification's row (qual.<i>.certificate_no) for the edit dialog."""
    if not qualifications:
        return
    claims = [CertificateClaim(q.certificate_no, person_id, person_key) for q in qualifications]
    for i, problem in enumerate(certificate_clashes(session, claims)):
        if problem:
            raise ValidationError(
                f"第 {i + 1} 条考评资格：{problem}。未保存任何修改。",
                field=f"qual.{i}.certificate_no",
            )


# --- lookups ----------------------------------------------------------------------------------
def find_person(session: Session, id_type: str, id_number: str) -> Person | None:
    return session.scalar(
        select(Person).where(Person.id_type == id_type, Person.id_number == id_number)
    )


def find_people(
    session: Session, keys: Iterable[tuple[str, str]], chunk: int = 400
) -> dict[tuple[str, str], Person]:
    """People by (id_type, id_number), fetched in chunks (portable tuple IN)."""
    keys = list(dict.fromkeys(keys))
    out: dict[tuple[str, str], Person] = {}
    for i in range(0, len(keys), chunk):
        part = keys[i : i + chunk]
        stmt = select(Person).where(tuple_(Person.id_type, Person.id_number).in_(part))
        for p in session.scalars(stmt):
            out[(p.id_type, p.id_number)] = p
    return out


def same_number_other_type(
    session: Session, keys: Iterable[tuple[str, str]], chunk: int = 400
) -> dict[tuple[str, str], Person]:
    """For each (id_type, number) key, a registered person holding that very number under
    another ID type: one number is one person (a resident ID entered as 其他个人证件 is the
    same person twice). Only the types on file are probed, by the (type, number) index."""
    by_type: dict[str, set[str]] = {}
    for id_type, number in keys:
        by_type.setdefault(id_type, set()).add(number)
    out: dict[tuple[str, str], Person] = {}
    for held in session.scalars(select(Person.id_type).distinct()).all():
        numbers = sorted({n for t, ns in by_type.items() if t != held for n in ns})
        for i in range(0, len(numbers), chunk):
            stmt = select(Person).where(
                Person.id_type == held, Person.id_number.in_(numbers[i : i + chunk])
            )
            for person in session.scalars(stmt):
                for id_type, ns in by_type.items():
                    if id_type != held and person.id_number in ns:
                        out.setdefault((id_type, person.id_number), person)
    return out


def number_taken_text(person: Person) -> str:
    """Why a number registered under another ID type is refused, and what to do."""
    return (
        f"该证件号码已登记在人员“{person.name}”名下（证件类型：{id_type_name(person.id_type)}）："
        "同一号码只能登记一次。如是同一人，请使用已登记的证件类型；如当初的证件类型登记错了，"
        "请先在人员页面更正"
    )


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"找不到编号为 {person_id} 的人员。")
    return person


# --- writing (audited) --------------------------------------------------------------------------
def apply_changes(obj: Any, values: Mapping[str, Any]) -> list[str]:
    """Set the attributes that differ; the changed names, sorted."""
    changed = []
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed.append(key)
    return sorted(changed)


def create_person_row(
    session: Session, actor: Actor, values: Mapping[str, Any], reason: str = ""
) -> Person:
    person = Person(**values)
    session.add(person)
    record(
        session,
        actor,
        "person.create",
        person,
        summary={"name": person.name, "id_number": person.id_number},
        reason=reason,
    )
    return person


def upsert_role(
    session: Session,
    actor: Actor,
    person: Person,
    role: str,
    values: Mapping[str, Any],
    reason: str = "",
) -> str:
    """Add the role or update its details; returns "added", "updated" or "unchanged"."""
    entry = next((r for r in person.roles if r.role == role), None)
    if entry is None:
        entry = StaffRoleEntry(person_id=person.id, role=role, **values)
        person.roles.append(entry)
        record(
            session,
            actor,
            "staff_role.add",
            entry,
            summary={"role": role, "name": person.name},
            reason=reason,
        )
        return "added"
    changed = apply_changes(entry, values)
    if changed:
        record(
            session,
            actor,
            "staff_role.update",
            entry,
            summary={"role": role, "name": person.name, "changed": changed},
            reason=reason,
        )
        return "updated"
    return "unchanged"


# Batches whose staff plan still matters: from draft until the scores are in.
UNFINISHED_BATCH_STATUSES: Final = (
    BatchStatus.DRAFT, BatchStatus.PLAN_FILED, BatchStatus.IN_PROGRESS, BatchStatus.SCORING,
)  # fmt: skip


def refuse_if_assigned(session: Session, person: Person, role: str) -> None:
    """A staff role cannot be taken away from a person assigned that duty in an unfinished batch:
    the plan would name somebody who no longer holds the role."""
    codes = sorted(
        set(
            session.scalars(
                select(Batch.code)
                .join(StaffAssignment, StaffAssignment.batch_id == Batch.id)
                .where(
                    StaffAssignment.person_id == person.id,
                    StaffAssignment.duty == role,
                    Batch.status.in_(UNFINISHED_BATCH_STATUSES),
                )
            )
        )
    )
    if codes:
        name = STAFF_ROLE_NAMES[StaffRole(role)]
        raise ValidationError(
            f"“{person.name}”在批次 {'、'.join(codes)} 中担任{name}，不能移除其{name}角色："
            f"请先在这些批次的“人员安排”中换人，再移除角色。未保存任何修改。",
            field="roles",
        )


def delete_role(session: Session, actor: Actor, entry: StaffRoleEntry, reason: str = "") -> None:
    person = entry.person
    summary = {"role": entry.role, "name": person.name if person else ""}
    if person is not None:
        person.roles.remove(entry)
    session.delete(entry)
    session.flush()
    record(session, actor, "staff_role.remove", entry, deleted=True, summary=summary, reason=reason)


def upsert_qualification(
    session: Session,
    actor: Actor,
    person: Person,
    occupation_id: int,
    work_type_id: int | None,
    values: Mapping[str, Any],
    reason: str = "",
) -> str:
    q = next(
        (
            x
            for x in person.qualifications
            if x.occupation_id == occupation_id and x.work_type_id == work_type_id
        ),
        None,
    )
    if q is None:
        q = ExaminerQualification(
            person_id=person.id, occupation_id=occupation_id, work_type_id=work_type_id, **values
        )
        person.qualifications.append(q)
        record(
            session,
            actor,
            "qualification.add",
            q,
            summary={"name": person.name, "occupation_id": occupation_id},
            reason=reason,
        )
        return "added"
    changed = apply_changes(q, values)
    if changed:
        record(
            session,
            actor,
            "qualification.update",
            q,
            summary={"name": person.name, "changed": changed},
            reason=reason,
        )
        return "updated"
    return "unchanged"


def _person_values(data: PersonInput) -> tuple[str, dict[str, Any]]:
    info, gender, birth = check_identity(data.id_type, data.id_number, data.gender, data.birth_date)
    values: dict[str, Any] = {k: check_text(k, getattr(data, k)) for k in PERSON_TEXT_LIMITS}
    notes = data.notes or ""
    check_text("notes", notes)  # length only: notes are kept as typed
    values.update(gender=gender, birth_date=birth, notes=notes)
    values["id_type"], values["id_number"] = info.id_type, info.number
    return info.number, values


def _role_values(r: RoleInput) -> dict[str, Any]:
    check_role(r.role)
    return {
        "duties": check_text("duties", r.duties),
        "specialty": check_text("specialty", r.specialty),
        "in_house": r.in_house,
        "agreement_on_file": r.agreement_on_file,
        "agreement_until": r.agreement_until,
    }


def _sync_children(
    session: Session,
    actor: Actor,
    person: Person,
    roles: list[RoleInput] | None,
    qualifications: list[QualificationInput] | None,
    reason: str,
) -> None:
    if roles is not None:
        wanted = {check_role(r.role).value: r for r in roles}
        for entry in list(person.roles):
            if entry.role not in wanted:
                refuse_if_assigned(session, person, entry.role)
                delete_role(session, actor, entry, reason)
        for role, r in wanted.items():
            upsert_role(session, actor, person, role, _role_values(r), reason)
    if qualifications is not None:
        keys = set()
        for q in qualifications:
            check_qualification(
                session, q.occupation_id, q.work_type_id, q.max_level, q.valid_from, q.valid_until
            )
            keys.add((q.occupation_id, q.work_type_id))
            upsert_qualification(
                session,
                actor,
                person,
                q.occupation_id,
                q.work_type_id,
                {
                    "max_level": int(q.max_level),
                    "certificate_no": check_text("certificate_no", q.certificate_no),
                    "valid_from": q.valid_from,
                    "valid_until": q.valid_until,
                },
                reason,
            )
        for q in list(person.qualifications):
            if (q.occupation_id, q.work_type_id) not in keys:
                person.qualifications.remove(q)
                session.delete(q)
                session.flush()
                record(
                    session,
                    actor,
                    "qualification.remove",
                    q,
                    deleted=True,
                    summary={"name": person.name},
                    reason=reason,
                )


def _refuse_number_under_other_type(
    session: Session, key: tuple[str, str], person_id: int | None
) -> None:
    other = same_number_other_type(session, [key]).get(key)
    if other is not None and other.id != person_id:
        raise ValidationError(number_taken_text(other) + "。", field="id_number")


def add_person(
    session: Session,
    actor: Actor,
    data: PersonInput,
    roles: list[RoleInput] | None = None,
    qualifications: list[QualificationInput] | None = None,
    reason: str = "",
) -> Person:
    """A new person (with staff roles and examiner qualifications); refuses a duplicate ID."""
    require(session, actor, Perm.EDIT_ROSTER, what="新增人员")
    number, values = _person_values(data)
    existing = find_person(session, values["id_type"], number)
    if existing is not None:
        raise ValidationError(
            f"{id_type_name(values['id_type'])} {mask_id(number)} 已登记为“{existing.name}”"
            f"（编号 {existing.id}）：请修改该人员，不要重复新增。",
            field="id_number",
        )
    _refuse_number_under_other_type(session, (values["id_type"], number), None)
    check_certificate_numbers(session, None, (values["id_type"], number), qualifications)
    person = create_person_row(session, actor, values, reason)
    _sync_children(session, actor, person, roles, qualifications, reason)
    return person


def update_person(
    session: Session,
    actor: Actor,
    person_id: int,
    data: PersonInput,
    roles: list[RoleInput] | None = None,
    qualifications: list[QualificationInput] | None = None,
    reason: str = "",
) -> Person:
    """Update a person; `roles`/`qualifications` given = the complete new set, None = unchanged."""
    require(session, actor, Perm.EDIT_ROSTER, what="修改人员")
    person = _person(session, person_id)
    number, values = _person_values(data)
    other = find_person(session, values["id_type"], number)
    if other is not None and other.id != person.id:
        raise ValidationError(
            f"该证件号码已属于另一人员“{other.name}”（编号 {other.id}）。", field="id_number"
        )
    _refuse_number_under_other_type(session, (values["id_type"], number), person.id)
    check_certificate_numbers(session, person.id, (values["id_type"], number), qualifications)
    changed = apply_changes(person, values)
    if changed:
        record(
            session,
            actor,
            "person.update",
            person,
            summary={"name": person.name, "changed": changed},
            reason=reason,
        )
    _sync_children(session, actor, person, roles, qualifications, reason)
    return person


def remove_role(
    session: Session, actor: Actor, person_id: int, role: str, reason: str = ""
) -> bool:
    """Take one staff role away (the person stays). False if the person did not hold it."""
    require(session, actor, Perm.EDIT_ROSTER, what="移除人员角色")
    person = _person(session, person_id)
    entry = next((r for r in person.roles if r.role == check_role(role).value), None)
    if entry is None:
        return False
    refuse_if_assigned(session, person, entry.role)
    delete_role(session, actor, entry, reason)
    return True
