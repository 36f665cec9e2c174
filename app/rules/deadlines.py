"""Deadlines a batch and an organisation must meet, computed from the profile's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

from app.errors import ValidationError
from app.rules.profile_model import Profile
from app.rules.workdays import WorkdayCalendar

DeadlineKind = Literal[
    "plan_filing",
    "publicity_min_end",
    "results_filing",
    "filing_expiry",
    "renewal_notice",
    "retention_end",
]
RetentionKind = Literal["paper", "electronic"]
_RETENTION_LABELS: Final = {"paper": "纸质材料", "electronic": "电子材料"}


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    date: date
    label: str
    source: str


def add_years(day: date, years: int) -> date:
    """Same month and day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def plan_filing_deadline(profile: Profile, cal: WorkdayCalendar, first_session: date) -> Deadline:
    """Latest filing date: the N-th working day before the first session (N from the profile)."""
    rule = profile.plan_filing
    due = cal.add_working_days(first_session, -rule.working_days)
    return Deadline(
        "plan_filing",
        due,
        f"认定计划最迟报备日（首场{first_session.isoformat()}前{rule.working_days}个工作日）",
        rule.source,
    )


def publicity_min_end(profile: Profile, cal: WorkdayCalendar, start: date) -> Deadline:
    """Earliest day the publicity may end: the day its minimum period is complete, the start
    day counted as day 1. In working-day mode a start on a rest day is not counted: counting
    begins with the next working day. In calendar-day mode every day counts."""
    rule = profile.publicity
    if rule.unit == "calendar":
        end = start + timedelta(days=rule.days - 1)
    elif cal.is_working_day(start):
        end = cal.add_working_days(start, rule.days - 1)
    else:
        end = cal.add_working_days(start, rule.days)
    return Deadline(
        "publicity_min_end",
        end,
        f"公示最早结束日（自{start.isoformat()}起不少于{rule.days}{rule.unit_label}）",
        rule.source,
    )


def results_filing_deadline(
    profile: Profile,
    cal: WorkdayCalendar,
    assessment_end: date | None = None,
    publicity_end: date | None = None,
) -> Deadline | None:
    """Results due N working days after the profile's anchor; None when the profile sets no deadline."""
    rule = profile.results_filing
    if rule.anchor is None or rule.working_days is None:
        return None
    if rule.anchor == "assessment_end":
        anchor, what = assessment_end, "考核结束日"
    else:
        anchor, what = publicity_end, "公示结束日"
    if anchor is None:
        raise ValidationError(
            f"{profile.display_name}的结果报备期限从{what}起算，请先填写{what}。",
            field=rule.anchor,
        )
    due = cal.add_working_days(anchor, rule.working_days)
    return Deadline(
        "results_filing",
        due,
        f"认定结果最迟报备日（{what}{anchor.isoformat()}后{rule.working_days}个工作日内）",
        rule.source,
    )


def filing_expiry(profile: Profile, filed_on: date) -> Deadline:
    """Last day the organisation's filing is valid: the day before the N-th anniversary of filing."""
    rule = profile.filing_validity
    last = add_years(filed_on, rule.years) - timedelta(days=1)
    auto = "，期满无终止备案的自动延续" if rule.auto_renew else ""
    return Deadline(
        "filing_expiry", last, f"机构备案有效期至（备案之日起{rule.years}年{auto}）", rule.source
    )


def renewal_notice_date(profile: Profile, expires_on: date) -> Deadline | None:
    """Latest day to apply for renewal (``renewal_notice_days`` before the last valid day);
    None when the profile sets no renewal notice."""
    rule = profile.filing_validity
    if rule.renewal_notice_days is None:
        return None
    due = expires_on - timedelta(days=rule.renewal_notice_days)
    return Deadline(
        "renewal_notice",
        due,
        f"延续备案最迟申请日（有效期届满{rule.renewal_notice_days}日前）",
        rule.source,
    )


def retention_end(profile: Profile, kind: RetentionKind, closed_on: date) -> Deadline:
    """The day the retention period ends (``closed_on`` + N years). Materials must be kept
    through this day; destruction may be approved only after it."""
    rule = profile.retention
    if kind == "paper":
        years = rule.paper_years
    elif kind == "electronic":
        years = rule.electronic_years
    else:
        raise ValidationError(
            f"档案类别“{kind}”无效：应为paper（纸质）或electronic（电子）。", field="kind"
        )
    end = add_years(closed_on, years)
    return Deadline(
        "retention_end",
        end,
        f"{_RETENTION_LABELS[kind]}保管期满日（归档{closed_on.isoformat()}起不少于{years}年）",
        rule.source,
    )
