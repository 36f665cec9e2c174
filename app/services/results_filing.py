"""Results filing (结果报备) and the two tables that go with it (003 附件4, 附件5).

`file_results` moves a batch 公示中 → 结果已报备 once the publicity has ended (not shorter than
the profile's minimum), every objection is handled and no new publicity is pending. The due
date comes from the profile (Guizhou: 10 working days after the assessment; Anhui: 10 working
days after the publicity; none otherwise); filing after it needs an administrator and a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import (
    Batch,
    Certificate,
    Enrolment,
    ExamSession,
    Occupation,
    Organisation,
    Person,
    WorkType,
)
from app.models.enums import BatchStatus, CertificateStatus, Result, ScoreMark
from app.output_file import output_error
from app.reports.results import SummaryLine, SummaryTable
from app.rules.deadlines import Deadline
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_workflow import get_batch, set_status, status_name
from app.services.permissions import Perm, require
from app.services.scores import effective_cells, profile_for, results_up_to_date

RESULTS_STATUSES = frozenset(
    {
        BatchStatus.PUBLICITY.value,
        BatchStatus.RESULTS_FILED.value,
        BatchStatus.CERTIFIED.value,
        BatchStatus.ARCHIVED.value,
    }
)


@dataclass(frozen=True)
class FilingDone:
    batch_id: int
    filed_on: dt.date
    due: dt.date | None
    late: bool


def assessment_days(session: Session, batch: Batch) -> tuple[dt.date | None, dt.date | None]:
    first, last = session.execute(
        select(func.min(ExamSession.day), func.max(ExamSession.day)).where(ExamSession.batch_id == batch.id)
    ).one()
    return first, last


def results_due(session: Session, batch_id: int | str) -> Deadline | None:
    """The profile's results-filing deadline for the batch (None: the profile sets none)."""
    from app.rules.deadlines import results_filing_deadline
    from app.services.calendar import load_calendar

    batch = get_batch(session, batch_id)
    profile = profile_for(session, batch)
    if profile.results_filing.anchor is None:
        return None
    _first, last = assessment_days(session, batch)
    return results_filing_deadline(profile, load_calendar(session), last, batch.publicity_end)


def file_results(
    session: Session, actor: Actor, batch_id: int | str, filed_on: dt.date, *, reason: str = ""
) -> FilingDone:
    """Record that the results were filed on `filed_on` and move the batch to 结果已报备."""
    from app.services.publicity import list_objections, publicity_min_end

    batch = get_batch(session, batch_id)
    require(session, actor, Perm.FILE_RESULTS, batch_id=batch.id, what="结果报备")
    if batch.status != BatchStatus.PUBLICITY.value:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”：只有公示结束的批次可以办理结果报备。"
        )
    if batch.needs_republicity:
        raise ValidationError(
            f"批次「{batch.code}」公示后更正过成绩，须重新公示后才能报备结果。"
        )
    if batch.publicity_start is None or batch.publicity_end is None:
        raise ValidationError(f"批次「{batch.code}」没有公示期记录，请先开始公示。")
    today = dt.date.today()
    if filed_on > today:
        raise ValidationError(f"报备日期 {filed_on} 晚于今天（{today}）：请填写实际报备日期。", field="filed_on")
    if filed_on < batch.publicity_end:
        raise ValidationError(
            f"公示尚未结束：批次「{batch.code}」公示至 {batch.publicity_end}，之后才能报备结果。",
            field="filed_on",
        )
    min_end = publicity_min_end(session, batch, batch.publicity_start)
    if batch.publicity_end < min_end:
        raise ValidationError(
            f"公示期不足：自 {batch.publicity_start} 开始的公示最早于 {min_end} 结束，"
            f"记录的结束日为 {batch.publicity_end}。请重新公示。"
        )
    open_ = list_objections(session, batch.id, open_only=True)
    if open_:
        shown = "；".join(f"#{o.id}（{o.received_on}收到）" for o in open_[:5])
        raise ValidationError(f"还有{len(open_)}条异议未处理完毕：{shown}。请先登记处理情况。")
    stale = results_up_to_date(session, batch)
    if stale:
        raise ValidationError(f"有{len(stale)}名考生的认定结果与成绩不符，请先重新计算并公示。")
    deadline = results_due(session, batch.id)
    late = deadline is not None and filed_on > deadline.date
    if late:
        assert deadline is not None
        require(session, actor, Perm.OVERRIDE, batch_id=batch.id, what="逾期报备结果")
        if not reason.strip():
            raise ValidationError(
                f"已超过结果报备期限（{deadline.label}：{deadline.date}，依据：{deadline.source}）："
                "逾期报备须由管理员填写理由。",
                field="reason",
            )
    batch.results_filed_on = filed_on
    set_status(session, actor, batch, BatchStatus.RESULTS_FILED, reason=reason.strip() or "结果报备")
    return FilingDone(batch.id, filed_on, deadline.date if deadline else None, late)


