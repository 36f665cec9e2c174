"""Paged read-only lists for the GUI tables: one page per call, ORDER BY + LIMIT/OFFSET in SQL.

Each `*_page(session, offset, limit, search)` returns at most `limit` plain rows and each
`*_count(session, search)` the total the same filter matches, so a table of 200,000 people
only ever holds the pages the user has scrolled to. ID numbers leave this module masked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import (
    ArchiveItem,
    Batch,
    Certificate,
    Enrolment,
    ExaminerQualification,
    Occupation,
    Person,
    ScoreEntry,
    StaffRoleEntry,
    User,
    WorkType,
)
from app.models.enums import (
    BATCH_STATUS_NAMES,
    CERTIFICATE_STATUS_NAMES,
    STAFF_ROLE_NAMES,
    USER_ROLE_NAMES,
    BatchStatus,
    StaffRole,
    UserRole,
)
from app.rules._text import fold_prose, fullwidth_twins, to_halfwidth
from app.rules.id_types import ID_TYPES
from app.rules.idcard import normalize_id, upgrade_15
from app.rules.levels import LEVELS
from app.services.actor import Actor
from app.services.audit_query import AuditFilter, AuditRow
from app.services.permissions import Perm, allowed, require

_PREFIX_END = "\U0010ffff"
_MASKED_ID: Final = re.compile(r"[0-9A-Z]*\*+[0-9A-Z]*")  # normalised: 500115**********0X
MASKED_ID_NOTE: Final = (
    "这是遮挡后的证件号码（“*”处的数字已隐藏），无法按其查找：请输入完整证件号码或姓名。"
)
MASKED_ID_NAME_ONLY_NOTE: Final = (
    "这是遮挡后的证件号码（“*”处的数字已隐藏），无法按其查找：请输入姓名"
    "（按完整证件号码查找需要“查看完整证件号码”的权限）。"
)
NAME_ONLY_NOTE: Final = "按完整证件号码查找需要“查看完整证件号码”的权限，本次只按姓名查找。"
_PARTIAL_ID: Final = re.compile(r"[0-9]+X?")  # normalised digits, an X only as the check digit
WHOLE_ID_LENGTHS: Final = (15, 18)  # a resident ID number: first generation, second generation
PARTIAL_ID_NOTE: Final = (
    "证件号码只能按完整号码查找（为保护个人信息，不按其中几位查找）：请输入完整证件号码；"
    "姓名可输入任意部分。"
)

ARCHIVE_KIND_NAMES = {"paper": "纸质", "electronic": "电子"}


def _mask(number: str) -> str:
    try:
        from app.rules.idcard import mask_id
    except ImportError:  # pragma: no cover - rules always ship with the services
        return number[:6] + "*" * max(0, len(number) - 8) + number[-2:]
    return mask_id(number)


def _level_name(level: int) -> str:
    return LEVELS[level].name if level in LEVELS else str(level)


def _prefix(column, term: str):  # type: ignore[no-untyped-def]
    """`column LIKE 'term%'` as a range, so an index on the column serves it (SQLite and PostgreSQL)."""
    return (column >= term) & (column < term + _PREFIX_END)


def _clean(search: str | None) -> str:
    return to_halfwidth(search or "").strip()  # as codes are stored (names: `contains_text`)


def _folded(column, term: str):  # type: ignore[no-untyped-def]
    """(the column, the term) to compare whatever the width of their punctuation: the term
    folded to ASCII, and in the column each full-width twin of the term's punctuation replaced
    by it (REPLACE, on SQLite and PostgreSQL alike) — 李（小）明, 李(小)明 and 李(小）明 all
    match 李(小)明. A term without punctuation compares the column as it is (and its index)."""
    folded = to_halfwidth(fold_prose(term)).strip()
    for ascii_char, wide in fullwidth_twins(folded).items():
        column = func.replace(column, wide, ascii_char)
    return column, folded


def contains_text(column, term: str):  # type: ignore[no-untyped-def]
    """`column` holds `term`, whatever the width of the punctuation either is written with and
    the case of its Latin letters (lower() on both sides: SQLite's LIKE ignores case, PostgreSQL's
    does not — "smith" finds John SMITH on either)."""
    column, folded = _folded(column, term)
    return column.icontains(folded, autoescape=True)


def _starts(column, term: str):  # type: ignore[no-untyped-def]
    """`column` starts with `term` (by `_prefix`, on the index, when the term has no
    punctuation), whatever the width of the punctuation either is written with."""
    folded_column, folded = _folded(column, term)
    if folded_column is column:
        return _prefix(column, folded)
    return folded_column.startswith(folded, autoescape=True)


def id_search_forms(search: str | None) -> tuple[str, ...]:
    """The stored forms a search term can equal as a whole ID number: normalised (full-width
    folded, spaces removed, x upper-cased), plus the 18-digit form of a 15-digit resident ID
    number (the form it is stored in). Empty when the term holds nothing."""
    number = normalize_id(search or "")
    if not number:
        return ()
    if len(number) == 15 and number.isascii() and number.isdigit():
        return number, upgrade_15(number)
    return (number,)


def id_number_is(search: str | None):  # type: ignore[no-untyped-def]
    """`Person.id_number` equal to the whole number in `search` (never a prefix or a part)."""
    forms = id_search_forms(search)
    if not forms:
        return false()
    return Person.id_number.in_(forms)


def person_search(search: str | None, *, by_id: bool = True):  # type: ignore[no-untyped-def]
    """The one people search of the GUI lists and the CLI (`people list --search`): any part of
    the name, or — `by_id`, see `sees_full_ids` — the whole ID number (never a prefix or a part
    of one, see `id_number_is`; a masked one finds nobody, `people_search_note` says why). None
    when the term holds nothing (no filter)."""
    term = _clean(search)
    if not term:
        return None
    by_name = contains_text(Person.name, search or "")
    return or_(by_name, id_number_is(term)) if by_id else by_name


def is_masked_id(search: str | None) -> bool:
    """Whether `search` is an ID number as the lists show it, digits hidden by "*"
    (500115**********0X, E1******8; spaces, full-width characters and x allowed)."""
    term = normalize_id(search or "")
    return bool(_MASKED_ID.fullmatch(term)) and any(c.isalnum() for c in term)


def is_partial_id(search: str | None) -> bool:
    """Whether `search` looks like part of a resident ID number: digits (an X at the end), but
    not as many as a whole one has (4070, 500106, 50010619750612; spaces, full-width allowed)."""
    term = normalize_id(search or "")
    return bool(_PARTIAL_ID.fullmatch(term)) and len(term) not in WHOLE_ID_LENGTHS


def people_search_note(search: str | None, actor: Actor | None, *, found: int = 0) -> str:
    """What to tell the user about a people search (`person_search`), "" when nothing: a masked
    number copied from a list, or a few digits of a number, find nobody, on purpose (matching
    part of a number would let anyone probe for the full one, digit by digit), so say so and
    what to type instead; without VIEW_FULL_ID a number is not searched at all, only names.
    `found` (how many the search found) drops the digits' note when they were a whole number
    after all: a Taiwan travel permit's has 8, a foreign passport's may be digits only."""
    full = sees_full_ids(actor)
    if is_masked_id(search):
        return MASKED_ID_NOTE if full else MASKED_ID_NAME_ONLY_NOTE
    if not full and any(c.isdigit() for c in to_halfwidth(search or "")):
        return NAME_ONLY_NOTE
    if is_partial_id(search) and not found:
        return PARTIAL_ID_NOTE
    return ""


def sees_full_ids(actor: Actor | None) -> bool:
    """Whether the actor may see what the mask hides (None: the app itself). Without it a list
    leaves out birth dates (digits 7–14 of a resident ID number) and a search does not match
    whole ID numbers: guessing numbers that pass the check digit until one is found would
    recover a full number from the masked one."""
    return actor is None or allowed(actor, Perm.VIEW_FULL_ID)


def examiners_of(occupation_id: int):  # type: ignore[no-untyped-def]
    """`Person.id` of current examiners (the 考评员 role) qualified for the occupation; a removed
    role keeps its qualifications, which then concern nobody (as in roster_warnings)."""
    return Person.id.in_(
        select(ExaminerQualification.person_id).where(
            ExaminerQualification.occupation_id == occupation_id,
            ExaminerQualification.person_id.in_(
                select(StaffRoleEntry.person_id).where(StaffRoleEntry.role == StaffRole.EXAMINER)
            ),
        )
    )


def _count(session: Session, stmt: Select) -> int:  # type: ignore[type-arg]
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    id_type: str
    id_type_name: str
    id_number_masked: str
    gender: str
    birth_date: dt.date | None
    employer: str
    role_names: str


def _people_filter(
    search: str | None,
    role: str | None = None,
    occupation_id: int | None = None,
    actor: Actor | None = None,
) -> Select:  # type: ignore[type-arg]
    """`person_search` (any part of the name or the whole ID number), narrowed by staff role and
    to examiners of an occupation; the same match with or without the filters."""
    stmt = select(Person.id)
    matches = person_search(search, by_id=sees_full_ids(actor))
    if matches is not None:
        stmt = stmt.where(matches)
    if role:
        stmt = stmt.where(
            Person.id.in_(select(StaffRoleEntry.person_id).where(StaffRoleEntry.role == role))
        )
    if occupation_id is not None:
        stmt = stmt.where(examiners_of(occupation_id))
    return stmt


def people_count(
    session: Session,
    search: str | None = None,
    *,
    role: str | None = None,
    occupation_id: int | None = None,
    actor: Actor | None = None,
) -> int:
    if actor is not None:
        require(session, actor, Perm.READ, what="查询人员")
    return _count(session, _people_filter(search, role, occupation_id, actor))


def people_page(
    session: Session,
    offset: int,
    limit: int,
    search: str | None = None,
    *,
    role: str | None = None,
    occupation_id: int | None = None,
    actor: Actor | None = None,
) -> list[PersonRow]:
    """People by id, one page; `search` matches any part of the name or the whole ID number, and
    `role` / `occupation_id` keep staff in that role / examiners of that occupation. Given an
    `actor`, it must have READ, and birth dates are left out unless it has VIEW_FULL_ID."""
    if actor is not None:
        require(session, actor, Perm.READ, what="查询人员")
    show_birth = sees_full_ids(actor)
    ids = (
        _people_filter(search, role, occupation_id, actor)
        .order_by(Person.id)
        .offset(offset)
        .limit(limit)
    )
    people = list(session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)))
    roles: dict[int, list[str]] = {}
    in_page = StaffRoleEntry.person_id.in_([p.id for p in people])
    for pid, role in session.execute(
        select(StaffRoleEntry.person_id, StaffRoleEntry.role).where(in_page)
    ):
        roles.setdefault(pid, []).append(role)
    order = list(StaffRole)
    return [
        PersonRow(
            id=p.id,
            name=p.name,
            id_type=p.id_type,
            id_type_name=ID_TYPES.get(p.id_type, p.id_type),
            id_number_masked=_mask(p.id_number),
            gender=p.gender or "",
            birth_date=p.birth_date if show_birth else None,
            employer=p.employer,
            role_names="、".join(
                STAFF_ROLE_NAMES[r]
                for r in sorted((StaffRole(x) for x in roles.get(p.id, [])), key=order.index)
            ),
        )
        for p in people
    ]


@dataclass(frozen=True)
class BatchRow:
    id: int
    code: str
    name: str
    occupation: str
    work_type: str
    level: int
    level_name: str
    status: str
    status_name: str
    candidates: int
    score_entries: int = 0


def _batch_filter(search: str | None) -> Select:  # type: ignore[type-arg]
    stmt = select(Batch.id)
    term = _clean(search)
    if term:
        stmt = stmt.where(
            or_(_prefix(Batch.code, term), contains_text(Batch.name, search or ""))
        )
    return stmt


def batches_count(session: Session, search: str | None = None) -> int:
    return _count(session, _batch_filter(search))


def _per_batch(
    session: Session,
    counted: InstrumentedAttribute[int],
    batch_ids: list[int],
    scores: bool = False,
) -> dict[int, int]:
    stmt = select(Enrolment.batch_id, func.count(counted)).where(Enrolment.batch_id.in_(batch_ids))
    if scores:
        stmt = stmt.join(ScoreEntry, ScoreEntry.enrolment_id == Enrolment.id)
    return dict(session.execute(stmt.group_by(Enrolment.batch_id)).all())  # type: ignore[arg-type]


def batches_page(
    session: Session,
    offset: int,
    limit: int,
    search: str | None = None,
    *,
    with_scores: bool = False,
) -> list[BatchRow]:
    """Batches newest code first, with candidate counts (score-entry counts if asked)."""
    page = _batch_filter(search).order_by(Batch.code.desc()).offset(offset).limit(limit)
    batch_ids = list(session.scalars(page))
    if not batch_ids:
        return []
    candidates = _per_batch(session, Enrolment.id, batch_ids)
    scores = _per_batch(session, ScoreEntry.id, batch_ids, scores=True) if with_scores else {}
    stmt = (
        select(Batch, Occupation.name, WorkType.name)
        .join(Occupation, Batch.occupation_id == Occupation.id)
        .outerjoin(WorkType, Batch.work_type_id == WorkType.id)
        .where(Batch.id.in_(batch_ids))
        .order_by(Batch.code.desc())
    )
    return [
        BatchRow(
            id=b.id,
            code=b.code,
            name=b.name,
            occupation=occupation,
            work_type=work_type or "",
            level=b.level,
            level_name=_level_name(b.level),
            status=b.status,
            status_name=BATCH_STATUS_NAMES.get(BatchStatus(b.status), b.status),
            candidates=candidates.get(b.id, 0),
            score_entries=scores.get(b.id, 0),
        )
        for b, occupation, work_type in session.execute(stmt)
    ]


@dataclass(frozen=True)
class CertificateRow:
    id: int
    number: str
    person_name: str
    level: int
    level_name: str
    issue_date: dt.date
    status: str
    status_name: str


def _certificate_filter(search: str | None) -> Select:  # type: ignore[type-arg]
    stmt = select(Certificate.id)
    term = _clean(search)
    if term:
        named = select(Person.id).where(_starts(Person.name, search or ""))
        stmt = stmt.where(
            or_(_prefix(Certificate.number, term.upper()), Certificate.person_id.in_(named))
        )
    return stmt


def certificates_count(session: Session, search: str | None = None) -> int:
    return _count(session, _certificate_filter(search))


def certificates_page(
    session: Session, offset: int, limit: int, search: str | None = None
) -> list[CertificateRow]:
    """Certificates newest first; `search` matches the start of the number or the holder's name."""
    ids = _certificate_filter(search).order_by(Certificate.id.desc()).offset(offset).limit(limit)
    stmt = (
        select(Certificate, Person.name)
        .join(Person, Certificate.person_id == Person.id)
        .where(Certificate.id.in_(ids))
        .order_by(Certificate.id.desc())
    )
    return [
        CertificateRow(
            id=c.id,
            number=c.number,
            person_name=name,
            level=c.level,
            level_name=_level_name(c.level),
            issue_date=c.issue_date,
            status=c.status,
            status_name=CERTIFICATE_STATUS_NAMES.get(c.status, c.status),
        )
        for c, name in session.execute(stmt)
    ]


def _audit_filter(search: str | None) -> AuditFilter:
    term = _clean(search)
    return AuditFilter(username=term or None)


def audit_count(session: Session, actor: Actor, search: str | None = None) -> int:
    from app.services import audit_query

    return audit_query.audit_count(session, actor, _audit_filter(search))


def audit_page(
    session: Session, actor: Actor, offset: int, limit: int, search: str | None = None
) -> list[AuditRow]:
    """Newest first; `search` is an exact user name. Returns `audit_query.AuditRow`s."""
    from app.services import audit_query

    return audit_query.audit_page(session, actor, _audit_filter(search), offset, limit)


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    role_name: str
    active: bool
    last_login_at: dt.datetime | None


def users_count(session: Session, actor: Actor, search: str | None = None) -> int:
    require(session, actor, Perm.READ)
    return _count(session, select(User.id))


def users_page(
    session: Session, actor: Actor, offset: int, limit: int, search: str | None = None
) -> list[UserRow]:
    require(session, actor, Perm.READ)
    stmt = select(User).order_by(User.username).offset(offset).limit(limit)
    return [
        UserRow(
            u.id,
            u.username,
            u.display_name,
            u.role,
            USER_ROLE_NAMES.get(UserRole(u.role), u.role),
            u.active,
            u.last_login_at,
        )
        for u in session.scalars(stmt)
    ]


@dataclass(frozen=True)
class ArchiveRow:
    id: int
    batch_code: str
    kind: str
    kind_name: str
    title: str
    location: str
    archived_on: dt.date
    retention_end: dt.date
    destroyed_on: dt.date | None


def _archive_filter(stmt: Select, search: str | None) -> Select:  # type: ignore[type-arg]
    return (
        stmt.where(contains_text(ArchiveItem.title, search or ""))
        if _clean(search)
        else stmt
    )


def archive_count(session: Session, search: str | None = None) -> int:
    return _count(session, _archive_filter(select(ArchiveItem.id), search))


def archive_page(
    session: Session, offset: int, limit: int, search: str | None = None
) -> list[ArchiveRow]:
    """Archive items, earliest retention end first (what may be destroyed soonest)."""
    stmt = select(ArchiveItem, Batch.code).outerjoin(Batch, ArchiveItem.batch_id == Batch.id)
    stmt = (
        _archive_filter(stmt, search)
        .order_by(ArchiveItem.retention_end, ArchiveItem.id)
        .offset(offset)
        .limit(limit)
    )
    return [
        ArchiveRow(
            a.id,
            code or "",
            a.kind,
            ARCHIVE_KIND_NAMES.get(a.kind, a.kind),
            a.title,
            a.location,
            a.archived_on,
            a.retention_end,
            a.destroyed_on,
        )
        for a, code in session.execute(stmt)
    ]


@dataclass(frozen=True)
class DashboardSummary:
    organisation_name: str | None
    people: int
    batches_by_status: list[tuple[str, int]]  # (Chinese status name, count), workflow order
    certificates: int
    certificates_voided: int


def dashboard_summary(session: Session) -> DashboardSummary:
    from app.services.organisation import get_organisation

    org = get_organisation(session)
    by_status = dict(
        session.execute(select(Batch.status, func.count(Batch.id)).group_by(Batch.status)).all()
    )
    certs = dict(
        session.execute(
            select(Certificate.status, func.count(Certificate.id)).group_by(Certificate.status)
        ).all()
    )
    return DashboardSummary(
        organisation_name=org.name if org else None,
        people=session.scalar(select(func.count(Person.id))) or 0,
        batches_by_status=[(BATCH_STATUS_NAMES[s], by_status.get(s.value, 0)) for s in BatchStatus],
        certificates=certs.get("issued", 0),
        certificates_voided=certs.get("voided", 0),
    )


def user_display_name(session: Session, user_id: int | None) -> str:
    """The display name of a user (empty if unknown), for status bars and greetings."""
    if user_id is None:
        return ""
    return session.scalar(select(User.display_name).where(User.id == user_id)) or ""
