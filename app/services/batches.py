"""The batch editor (认定批次): the plan, its sessions (场次) and its staff (考评/监考/督导).

Every use case is one function taking the session and the acting user and returning a plain
dataclass. The plan may be edited while the batch is a draft (草稿); once filed, an
administrator moves it back (batch_workflow.move_back) before it is changed again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import (
    Batch,
    Enrolment,
    ExamSession,
    Occupation,
    Organisation,
    Person,
    Room,
    ScopeEntry,
    StaffAssignment,
    StaffRoleEntry,
    WorkType,
)
from app.models.enums import BATCH_STATUS_NAMES, COMPONENT_NAMES, BatchStatus, Component, Duty
from app.rules.levels import check_level_allowed, level_name
from app.rules.profile_model import Profile
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_workflow import get_batch
from app.services.organisation import org_scope_key
from app.services.permissions import Perm, require

DUTY_NAMES = {Duty.EXAMINER: "考评员", Duty.PROCTOR: "监考员", Duty.SUPERVISOR: "内部质量督导员"}
# The staff role a person must hold for each duty.
_DUTY_ROLE = {Duty.EXAMINER: "examiner", Duty.PROCTOR: "proctor", Duty.SUPERVISOR: "supervisor"}
_CODE_RE = re.compile(r"^(\d{4})-(\d+)$")


# --- plain results ---------------------------------------------------------------------------
@dataclass
class BatchInput:
    name: str
    occupation_id: int
    level: int
    work_type_id: int | None = None
    method_theory: bool = True
    method_skill: bool = True
    method_review: bool = False
    code: str | None = None  # generated (e.g. 2026-06) when empty
    candidate_source: str = ""
    pass_mark: int | None = None  # the profile's pass mark when None
    double_entry: bool = False
    notes: str = ""


@dataclass(frozen=True)
class BatchInfo:
    id: int
    code: str
    name: str
    status: str
    status_name: str
    occupation_id: int
    occupation: str
    occupation_code: str
    work_type_id: int | None
    work_type: str | None
    level: int
    level_name: str
    method_theory: bool
    method_skill: bool
    method_review: bool
    methods: list[str]  # Chinese names of the chosen methods
    pass_mark: int
    candidate_source: str
    plan_filed_on: dt.date | None
    first_session: dt.date | None
    last_session: dt.date | None
    candidates: int
    notes: str
    double_entry: bool = False


@dataclass
class SessionInput:
    day: dt.date
    start_time: dt.time
    end_time: dt.time
    subject: str  # theory / skill / review
    room_id: int | None = None


@dataclass(frozen=True)
class SessionInfo:
    id: int
    batch_id: int
    day: dt.date
    start_time: dt.time
    end_time: dt.time
    subject: str
    subject_name: str
    room_id: int | None
    room: str | None  # "考点 / 考场"
    label: str  # e.g. "2026-12-26 09:00–10:30 理论知识"


@dataclass(frozen=True)
class AssignmentInfo:
    id: int
    batch_id: int
    session_id: int | None
    session_label: str | None
    person_id: int
    name: str
    duty: str
    duty_name: str


@dataclass(frozen=True)
class ScopeChoice:
    """One (occupation, work type) of the filed scope, with the levels filed for it."""

    occupation_id: int
    occupation: str
    occupation_code: str
    work_type_id: int | None
    work_type: str | None
    levels: list[int]


# --- helpers ---------------------------------------------------------------------------------
def organisation_for(session: Session, batch: Batch | None = None) -> Organisation:
    org = (
        session.get(Organisation, batch.organisation_id)
        if batch is not None
        else session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
    )
    if org is None:
        raise ValidationError("尚未填写机构信息：请先在“机构与备案”中保存本机构的备案信息和备案范围。")
    return org


def profile_for(session: Session, batch: Batch | None = None) -> Profile:
    from app.rules.profiles import load_profile

    return load_profile(organisation_for(session, batch).profile_name)


def session_label(s: ExamSession) -> str:
    subject = COMPONENT_NAMES.get(Component(s.subject), s.subject)
    return f"{s.day.isoformat()} {s.start_time:%H:%M}–{s.end_time:%H:%M} {subject}"


def room_label(session: Session, room_id: int | None) -> str | None:
    if room_id is None:
        return None
    room = session.get(Room, room_id)
    return f"{room.venue.name} / {room.name}" if room else None


def batch_info(session: Session, batch: Batch) -> BatchInfo:
    occ = session.get(Occupation, batch.occupation_id)
    wt = session.get(WorkType, batch.work_type_id) if batch.work_type_id else None
    days = [s.day for s in batch.sessions]
    count = session.scalar(select(func.count(Enrolment.id)).where(Enrolment.batch_id == batch.id))
    methods = [
        COMPONENT_NAMES[c]
        for c, on in (
            (Component.THEORY, batch.method_theory),
            (Component.SKILL, batch.method_skill),
            (Component.REVIEW, batch.method_review),
        )
        if on
    ]
    return BatchInfo(
        id=batch.id,
        code=batch.code,
        name=batch.name,
        status=batch.status,
        status_name=BATCH_STATUS_NAMES[BatchStatus(batch.status)],
        occupation_id=batch.occupation_id,
        occupation=occ.name if occ else "",
        occupation_code=occ.code if occ else "",
        work_type_id=batch.work_type_id,
        work_type=wt.name if wt else None,
        level=batch.level,
        level_name=level_name(batch.level),
        method_theory=batch.method_theory,
        method_skill=batch.method_skill,
        method_review=batch.method_review,
        methods=methods,
        pass_mark=batch.pass_mark,
        candidate_source=batch.candidate_source,
        plan_filed_on=batch.plan_filed_on,
        first_session=min(days, default=None),
        last_session=max(days, default=None),
        candidates=int(count or 0),
        notes=batch.notes,
        double_entry=batch.double_entry,
    )


def session_info(session: Session, s: ExamSession) -> SessionInfo:
    return SessionInfo(
        id=s.id,
        batch_id=s.batch_id,
        day=s.day,
        start_time=s.start_time,
        end_time=s.end_time,
        subject=s.subject,
        subject_name=COMPONENT_NAMES.get(Component(s.subject), s.subject),
        room_id=s.room_id,
        room=room_label(session, s.room_id),
        label=session_label(s),
    )


def require_draft(batch: Batch, what: str) -> None:
    """The plan is edited only in the draft state."""
    if batch.status != BatchStatus.DRAFT:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{BATCH_STATUS_NAMES[BatchStatus(batch.status)]}”，不能{what}："
            "认定计划只能在“草稿”状态下修改。如确需修改，请由管理员将批次退回草稿（需填写理由）。"
        )


def _exam_session(session: Session, session_id: int) -> ExamSession:
    s = session.get(ExamSession, session_id)
    if s is None:
        raise NotFoundError(f"找不到序号为 {session_id} 的场次。")
    return s


# --- scope -----------------------------------------------------------------------------------
def scope_choices(session: Session) -> list[ScopeChoice]:
    """What a batch may be planned for: the organisation's filed scope, grouped by work type."""
    org = organisation_for(session)
    rows = session.execute(
        select(ScopeEntry, Occupation, WorkType)
        .join(Occupation, ScopeEntry.occupation_id == Occupation.id)
        .outerjoin(WorkType, ScopeEntry.work_type_id == WorkType.id)
        .where(ScopeEntry.organisation_id == org.id)
        .order_by(Occupation.code, WorkType.name, ScopeEntry.level)
    )
    grouped: dict[tuple[int, int | None], ScopeChoice] = {}
    for entry, occ, wt in rows:
        key = (occ.id, wt.id if wt else None)
        if key not in grouped:
            grouped[key] = ScopeChoice(occ.id, occ.name, occ.code, key[1], wt.name if wt else None, [])
        grouped[key].levels.append(entry.level)
    return list(grouped.values())


