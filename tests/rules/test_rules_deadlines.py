"""Deadlines with the official 2026 calendar."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import ValidationError
from app.rules.deadlines import (
    add_years,
    filing_expiry,
    plan_filing_deadline,
    publicity_min_end,
    renewal_notice_date,
    results_filing_deadline,
    retention_end,
)
from app.rules.profiles import load_profile
from app.rules.workdays import CalendarMissingError, WorkdayCalendar

CAL = WorkdayCalendar()


@pytest.mark.parametrize(
    ("profile", "first_session", "due"),
    [
        # 10 working days back across National Day and the adjusted Saturday 2026-10-10
        ("chongqing", date(2026, 10, 12), date(2026, 9, 21)),
        ("anhui", date(2026, 10, 12), date(2026, 9, 21)),
        ("guizhou", date(2026, 10, 12), date(2026, 9, 24)),
        ("shandong", date(2026, 10, 12), date(2026, 9, 29)),
        # across the Spring Festival: 2-24 back over 2-14 (adjusted Saturday)
        ("shandong", date(2026, 2, 25), date(2026, 2, 11)),
    ],
)
def test_plan_filing_deadline(profile: str, first_session: date, due: date) -> None:
    p = load_profile(profile)
    deadline = plan_filing_deadline(p, CAL, first_session)
    assert deadline.date == due
    assert deadline.kind == "plan_filing"
    assert deadline.source == p.plan_filing.source
    assert f"前{p.plan_filing.working_days}个工作日" in deadline.label


@pytest.mark.parametrize(
    ("profile", "start", "end"),
    [
        ("chongqing", date(2026, 9, 28), date(2026, 10, 9)),  # 9-28, 29, 30, 10-8, 10-9
        ("shandong", date(2026, 9, 28), date(2026, 10, 9)),
        ("chongqing", date(2026, 10, 3), date(2026, 10, 13)),  # starts on a holiday: 10-8 is day 1
        ("chongqing", date(2026, 10, 10), date(2026, 10, 15)),  # adjusted Saturday counts
        ("anhui", date(2026, 9, 28), date(2026, 10, 4)),  # 7 calendar days
        ("anhui", date(2026, 2, 14), date(2026, 2, 20)),
        ("guizhou", date(2026, 2, 13), date(2026, 2, 26)),  # 2-13, 2-14, 2-24, 2-25, 2-26
    ],
)
def test_publicity_min_end(profile: str, start: date, end: date) -> None:
    deadline = publicity_min_end(load_profile(profile), CAL, start)
    assert deadline.date == end
    assert deadline.kind == "publicity_min_end"


def test_publicity_label_and_source() -> None:
    deadline = publicity_min_end(load_profile("anhui"), CAL, date(2026, 9, 28))
    assert "不少于7天" in deadline.label and deadline.source.startswith("003 五(三)")


def test_results_filing_deadline() -> None:
    gz = results_filing_deadline(load_profile("guizhou"), CAL, assessment_end=date(2026, 9, 30))
    assert gz is not None and gz.date == date(2026, 10, 20)
    assert gz.source.startswith("001 五(四)")
    ah = results_filing_deadline(load_profile("anhui"), CAL, publicity_end=date(2026, 10, 4))
    assert ah is not None and ah.date == date(2026, 10, 20)
    ah2 = results_filing_deadline(load_profile("anhui"), CAL, publicity_end=date(2026, 2, 13))
    assert ah2 is not None and ah2.date == date(2026, 3, 5)  # 14, 24-27, 28, 3-2..3-5
    assert results_filing_deadline(load_profile("chongqing"), CAL, date(2026, 9, 30)) is None
    assert results_filing_deadline(load_profile("shandong"), CAL, date(2026, 9, 30)) is None


def test_results_filing_needs_its_anchor() -> None:
    with pytest.raises(ValidationError, match="请先填写考核结束日"):
        results_filing_deadline(load_profile("guizhou"), CAL, publicity_end=date(2026, 9, 30))
    with pytest.raises(ValidationError, match="请先填写公示结束日"):
        results_filing_deadline(load_profile("anhui"), CAL, assessment_end=date(2026, 9, 30))


def test_deadline_in_uncovered_year_raises() -> None:
    with pytest.raises(CalendarMissingError, match="尚无2031年"):
        plan_filing_deadline(load_profile("chongqing"), CAL, date(2031, 3, 10))


def test_filing_expiry_and_renewal() -> None:
    cq = load_profile("chongqing")
    expiry = filing_expiry(cq, date(2021, 1, 10))
    assert expiry.date == date(2024, 1, 9)
    renewal = renewal_notice_date(cq, expiry.date)
    assert renewal is not None and renewal.date == date(2023, 12, 10)
    assert "30日前" in renewal.label and "004 第十四条" in renewal.source
    assert renewal_notice_date(load_profile("anhui"), expiry.date) is None
    assert filing_expiry(cq, date(2024, 2, 29)).date == date(2027, 2, 27)
    assert "自动延续" in filing_expiry(load_profile("guizhou"), date(2021, 1, 10)).label


@pytest.mark.parametrize(
    ("kind", "closed", "end"),
    [
        ("paper", date(2026, 3, 1), date(2029, 3, 1)),
        ("electronic", date(2026, 3, 1), date(2031, 3, 1)),
        ("paper", date(2024, 2, 29), date(2027, 2, 28)),
        ("electronic", date(2024, 2, 29), date(2029, 2, 28)),
    ],
)
def test_retention_end(kind: str, closed: date, end: date) -> None:
    deadline = retention_end(load_profile("chongqing"), kind, closed)  # type: ignore[arg-type]
    assert deadline.date == end
    assert deadline.source == "000 三(二)；004 第十九条"


def test_retention_kind_checked_and_add_years() -> None:
    with pytest.raises(ValidationError, match="档案类别“video”无效"):
        retention_end(load_profile("chongqing"), "video", date(2026, 1, 1))  # type: ignore[arg-type]
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)
