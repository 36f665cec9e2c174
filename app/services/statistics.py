"""Statistics per batch and per period: enrolled, present, passed and pass rate — overall, per
component and per level — as plain rows a GUI can chart, exportable to xlsx.

Definitions:
- enrolled 报名: candidates enrolled in the batch;
- present 实考: overall, not absent (缺考) in every required component; per component, a score
  or 违纪 recorded in that component (not absent, not missing);
- passed 合格: overall, Enrolment.result == pass; per component, a normal score ≥ the batch's
  pass mark;
- pass rate 合格率 = passed / present (None when nobody sat).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Batch, Enrolment, ExamSession
from app.models.enums import Result, ScoreMark
from app.rules.levels import level_name
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_workflow import get_batch
from app.services.permissions import Perm, require
from app.services.score_rules import component_name, required_components
from app.services.scores import effective_cells

Group = Literal["total", "batch", "level", "component"]


@dataclass(frozen=True)
class StatRow:
    group: Group
    key: str  # batch code, level code, component, or "" for the total
    label: str
    enrolled: int
    present: int
    passed: int

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.present if self.present else None

    @property
    def pass_rate_text(self) -> str:
        rate = self.pass_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass
class _Acc:
    enrolled: int = 0
    present: int = 0
    passed: int = 0

    def add(self, other: _Acc) -> None:
        self.enrolled += other.enrolled
        self.present += other.present
        self.passed += other.passed


def _batch_counts(session: Session, batch: Batch) -> tuple[_Acc, dict[str, _Acc]]:
    cells = effective_cells(session, batch)
    comps = required_components(batch)
    mark = Decimal(batch.pass_mark)
    total = _Acc()
    per_comp = {c: _Acc() for c in comps}
    for eid, result in session.execute(select(Enrolment.id, Enrolment.result).where(Enrolment.batch_id == batch.id)):
        mine = cells.get(eid, {})
        total.enrolled += 1
        sat = [c for c in comps if mine.get(c) and mine[c].state == "ok" and mine[c].mark != ScoreMark.ABSENT.value]
        if sat:
            total.present += 1
        if result == Result.PASS.value:
            total.passed += 1
        for c in comps:
            acc = per_comp[c]
            acc.enrolled += 1
            if c in sat:
                acc.present += 1
                cell = mine[c]
                if cell.mark == ScoreMark.NORMAL.value and cell.score is not None and cell.score >= mark:
                    acc.passed += 1
    return total, per_comp


def _row(group: Group, key: str, label: str, acc: _Acc) -> StatRow:
    return StatRow(group, key, label, acc.enrolled, acc.present, acc.passed)


def batch_statistics(session: Session, actor: Actor, batch_id: int | str) -> list[StatRow]:
    """The batch total, its level, then one row per component."""
    batch = get_batch(session, batch_id)
    require(session, actor, Perm.READ, batch_id=batch.id, what="查看统计")
    total, per_comp = _batch_counts(session, batch)
    rows = [
        _row("total", "", f"批次 {batch.code} 合计", total),
        _row("level", str(batch.level), level_name(batch.level), total),
    ]
    rows += [_row("component", c, component_name(c), acc) for c, acc in per_comp.items()]
    return rows


def batches_in_period(session: Session, start: dt.date, end: dt.date) -> list[Batch]:
    """Batches whose assessment ended (last sitting) within [start, end], in code order."""
    last = (
        select(ExamSession.batch_id, func.max(ExamSession.day).label("last"))
        .group_by(ExamSession.batch_id)
        .subquery()
    )
    stmt = (
        select(Batch)
        .join(last, last.c.batch_id == Batch.id)
        .where(last.c.last >= start, last.c.last <= end)
        .order_by(Batch.code)
    )
    return list(session.scalars(stmt))


def period_statistics(session: Session, actor: Actor, start: dt.date, end: dt.date) -> list[StatRow]:
    """All batches assessed in the period: the total, one row per batch, per level (1–5 present
    in the period) and per component."""
    require(session, actor, Perm.READ, what="查看统计")
    if end < start:
        raise ValidationError(f"统计期间的结束日 {end} 早于开始日 {start}。", field="end")
    total = _Acc()
    batch_rows: list[StatRow] = []
    levels: dict[int, _Acc] = {}
    comps: dict[str, _Acc] = {}
    for b in batches_in_period(session, start, end):
        acc, per_comp = _batch_counts(session, b)
        total.add(acc)
        levels.setdefault(b.level, _Acc()).add(acc)
        for c, a in per_comp.items():
            comps.setdefault(c, _Acc()).add(a)
        batch_rows.append(_row("batch", b.code, f"{b.code} {b.name}", acc))
    order = {"theory": 0, "skill": 1, "review": 2}
    return (
        [_row("total", "", f"{start.isoformat()}至{end.isoformat()} 合计", total)]
        + batch_rows
        + [_row("level", str(lv), level_name(lv), levels[lv]) for lv in sorted(levels)]
        + [_row("component", c, component_name(c), comps[c]) for c in sorted(comps, key=order.get)]
    )


GROUP_NAMES = {"total": "合计", "batch": "批次", "level": "等级", "component": "科目"}


def export_statistics(session: Session, actor: Actor, path: Path, rows: Sequence[StatRow], title: str = "") -> Path:
    """Write statistics rows to xlsx (audited)."""
    from app.reports.xlsx import Column, Sheet, write_workbook

    require(session, actor, Perm.EXPORT, what="导出统计")
    columns = [Column("分组", 8), Column("项目", 36), Column("报名人数", 10), Column("实考人数", 10),
               Column("合格人数", 10), Column("合格率", 10, "0.0%")]
    data = (
        (GROUP_NAMES[r.group], r.label, r.enrolled, r.present, r.passed, r.pass_rate) for r in rows
    )
    out = write_workbook(Path(path), [Sheet("统计", columns, data, title_rows=[title] if title else [])])
    record(session, actor, "export.statistics", summary={"file": out.name, "rows": len(rows)})
    return out