def check_in_scope(
    session: Session, org: Organisation, profile: Profile,
    occupation_id: int, work_type_id: int | None, level: int,
) -> None:  # fmt: skip
    """ValidationError unless the organisation's filed scope has this occupation (work type) at
    this level, within the level range its profile allows (000 三(二), 004 第五条)."""
    occ = session.get(Occupation, occupation_id)
    if occ is None:
        raise ValidationError(f"找不到序号为 {occupation_id} 的职业：请从备案范围中选择职业。", field="occupation_id")
    wt = None
    if work_type_id is not None:
        wt = session.get(WorkType, work_type_id)
        if wt is None or wt.occupation_id != occ.id:
            raise ValidationError(f"所选工种不属于职业「{occ.name}」：请重新选择工种。", field="work_type_id")
    entries = list(
        session.scalars(
            select(ScopeEntry).where(
                ScopeEntry.organisation_id == org.id, ScopeEntry.occupation_id == occ.id
            )
        )
    )
    if not entries:
        raise ValidationError(
            f"职业「{occ.name}」（{occ.code}）不在本机构的备案范围内，不能组织认定："
            "机构只能在备案的职业（工种）和等级范围内开展评价。请选择备案范围内的职业，或先办理备案范围变更。",
            field="occupation_id",
        )
    matching = [e for e in entries if e.work_type_id is None or e.work_type_id == work_type_id]
    if not matching:
        filed = sorted({session.get(WorkType, e.work_type_id).name for e in entries if e.work_type_id})
        what = f"工种「{wt.name}」" if wt else "未指定工种的认定"
        raise ValidationError(
            f"职业「{occ.name}」的{what}不在本机构的备案范围内。该职业已备案的工种为：{'、'.join(filed)}。请选择其中之一。",
            field="work_type_id",
        )
    check_level_allowed(profile, level, org_scope_key(org))  # (a stale key: the default)
    levels = sorted({e.level for e in matching})
    if level not in levels:
        name = f"{occ.name}（{wt.name}）" if wt else occ.name
        raise ValidationError(
            f"「{name}」备案的等级为{'、'.join(level_name(x) for x in levels)}，"
            f"不包括{level_name(level)}：机构只能在备案等级范围内开展认定。请调整认定等级。",
            field="level",
        )


