"""Plan filing (计划报备): the latest filing date, filing itself, and the filing document export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import (
    Batch,
    Enrolment,
    ExaminerQualification,
    Occupation,
    Person,
    Room,
    RoomStations,
    StaffAssignment,
    StaffRoleEntry,
    WorkType,
)
from app.models.enums import COMPONENT_NAMES, BatchStatus, Component, Duty
from app.reports.plan import PlanCandidate, PlanDocument, PlanSession, PlanStaff
from app.rules._text import compact_upper
from app.rules.deadlines import Deadline, plan_filing_deadline
from app.rules.levels import level_name
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_checks import check_batch
from app.services.batch_workflow import get_batch, set_status
from app.services.batches import organisation_for, profile_for, session_label
from app.services.permissions import Perm, allowed, require


@dataclass(frozen=True)
class FilingResult:
    batch_id: int
    code: str
    filed_on: dt.date
    deadline: dt.date
    late: bool
    status: str


@dataclass(frozen=True)
class PlanExport:
    xlsx: Path
    pdf: Path


def plan_deadline(session: Session, batch_id: int | str) -> Deadline | None:
    """The latest filing date (the profile's N-th working day before the first session), or None
    while no session has a date. Raises CalendarMissingError (a ValidationError with a clear
    message) when the calendar lacks the year."""
    from app.services.calendar import load_calendar

    batch = get_batch(session, batch_id)
    days = [s.day for s in batch.sessions if s.day is not None]
    if not days:
        return None
    return plan_filing_deadline(profile_for(session, batch), load_calendar(session), min(days))


def _blocking_message(batch: Batch, errors: list, warnings: list) -> str:
    lines = [f"批次「{batch.code}」的计划还不能报备："]
    lines += [f"  错误：{i.message}" for i in errors]
    lines += [f"  待确认的警告：{i.message}" for i in warnings]
    if errors:
        lines.append("请先修正以上错误。")
    if warnings:
        lines.append("警告须逐条确认并填写理由后才能报备。")
    return "\n".join(lines)


def file_plan(session: Session, actor: Actor, batch_id: int | str, filed_on: dt.date, reason: str = "") -> FilingResult:
    """File the plan with the authority: refused while check errors remain or warnings are
    unacknowledged; after the latest filing date only an administrator may file, with a reason."""
    batch = get_batch(session, batch_id)
    require(session, actor, Perm.FILE_PLAN, batch_id=batch.id, what="计划报备")
    if batch.status != BatchStatus.DRAFT:
        raise ValidationError(f"批次「{batch.code}」的计划已经报备（{batch.plan_filed_on or '日期未记录'}），不能重复报备。")
    report = check_batch(session, batch.id)
    if not report.can_file:
        raise ValidationError(_blocking_message(batch, report.errors, report.warnings))
    try:
        deadline = plan_deadline(session, batch.id)
    except ValidationError as exc:
        raise ValidationError(f"无法计算最迟报备日，因而无法判断是否逾期：{exc.message}", field="calendar") from None
    if deadline is None:  # pragma: no cover - check_batch reports a batch without sessions
        raise ValidationError("尚未安排任何场次，无法报备计划。")
    reason = (reason or "").strip()
    late = filed_on > deadline.date
    if late:
        require(session, actor, Perm.OVERRIDE, batch_id=batch.id,
                what=f"逾期报备计划（最迟报备日为 {deadline.date.isoformat()}，报备日 {filed_on.isoformat()}）")
        if not reason:
            raise ValidationError(
                f"报备日 {filed_on.isoformat()} 已晚于最迟报备日 {deadline.date.isoformat()}（{deadline.label}，"
                f"依据：{deadline.source}）：逾期报备须填写理由（将记入审计日志）。",
                field="reason",
            )
    batch.plan_filed_on = filed_on
    set_status(session, actor, batch, BatchStatus.PLAN_FILED, reason=reason)
    record(
        session, actor, "plan.file", batch, reason=reason,
        summary={"filed_on": filed_on, "deadline": deadline.date, "late": late,
                 "acknowledged": [i.key for i in report.acknowledged]},
    )
    return FilingResult(batch.id, batch.code, filed_on, deadline.date, late, batch.status)


# --- the filing document ---------------------------------------------------------------------
def _staff(session: Session, batch: Batch, duty: Duty, full_ids: bool) -> list[PlanStaff]:
    from app.rules.idcard import mask_id

    rows = list(
        session.execute(
            select(StaffAssignment, Person)
            .join(Person, StaffAssignment.person_id == Person.id)
            .where(StaffAssignment.batch_id == batch.id, StaffAssignment.duty == duty.value)
        )
    )
    where: dict[int, list[str]] = {}
    people: dict[int, Person] = {}
    for a, p in rows:
        people[p.id] = p
        where.setdefault(p.id, [])
        if a.session is not None:
            where[p.id].append(session_label(a.session))
    occ = session.get(Occupation, batch.occupation_id)
    out = []
    for pid, p in sorted(people.items(), key=lambda kv: kv[1].name):
        role = session.scalar(
            select(StaffRoleEntry).where(StaffRoleEntry.person_id == pid, StaffRoleEntry.role == duty.value)
        )
        qual = session.scalar(
            select(ExaminerQualification)
            .where(ExaminerQualification.person_id == pid, ExaminerQualification.occupation_id == batch.occupation_id)
            .order_by(ExaminerQualification.max_level)
            .limit(1)
        )
        out.append(
            PlanStaff(
                name=p.name,
                id_number=p.id_number if full_ids else mask_id(p.id_number),
                duty=duty.value,
                certificate_no=qual.certificate_no if qual else "",
                qualification=f"{occ.name if occ else ''} {level_name(qual.max_level)}" if qual else "",
                title=p.title,
                education=p.education,
                employer=p.employer,
                in_house="是" if (role is None or role.in_house) else "否",
                sessions="；".join(where[pid]) if where[pid] else "全批次",
            )
        )
    return out


def build_plan_document(session: Session, batch_id: int | str, *, full_ids: bool = False,
                        today: dt.date | None = None) -> PlanDocument:
    """Everything the plan filing carries, as plain data. Candidate ID numbers are full only
    with `full_ids` (the authority's roster; callers check Perm.EXPORT and audit)."""
    from app.rules.id_types import ID_TYPES
    from app.rules.idcard import mask_id

    batch = get_batch(session, batch_id)
    org = organisation_for(session, batch)
    occ = session.get(Occupation, batch.occupation_id)
    wt = session.get(WorkType, batch.work_type_id) if batch.work_type_id else None
    try:
        deadline = plan_deadline(session, batch.id)
    except ValidationError:
        deadline = None
    enrol_rows = list(
        session.execute(
            select(Enrolment, Person)
            .join(Person, Enrolment.person_id == Person.id)
            .where(Enrolment.batch_id == batch.id)
            .order_by(Enrolment.admission_no)
        )
    )
    sessions = []
    for s in sorted(batch.sessions, key=lambda x: (x.day, x.start_time, x.id)):
        room = session.get(Room, s.room_id) if s.room_id else None
        capacity = ""
        if room is not None:
            capacity = f"{room.capacity} 座"
            if s.subject == Component.SKILL:
                n = session.scalar(select(RoomStations.stations).where(
                    RoomStations.room_id == room.id, RoomStations.occupation_id == batch.occupation_id))
                capacity = f"{n or 0} 个工位"
        names = {Duty.EXAMINER.value: [], Duty.PROCTOR.value: []}
        for a in s.assignments:
            if a.duty in names:
                p = session.get(Person, a.person_id)
                names[a.duty].append(p.name if p else str(a.person_id))
        sessions.append(
            PlanSession(
                day=s.day, start=s.start_time, end=s.end_time,
                subject=COMPONENT_NAMES[Component(s.subject)],
                venue=room.venue.name if room else "（未指定）",
                room=room.name if room else "（未指定）",
                address=room.venue.address if room else "",
                video=bool(room and room.has_video),
                capacity=capacity,
                candidates=len(enrol_rows),
                examiners=sorted(names[Duty.EXAMINER.value]),
                proctors=sorted(names[Duty.PROCTOR.value]),
            )
        )
    rooms = {r.id: r.name for r in session.scalars(select(Room))}
    candidates = [
        PlanCandidate(
            seq=i, admission_no=e.admission_no, name=p.name, gender=p.gender or "",
            id_type=ID_TYPES.get(p.id_type, p.id_type),
            id_number=p.id_number if full_ids else mask_id(p.id_number),
            employer=e.employer, city=e.city,
            room=rooms.get(e.room_id, "") if e.room_id else "", seat=e.seat,
        )
        for i, (e, p) in enumerate(enrol_rows, 1)
    ]
    report = check_batch(session, batch.id)
    days = [s.day for s in batch.sessions]
    methods = [COMPONENT_NAMES[c] for c in Component if getattr(batch, f"method_{c.value}")]
    return PlanDocument(
        organisation=org.name,
        filing_code=compact_upper(org.filing_code or ""),  # as stored since; older data as typed
        batch_code=batch.code,
        batch_name=batch.name,
        occupation=occ.name if occ else "",
        occupation_code=occ.code if occ else "",
        work_type=wt.name if wt else "——",
        level=level_name(batch.level),
        methods=methods,
        candidate_source=batch.candidate_source,
        first_day=min(days, default=None),
        last_day=max(days, default=None),
        plan_deadline=deadline.date if deadline else None,
        prepared_on=batch.plan_filed_on or today or dt.date.today(),
        sessions=sessions,
        candidates=candidates,
        examiners=_staff(session, batch, Duty.EXAMINER, False),
        proctors=_staff(session, batch, Duty.PROCTOR, False),
        supervisors=_staff(session, batch, Duty.SUPERVISOR, False),
        acknowledged=[f"{i.message}（确认理由：{i.ack_reason}）" for i in report.acknowledged],
    )


def export_plan(session: Session, actor: Actor, batch_id: int | str, out_dir: Path,
                *, today: dt.date | None = None) -> PlanExport:
    """Write the filing document as xlsx and A4 PDF into `out_dir`. The candidate roster
    carries full ID numbers (the authority needs them), so the export is audited."""
    from app.printing.plan_pdf import write_plan_pdf
    from app.reports.plan import write_plan_xlsx

    batch = get_batch(session, batch_id)
    require(session, actor, Perm.EXPORT, batch_id=batch.id, what="导出认定计划报备表")
    require(session, actor, Perm.VIEW_FULL_ID, what="导出认定计划报备表（含完整证件号码）")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(f"无法创建导出文件夹“{out_dir}”：{exc.strerror or exc}。请换一个文件夹。") from None
    doc = build_plan_document(session, batch.id, full_ids=True, today=today)
    stem = f"认定计划报备表_{batch.code}"
    try:
        xlsx = write_plan_xlsx(doc, out_dir / f"{stem}.xlsx")
        pdf = write_plan_pdf(doc, out_dir / f"{stem}.pdf")
    except PermissionError:
        raise ValidationError(f"无法写入“{out_dir}”中的文件：文件可能正被 Excel 或 PDF 阅读器打开，请关闭后重试。") from None
    record(
        session, actor, "plan.export", batch,
        summary={"files": [xlsx.name, pdf.name], "candidates": len(doc.candidates), "full_id_numbers": True},
    )
    return PlanExport(xlsx, pdf)


def can_file_late(actor: Actor) -> bool:
    """Whether the actor may file after the latest filing date (with a reason)."""
    return allowed(actor, Perm.OVERRIDE)


__all__ = [
    "FilingResult",
    "PlanExport",
    "build_plan_document",
    "can_file_late",
    "export_plan",
    "file_plan",
    "plan_deadline",
]
