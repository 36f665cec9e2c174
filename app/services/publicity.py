"""Results publicity (公示): the list, the start with the profile's minimum period, objections.

From the start of publicity the scores are locked (`scores.correct_score`). A correction sets
Batch.needs_republicity; `start_publicity` on a batch already in publicity then starts a new
publicity period (same minimum) and clears the flag.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import Batch, Enrolment, Objection, Occupation, Organisation, Person, WorkType
from app.models.enums import BatchStatus, Result
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_workflow import get_batch, set_status, status_name
from app.services.permissions import Perm, require
from app.services.score_rules import RESULT_NAMES
from app.services.scores import profile_for, results_up_to_date


@dataclass(frozen=True)
class PublicityRow:
    seq: int
    name: str
    id_number: str  # always masked
    occupation: str  # 职业/工种
    level: str
    result: str  # 合格 / 不合格


@dataclass(frozen=True)
class PublicityList:
    batch_code: str
    batch_name: str
    organisation: str
    occupation: str
    level: str
    start: dt.date | None
    end: dt.date | None
    rows: list[PublicityRow]

    @property
    def passed(self) -> int:
        return sum(1 for r in self.rows if r.result == RESULT_NAMES[Result.PASS.value])


@dataclass(frozen=True)
class PublicityStarted:
    batch_id: int
    start: dt.date
    end: dt.date
    min_end: dt.date
    restarted: bool


@dataclass(frozen=True)
class ObjectionView:
    id: int
    batch_id: int
    enrolment_id: int | None
    admission_no: str | None
    received_on: dt.date
    content: str
    handling: str
    handled_on: dt.date | None

    @property
    def open(self) -> bool:
        return self.handled_on is None


def occupation_label(session: Session, batch: Batch) -> str:
    """职业/工种 as shown on lists: 职业（工种） or the occupation alone."""
    occ = session.get(Occupation, batch.occupation_id)
    wt = session.get(WorkType, batch.work_type_id) if batch.work_type_id else None
    name = occ.name if occ else ""
    return f"{name}（{wt.name}）" if wt else name


def publicity_min_end(session: Session, batch: Batch, start: dt.date) -> dt.date:
    """The earliest day a publicity starting on `start` may end, by the batch's profile."""
    from app.rules.deadlines import publicity_min_end as rule
    from app.services.calendar import load_calendar

    return rule(profile_for(session, batch), load_calendar(session), start).date


def publicity_list(session: Session, actor: Actor, batch_id: int | str) -> PublicityList:
    """The list to post: 序号, 姓名, masked 证件号码, 职业/工种, 等级, 结果. Needs computed results."""
    from app.rules.idcard import mask_id
    from app.rules.levels import level_name

    batch = get_batch(session, batch_id)
    require(session, actor, Perm.READ, batch_id=batch.id, what="查看公示名单")
    _require_results(session, batch)
    occ = occupation_label(session, batch)
    level = level_name(batch.level)
    org = session.get(Organisation, batch.organisation_id)
    stmt = (
        select(Enrolment.result, Person.name, Person.id_number)
        .join(Person, Enrolment.person_id == Person.id)
        .where(Enrolment.batch_id == batch.id)
        .order_by(Enrolment.admission_no, Enrolment.id)
    )
    rows = [
        PublicityRow(i, name, mask_id(idno), occ, level, RESULT_NAMES[result])
        for i, (result, name, idno) in enumerate(session.execute(stmt), start=1)
    ]
    return PublicityList(
        batch.code, batch.name, org.name if org else "", occ, level,
        batch.publicity_start, batch.publicity_end, rows,
    )


def _require_results(session: Session, batch: Batch) -> None:
    if batch.status in (BatchStatus.DRAFT, BatchStatus.PLAN_FILED, BatchStatus.IN_PROGRESS):
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”，尚无认定结果。"
        )
    stale = results_up_to_date(session, batch)
    if stale:
        shown = "、".join(stale[:8]) + (f"……共{len(stale)}人" if len(stale) > 8 else "")
        raise ValidationError(
            f"批次「{batch.code}」的认定结果尚未计算或已与成绩不符（{shown}）：请先完成成绩录入并计算结果。"
        )


