"""The dashboard's deadline list (待办与期限): every date the site must not miss, most urgent first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import ArchiveItem, Batch, ExaminerQualification, Occupation, Person
from app.models.enums import BatchStatus
from app.rules.deadlines import (
    filing_expiry,
    plan_filing_deadline,
    publicity_min_end,
    renewal_notice_date,
    results_filing_deadline,
)
from app.rules.workdays import CalendarMissingError, WorkdayCalendar

Urgency = Literal["overdue", "soon", "later"]
_ORDER = {"overdue": 0, "soon": 1, "later": 2}
SOON_WORKING_DAYS = 3
FAR_CALENDAR_DAYS = 20  # longer than any statutory break plus 3 working days
QUALIFICATION_WINDOW_DAYS = 60
RETENTION_WINDOW_DAYS = 90


@dataclass(frozen=True)
class DashboardItem:
    kind: str  # plan_filing / publicity_end / results_filing / filing_renewal / filing_expiry /
    #            qualification_expiry / retention_end / calendar_missing / scope_conflict
    level: Urgency
    due: dt.date | None
    title: str
    detail: str
    target_page: str  # batch / organisation / person / archive / calendar
    target_id: int | None
    days_left: int | None  # calendar days from today (negative: overdue)


class _Builder:
    def __init__(self, session: Session, today: dt.date) -> None:
        from app.services.calendar import load_calendar

        self.s, self.today = session, today
        self.cal: WorkdayCalendar = load_calendar(session)
        self.items: list[DashboardItem] = []
        self.missing_years: set[int] = set()

    def missing(self, exc: CalendarMissingError, what: str) -> None:
        if exc.year in self.missing_years:
            return
        self.missing_years.add(exc.year)
        self.items.append(
            DashboardItem("calendar_missing", "soon", None, f"缺少{exc.year}年法定节假日安排",
                          f"{what}等期限按工作日计算，无法确定。{exc.message}", "calendar", exc.year, None)
        )

    def level(self, due: dt.date) -> Urgency:
        if due < self.today:
            return "overdue"
        if (due - self.today).days > FAR_CALENDAR_DAYS:
            return "later"  # more than 3 working days away whatever the holidays
        try:
            left = self.cal.working_days_between(self.today, due)
        except CalendarMissingError as exc:
            self.missing(exc, "“即将到期”")
            left = (due - self.today).days  # calendar days until the year's calendar is entered
        return "soon" if left <= SOON_WORKING_DAYS else "later"

    def add(self, kind: str, due: dt.date, title: str, detail: str, page: str, target: int | None) -> None:
        self.items.append(
            DashboardItem(kind, self.level(due), due, title, detail, page, target, (due - self.today).days)
        )


def upcoming_deadlines(session: Session, today: dt.date) -> list[DashboardItem]:
    """Plan filing, publicity end, results filing, filing renewal, a filed scope the rule no
    longer allows, expiring examiner qualifications and archive retention ends, sorted
    overdue → soon → later, then by date (undated first)."""
    from app.rules.profiles import load_profile
    from app.services.organisation import get_organisation

    b = _Builder(session, today)
    org = get_organisation(session)
    if org is None:
        return []
    profile = load_profile(org.profile_name)
    batches = list(session.scalars(select(Batch).order_by(Batch.code)))
    for batch in batches:
        days = sorted(s.day for s in batch.sessions)
        name = f"批次「{batch.code}」{batch.name}"
        try:
            if batch.status == BatchStatus.DRAFT and days:
                d = plan_filing_deadline(profile, b.cal, days[0])
                b.add("plan_filing", d.date, f"{batch.code} 认定计划最迟报备日",
                      f"{name}：{d.label}（依据：{d.source}）", "batch", batch.id)
            elif batch.status == BatchStatus.PUBLICITY and batch.publicity_start:
                d = publicity_min_end(profile, b.cal, batch.publicity_start)
                b.add("publicity_end", d.date, f"{batch.code} 公示期满",
                      f"{name}：{d.label}（依据：{d.source}）。期满且无异议后方可结束公示并报备结果。", "batch", batch.id)
            if batch.status in (BatchStatus.SCORING, BatchStatus.PUBLICITY):
                publicity_end = batch.publicity_end
                if publicity_end is None and batch.publicity_start:
                    publicity_end = publicity_min_end(profile, b.cal, batch.publicity_start).date
                try:
                    d = results_filing_deadline(profile, b.cal, days[-1] if days else None, publicity_end)
                except CalendarMissingError:
                    raise
                except ValidationError:
                    d = None  # anchor date not known yet (e.g. publicity not started)
                if d is not None:
                    b.add("results_filing", d.date, f"{batch.code} 认定结果最迟报备日",
                          f"{name}：{d.label}（依据：{d.source}）", "batch", batch.id)
        except CalendarMissingError as exc:
            b.missing(exc, f"批次「{batch.code}」的报备")

    # the organisation's filing
    valid_until = org.filing_valid_until
    if valid_until is None and org.filed_on is not None:
        valid_until = filing_expiry(profile, org.filed_on).date
    if valid_until is not None:
        notice = renewal_notice_date(profile, valid_until)
        if valid_until < today:  # past the renewal date too: what matters now is the expiry
            b.add("filing_expiry", valid_until, "机构备案已过期",
                  f"备案有效期至 {valid_until.isoformat()}，已过期：请尽快向备案部门办理延续或重新备案，"
                  f"再在“机构与备案”中更新有效期（依据：{profile.filing_validity.source}）。",
                  "organisation", org.id)
        elif notice is not None:
            b.add("filing_renewal", notice.date, "机构备案延续申请最迟日",
                  f"备案有效期至 {valid_until.isoformat()}；{notice.label}（依据：{notice.source}）",
                  "organisation", org.id)
        else:
            b.add("filing_expiry", valid_until, "机构备案有效期届满",
                  f"备案有效期至 {valid_until.isoformat()}（依据：{profile.filing_validity.source}）",
                  "organisation", org.id)

    # the filed scope against the rule (data saved before the save paths refused it)
    from app.services.filed_scope import scope_conflicts
    from app.services.organisation import org_scope_key

    for problem in scope_conflicts(session, profile, org_scope_key(org)):
        b.items.append(
            DashboardItem("scope_conflict", "overdue", None, "备案范围不符合规定",
                          f"{problem}。请在“机构与备案 › 备案范围”中调整。", "organisation", org.id, None)
        )

    # examiner qualifications
    horizon = today + dt.timedelta(days=QUALIFICATION_WINDOW_DAYS)
    rows = session.execute(
        select(ExaminerQualification, Person.name, Occupation.name)
        .join(Person, ExaminerQualification.person_id == Person.id)
        .join(Occupation, ExaminerQualification.occupation_id == Occupation.id)
        .where(
            ExaminerQualification.valid_until.is_not(None),
            ExaminerQualification.valid_until <= horizon,
            ExaminerQualification.valid_until >= today - dt.timedelta(days=30),
        )
    )
    for q, person, occupation in rows:
        b.add("qualification_expiry", q.valid_until, f"考评员「{person}」资格到期",
              f"“{occupation}”考评员证书（{q.certificate_no or '未登记证书号'}）有效期至 {q.valid_until.isoformat()}："
              "到期后不能再安排其考评，请提醒其办理续期。", "person", q.person_id)

    # archive retention
    horizon = today + dt.timedelta(days=RETENTION_WINDOW_DAYS)
    for item in session.scalars(
        select(ArchiveItem).where(ArchiveItem.destroyed_on.is_(None), ArchiveItem.retention_end <= horizon)
    ):
        b.add("retention_end", item.retention_end, f"档案「{item.title}」保管期满",
              f"保管期至 {item.retention_end.isoformat()}：期满前不得销毁；期满后如需销毁，须列出清单并经审批。",
              "archive", item.id)

    return sorted(
        b.items,
        key=lambda i: (_ORDER[i.level], i.due is not None, i.due or dt.date.min, i.kind, i.target_id or 0),
    )
