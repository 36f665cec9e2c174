"""Unified social credit code 统一社会信用代码 (GB 32100-2015)."""

from __future__ import annotations

from typing import Final

from app.errors import ValidationError
from app.rules._text import compact_upper, show_char

CHARSET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Position 1: registration authority (1 机构编制 … 9 市场监管, A 中央军委改革和编制办公室, N 农业, Y 其他).
AUTHORITY_CODES: Final = "123456789ANY"
_FIELD: Final = "uscc"
_LABEL: Final = "统一社会信用代码"


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character (MOD 31) for the first 17 characters."""
    if len(first17) != 17 or any(ch not in CHARSET for ch in first17):
        raise ValueError("first17 must be 17 characters from the GB 32100 charset")
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate_uscc(raw: object) -> str:
    """The normalised code (half-width, upper case, no spaces); ValidationError naming the position."""
    if not isinstance(raw, str):
        raise ValidationError(
            f"{_LABEL}应为18位文本，请在Excel中将该列设置单元格格式为“文本”后重新录入。",
            field=_FIELD,
        )
    code = compact_upper(raw)
    if not code:
        raise ValidationError(f"{_LABEL}为空，请填写。", field=_FIELD)
    if len(code) != 18:
        raise ValidationError(
            f"{_LABEL}应为18位，现为{len(code)}位。请对照营业执照或登记证书核对。", field=_FIELD
        )
    for i, ch in enumerate(code, start=1):
        if ch not in CHARSET:
            raise ValidationError(
                f"{_LABEL}第{i}位{show_char(ch)}不是允许的字符（只用数字和除I、O、S、V、Z以外的大写字母）。"
                "请核对是否把数字0、1、5、2录成了字母。",
                field=_FIELD,
            )
    if code[0] not in AUTHORITY_CODES:
        raise ValidationError(
            f"{_LABEL}第1位登记管理部门代码{show_char(code[0])}无效，应为1–9、A、N或Y。",
            field=_FIELD,
        )
    for i in range(2, 8):
        if not code[i].isdigit():
            raise ValidationError(
                f"{_LABEL}第{i + 1}位应为数字（第3–8位是行政区划码），实为{show_char(code[i])}。",
                field=_FIELD,
            )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            f"{_LABEL}第18位校验码应为“{expected}”，实为“{code[17]}”：有字符录错或顺序颠倒。"
            "请对照营业执照逐位核对。",
            field=_FIELD,
        )
    return code
