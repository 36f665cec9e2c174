"""The shape of a telephone field (联系电话), one rule for the organisation and for people.

A landline or a mobile number, several separated by 、 , ; or /, with an extension after 转:
digits, + - ( ) / 、 , ; 转 and spaces only, and at least 7 digits (a local landline number).
"""

from __future__ import annotations

import re
from typing import Final

from app.errors import ValidationError

PHONE_CHARS: Final = re.compile(r"[0-9+\-()（）/、,，;；转 ]+")
MIN_DIGITS: Final = 7


def check_phone(value: str, *, label: str = "联系电话", field: str = "phone") -> str:
    """`value` unchanged if blank or shaped like a phone number; else a ValidationError in Chinese
    that names the field and the value and says what to write."""
    digits = [c for c in value if c.isdigit()]
    if value and (
        not PHONE_CHARS.fullmatch(value) or len(digits) < MIN_DIGITS or set(digits) == {"0"}
    ):
        raise ValidationError(
            f"{label}“{value}”格式不对：应为电话或手机号码，如 023-65012345 或 13812345678"
            "（多个号码可用、分隔）。",
            field=field,
        )
    return value
