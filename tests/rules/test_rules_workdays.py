"""The working-day calendar across the 2026 adjusted working days, and uncovered years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from chinese_calendar import constants
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.rules.workdays import CalendarMissingError, WorkdayCalendar, package_years

CAL = WorkdayCalendar()


def test_package_years_come_from_the_package_data() -> None:
    last = max(d.year for d in [*constants.holidays, *constants.workdays])
    assert package_years()[-1] == last
    assert last >= 2026
    assert CAL.covered_years() == list(package_years())


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Spring Festival 2026: 2-15..2-23 off; Saturdays 2-14 and 2-28 are working days
        (date(2026, 2, 13), True),
        (date(2026, 2, 14), True),
        (date(2026, 2, 15), False),
        (date(2026, 2, 16), False),
        (date(2026, 2, 23), False),
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),
        (date(2026, 3, 1), False),
        # Mid-autumn 9-25..9-27 and National Day 10-1..10-7; Sunday 9-20 and Saturday 10-10 work
        (date(2026, 9, 20), True),
        (date(2026, 9, 25), False),
        (date(2026, 9, 28), True),
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),
        (date(2026, 10, 11), False),
        (date(2026, 1, 4), True),  # New Year adjusted Sunday
        (date(2026, 5, 9), True),  # Labour Day adjusted Saturday
        (date(2026, 6, 19), False),  # Dragon Boat
    ],
)
def test_2026_working_days(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_holiday_names_in_chinese() -> None:
    assert CAL.holiday_name(date(2026, 10, 1)) == "国庆节"
    assert CAL.holiday_name(date(2026, 2, 14)) == "春节"
    assert CAL.holiday_name(date(2026, 3, 3)) is None


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        (date(2026, 2, 24), -1, date(2026, 2, 14)),
        (date(2026, 2, 24), -2, date(2026, 2, 13)),
        (date(2026, 10, 12), -10, date(2026, 9, 21)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 10, 9), 1, date(2026, 10, 10)),
        (date(2026, 10, 3), 0, date(2026, 10, 3)),
        (date(2025, 12, 31), 1, date(2026, 1, 4)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        (date(2026, 9, 30), date(2026, 10, 8), 1),  # a excluded, b included
        (date(2026, 9, 21), date(2026, 10, 12), 10),
        (date(2026, 10, 12), date(2026, 9, 21), -10),
        (date(2026, 10, 1), date(2026, 10, 7), 0),
        (date(2026, 10, 8), date(2026, 10, 8), 0),
        (date(2026, 2, 13), date(2026, 2, 28), 6),  # 14, 24, 25, 26, 27, 28
    ],
)
def test_working_days_between(a: date, b: date, count: int) -> None:
    assert CAL.working_days_between(a, b) == count


def test_unknown_year_raises_with_import_hint() -> None:
    with pytest.raises(CalendarMissingError) as info:
        CAL.is_working_day(date(2031, 5, 6))
    assert info.value.message.startswith("尚无2031年法定节假日安排，请在设置中导入")
    assert info.value.year == 2031
    assert isinstance(info.value, ValidationError)


def test_walking_into_an_uncovered_year_raises() -> None:
    last = package_years()[-1]
    with pytest.raises(CalendarMissingError, match=f"尚无{last + 1}年"):
        CAL.add_working_days(date(last, 12, 20), 15)
    with pytest.raises(CalendarMissingError, match=f"尚无{last + 1}年"):
        CAL.working_days_between(date(last, 12, 20), date(last + 1, 1, 10))


def test_overrides_cover_a_year_and_win_over_the_package() -> None:
    cal = WorkdayCalendar(
        {
            date(2031, 1, 1): ("休", "元旦"),
            date(2031, 1, 4): ("班", "元旦"),  # a Saturday made a working day
            date(2026, 10, 9): ("休", "临时调整"),
            date(2026, 10, 11): ("班", "临时调整"),
        }
    )
    assert 2031 in cal.covered_years() and 2030 not in cal.covered_years()
    assert cal.is_working_day(date(2031, 1, 1)) is False
    assert cal.is_working_day(date(2031, 1, 2)) is True  # ordinary Thursday
    assert cal.is_working_day(date(2031, 1, 4)) is True
    assert cal.is_working_day(date(2031, 1, 5)) is False  # ordinary Sunday
    assert cal.holiday_name(date(2031, 1, 1)) == "元旦"
    assert cal.is_working_day(date(2026, 10, 9)) is False
    assert cal.is_working_day(date(2026, 10, 11)) is True
    with pytest.raises(CalendarMissingError):
        cal.is_working_day(date(2030, 6, 3))


def test_override_kind_must_be_rest_or_work() -> None:
    with pytest.raises(ValidationError, match="应为“休”（放假）或“班”"):
        WorkdayCalendar({date(2031, 1, 1): ("假", "元旦")})


@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 10, 31)),
    st.integers(min_value=-40, max_value=40),
)
def test_add_and_between_agree(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, end) == n
    if n:
        assert CAL.is_working_day(end)
        assert (end > start) == (n > 0)


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 30)))
def test_weekday_rule_holds_on_unlisted_days(day: date) -> None:
    if day not in constants.holidays and day not in constants.workdays:
        assert CAL.is_working_day(day) is (day.weekday() < 5)
    assert CAL.working_days_between(day, day) == 0
    step = 1 if CAL.is_working_day(day + timedelta(days=1)) else 0
    assert CAL.working_days_between(day, day + timedelta(days=1)) == step
