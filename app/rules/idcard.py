"""Identity-document numbers: normalise, validate (GB 11643 for 201/237/238), mask.

Numbers are personal data: error messages name positions and characters, never the
whole number, so a message can be shown or recorded without leaking it.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Final

from app.errors import ValidationError
from app.rules._text import compact_upper, show_char
from app.rules.id_types import (
    FOREIGN_PERMANENT_RESIDENCE,
    FORMATS,
    GB11643_TYPES,
    HK_MACAO_RESIDENCE_PERMIT,
    ID_TYPES,
    RESIDENT_ID,
    TAIWAN_RESIDENCE_PERMIT,
    id_type_list_text,
)
from app.rules.regions import (
    HK_MACAO_PERMIT_PREFIXES,
    MAINLAND_ID_PREFIXES,
    TAIWAN_PERMIT_PREFIXES,
)

_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS: Final = "10X98765432"
_ZERO_OFFSET: Final = ord("0") * sum(_WEIGHTS)  # the weighted sum of seventeen "0" codes
_EXCEL_MAX_DIGITS: Final = 15  # Excel keeps 15 significant digits in a number cell
_EARLIEST_BIRTH: Final = date(1900, 1, 1)
_FIELD: Final = "id_number"

_TEXT_FORMAT_HINT: Final = (
    "请在Excel中将该列设置单元格格式为“文本”，再重新录入完整号码（不要粘贴数值）。"
)


@dataclass(frozen=True)
class IdInfo:
    id_type: str
    number: str  # normalised: half-width, no spaces, upper-case X
    birth_date: date | None
    gender: str | None  # "男" / "女"
    converted_from_15: bool = False
    warnings: tuple[str, ...] = ()


def normalize_id(raw: str) -> str:
    """Trim, drop inner spaces, full-width to half-width, upper case (x → X)."""
    return compact_upper(raw)


def gb11643_check_char(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character for 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("first17 must be exactly 17 ASCII digits")
    # over the ASCII codes (bytes iterate as ints, in C): each digit is its code minus 48
    total = sum(map(operator.mul, first17.encode(), _WEIGHTS)) - _ZERO_OFFSET
    return _CHECK_CHARS[total % 11]


def _parse_ymd(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def birth_date_from_id(number: str) -> date | None:
    """Birth date embedded in an 18- or 15-digit resident ID number; None if there is none."""
    n = normalize_id(number)
    if len(n) == 18 and n[:17].isdigit():
        return _parse_ymd(n[6:14])
    if len(n) == 15 and n.isdigit():
        return _parse_ymd("19" + n[6:12])
    return None


def gender_from_id(number: str) -> str | None:
    """Gender "男" (odd) / "女" (even) from the sequence digit of an 18- or 15-digit ID number."""
    n = normalize_id(number)
    if len(n) == 18 and n[:17].isdigit():
        digit = n[16]
    elif len(n) == 15 and n.isdigit():
        digit = n[14]
    else:
        return None
    return "男" if int(digit) % 2 else "女"


def mask_id(number: str) -> str:
    """Masked for display: 18 chars keep the first 6 and last 2; others show at most 40%."""
    n = normalize_id(number)
    if len(n) == 18:
        return n[:6] + "*" * 10 + n[-2:]
    keep = len(n) * 2 // 5
    tail = keep // 3
    head = keep - tail
    return n[:head] + "*" * (len(n) - keep) + (n[len(n) - tail :] if tail else "")


def value_kind(value: object) -> str:
    """What a cell or field holds, in the user's words (never a Python type name): for a message
    about a value of the wrong kind."""
    if value is None:
        return "空白"
    if isinstance(value, bool):
        return "逻辑值 TRUE/FALSE"
    if isinstance(value, datetime):
        return "日期时间"
    if isinstance(value, date):
        return "日期"
    if isinstance(value, time | timedelta):
        return "时间"
    if isinstance(value, int | float | Decimal):
        return "数字"
    if isinstance(value, str):
        return "文本"
    return "无法识别的内容"


def _excel_number_error(label: str) -> ValidationError:
    return ValidationError(
        f"{label}以数字格式保存，Excel只保留15位有效数字，超过15位的号码末尾几位已经丢失，"
        f"无法自动恢复。{_TEXT_FORMAT_HINT}",
        field=_FIELD,
    )


def _coerce(raw: object, label: str) -> str:
    """Text of the number; recovers ≤15-digit numbers from numeric cells, refuses longer ones."""
    if raw is None:
        raise ValidationError(f"{label}为空，请填写证件号码。", field=_FIELD)
    if isinstance(raw, bool):
        raise ValidationError(
            f"{label}所在单元格是逻辑值 TRUE/FALSE，不是证件号码（可能填入了公式或判断结果）。"
            f"{_TEXT_FORMAT_HINT}",
            field=_FIELD,
        )
    if isinstance(raw, int | float | Decimal):
        if isinstance(raw, float | Decimal) and not math.isfinite(raw):
            raise ValidationError(f"{label}不是有效的号码，请重新录入。", field=_FIELD)
        if raw < 0 or raw != int(raw):
            raise ValidationError(
                f"{label}是带小数或负号的数值，不是证件号码。{_TEXT_FORMAT_HINT}", field=_FIELD
            )
        digits = str(int(raw))
        if len(digits) > _EXCEL_MAX_DIGITS:
            raise _excel_number_error(label)
        return digits
    if not isinstance(raw, str):
        kind = value_kind(raw)
        why = ""
        if isinstance(raw, date | time | timedelta):
            why = "：Excel把输入的内容识别成了日期或时间"
        raise ValidationError(
            f"{label}应为文本，该单元格却是{kind}{why}。{_TEXT_FORMAT_HINT}", field=_FIELD
        )
    text = normalize_id(raw)
    if text.isascii() and text.isalnum() and "E" not in text:
        return text  # the usual case: digits (and X), nothing an Excel number could have made
    if re.fullmatch(r"\d+(?:\.\d+)?E\+?\d+", text, re.ASCII):
        raise _excel_number_error(label)  # scientific notation: digits already lost
    # "110101900101123.0": a number cell written out as text
    whole = re.fullmatch(r"(\d{1,15})\.0+", text, re.ASCII)
    return whole.group(1) if whole else text


def _check_digits(number: str, label: str, upto: int) -> None:
    head = number[:upto]
    if head.isascii() and head.isdigit():
        return
    for i, ch in enumerate(number[:upto], start=1):
        if not ch.isdigit() or not ch.isascii():
            raise ValidationError(
                f"{label}第{i}位{show_char(ch)}不是数字：前{upto}位只能是数字。请核对后重新录入。",
                field=_FIELD,
            )


def _check_birth(ymd: str, positions: str, label: str, today: date) -> date:
    born = _parse_ymd(ymd)
    if born is None:
        raise ValidationError(
            f"{label}第{positions}位出生日期“{ymd}”不是有效日期。请核对号码。", field=_FIELD
        )
    if born > today:
        raise ValidationError(
            f"{label}第{positions}位出生日期{born.isoformat()}晚于今天（{today.isoformat()}），"
            "不可能。请核对号码。",
            field=_FIELD,
        )
    if born < _EARLIEST_BIRTH:
        raise ValidationError(
            f"{label}第{positions}位出生日期{born.isoformat()}早于1900年，不合理。请核对号码。",
            field=_FIELD,
        )
    return born


_GB11643_CHARS: Final = frozenset("0123456789X")


def upgrade_15(number: str) -> str:
    """A 15-digit first-generation resident ID number in its 18-digit form (GB 11643): the year
    gets "19" and the number a check character."""
    first17 = number[:6] + "19" + number[6:]
    return first17 + gb11643_check_char(first17)


def _validate_gb11643(id_type: str, number: str, label: str, today: date) -> IdInfo:
    converted = False
    warnings: list[str] = []
    if id_type == RESIDENT_ID and len(number) == 15:
        _check_digits(number, label, 15)
        _check_birth("19" + number[6:12], "7–12", label, today)
        number = upgrade_15(number)
        converted = True
        warnings.append(
            "15位一代身份证号码已按国家标准转换为18位（出生年份补“19”并计算校验码），请与本人核对。"
        )
    if len(number) != 18:
        stray = next(((i, ch) for i, ch in enumerate(number, 1) if ch not in _GB11643_CHARS), None)
        if stray is not None:  # a stray "'" or "-" is why the length is off
            i, ch = stray
            raise ValidationError(
                f"{label}第{i}位{show_char(ch)}不是数字或X：号码只能由数字组成（最后一位可为X）。"
                "请删去多余的字符后重新录入。",
                field=_FIELD,
            )
        extra = "（或15位一代号码）" if id_type == RESIDENT_ID else ""
        raise ValidationError(
            f"{label}应为18位{extra}，现为{len(number)}位。请核对是否多录或漏录。", field=_FIELD
        )
    _check_digits(number, label, 17)
    if number[17] not in "0123456789X":
        raise ValidationError(
            f"{label}第18位校验码只能是数字或X，实为{show_char(number[17])}。", field=_FIELD
        )
    born = _check_birth(number[6:14], "7–14", label, today)
    prefix = number[:2]
    if id_type == RESIDENT_ID and prefix not in MAINLAND_ID_PREFIXES:
        raise ValidationError(
            f"{label}第1–2位地址码“{prefix}”不是内地省级行政区代码（港澳台居民请选择居住证类型237/238）。",
            field=_FIELD,
        )
    if id_type == HK_MACAO_RESIDENCE_PERMIT and prefix not in HK_MACAO_PERMIT_PREFIXES:
        raise ValidationError(
            f"{label}第1–2位应为81（香港）或82（澳门），实为“{prefix}”。请核对证件类型和号码。",
            field=_FIELD,
        )
    if id_type == TAIWAN_RESIDENCE_PERMIT and prefix not in TAIWAN_PERMIT_PREFIXES:
        raise ValidationError(
            f"{label}第1–2位应为83（台湾），实为“{prefix}”。请核对证件类型和号码。", field=_FIELD
        )
    expected = gb11643_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            f"{label}第18位校验码应为“{expected}”，实为“{number[17]}”：号码中有数字录错或顺序颠倒。"
            "请对照证件逐位核对后重新录入。",
            field=_FIELD,
        )
    gender = "男" if int(number[16]) % 2 else "女"
    return IdInfo(id_type, number, born, gender, converted, tuple(warnings))


def _validate_other(id_type: str, number: str, label: str) -> IdInfo:
    fmt = FORMATS[id_type]
    if not fmt.pattern.fullmatch(number):
        raise ValidationError(
            f"{label}格式不正确：{fmt.description}。请核对后重新录入。", field=_FIELD
        )
    if id_type == FOREIGN_PERMANENT_RESIDENCE and len(number) == 18:
        expected = gb11643_check_char(number[:17])
        if number[17] != expected:
            raise ValidationError(
                f"{label}第18位校验码应为“{expected}”，实为“{number[17]}”。请逐位核对后重新录入。",
                field=_FIELD,
            )
    return IdInfo(id_type, number, None, None)


def validate_id(id_type: str | int, raw: object, *, today: date | None = None) -> IdInfo:
    """Validate a number of the given type code (see ID_TYPES); raw may be str, int or float."""
    code = str(id_type).strip()
    if code not in ID_TYPES:
        raise ValidationError(
            f"证件类型代码“{code}”无效。可用代码：{id_type_list_text()}。", field="id_type"
        )
    label = f"{ID_TYPES[code]}号码"
    number = _coerce(raw, label)
    if not number:
        raise ValidationError(f"{label}为空，请填写证件号码。", field=_FIELD)
    if code in GB11643_TYPES:
        return _validate_gb11643(code, number, label, today or date.today())
    return _validate_other(code, number, label)