def start_publicity(
    session: Session, actor: Actor, batch_id: int | str, start: dt.date, end: dt.date
) -> PublicityStarted:
    """Start the publicity: results computed, `end` not before the profile's minimum end.

    Moves the batch 成绩录入 → 公示中. On a batch already in publicity that needs a new one
    (scores corrected after the lock), sets the new period and clears needs_republicity.
    """
    batch = get_batch(session, batch_id)
    require(session, actor, Perm.PUBLICISE, batch_id=batch.id, what="开始公示")
    restart = batch.status == BatchStatus.PUBLICITY.value
    if restart and not batch.needs_republicity:
        raise ValidationError(
            f"批次「{batch.code}」已在公示中（{batch.publicity_start}至{batch.publicity_end}），无需重新公示。"
        )
    if not restart and batch.status != BatchStatus.SCORING.value:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”：只有“成绩录入”状态且已计算结果的批次可以开始公示。"
        )
    _require_results(session, batch)
    if end < start:
        raise ValidationError(f"公示结束日 {end} 早于开始日 {start}。", field="end")
    from app.services.results_filing import assessment_days

    _first, last = assessment_days(session, batch)
    if last is not None and start < last:
        raise ValidationError(
            f"公示开始日 {start} 早于最后一场考核（{last}）：请在考核结束后再公示。", field="start"
        )
    profile = profile_for(session, batch)
    min_end = publicity_min_end(session, batch, start)
    if end < min_end:
        rule = profile.publicity
        raise ValidationError(
            f"公示期太短：{profile.display_name}规定公示期不少于{rule.days}{rule.unit_label}"
            f"（依据：{rule.source}），自{start.isoformat()}开始最早于{min_end.isoformat()}结束。"
            f"请把结束日改为{min_end.isoformat()}或更晚。",
            field="end",
        )
    summary = {"start": start, "end": end, "min_end": min_end}
    batch.publicity_start, batch.publicity_end = start, end
    if restart:
        batch.needs_republicity = False
        record(session, actor, "publicity.restart", batch, summary=summary)
    else:
        set_status(session, actor, batch, BatchStatus.PUBLICITY, reason="开始公示")
        record(session, actor, "publicity.start", batch, summary=summary)
    return PublicityStarted(batch.id, start, end, min_end, restart)


def _view(session: Session, o: Objection) -> ObjectionView:
    adm = session.get(Enrolment, o.enrolment_id).admission_no if o.enrolment_id else None  # type: ignore[union-attr]
    return ObjectionView(o.id, o.batch_id, o.enrolment_id, adm, o.received_on, o.content, o.handling, o.handled_on)


def add_objection(
    session: Session,
    actor: Actor,
    batch_id: int | str,
    received_on: dt.date,
    content: str,
    admission_no: str | None = None,
) -> ObjectionView:
    """Register an objection (异议) received during publicity (audited)."""
    batch = get_batch(session, batch_id)
    require(session, actor, Perm.PUBLICISE, batch_id=batch.id, what="登记异议")
    if batch.status != BatchStatus.PUBLICITY.value:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”：异议在公示期间登记。"
        )
    if not content or not content.strip():
        raise ValidationError("请填写异议内容。", field="content")
    enrolment_id = None
    if admission_no:
        from app.services.scores import find_enrolment

        enrolment_id = find_enrolment(session, batch.id, admission_no).id
    o = Objection(batch_id=batch.id, enrolment_id=enrolment_id, received_on=received_on, content=content.strip())
    session.add(o)
    record(session, actor, "objection.add", o, summary={"received_on": received_on, "admission_no": admission_no})
    return _view(session, o)


def handle_objection(
    session: Session, actor: Actor, objection_id: int, handling: str, handled_on: dt.date
) -> ObjectionView:
    """Record how an objection was handled (audited). A score change it leads to goes through
    `scores.correct_score` (administrator, reason, new publicity)."""
    o = session.get(Objection, objection_id)
    if o is None:
        raise NotFoundError(f"找不到异议 #{objection_id}。")
    require(session, actor, Perm.PUBLICISE, batch_id=o.batch_id, what="处理异议")
    if not handling or not handling.strip():
        raise ValidationError("请填写处理情况。", field="handling")
    if handled_on < o.received_on:
        raise ValidationError(f"处理日期 {handled_on} 早于收到日期 {o.received_on}。", field="handled_on")
    o.handling, o.handled_on = handling.strip(), handled_on
    record(session, actor, "objection.handle", o, summary={"handled_on": handled_on})
    return _view(session, o)


def list_objections(session: Session, batch_id: int | str, *, open_only: bool = False) -> list[ObjectionView]:
    batch = get_batch(session, batch_id)
    stmt = select(Objection).where(Objection.batch_id == batch.id).order_by(Objection.received_on, Objection.id)
    if open_only:
        stmt = stmt.where(Objection.handled_on.is_(None))
    return [_view(session, o) for o in session.scalars(stmt)]


def export_publicity(
    session: Session, actor: Actor, batch_id: int | str, out_dir: Path, *, pdf: bool = True
) -> list[Path]:
    """Write the publicity list as xlsx (and A4 PDF) into `out_dir` (audited; IDs masked)."""
    from app.reports.publicity import write_publicity_xlsx

    batch = get_batch(session, batch_id)
    require(session, actor, Perm.EXPORT, batch_id=batch.id, what="导出公示名单")
    data = publicity_list(session, actor, batch.id)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [write_publicity_xlsx(out_dir / f"{batch.code}_公示名单.xlsx", data)]
    if pdf:
        from app.printing.publicity_pdf import write_publicity_pdf

        paths.append(write_publicity_pdf(out_dir / f"{batch.code}_公示名单.pdf", data))
    record(
        session, actor, "export.publicity", batch_id=batch.id,
        summary={"files": [p.name for p in paths], "rows": len(data.rows)},
    )
    return paths
