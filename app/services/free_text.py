"""Typed and pasted text: control characters (a pasted vertical tab, Excel's _x000B_ …) are
invisible, and an xlsx cannot hold them, so they are refused with the field and the position;
line breaks and tabs become spaces except where a field may hold several lines."""

from __future__ import annotations

import re
from typing import Final

CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")  # C0, DEL, C1 (not NEL: a break)
BREAK: Final = re.compile(r"[\t\n\r\u2028\u2029\x85]")
BREAKS: Final = re.compile(r"\s*[\t\n\r\u2028\u2029\x85]\s*")


def check_controls(value: str, *, label: str, field: str, no_breaks: bool = False,
                   multiline: bool = False) -> str:  # fmt: skip
    """`value` without control characters (ValidationError naming `label` and the position
    otherwise); `no_breaks` refuses line breaks too (a name), `multiline` keeps them (notes),
    else they become single spaces."""
    from app.errors import ValidationError

    bad = CONTROL.search(value)
    if bad is None and no_breaks:
        bad = BREAK.search(value)
    if bad is not None:
        ch, at = bad.group(0), bad.start() + 1
        what = "换行符" if ch in "\n\r\u2028\u2029\x85" else "制表符" if ch == "\t" else "不可见的控制字符"
        raise ValidationError(
            f"{label}第 {at} 个字符是{what}（U+{ord(ch):04X}），"
            "多为从其他软件复制时带入。请删除该字符后重新录入。",
            field=field,
        )
    return value if multiline else BREAKS.sub(" ", value)