def _check_methods(data: BatchInput) -> None:
    if not (data.method_theory or data.method_skill or data.method_review):
        raise ValidationError("请至少选择一种评价方式（理论知识考试、技能操作考核、综合评审）。", field="methods")
    if data.level <= 2 and not data.method_review:
        raise ValidationError(
            f"{level_name(data.level)}的认定必须包含综合评审（依据：000 二(四)2，一、二级须进行综合评审）。"
            "请勾选“综合评审”。",
            field="method_review",
        )


def next_batch_code(session: Session, year: int) -> str:
    """The next free code of the year: 2026-01, 2026-02, …"""
    highest = 0
    for code in session.scalars(select(Batch.code).where(Batch.code.like(f"{year}-%"))):
        m = _CODE_RE.match(code)
        if m:
            highest = max(highest, int(m.group(2)))
    return f"{year}-{highest + 1:02d}"


def _clean_code(session: Session, code: str | None, batch_id: int | None) -> str:
    if not code or not code.strip():
        return next_batch_code(session, dt.date.today().year)
    code = code.strip()
    if len(code) > 40 or any(ch.isspace() for ch in code):
        raise ValidationError("批次编号不能含空格，且不超过 40 个字符（如 2026-06）。", field="code")
    other = session.scalar(select(Batch.id).where(Batch.code == code))
    if other is not None and other != batch_id:
        raise ValidationError(f"批次编号「{code}」已被其他批次使用：请换一个编号，或留空由系统自动生成。", field="code")
    return code


