"""The dashboard's deadline list (待办与期限): every date the site must not miss, most urgent first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import (
    ArchiveItem,
    Batch,
    Organisation,
)
from app.models.enums import BatchStatus
from app.rules.deadlines import (
    add_years,
    filing_expiry,
    plan_filing_deadline,
    publicity_min_end,
    renewal_notice_date,
    results_filing_deadline,
)
from app.rules.profile_model import Profile
from app.rules.workdays import CalendarMissingError, WorkdayCalendar
from app.services.roster_queries import RosterWarning, roster_warnings

Urgency = Literal["overdue", "soon", "later"]
_ORDER = {"overdue": 0, "soon": 1, "later": 2}
SOON_WORKING_DAYS = 3  # the generic lead; the filing's own comes from the profile
FAR_CALENDAR_DAYS = 20  # longer than any statutory break plus 3 working days
RETENTION_WINDOW_DAYS = 90
QUALIFICATION_LINES_MAX = 5  # more examiners than this in one state: one line for them all
QUALIFICATION_NAMES_SHOWN = 10  # names listed in such a line before “等”


@dataclass(frozen=True)
class DashboardItem:
    kind: str  # plan_filing / publicity_end / results_filing / filing_renewal / filing_expiry /
    #            filing_auto_renewed / qualification_expiry / qualification_missing / retention_end /
    #            calendar_missing / scope_conflict / filing_unknown
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
        self.items.append(self.item(kind, due, title, detail, page, target))

    def item(
        self, kind: str, due: dt.date, title: str, detail: str, page: str, target: int | None,
        level: Urgency | None = None,
    ) -> DashboardItem:
        return DashboardItem(kind, level or self.level(due), due, title, detail, page, target,
                             (due - self.today).days)


def upcoming_deadlines(session: Session, today: dt.date) -> list[DashboardItem]:
    """Plan filing, publicity end, results filing, filing renewal (or its dates not registered),
    a filed scope the rule no longer allows, current examiners' expired, expiring or missing qualifications and archive
    retention ends, sorted overdue → soon → later, then by date (undated first; among those the
    organisation's own problems before a person's)."""
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

    # the organisation's filing (the 机构与备案 page and `org show` say the same: filing_validity)
    item = _filing_validity(b, org, profile).item
    if item is not None:
        b.items.append(item)

    # the filed scope against the rule (data saved before the save paths refused it)
    from app.services.filed_scope import scope_conflicts
    from app.services.organisation import org_scope_key

    for problem in scope_conflicts(session, profile, org_scope_key(org)):
        b.items.append(
            DashboardItem("scope_conflict", "overdue", None, "备案范围不符合规定",
                          f"{problem}。请在“机构与备案 › 备案范围”中调整。", "organisation", org.id, None)
        )

    # examiner qualifications: the People page's warnings, one line per examiner
    b.items.extend(_qualification_items(b))

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
        key=lambda i: (
            _ORDER[i.level], i.due is not None, i.due or dt.date.min, i.target_page == "person",
            i.kind, i.target_id or 0,
        ),
    )


# --- examiner qualifications ---------------------------------------------------------------------

_QUALIFICATION_KINDS = ("qualification_expired", "qualification_expiring", "no_qualification")


def _qualification_warnings(
    session: Session, today: dt.date
) -> dict[str, dict[int, list[RosterWarning]]]:
    """The People page's qualification warnings (roster_warnings: current examiners only, expired
    however long ago, expiring within its window), by state, then by person in their order."""
    states: dict[str, dict[int, list[RosterWarning]]] = {k: {} for k in _QUALIFICATION_KINDS}
    for w in roster_warnings(session, today):
        if w.kind in states:  # (agreements: the People page's alone)
            states[w.kind].setdefault(w.person_id, []).append(w)
    return states


_RENEW = "到期后不能再安排其考评，请提醒其办理续期并在人员信息中更新有效期。"
_UNQUALIFIED = "不能安排其考评：请在人员信息中登记其考评员证书，或移除其考评员角色。"


def _qualification_line(b: _Builder, kind: str, ws: list[RosterWarning]) -> DashboardItem:
    """One examiner's line for one state: the People page's messages, dated by the earliest."""
    pid, name, message = ws[0].person_id, ws[0].name, "".join(w.message for w in ws)
    if kind == "no_qualification":
        return DashboardItem("qualification_missing", "overdue", None,
                             f"考评员「{name}」未登记考评资格", message + _UNQUALIFIED,
                             "person", pid, None)
    due = min(w.due for w in ws if w.due is not None)
    state = "已过期" if kind == "qualification_expired" else "即将到期"
    return b.item("qualification_expiry", due, f"考评员「{name}」资格{state}", message + _RENEW,
                  "person", pid)


def _qualification_summary(
    b: _Builder, kind: str, people: list[list[RosterWarning]], lines: list[DashboardItem]
) -> DashboardItem:
    """The one line for more than QUALIFICATION_LINES_MAX examiners in one state."""
    shown = [
        ws[0].name + (f"（{line.due.isoformat()}）" if line.due else "")
        for ws, line in zip(people[:QUALIFICATION_NAMES_SHOWN], lines, strict=False)
    ]
    n = len(people)
    names = "、".join(shown) + (f"等 {n} 人" if n > len(shown) else "")
    where = "详见“人员”页的人员提醒。"
    if kind == "no_qualification":
        return DashboardItem("qualification_missing", "overdue", None,
                             f"{n} 名考评员未登记考评资格",
                             f"{names}是考评员，但没有登记考评资格，{_UNQUALIFIED}{where}",
                             "person", None, None)
    if kind == "qualification_expired":
        return DashboardItem("qualification_expiry", "overdue", None, f"{n} 名考评员资格已过期",
                             f"{names}的考评资格已过期（括号内为过期日）：{_RENEW}{where}",
                             "person", None, None)
    first = min(line.due for line in lines if line.due is not None)
    return b.item("qualification_expiry", first, f"{n} 名考评员资格即将到期",
                  f"{names}的考评资格即将到期（括号内为到期日）：{_RENEW}{where}", "person", None)


def _qualification_items(b: _Builder) -> list[DashboardItem]:
    """One line per examiner and state (已过期 / 即将到期 / 未登记); more than
    QUALIFICATION_LINES_MAX examiners in one state share one line naming them, so a roster entered
    without its certificates does not bury the batch deadlines."""
    items: list[DashboardItem] = []
    for kind, by_person in _qualification_warnings(b.s, b.today).items():
        people = list(by_person.values())
        lines = [_qualification_line(b, kind, ws) for ws in people]
        if len(lines) > QUALIFICATION_LINES_MAX:
            lines = [_qualification_summary(b, kind, people, lines)]
        items.extend(lines)
    return items


# --- the organisation's filing validity ---------------------------------------------------------


@dataclass(frozen=True)
class FilingValidity:
    """The filing validity as the dashboard, the 机构与备案 page and `org show` all state it."""

    status: str  # valid / renew_soon / expired / auto_renewed / unknown
    urgency: Urgency | None  # the dashboard item's level (None: no item)
    text: str  # the sentence on the page and in `org show`
    valid_until: dt.date | None  # as registered, else estimated from 备案日期 (``estimated``)
    estimated: bool
    renewal_deadline: dt.date | None  # latest day to apply for renewal (profiles that set one)
    item: DashboardItem | None  # the dashboard's line


def filing_validity(
    session: Session, org: Organisation, profile: Profile, today: dt.date
) -> FilingValidity:
    """The organisation's filing validity on ``today``: one computation for the dashboard and the
    page. Reminders start when the dashboard's item turns “soon”: the profile's
    ``renewal_reminder_days`` before the renewal deadline, or before the expiry where the profile
    sets no renewal notice (a renewal is an application prepared weeks ahead, not a few days)."""
    return _filing_validity(_Builder(session, today), org, profile)


def _reminder_level(b: _Builder, profile: Profile, due: dt.date) -> Urgency:
    """“soon” from the profile's reminder lead before ``due`` (the last day to act) on; before
    that, or with no lead set, the generic level."""
    lead = profile.filing_validity.renewal_reminder_days
    if lead is not None and 0 <= (due - b.today).days <= lead:
        return "soon"
    return b.level(due)


def _left(days: int) -> str:
    return f"还有 {days} 天" if days > 0 else "今天" if days == 0 else f"已过 {-days} 天"


def _auto_continued(profile: Profile, valid_until: dt.date, today: dt.date) -> dt.date:
    """The end of the period an automatic continuation (Guizhou, 001 五(二)) has reached by today."""
    years = profile.filing_validity.years
    end = valid_until
    while end < today:
        end = add_years(end + dt.timedelta(days=1), years) - dt.timedelta(days=1)
    return end


def _filing_unknown_item(org: Organisation, profile: Profile) -> DashboardItem:
    """Neither 备案日期 nor 备案有效期至 registered: nothing can warn of the expiry, so the
    dashboard says so ("soon", amber, as for a missing holiday table: a date that cannot be
    worked out, not one known to be past)."""
    return DashboardItem(
        "filing_unknown", "soon", None, "机构备案有效期未登记",
        "未登记备案日期和备案有效期至，无法提醒备案到期和延续：请在“机构与备案”中按备案回执"
        f"填写（按{profile.display_name}规则，备案有效期 {profile.filing_validity.years} 年）。",
        "organisation", org.id, None,
    )


def _filing_validity(b: _Builder, org: Organisation, profile: Profile) -> FilingValidity:
    rule, today = profile.filing_validity, b.today
    src = f"（依据：{rule.source}）"
    valid_until, estimate = org.filing_valid_until, ""
    if valid_until is None and org.filed_on is not None:
        # The seeds fix the period from the filing date (3 years: 004 第十四条, 001 五(二),
        # 003 三(三); 000 二(三) 不超过3年), so a blank end date still has a latest possible end.
        valid_until = filing_expiry(profile, org.filed_on).date
        estimate = (
            f"未登记备案有效期至，按备案日期 {org.filed_on.isoformat()} 起 {rule.years} 年推算为 "
            f"{valid_until.isoformat()}（请按备案回执填写“备案有效期至”）；"
        )
    if valid_until is None:
        item = _filing_unknown_item(org, profile)
        return FilingValidity(
            "unknown", item.level,
            f"未登记备案日期和备案有效期至（{profile.display_name}：有效期 {rule.years} 年）："
            "请按备案回执填写。",
            None, False, None, item,
        )
    until, days = valid_until.isoformat(), (valid_until - today).days
    status: str
    notice = None if rule.auto_renew else renewal_notice_date(profile, valid_until)
    if rule.auto_renew and days >= 0:
        status = "valid"
        text = (
            f"备案有效至 {until}（{_left(days)}届满）；{profile.display_name}规定有效期满如无终止备案的"
            f"自动延续，无需申请延续{src}"
        )
        item = b.item("filing_expiry", valid_until, "机构备案有效期届满（自动延续）",
                      f"{estimate}备案有效期至 {until}：期满如无终止备案的自动延续，无需申请{src}。",
                      "organisation", org.id, level="later")  # nothing for the site to do
    elif rule.auto_renew:
        status = "auto_renewed"
        continued = _auto_continued(profile, valid_until, today)
        text = (
            f"备案有效期已于 {until} 届满，按{profile.display_name}规定自动延续{src}，"
            f"推算延续至 {continued.isoformat()}：未被终止备案的可继续开展认定。"
            "请按最新备案信息更新“备案有效期至”。"
        )
        item = b.item("filing_auto_renewed", continued, "机构备案已自动延续",
                      f"{estimate}备案有效期至 {until} 已届满，按{profile.display_name}规定自动延续"
                      f"{src}，推算延续至 {continued.isoformat()}。"
                      "请在“机构与备案”中按最新备案信息更新有效期。",
                      "organisation", org.id, level="later")
    elif days < 0:  # past the renewal date too: what matters now is the expiry
        status = "expired"
        text = (
            f"备案已于 {until} 到期（已过 {-days} 天）：到期后不得开展认定，请尽快向备案部门办理延续"
            f"或重新备案，再更新“备案有效期至”{src}"
        )
        item = b.item("filing_expiry", valid_until, "机构备案已过期",
                      f"{estimate}备案有效期至 {until}，已过期：请尽快向备案部门办理延续或重新备案，"
                      f"再在“机构与备案”中更新有效期{src}。",
                      "organisation", org.id)
    else:
        ends = f"备案今天（{until}）到期" if days == 0 else f"备案将于 {until} 到期（还有 {days} 天）"
        if notice is not None:
            due, n = notice.date, rule.renewal_notice_days
            if due < today:  # the deadline is behind: the expiry ahead is what to say (and red)
                item = b.item("filing_expiry", valid_until, "机构备案即将到期，延续申请最迟日已过",
                              f"{estimate}{ends}；{notice.label}已过：如尚未申请延续，请立即联系备案部门"
                              + src, "organisation", org.id, level="overdue")
            else:
                item = b.item("filing_renewal", due, "机构备案延续申请最迟日",
                              f"{estimate}备案有效期至 {until}；{notice.label}{src}",
                              "organisation", org.id, level=_reminder_level(b, profile, due))
            if due < today:
                status = "renew_soon"
                text = (
                    f"{ends}，而延续备案应在有效期届满 {n} 日前申请，最迟日 {due.isoformat()} 已过"
                    f"（已过 {(today - due).days} 天）：如尚未申请延续，请立即联系备案部门{src}"
                )
            elif item.level == "soon":
                status = "renew_soon"
                last = "今天是最后一天" if due == today else _left((due - today).days)
                text = (
                    f"{ends}：应在有效期届满 {n} 日前申请延续，最迟 {due.isoformat()}（{last}），"
                    f"请及早准备材料，向备案部门申请{src}"
                )
            else:
                status = "valid"
                text = (
                    f"备案有效至 {until}（还有 {days} 天）；如需延续，应在有效期届满 {n} 日前、"
                    f"最迟 {due.isoformat()}（{_left((due - today).days)}）申请{src}"
                )
        else:
            item = b.item("filing_expiry", valid_until, "机构备案有效期届满",
                          f"{estimate}备案有效期至 {until}"
                          + ("（今天到期）" if days == 0 else "") + src,
                          "organisation", org.id, level=_reminder_level(b, profile, valid_until))
            if item.level == "soon":
                status = "renew_soon"
                text = f"{ends}：请及时向备案部门办理延续{src}"
            else:
                status, text = "valid", f"备案有效至 {until}（还有 {days} 天）"
    return FilingValidity(
        status, item.level, estimate + text, valid_until, bool(estimate),
        notice.date if notice else None, item,
    )
