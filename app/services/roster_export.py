"""Export of the roster as the four tables of the filing application (000 附件1 四): 专职工作人员,
专家, 考评人员, 内部督导人员, one sheet each, with full ID numbers — so it needs Perm.EXPORT and
VIEW_FULL_ID, and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ExaminerQualification, Occupation, Person, StaffRoleEntry, WorkType
from app.models.enums import StaffRole
from app.rules.levels import level_name
from app.services.actor import Actor
from app.services.audit import record
from app.services.permissions import Perm, require


@dataclass(frozen=True)
class RosterExport:
    path: str
    fulltime: int
    experts: int
    examiners: int
    supervisors: int
    # examiner qualifications not valid on the export day (expired or not yet in force): the
    # 考评人员 sheet lists them marked, so the clerk sees what to renew before filing
    qualifications_not_current: int = 0

    @property
    def qualification_note(self) -> str:
        """A line for the export message ("" when every listed qualification is current)."""
        if not self.qualifications_not_current:
            return ""
        return (
            f"注意：有 {self.qualifications_not_current} 项考评资格已过期或尚未生效，"
            "已在“考评人员”表的“考评职业”中标注；报备前请更新资格或调整人员。"
        )


def qualification_not_current(q: ExaminerQualification, today: dt.date) -> tuple[str, str]:
    """("", "") when the qualification is valid on `today`; else ("已过期" or "未生效", the date)."""
    if q.valid_until is not None and q.valid_until < today:
        return "已过期", f"有效期至{q.valid_until.isoformat()}"
    if q.valid_from is not None and today < q.valid_from:
        return "未生效", f"有效期自{q.valid_from.isoformat()}起"
    return "", ""


def _examiner_columns(
    qualifications: Iterable[ExaminerQualification],
    occupations: Mapping[int, tuple[str, str]],
    work_types: Mapping[int, str],
    today: dt.date,
) -> tuple[list[str], str, int]:
    """The 考评职业 entries, the 考评员证书号 text and how many qualifications are not current.

    The seed's table (000 附件1 四（三）) has no level column, so each entry carries the highest
    level: "电工（最高三级）", "中式烹调师（中式热菜，最高四级）". Current qualifications come
    first; an expired or not-yet-valid one stays listed but marked ("…，已过期：有效期至…"), and
    so does a certificate number that only such a qualification carries."""
    marked = [(q, *qualification_not_current(q, today)) for q in qualifications]
    marked.sort(
        key=lambda m: (
            bool(m[1]),
            occupations[m[0].occupation_id][0],
            work_types.get(m[0].work_type_id or 0, ""),
        )
    )
    entries: list[str] = []
    certificates: dict[str, str] = {}
    for q, status, when in marked:
        parts = [work_types.get(q.work_type_id, "")] if q.work_type_id else []
        parts.append("最高" + level_name(q.max_level).split("/")[0])  # "三级/高级工" → "三级"
        if status:
            parts.append(f"{status}：{when}")
        entries.append(f"{occupations[q.occupation_id][1]}（{'，'.join(parts)}）")
        if q.certificate_no and q.certificate_no not in certificates:
            certificates[q.certificate_no] = status
    certificate_text = "、".join(
        f"{no}（{status}）" if status else no for no, status in certificates.items()
    )
    return entries, certificate_text, sum(1 for _, status, _ in marked if status)


def export_roster(
    session: Session,
    actor: Actor,
    out_xlsx: str | Path,
    reason: str = "",
    *,
    today: dt.date | None = None,
) -> RosterExport:
    """Write the four roster tables of 000 附件1 四 to `out_xlsx` (full ID numbers, audited).

    The 考评人员 sheet lists each examiner's qualifications with the highest level; those not
    valid on `today` (default: the current date) are marked, not passed off as current."""
    from sqlalchemy.orm import selectinload

    from app.reports.roster import RosterLine, roster_sheets
    from app.reports.xlsx import write_workbook

    require(session, actor, Perm.EXPORT, what="导出人员名册")
    require(session, actor, Perm.VIEW_FULL_ID, what="导出人员名册（含完整证件号码）")
    today = today or dt.date.today()
    occ = {o.id: (o.code, o.name) for o in session.scalars(select(Occupation))}
    wts = dict(session.execute(select(WorkType.id, WorkType.name)).tuples().all())
    entries = session.execute(
        select(StaffRoleEntry, Person)
        .join(Person, Person.id == StaffRoleEntry.person_id)
        .options(selectinload(Person.qualifications))
        .order_by(Person.name, Person.id)
    )
    groups: dict[str, list[RosterLine]] = {r.value: [] for r in StaffRole}
    not_current = 0
    for entry, p in entries:
        occupations, certificates, lapsed = _examiner_columns(p.qualifications, occ, wts, today)
        if entry.role == StaffRole.EXAMINER.value:
            not_current += lapsed
        groups[entry.role].append(
            RosterLine(
                p.name,
                p.id_number,
                p.title,
                p.education,
                entry.duties,
                entry.specialty,
                entry.in_house,
                certificates,
                occupations,
                p.employer,
            )
        )
    sheets = roster_sheets(
        groups["fulltime"], groups["expert"], groups["examiner"], groups["supervisor"]
    )
    path = write_workbook(Path(out_xlsx), sheets)
    result = RosterExport(
        str(path),
        len(groups["fulltime"]),
        len(groups["expert"]),
        len(groups["examiner"]),
        len(groups["supervisor"]),
        not_current,
    )
    record(
        session,
        actor,
        "roster.export",
        entity="person",
        summary={
            "file": Path(path).name,
            "fulltime": result.fulltime,
            "experts": result.experts,
            "examiners": result.examiners,
            "supervisors": result.supervisors,
            "qualifications_not_current": not_current,
        },
        # full ID numbers left the software: why, or at least what for (the file) — never blank
        reason=reason.strip() or f"导出人员名册（备案用）：{Path(path).name}",
    )
    return result
