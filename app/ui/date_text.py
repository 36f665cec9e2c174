"""Dates typed into a line edit (年-月-日): the edit, and reading it with a message naming the field."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Final

from PySide6.QtWidgets import QLineEdit

from app.errors import ValidationError
from app.rules._text import to_halfwidth

# Year, month, day in that order: 2027-2-3, 2027/02/03, 2027.2.3 (one separator used twice),
# 2027年2月3日 (日 or 号 may be left off) and 20270203. Full-width digits and separators are
# read as half-width first. ISO week dates (2027W053, 2024-W12-1), which date.fromisoformat
# accepts, are not dates anyone types here and are refused.
_FORMS: Final = (
    re.compile(r"([0-9]{4})\s*([-/.])\s*([0-9]{1,2})\s*\2\s*([0-9]{1,2})"),
    re.compile(r"([0-9]{4})\s*(年)\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?"),
    re.compile(r"([0-9]{4})()([0-9]{2})([0-9]{2})"),
)
MAX_LENGTH: Final = 20  # room for 2027 年 12 月 31 日 with spaces


def _numbers(text: str) -> tuple[int, int, int] | None:
    folded = to_halfwidth(text).strip()
    for form in _FORMS:
        m = form.fullmatch(folded)
        if m:
            return int(m.group(1)), int(m.group(3)), int(m.group(4))
    return None


def _why_not_a_date(year: int, month: int, day: int) -> str:
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return f"没有 {year} 年"
    if not 1 <= month <= 12:
        return f"月份应为 1–12，不是 {month}"
    days = calendar.monthrange(year, month)[1]
    return f"{year}年{month}月只有 {days} 天，没有 {day} 日"


def parse_date(text: str, label: str, field: str, example: str = "2027-12-31") -> dt.date | None:
    """An optional date typed as 年-月-日 (also 2027/12/31, 2027.12.31, 2027年12月31日, 20271231,
    full-width characters allowed); empty = None. ValidationError (with `field`) otherwise: a
    text in no such form is 格式不对, a date that does not exist (2027-02-30) says so."""
    text = text.strip()
    if not text:
        return None
    numbers = _numbers(text)
    if numbers is None:
        y, m, d = _numbers(example) or (2027, 12, 31)
        raise ValidationError(
            f"{label}“{text}”格式不对：请按 年-月-日 填写，如 {example}"
            f"（也可写作 {y}/{m}/{d} 或 {y}年{m}月{d}日）。",
            field=field,
        )
    try:
        return dt.date(*numbers)
    except ValueError:
        raise ValidationError(
            f"{label}“{text}”不是实际存在的日期（{_why_not_a_date(*numbers)}）：请检查后重新填写。",
            field=field,
        ) from None


def _tidy(edit: QLineEdit) -> None:
    """A date typed in another accepted form (2027年2月3日, full-width…) is shown as 2027-02-03
    once typed: it fits the narrow table columns. Anything else is left for parse_date."""
    numbers = _numbers(edit.text())
    if numbers is not None:
        try:
            shown = dt.date(*numbers).isoformat()
        except ValueError:
            return
        if shown != edit.text():
            edit.setText(shown)


def optional_date_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(MAX_LENGTH)
    edit.setMinimumWidth(96)
    edit.editingFinished.connect(lambda: _tidy(edit))
    return edit
