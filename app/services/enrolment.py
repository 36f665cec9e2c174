"""Candidates of a batch (考生名册): enrol from people, remove, admission numbers, seats and stations.

Importing candidates from Excel is not here: it will reuse the roster importer
(app/services/importing/) and then call `enrol_people` with the imported person ids.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.locks import ENROLMENT, lock_for_create
from app.errors import NotFoundError, ValidationError
from app.models import (
    AuditEntry,
    Batch,
    Enrolment,
    Person,
    Room,
    RoomStations,
    Setting,
)
from app.models.enums import Component
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_workflow import get_batch
from app.services.batches import require_draft, session_label
from app.services.enrolment_checks import check_candidates
from app.services.permissions import Perm, require

ADMISSION_SETTING = "admission_pattern"
DEFAULT_ADMISSION_PATTERN = "{code}{seq:04d}"
_PATTERN_FIELDS = {"code", "batch_code", "seq", "year", "level"}


@dataclass(frozen=True)
class EnrolmentInfo:
    id: int
    batch_id: int
    person_id: int
    name: str
    id_type: str
    id_number: str  # masked
    admission_no: str
    seat: str
    room_id: int | None
    employer: str
    city: str
    result: str


@dataclass
class EnrolResult:
    added: list[EnrolmentInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. already holds a certificate


@dataclass(frozen=True)
class SeatInfo:
    enrolment_id: int
    admission_no: str
    name: str
    room_id: int
    room: str
    seat: str


@dataclass(frozen=True)
class StationSlot:
    """A candidate's place in a skill-operation session: station number and round (轮次)."""

    enrolment_id: int
    admission_no: str
    name: str
    session_id: int
    room: str
    station: int
    round: int


# --- admission numbers -----------------------------------------------------------------------
def admission_pattern(session: Session) -> str:
    row = session.get(Setting, ADMISSION_SETTING)
    return row.value if row is not None and row.value.strip() else DEFAULT_ADMISSION_PATTERN


def _format(pattern: str, batch: Batch, seq: int) -> str:
    year = batch.code[:4] if batch.code[:4].isdigit() else ""
    return pattern.format(
        code=batch.code.replace("-", ""), batch_code=batch.code, seq=seq, year=year, level=batch.level
    )


def validate_admission_pattern(pattern: str) -> str:
    pattern = (pattern or "").strip()
    help_text = "可用字段：{code}（批次编号去掉“-”）、{batch_code}、{seq}（序号，如 {seq:04d}）、{year}、{level}。"
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(pattern) if f is not None]
        names = {f for f, _spec, _conv in fields}
    except ValueError as exc:
        raise ValidationError(f"准考证号格式“{pattern}”有误（{exc}）。{help_text}", field="pattern") from None
    unknown = names - _PATTERN_FIELDS
    if unknown:
        raise ValidationError(f"准考证号格式含未知字段“{{{sorted(unknown)[0]}}}”。{help_text}", field="pattern")
    if "seq" not in names:
        raise ValidationError(f"准考证号格式必须包含序号 {{seq}}，否则号码会重复。{help_text}", field="pattern")
    for f, spec, conv in fields:  # the sequence number whole, as digits: {seq}, {seq:04d}
        if f == "seq" and (conv or not re.fullmatch(r"(?:0[1-9][0-9]?d?|d)?", spec or "")):
            raise ValidationError(
                f"准考证号格式中的序号“{{seq{'!' + conv if conv else ''}{':' + spec if spec else ''}}}”"
                f"不是整数写法：序号只能写作 {{seq}} 或补零到固定位数，如 {{seq:04d}}。{help_text}",
                field="pattern",
            )
    try:
        samples = [
            pattern.format(code="202606", batch_code="2026-06", seq=seq, year="2026", level=4)
            for seq in (1, 2, 9, 10, 11, 99, 100, 101, 1000, 10000)
        ]
    except (ValueError, KeyError, IndexError) as exc:
        raise ValidationError(f"准考证号格式“{pattern}”有误（{exc}）。{help_text}", field="pattern") from None
    if not all(x.isprintable() for x in samples):
        raise ValidationError(f"准考证号格式“{pattern}”会生成不可见字符。{help_text}", field="pattern")
    if max(len(x) for x in samples) > 40:  # (the column holds 40)
        raise ValidationError("准考证号不能超过 40 个字符：请缩短格式。", field="pattern")
    return pattern


def admission_example(pattern: str) -> str:
    """The first admission number `pattern` gives batch 2026-06 (四级): for the 设置 page to show
    what is being typed; ValidationError when the pattern is refused."""
    pattern = validate_admission_pattern(pattern)
    return pattern.format(code="202606", batch_code="2026-06", seq=1, year="2026", level=4)


def set_admission_pattern(session: Session, actor: Actor, pattern: str) -> str:
    require(session, actor, Perm.MANAGE_SETTINGS, what="设置准考证号格式")
    pattern = validate_admission_pattern(pattern)
    row = session.get(Setting, ADMISSION_SETTING)
    if row is None:
        session.add(Setting(key=ADMISSION_SETTING, value=pattern))
    else:
        row.value = pattern
    record(session, actor, "setting.admission_pattern", entity="setting", summary={"pattern": pattern})
    return pattern