def _validated(session: Session, data: BatchInput, batch_id: int | None) -> tuple[BatchInput, str, Profile]:
    data.name = (data.name or "").strip()
    if not data.name:
        raise ValidationError("批次名称不能为空（如“2026年第6期电工四级认定”）。", field="name")
    try:
        data.level = int(data.level)
    except (TypeError, ValueError):
        data.level = 0
    org = organisation_for(session)
    from app.rules.profiles import load_profile

    profile = load_profile(org.profile_name)
    check_in_scope(session, org, profile, data.occupation_id, data.work_type_id, data.level)
    _check_methods(data)
    if data.pass_mark is not None and not 0 <= data.pass_mark <= profile.scoring.full_mark:
        raise ValidationError(f"合格分数线应在 0–{profile.scoring.full_mark} 之间。", field="pass_mark")
    return data, _clean_code(session, data.code, batch_id), profile


# --- the plan --------------------------------------------------------------------------------
def get_batch_info(session: Session, batch_ref: int | str) -> BatchInfo:
    return batch_info(session, get_batch(session, batch_ref))


def create_batch(session: Session, actor: Actor, data: BatchInput) -> BatchInfo:
    """A new draft batch inside the organisation's filed scope."""
    require(session, actor, Perm.EDIT_BATCH, what="新建认定批次")
    data, code, profile = _validated(session, data, None)
    org = organisation_for(session)
    batch = Batch(
        code=code,
        name=data.name,
        organisation_id=org.id,
        occupation_id=data.occupation_id,
        work_type_id=data.work_type_id,
        level=data.level,
        method_theory=data.method_theory,
        method_skill=data.method_skill,
        method_review=data.method_review,
        status=BatchStatus.DRAFT.value,
        double_entry=data.double_entry,
        pass_mark=data.pass_mark if data.pass_mark is not None else profile.scoring.pass_mark,
        candidate_source=data.candidate_source.strip(),
        notes=data.notes,
    )
    session.add(batch)
    record(session, actor, "batch.create", batch, summary={"code": code, "name": data.name, "level": data.level})
    return batch_info(session, batch)


def update_batch(session: Session, actor: Actor, batch_ref: int | str, data: BatchInput, reason: str = "") -> BatchInfo:
    """Change a draft batch's plan (occupation, work type, level, methods, …)."""
    batch = get_batch(session, batch_ref)
    require(session, actor, Perm.EDIT_BATCH, batch_id=batch.id, what="修改认定批次")
    require_draft(batch, "修改计划")
    data, code, _profile = _validated(session, data, batch.id)
    values = {
        "code": code,
        "name": data.name,
        "occupation_id": data.occupation_id,
        "work_type_id": data.work_type_id,
        "level": data.level,
        "method_theory": data.method_theory,
        "method_skill": data.method_skill,
        "method_review": data.method_review,
        "double_entry": data.double_entry,
        "pass_mark": data.pass_mark if data.pass_mark is not None else batch.pass_mark,
        "candidate_source": data.candidate_source.strip(),
        "notes": data.notes,
    }
    changed = sorted(k for k, v in values.items() if getattr(batch, k) != v)
    unused = [s for s in batch.sessions if not _method_on(values, s.subject)]
    if unused:
        raise ValidationError(
            f"已安排的场次“{session_label(unused[0])}”的科目不在新的评价方式中：请先删除该场次，或保留该评价方式。",
            field="methods",
        )
    for k, v in values.items():
        setattr(batch, k, v)
    record(session, actor, "batch.update", batch, summary={"changed": changed}, reason=reason)
    return batch_info(session, batch)


def _method_on(values: dict[str, object], subject: str) -> bool:
    return bool(values[f"method_{subject}"])