# --- the tables -------------------------------------------------------------------------------
def _require_results(session: Session, batch: Batch) -> None:
    if batch.status not in RESULTS_STATUSES:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”：公示开始后才能生成结果报备表。"
        )
    stale = results_up_to_date(session, batch)
    if stale:
        raise ValidationError(f"批次「{batch.code}」有{len(stale)}名考生的认定结果与成绩不符，请先重新计算。")


def _period_text(first: dt.date | None, last: dt.date | None) -> str:
    if first is None or last is None:
        return ""
    if first == last:
        return first.isoformat()
    return f"{first.isoformat()}至{last.isoformat()}"


def summary_table(
    session: Session, actor: Actor, batch_ids: Sequence[int | str], filled_on: dt.date | None = None
) -> SummaryTable:
    """附件4 for one or more batches of one organisation: one line per 认定工种 (the work type,
    or the occupation when the batch has none) with passed candidates per level."""
    if not batch_ids:
        raise ValidationError("请至少选择一个认定批次。")
    batches = [get_batch(session, ref) for ref in batch_ids]
    for b in batches:
        require(session, actor, Perm.EXPORT, batch_id=b.id, what="生成结果汇总表")
        _require_results(session, b)
    orgs = {b.organisation_id for b in batches}
    if len(orgs) > 1:
        raise ValidationError("结果汇总表按评价机构填报：所选批次属于不同机构。")
    org = session.get(Organisation, batches[0].organisation_id)
    firsts, lasts = [], []
    enrolled = present = passed = 0
    lines: dict[str, dict[int, int]] = {}
    sources: list[str] = []
    for b in batches:
        first, last = assessment_days(session, b)
        if first:
            firsts.append(first)
        if last:
            lasts.append(last)
        if b.candidate_source and b.candidate_source not in sources:
            sources.append(b.candidate_source)
        occ = session.get(Occupation, b.occupation_id)
        wt = session.get(WorkType, b.work_type_id) if b.work_type_id else None
        label = wt.name if wt else (occ.name if occ else "")
        counts = lines.setdefault(label, {})
        cells = effective_cells(session, b)
        for eid, result in session.execute(
            select(Enrolment.id, Enrolment.result).where(Enrolment.batch_id == b.id)
        ):
            enrolled += 1
            if any(c.mark != ScoreMark.ABSENT.value for c in cells.get(eid, {}).values()):
                present += 1
            if result == Result.PASS.value:
                passed += 1
                counts[b.level] = counts.get(b.level, 0) + 1
    filled = filled_on or max((b.results_filed_on for b in batches if b.results_filed_on), default=None) or dt.date.today()
    return SummaryTable(
        unit=org.name if org else "",
        filled_on=filled,
        period=_period_text(min(firsts, default=None), max(lasts, default=None)),
        filed_count=enrolled,
        candidate_source="、".join(sources),
        assessed_count=present,
        passed_count=passed,
        lines=[SummaryLine(name, counts) for name, counts in lines.items()],
    )


