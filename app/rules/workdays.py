"""Chinese statutory working-day calendar.

Built on the ``chinese_calendar`` package for the years its data covers (the first and
last year are read from the package's own holiday/workday tables, never hard-coded),
overridden by staff-maintained entries ``{date: ("休" | "班", holiday name)}``.

Coverage: a year is covered when the package covers it, or when the overrides contain
at least one entry in that year (staff import a whole year's official notice at once;
days not listed follow the ordinary Monday–Friday rule). Asking about a date in any other
year raises CalendarMissingError — the calendar never guesses silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

from chinese_calendar import constants as _cc

from app.errors import ValidationError

REST: Final = "休"
WORK: Final = "班"
KINDS: Final = (REST, WORK)
_ONE_DAY: Final = timedelta(days=1)


class CalendarMissingError(ValidationError):
    """A date falls in a year with no statutory holiday arrangement loaded."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"尚无{year}年法定节假日安排，请在设置中导入"
            f"（国务院办公厅每年年底发布次年安排；导入含“日期、类型（休/班）、名称”三列的CSV或Excel文件）。",
            field="calendar",
        )
        self.year = year


def package_years() -> range:
    """The years the installed chinese_calendar data covers (from its own tables)."""
    years = {d.year for d in _cc.holidays} | {d.year for d in _cc.workdays}
    return range(min(years), max(years) + 1)


class WorkdayCalendar:
    """Working days: Monday–Friday, minus statutory holidays, plus adjusted working weekends."""

    def __init__(self, overrides: Mapping[date, tuple[str, str]] | None = None) -> None:
        checked: dict[date, tuple[str, str]] = {}
        for day, entry in (overrides or {}).items():
            kind, name = entry
            if kind not in KINDS:
                raise ValidationError(
                    f"{day.isoformat()}的类型“{kind}”无效：应为“休”（放假）或“班”（调休上班）。",
                    field="calendar",
                )
            checked[day] = (kind, name)
        self._overrides: Mapping[date, tuple[str, str]] = MappingProxyType(checked)
        self._package = package_years()
        self._covered = frozenset(self._package) | {d.year for d in checked}

    @property
    def overrides(self) -> Mapping[date, tuple[str, str]]:
        return self._overrides

    def covered_years(self) -> list[int]:
        """Sorted years for which working days can be computed."""
        return sorted(self._covered)

    def covers(self, year: int) -> bool:
        return year in self._covered

    def _require(self, day: date) -> None:
        if day.year not in self._covered:
            raise CalendarMissingError(day.year)

    def is_working_day(self, day: date) -> bool:
        self._require(day)
        entry = self._overrides.get(day)
        if entry is not None:
            return entry[0] == WORK
        if day.year in self._package:
            if day in _cc.workdays:
                return True
            if day in _cc.holidays:
                return False
        return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        """The holiday or adjustment name of ``day`` if it is a listed day, else None."""
        self._require(day)
        entry = self._overrides.get(day)
        if entry is not None:
            return entry[1] or None
        if day.year in self._package:
            english = _cc.holidays.get(day) or _cc.workdays.get(day)
            if english:
                try:
                    return str(_cc.Holiday(english).chinese)
                except ValueError:
                    return str(english)
        return None

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself not counted); n < 0 counts
        backwards (the |n|-th working day before ``start``); n == 0 returns ``start``."""
        self._require(start)
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        day, remaining = start, abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Signed count of working days from ``a`` to ``b``: ``a`` excluded, ``b`` included.

        Forward (b > a): working days in (a, b]. Backward (b < a): minus the working days in
        [b, a). 0 when a == b. So ``add_working_days(a, n) == b`` implies
        ``working_days_between(a, b) == n`` in both directions.
        """
        self._require(a)
        self._require(b)
        if b < a:
            low, high, sign = b - _ONE_DAY, a - _ONE_DAY, -1
        else:
            low, high, sign = a, b, 1
        count, day = 0, low
        while day < high:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return sign * count