def _removed_numbers(session: Session) -> set[str]:
    """The admission numbers of candidates removed from a roster (from the audit log, which
    keeps them): never given to somebody else, so a number printed on a ticket or named in the
    audit trail is one person's. Removals are few; they are read once per enrolment."""
    out: set[str] = set()
    for text in session.scalars(
        select(AuditEntry.summary).where(AuditEntry.action == "enrolment.remove")
    ):
        try:
            number = json.loads(text or "{}").get("admission_no")
        except (ValueError, AttributeError):
            continue
        if isinstance(number, str) and number:
            out.add(number)
    return out


class _AdmissionNumbers:
    """The batch's next free admission numbers, in order: after its enrolments' count, skipping
    numbers any batch has taken, a removed candidate had, or this call has handed out. Looked
    up a window at a time (one query per 500 numbers, not two per candidate)."""

    _WINDOW = 500

    def __init__(self, session: Session, batch: Batch, pattern: str) -> None:
        self._session, self._batch, self._pattern = session, batch, pattern
        self._seq = int(
            session.scalar(select(func.count(Enrolment.id)).where(Enrolment.batch_id == batch.id))
            or 0
        )
        self._free: list[str] = []
        self._issued: set[str] = _removed_numbers(session)
        self._made: set[str] = set()  # every number the pattern has given so far

    def next(self) -> str:
        while not self._free:
            window = [
                _format(self._pattern, self._batch, seq)
                for seq in range(self._seq + 1, self._seq + 1 + self._WINDOW)
            ]
            self._seq += self._WINDOW
            if self._made.issuperset(window):  # a stored pattern that cuts the number
                raise ValidationError(
                    f"准考证号格式“{self._pattern}”已生成不出新的不重复号码：请在“设置 › 系统 › "
                    "准考证号格式”中改用含完整序号的格式（如 {code}{seq:04d}）后重新添加考生。",
                    field="pattern",
                )
            self._made.update(window)
            taken = self._issued | set(
                self._session.scalars(
                    select(Enrolment.admission_no).where(Enrolment.admission_no.in_(window))
                )
            )
            self._free = [n for n in reversed(dict.fromkeys(window)) if n not in taken]
        number = self._free.pop()
        self._issued.add(number)
        return number


# --- the roster ------------------------------------------------------------------------------
def _info(e: Enrolment, p: Person) -> EnrolmentInfo:
    from app.rules.idcard import mask_id

    return EnrolmentInfo(e.id, e.batch_id, p.id, p.name, p.id_type, mask_id(p.id_number), e.admission_no,
                         e.seat, e.room_id, e.employer, e.city, e.result)


def list_enrolments(session: Session, batch_ref: int | str) -> list[EnrolmentInfo]:
    """The roster in admission-number order; ID numbers masked."""
    batch = get_batch(session, batch_ref)
    rows = session.execute(
        select(Enrolment, Person)
        .join(Person, Enrolment.person_id == Person.id)
        .where(Enrolment.batch_id == batch.id)
        .order_by(Enrolment.admission_no)
    )
    return [_info(e, p) for e, p in rows]


def enrol_people(
    session: Session, actor: Actor, batch_ref: int | str, person_ids: list[int],
    *, progress: Callable[[str, int, int], None] | None = None,
) -> EnrolResult:
    """Add people to the roster, all or none: a person already enrolled, unknown, or booked at an
    overlapping time elsewhere is refused with the reason; already-certified people are warnings.
    `progress("报名", done, total)` is called every 50 people (a candidate list of thousands)."""
    batch = get_batch(session, batch_ref)
    require(session, actor, Perm.EDIT_BATCH, batch_id=batch.id, what="添加考生")
    require_draft(batch, "添加考生")
    if not person_ids:
        raise ValidationError("请至少选择一名考生。", field="person_ids")
    if len(set(person_ids)) != len(person_ids):
        raise ValidationError("所选人员中有重复：同一人只能报名一次。", field="person_ids")
    people: dict[int, Person] = {}
    for i in range(0, len(person_ids), 500):  # loaded together, not one query each
        chunk = person_ids[i : i + 500]
        people.update((p.id, p) for p in session.scalars(select(Person).where(Person.id.in_(chunk))))
    lock_for_create(session, ENROLMENT)  # PostgreSQL: one enrolment at a time (numbers, clashes)
    missing = next((pid for pid in person_ids if pid not in people), None)
    if missing is not None:
        raise NotFoundError(f"找不到序号为 {missing} 的人员。")
    people = {pid: people[pid] for pid in person_ids}  # (in the order given: the first refusal)
    checks = check_candidates(session, batch, people)
    refused = next((pid for pid in person_ids if pid in checks.refusals), None)
    if refused is not None:  # every candidate checked before anything is added
        raise ValidationError(checks.refusals[refused], field="person_ids")
    numbers = _AdmissionNumbers(session, batch, admission_pattern(session))
    result = EnrolResult()
    added = [
        Enrolment(
            batch_id=batch.id,
            person_id=pid,
            admission_no=numbers.next(),
            employer=people[pid].employer,
            city=people[pid].city,
        )
        for pid in person_ids
    ]
    session.add_all(added)
    session.flush()  # (one INSERT for all: the ids for the audit entries)
    total = len(person_ids)
    for done, e in enumerate(added, start=1):
        person = people[e.person_id]
        if e.person_id in checks.warnings:
            result.warnings.append(checks.warnings[e.person_id])
        record(session, actor, "enrolment.add", e, summary={"name": person.name, "admission_no": e.admission_no})
        result.added.append(_info(e, person))
        if progress and (done % 50 == 0 or done == total):
            progress("报名", done, total)
    return result