# --- sessions --------------------------------------------------------------------------------
def list_sessions(session: Session, batch_ref: int | str) -> list[SessionInfo]:
    batch = get_batch(session, batch_ref)
    ordered = sorted(batch.sessions, key=lambda s: (s.day, s.start_time, s.id))
    return [session_info(session, s) for s in ordered]


def _check_session(session: Session, batch: Batch, data: SessionInput) -> None:
    try:
        subject = Component(data.subject)
    except ValueError:
        raise ValidationError("场次科目只能是 theory（理论知识）、skill（技能操作）或 review（综合评审）。", field="subject") from None
    if not getattr(batch, f"method_{subject.value}"):
        raise ValidationError(
            f"批次「{batch.code}」的评价方式不含“{COMPONENT_NAMES[subject]}”，不能安排该科目的场次：请先在批次计划中勾选该评价方式。",
            field="subject",
        )
    if not isinstance(data.day, dt.date):
        raise ValidationError("请填写场次日期。", field="day")
    if data.end_time <= data.start_time:
        raise ValidationError(
            f"场次结束时间 {data.end_time:%H:%M} 应晚于开始时间 {data.start_time:%H:%M}。", field="end_time"
        )
    if data.room_id is not None and session.get(Room, data.room_id) is None:
        raise ValidationError(f"找不到序号为 {data.room_id} 的考场：请从考点与考场中选择。", field="room_id")


def add_session(session: Session, actor: Actor, batch_ref: int | str, data: SessionInput) -> SessionInfo:
    batch = get_batch(session, batch_ref)
    require(session, actor, Perm.EDIT_BATCH, batch_id=batch.id, what="安排场次")
    require_draft(batch, "安排场次")
    _check_session(session, batch, data)
    s = ExamSession(
        batch_id=batch.id,
        day=data.day,
        start_time=data.start_time,
        end_time=data.end_time,
        room_id=data.room_id,
        subject=Component(data.subject).value,
    )
    session.add(s)
    session.flush()
    session.refresh(batch, ["sessions"])
    record(session, actor, "session.add", s, summary={"label": session_label(s), "room_id": s.room_id})
    return session_info(session, s)


def update_session(session: Session, actor: Actor, session_id: int, data: SessionInput) -> SessionInfo:
    s = _exam_session(session, session_id)
    batch = s.batch
    require(session, actor, Perm.EDIT_BATCH, batch_id=batch.id, what="修改场次")
    require_draft(batch, "修改场次")
    _check_session(session, batch, data)
    s.day, s.start_time, s.end_time = data.day, data.start_time, data.end_time
    s.subject, s.room_id = Component(data.subject).value, data.room_id
    record(session, actor, "session.update", s, summary={"label": session_label(s), "room_id": s.room_id})
    return session_info(session, s)


def remove_session(session: Session, actor: Actor, session_id: int, reason: str = "") -> None:
    """Remove a session and the staff booked for it (each deletion audited)."""
    s = _exam_session(session, session_id)
    batch = s.batch
    require(session, actor, Perm.EDIT_BATCH, batch_id=batch.id, what="删除场次")
    require_draft(batch, "删除场次")
    label = session_label(s)
    for a in list(s.assignments):
        s.assignments.remove(a)  # delete-orphan: the row goes at the flush
        session.flush()
        record(session, actor, "staff.unassign", a, deleted=True, reason=reason,
               summary={"session": label, "duty": a.duty})
    session.delete(s)
    session.flush()
    record(session, actor, "session.remove", s, deleted=True, summary={"label": label}, reason=reason)
    session.expire(batch, ["sessions"])


# --- staff -----------------------------------------------------------------------------------
def list_staff(session: Session, batch_ref: int | str) -> list[AssignmentInfo]:
    batch = get_batch(session, batch_ref)
    rows = session.execute(
        select(StaffAssignment, Person.name)
        .join(Person, StaffAssignment.person_id == Person.id)
        .where(StaffAssignment.batch_id == batch.id)
        .order_by(StaffAssignment.duty, StaffAssignment.session_id, Person.name)
    )
    return [_assignment_info(a, name) for a, name in rows]


