"""Turning one spreadsheet cell into a typed value (text, date, yes/no, level, ID type, role).

Every parser raises ``CellError`` with a Chinese reason; the importer adds the sheet, row and
column. Names keep every character exactly (rare characters such as 𠇔, 堃, 燊 and the
middle dot ·); the only clean-up is trimming, mapping full-width letters and digits to
half-width (names and free text keep their Chinese punctuation, `clean_prose`; codes, numbers
and dates fold all of full-width ASCII, `clean_text`) and no-break spaces to spaces, and
dropping zero-width spaces, word joiners, byte-order marks and direction marks
(`app.rules._text`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Container
from typing import Final

from app.models.enums import StaffRole
from app.rules._text import fold_prose, to_halfwidth
from app.rules.id_types import ID_TYPES, id_type_list_text
from app.rules.idcard import value_kind

_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (with Excel's 1900 leap bug)
_MIN_SERIAL, _MAX_SERIAL = 1, 2958465  # 1900-01-01 .. 9999-12-31


class CellError(ValueError):
    """A cell value that cannot be used; the message is the reason in Chinese."""


def is_blank(value: object) -> bool:
    """None, or text of nothing but whitespace (the ideographic space U+3000 included)."""
    if value is None:
        return True
    return isinstance(value, str) and not value.strip()


def clean_text(value: object) -> str:
    """Text of a cell: full-width ASCII to half-width, trimmed; numbers without a trailing .0."""
    if type(value) is str:
        return to_halfwidth(value).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return to_halfwidth(str(value)).strip()


def clean_prose(value: object) -> str:
    """`clean_text` for a name or free text: Chinese punctuation kept as typed（集团）."""
    if type(value) is str:
        return fold_prose(value).strip()
    return clean_text(value)


_DATE_PATTERNS: Final = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def parse_date(value: object) -> dt.date:
    """A date from a date/datetime cell, an Excel serial number, or text in the usual forms."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("应为日期，实为是/否值")
    if isinstance(value, int | float):
        if not math.isfinite(value) or value != int(value):
            raise CellError(f"数值“{value}”不是日期：请填写如 2026-01-05 的日期")
        serial = int(value)
        if 19000101 <= serial <= 99991231:  # 20260105 typed as a number
            return parse_date(str(serial))
        if not _MIN_SERIAL <= serial <= _MAX_SERIAL:
            raise CellError(f"数值“{serial}”不是日期：请填写如 2026-01-05 的日期")
        return _EXCEL_EPOCH + dt.timedelta(days=serial)
    text = clean_text(value)
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise CellError(f"“{text}”不是有效日期（月份或日期超出范围）") from None
    raise CellError(f"“{text}”不是可识别的日期：请填写如 2026-01-05、2026/1/5 或 2026年1月5日")


_YES: Final = frozenset(
    {"是", "y", "yes", "true", "1", "本单位", "本单位人员", "是的", "有", "√", "已签", "已签订"}
)
_NO: Final = frozenset(
    {
        "否",
        "n",
        "no",
        "false",
        "0",
        "非本单位",
        "外单位",
        "外聘",
        "不是",
        "无",
        "×",
        "未签",
        "未签订",
    }
)


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"“{clean_text(value)}”无法识别：请填写“是”或“否”")


_GENDERS: Final = {"男": "男", "女": "女", "男性": "男", "女性": "女", "m": "男", "f": "女"}


def parse_gender(value: object) -> str:
    text = clean_text(value).lower()
    if text in _GENDERS:
        return _GENDERS[text]
    raise CellError(f"“{clean_text(value)}”不是有效性别：请填写“男”或“女”")


_ID_TYPE_ALIASES: Final = {
    "身份证": "201",
    "二代身份证": "201",
    "居民身份证": "201",
    "中华人民共和国居民身份证": "201",
    "港澳通行证": "210",
    "台胞证": "213",
    "外国人永久居留证": "233",
}


def parse_id_type(value: object) -> str:
    """An ID-type code from a code (201, "201", "201 居民身份证") or a name (居民身份证)."""
    text = clean_text(value)
    code = text[:3] if re.match(r"\d{3}(?!\d)", text) else ""
    if code in ID_TYPES:
        return code
    compact = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    for c, name in ID_TYPES.items():
        if compact == name:
            return c
    if compact in _ID_TYPE_ALIASES:
        return _ID_TYPE_ALIASES[compact]
    raise CellError(f"证件类型“{text}”无法识别：请填写代码或名称（{id_type_list_text()}）")


_LEVELS: Final = {
    "一级": 1, "高级技师": 1, "一级/高级技师": 1,
    "二级": 2, "技师": 2, "二级/技师": 2,
    "三级": 3, "高级工": 3, "高级": 3, "三级/高级工": 3,
    "四级": 4, "中级工": 4, "中级": 4, "四级/中级工": 4,
    "五级": 5, "初级工": 5, "初级": 5, "五级/初级工": 5,
}  # fmt: skip


def parse_level(value: object) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value == int(value) and 1 <= int(value) <= 5:
            return int(value)
    text = re.sub(r"\s+", "", clean_text(value))
    if text.isdigit() and 1 <= int(text) <= 5:
        return int(text)
    if text in _LEVELS:
        return _LEVELS[text]
    raise CellError(f"等级“{clean_text(value)}”无法识别：请填写1–5或“三级/高级工”等名称")