def enrol_person(session: Session, actor: Actor, batch_ref: int | str, person_id: int) -> EnrolResult:
    return enrol_people(session, actor, batch_ref, [person_id])


def remove_enrolment(session: Session, actor: Actor, enrolment_id: int, reason: str = "") -> None:
    e = session.get(Enrolment, enrolment_id)
    if e is None:
        raise NotFoundError(f"找不到序号为 {enrolment_id} 的报名记录。")
    batch = session.get(Batch, e.batch_id)
    require(session, actor, Perm.EDIT_BATCH, batch_id=e.batch_id, what="移除考生")
    require_draft(batch, "移除考生")  # type: ignore[arg-type]
    person = session.get(Person, e.person_id)
    session.delete(e)
    session.flush()
    record(session, actor, "enrolment.remove", e, deleted=True, reason=reason,
           summary={"name": person.name if person else "", "admission_no": e.admission_no})


# --- seats and stations ----------------------------------------------------------------------
def assign_seats(session: Session, actor: Actor, batch_ref: int | str) -> list[SeatInfo]:
    """Seat the roster (admission-number order) in the theory rooms, room by room, never above
    a room's capacity. Without a theory session the seats are numbered within the batch."""
    batch = get_batch(session, batch_ref)
    require(session, actor, Perm.EDIT_BATCH, batch_id=batch.id, what="编排座位")
    require_draft(batch, "编排座位")
    rooms: list[Room] = []
    for s in sorted(batch.sessions, key=lambda x: (x.day, x.start_time, x.id)):
        if s.subject == Component.THEORY and s.room_id is not None:
            room = session.get(Room, s.room_id)
            if room is not None and room not in rooms:
                rooms.append(room)
    if not rooms:
        raise ValidationError("没有指定了考场的理论考试场次，无法编排座位：请先为理论场次选择考场。")
    rows = list(
        session.execute(
            select(Enrolment, Person.name)
            .join(Person, Enrolment.person_id == Person.id)
            .where(Enrolment.batch_id == batch.id)
            .order_by(Enrolment.admission_no)
        )
    )
    total = sum(r.capacity for r in rooms)
    if len(rows) > total:
        names = "、".join(f"{r.name}（{r.capacity} 人）" for r in rooms)
        raise ValidationError(
            f"理论考场容量不足：{names} 共可容纳 {total} 人，考生有 {len(rows)} 人。请增加理论考场或换用更大的考场。"
        )
    out: list[SeatInfo] = []
    index = 0
    for room in rooms:
        for n in range(1, room.capacity + 1):
            if index >= len(rows):
                break
            e, name = rows[index]
            index += 1
            seat = f"{n:03d}"
            if (e.room_id, e.seat) != (room.id, seat):
                e.room_id, e.seat = room.id, seat
                record(session, actor, "enrolment.seat", e, summary={"room": room.name, "seat": seat})
            out.append(SeatInfo(e.id, e.admission_no, name, room.id, room.name, seat))
    return out


def station_plan(session: Session, batch_ref: int | str) -> list[StationSlot]:
    """Stations for each skill-operation session: candidates in admission-number order take the
    room's stations for the batch's occupation, in rounds (轮次) when there are more candidates
    than stations. Computed, not stored."""
    batch = get_batch(session, batch_ref)
    rows = list(
        session.execute(
            select(Enrolment, Person.name)
            .join(Person, Enrolment.person_id == Person.id)
            .where(Enrolment.batch_id == batch.id)
            .order_by(Enrolment.admission_no)
        )
    )
    out: list[StationSlot] = []
    for s in sorted(batch.sessions, key=lambda x: (x.day, x.start_time, x.id)):
        if s.subject != Component.SKILL or s.room_id is None:
            continue
        room = session.get(Room, s.room_id)
        stations = session.scalar(
            select(RoomStations.stations).where(
                RoomStations.room_id == s.room_id, RoomStations.occupation_id == batch.occupation_id
            )
        )
        if not stations:
            raise ValidationError(
                f"技能操作场次“{session_label(s)}”的考场“{room.name if room else s.room_id}”没有登记本职业的工位：请先登记工位数。"
            )
        for i, (e, name) in enumerate(rows):
            out.append(StationSlot(e.id, e.admission_no, name, s.id, room.name if room else "",
                                   i % stations + 1, i // stations + 1))
    return out
