"""The statutory working-day calendar: chinese-calendar plus the holiday table staff maintain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import CalendarOverride
from app.rules.workdays import WorkdayCalendar
from app.services.actor import Actor
from app.services.audit import record
from app.services.permissions import Perm, require


def load_calendar(session: Session) -> WorkdayCalendar:
    rows = session.scalars(select(CalendarOverride))
    return WorkdayCalendar({r.day: (r.kind, r.name) for r in rows})


@dataclass(frozen=True)
class CalendarImport:
    added: int
    changed: int
    unchanged: int
    years: list[int]


def import_calendar(session: Session, actor: Actor, path: Path) -> CalendarImport:
    """Import a holiday table (日期, 类型 休/班, 名称). All rows or none: a bad row raises first."""
    require(session, actor, Perm.EDIT_CALENDAR, what="导入法定节假日安排")
    from app.rules.calendar_import import read_calendar_file

    entries = read_calendar_file(path)
    if not entries:
        raise ValidationError(f"文件“{Path(path).name}”中没有任何日期行：请按“日期、类型（休/班）、名称”三列填写。")
    added = changed = unchanged = 0
    for day, (kind, name) in sorted(entries.items()):
        row = session.get(CalendarOverride, day)
        if row is None:
            session.add(CalendarOverride(day=day, kind=kind, name=name))
            added += 1
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            changed += 1
        else:
            unchanged += 1
    years = sorted({d.year for d in entries})
    record(
        session, actor, "calendar.import", entity="calendar_override",
        summary={"file": Path(path).name, "added": added, "changed": changed, "years": years},
    )
    return CalendarImport(added, changed, unchanged, years)


def set_day(session: Session, actor: Actor, day: dt.date, kind: str, name: str = "") -> None:
    require(session, actor, Perm.EDIT_CALENDAR, what="修改法定节假日安排")
    if kind not in ("休", "班"):
        raise ValidationError("类型只能是“休”（放假）或“班”（调休上班）。", field="kind")
    row = session.get(CalendarOverride, day)
    if row is None:
        session.add(CalendarOverride(day=day, kind=kind, name=name))
    else:
        row.kind, row.name = kind, name
    record(session, actor, "calendar.set", entity="calendar_override",
           summary={"day": day, "kind": kind, "name": name})


def remove_day(session: Session, actor: Actor, day: dt.date) -> None:
    require(session, actor, Perm.EDIT_CALENDAR, what="修改法定节假日安排")
    row = session.get(CalendarOverride, day)
    if row is not None:
        session.delete(row)
        record(session, actor, "calendar.remove", entity="calendar_override", summary={"day": day})


def list_days(session: Session, year: int | None = None) -> list[CalendarOverride]:
    stmt = select(CalendarOverride).order_by(CalendarOverride.day)
    if year:
        stmt = stmt.where(CalendarOverride.day >= dt.date(year, 1, 1), CalendarOverride.day <= dt.date(year, 12, 31))
    return list(session.scalars(stmt))