_ROLES: Final = {
    "专职工作人员": StaffRole.FULLTIME, "专职人员": StaffRole.FULLTIME, "专职": StaffRole.FULLTIME,
    "工作人员": StaffRole.FULLTIME,
    "专家": StaffRole.EXPERT,
    "考评员": StaffRole.EXAMINER, "考评人员": StaffRole.EXAMINER,
    "内部督导员": StaffRole.SUPERVISOR, "内部督导人员": StaffRole.SUPERVISOR,
    "内部质量督导员": StaffRole.SUPERVISOR, "质量督导员": StaffRole.SUPERVISOR,
    "督导员": StaffRole.SUPERVISOR, "督导人员": StaffRole.SUPERVISOR, "督导": StaffRole.SUPERVISOR,
    "监考员": StaffRole.PROCTOR, "监考人员": StaffRole.PROCTOR, "监考": StaffRole.PROCTOR,
}  # fmt: skip
_SPLIT: Final = re.compile(r"[、,，;；/|\s]+")


def parse_roles(value: object) -> list[StaffRole]:
    """One or more staff roles, by Chinese name or code, separated by 、，；/ or spaces."""
    out: list[StaffRole] = []
    for part in _SPLIT.split(clean_text(value)):
        if not part:
            continue
        role = _ROLES.get(part)
        if role is None and part.lower() in StaffRole._value2member_map_:
            role = StaffRole(part.lower())
        if role is None:
            raise CellError(
                f"角色“{part}”无法识别：可填 专职工作人员、专家、考评员、内部督导员、监考员（多个用“、”分隔）"
            )
        if role not in out:
            out.append(role)
    if not out:
        raise CellError("角色为空")
    return out


def split_list(value: object) -> list[str]:
    """Several items in one cell, separated by 、 ； ; or a line break (not spaces: names have them)."""
    return [p.strip() for p in re.split(r"[、;；\n]+", clean_text(value)) if p.strip()]


_WIDE_SPLIT: Final = re.compile(r"[,，/|\s]+")
_BRACKETS: Final = "()（）[]【】"


def split_items(value: object, known: Container[str] = ()) -> list[str]:
    """Several catalogue entries (occupations, work types) in one cell.

    Separated like the roles: 、 ； ; or a line break, and also ， , / | or spaces — except that
    a piece that is a `known` entry as a whole (a name may hold a space or a slash) stays whole.
    A piece of nothing but brackets ("电工 ( 6-31-01-03 )") is no entry.
    """
    out: list[str] = []
    for piece in split_list(value):
        if piece in known or not _WIDE_SPLIT.search(piece):
            out.append(piece)
        else:
            out.extend(p for p in _WIDE_SPLIT.split(piece) if p.strip(_BRACKETS))
    return out


# A leading apostrophe is Excel's "store as text" marker: typed literally in a text cell, or
# pasted from a sheet or a CSV, it ends up in the value. The curly ones are its word-processor
# spelling. Only ever one, only in cells that hold a number as text (ID, phone, certificate).
_TEXT_MARKS: Final = "'‘’＇"


def drop_text_mark(text: str) -> str:
    """Text without one leading Excel text marker (an apostrophe)."""
    return text[1:].lstrip() if text[:1] in _TEXT_MARKS and len(text) > 1 else text


EXACT_LIMIT: Final = 2**53  # a number cell (a double) holds every whole number below this exactly
EXCEL_DIGITS: Final = 15  # Excel keeps 15 significant digits of a number typed into a cell
_TEXT_HINT: Final = "请把该列的单元格格式设为“文本”，再重新录入完整号码（不要粘贴数值）"
# How Excel shows a long number in a 常规 cell (1.23457E+19): copied or saved as text, the
# digits after the sixth are gone.
_SCIENTIFIC: Final = re.compile(r"[+-]?\d(?:\.\d+)?E[+-]\d+", re.IGNORECASE | re.ASCII)
_NUMBER_AS_TEXT: Final = re.compile(r"(\d{1,15})\.0+", re.ASCII)  # "13800138000.0"


def is_number(value: object) -> bool:
    """A number cell (not a TRUE/FALSE one)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def code_text(value: object) -> str:
    """The text of a cell that holds a number written in digits (phone, certificate number),
    without a leading Excel text marker ('13800138000).

    A number cell gives its digits (13800138000, not "13800138000.0") when it holds them exactly:
    a whole number below 2**53. Anything else lost digits on the way in — a fraction, a number
    too long for a double, a value shown and saved in Excel's 1.23457E+19 form — and is a
    CellError that says so and what to do, rather than a made-up number stored.
    """
    if type(value) is str:
        text = to_halfwidth(value).strip()
        if text.isascii() and text.isalnum():  # the usual case: nothing a number could have made
            return text
        return _text_code(text)
    if isinstance(value, bool):
        raise CellError(
            "单元格是逻辑值 TRUE/FALSE，不是号码：请填写号码（如该列设成了“逻辑值”或是公式，请改为文本）"
        )
    if is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if not math.isfinite(number):
            raise CellError(f"单元格不是有效的数值，无法读出号码：{_TEXT_HINT}")
        if number != int(number):
            raise CellError(f"单元格是带小数的数值（{value}），不是号码：{_TEXT_HINT}")
        if abs(int(value)) >= EXACT_LIMIT:  # type: ignore[call-overload]
            raise CellError(
                f"单元格以数字格式保存，数字过长：Excel只保留{EXCEL_DIGITS}位有效数字，"
                f"号码末尾几位已经丢失，无法自动恢复。{_TEXT_HINT}"
            )
        return str(int(value))  # type: ignore[call-overload]
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(
            f"单元格是{value_kind(value)}，不是号码：Excel把输入的内容识别成了日期/时间。{_TEXT_HINT}"
        )
    return _text_code(clean_text(value))


def _text_code(text: str) -> str:
    text = drop_text_mark(text)
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(
            f"“{text}”是以科学计数法显示的数值，号码的大部分数字已经丢失，无法自动恢复。{_TEXT_HINT}"
        )
    whole = _NUMBER_AS_TEXT.fullmatch(text)
    return whole.group(1) if whole else text