def _assignment_info(a: StaffAssignment, name: str) -> AssignmentInfo:
    return AssignmentInfo(
        id=a.id,
        batch_id=a.batch_id,
        session_id=a.session_id,
        session_label=session_label(a.session) if a.session is not None else None,
        person_id=a.person_id,
        name=name,
        duty=a.duty,
        duty_name=DUTY_NAMES[Duty(a.duty)],
    )


def assign_staff(
    session: Session,
    actor: Actor,
    batch_ref: int | str,
    person_id: int,
    duty: str,
    session_id: int | None = None,
) -> AssignmentInfo:
    """Book an examiner or proctor for a session, or a supervisor for the whole batch.

    The problems a booking may cause (time clashes, qualifications, 回避) are reported by
    `batch_checks.check_batch`, so a plan can be built in any order."""
    batch = get_batch(session, batch_ref)
    require(session, actor, Perm.EDIT_BATCH, batch_id=batch.id, what="安排考务人员")
    require_draft(batch, "安排考务人员")
    try:
        d = Duty(duty)
    except ValueError:
        raise ValidationError("职责只能是 examiner（考评员）、proctor（监考员）或 supervisor（督导员）。", field="duty") from None
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"找不到序号为 {person_id} 的人员。")
    if d is Duty.SUPERVISOR:
        if session_id is not None:
            raise ValidationError("内部质量督导员按批次安排，不指定场次。", field="session_id")
    else:
        if session_id is None:
            raise ValidationError(f"{DUTY_NAMES[d]}须安排到具体场次：请选择场次。", field="session_id")
        s = _exam_session(session, session_id)
        if s.batch_id != batch.id:
            raise ValidationError("所选场次不属于该批次：请在本批次的场次中选择。", field="session_id")
    role = session.scalar(
        select(StaffRoleEntry.id).where(
            StaffRoleEntry.person_id == person.id, StaffRoleEntry.role == _DUTY_ROLE[d]
        )
    )
    if role is None:
        raise ValidationError(
            f"「{person.name}」没有{DUTY_NAMES[d]}角色，不能担任{DUTY_NAMES[d]}：请先在人员信息中为其添加该角色。",
            field="person_id",
        )
    stmt = select(StaffAssignment.id).where(
        StaffAssignment.batch_id == batch.id,
        StaffAssignment.person_id == person.id,
        StaffAssignment.duty == d.value,
    )
    stmt = stmt.where(
        StaffAssignment.session_id.is_(None) if session_id is None else StaffAssignment.session_id == session_id
    )
    if session.scalar(stmt) is not None:
        where = "本批次" if session_id is None else "该场次"
        raise ValidationError(f"「{person.name}」已是{where}的{DUTY_NAMES[d]}，无需重复安排。", field="person_id")
    a = StaffAssignment(batch_id=batch.id, session_id=session_id, person_id=person.id, duty=d.value)
    session.add(a)
    session.flush()
    record(session, actor, "staff.assign", a, summary={"name": person.name, "duty": d.value, "session_id": session_id})
    return _assignment_info(a, person.name)


def unassign_staff(session: Session, actor: Actor, assignment_id: int, reason: str = "") -> None:
    a = session.get(StaffAssignment, assignment_id)
    if a is None:
        raise NotFoundError(f"找不到序号为 {assignment_id} 的人员安排。")
    batch = session.get(Batch, a.batch_id)
    require(session, actor, Perm.EDIT_BATCH, batch_id=a.batch_id, what="取消考务人员安排")
    require_draft(batch, "取消考务人员安排")  # type: ignore[arg-type]
    person = session.get(Person, a.person_id)
    session.delete(a)
    session.flush()
    record(session, actor, "staff.unassign", a, deleted=True, reason=reason,
           summary={"name": person.name if person else "", "duty": a.duty, "session_id": a.session_id})