def certificate_rows(session: Session, batch_ids: Sequence[int]) -> Iterator[tuple[str | None, ...]]:
    """附件5 rows, streamed: every passed candidate of the batches, with the issued certificate's
    number and date when there is one (empty otherwise). Full ID numbers (for the authority)."""
    from app.rules.levels import level_name

    ids = list(batch_ids)
    # Certificates first, in one pass (certificate has no index on enrolment_id: a join would
    # scan it once per candidate), then the candidates streamed in admission order.
    certs: dict[int, tuple[str, dt.date]] = {
        eid: (number, issued)
        for eid, number, issued in session.execute(
            select(Certificate.enrolment_id, Certificate.number, Certificate.issue_date).where(
                Certificate.batch_id.in_(ids),
                Certificate.status == CertificateStatus.ISSUED.value,
            )
        )
    }
    stmt = (
        select(
            Enrolment.id,
            Person.name,
            Person.id_type,
            Person.id_number,
            Enrolment.employer,
            Person.employer,
            Occupation.name,
            WorkType.name,
            Batch.level,
            Organisation.name,
            Enrolment.city,
            Person.city,
        )
        .select_from(Enrolment)
        .join(Person, Enrolment.person_id == Person.id)
        .join(Batch, Enrolment.batch_id == Batch.id)
        .join(Occupation, Batch.occupation_id == Occupation.id)
        .outerjoin(WorkType, Batch.work_type_id == WorkType.id)
        .join(Organisation, Batch.organisation_id == Organisation.id)
        .where(Enrolment.batch_id.in_(ids), Enrolment.result == Result.PASS.value)
        .order_by(Batch.code, Enrolment.admission_no, Enrolment.id)
    )
    levels = {lv: level_name(lv) for lv in range(1, 6)}
    none = (None, None)
    for (eid, name, id_type, id_number, e_emp, p_emp, occ, wt, level, org,
         e_city, p_city) in session.execute(stmt).yield_per(2000):
        number, issued = certs.get(eid, none)
        yield (
            name,
            id_type,
            id_number,
            e_emp or p_emp or None,
            occ,
            wt or None,
            levels[level],
            number or None,
            issued.isoformat() if issued else None,
            org,
            org,  # 发证机构: the assessing organisation issues ("谁评价、谁发证")
            e_city or p_city or None,
        )


def export_results(
    session: Session,
    actor: Actor,
    batch_id: int | str,
    out_dir: Path,
    *,
    filled_on: dt.date | None = None,
) -> list[Path]:
    """Write 附件4 and 附件5 of one batch into `out_dir` (Perm.EXPORT; audited: 附件5 carries
    full ID numbers for the authority)."""
    from app.reports.results import write_certificate_table, write_summary_table

    batch = get_batch(session, batch_id)
    require(session, actor, Perm.EXPORT, batch_id=batch.id, what="导出结果报备表")
    require(session, actor, Perm.VIEW_FULL_ID, what="导出结果报备表（含完整证件号码）")
    table = summary_table(session, actor, [batch.id], filled_on)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(out_dir, exc) from None
    summary = write_summary_table(out_dir / f"{batch.code}_结果汇总表.xlsx", table)
    counter = _Counter(certificate_rows(session, [batch.id]))
    info = write_certificate_table(out_dir / f"{batch.code}_合格人员证书信息表.xlsx", counter)
    record(
        session, actor, "export.results", batch_id=batch.id,
        summary={"files": [summary.name, info.name], "certificate_rows": counter.count,
                 "full_id_numbers": True},
    )
    return [summary, info]


class _Counter:
    """Counts the rows of an iterator while it streams."""

    def __init__(self, it: Iterator[tuple[str | None, ...]]) -> None:
        self.it, self.count = it, 0

    def __iter__(self) -> Iterator[tuple[str | None, ...]]:
        for row in self.it:
            self.count += 1
            yield row
