"""Dates typed into a line edit (年-月-日): the edit, and reading it with a message naming the field."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit

from app.errors import ValidationError


def parse_date(text: str, label: str, field: str, example: str = "2027-12-31") -> dt.date | None:
    """An optional date typed as 年-月-日 (also 2027/12/31 or 2027.12.31); empty = None."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValidationError(
            f"{label}“{text}”格式不对：请按 年-月-日 填写，如 {example}。", field=field
        ) from None


def optional_date_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(10)
    edit.setMinimumWidth(96)
    return edit
