"""Identity-document type codes (003 附件5 备注2) and the number formats of the non-GB11643 types."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

ID_TYPES: Final[dict[str, str]] = {
    "201": "居民身份证",
    "227": "中国护照",
    "210": "港澳居民来往内地通行证",
    "237": "港澳居民居住证",
    "213": "台湾居民来往大陆通行证",
    "238": "台湾居民居住证",
    "208": "外国护照",
    "233": "外国人永久居留身份证",
    "239": "外国人工作许可证（A类）",
    "240": "外国人工作许可证（B类）",
    "241": "外国人工作许可证（C类）",
    "299": "其他个人证件",
}

RESIDENT_ID: Final = "201"
HK_MACAO_RESIDENCE_PERMIT: Final = "237"
TAIWAN_RESIDENCE_PERMIT: Final = "238"
FOREIGN_PERMANENT_RESIDENCE: Final = "233"

# Types whose numbers follow GB 11643 (18 characters, MOD 11-2 check, birth date in 7–14).
GB11643_TYPES: Final = frozenset({RESIDENT_ID, HK_MACAO_RESIDENCE_PERMIT, TAIWAN_RESIDENCE_PERMIT})


@dataclass(frozen=True)
class NumberFormat:
    pattern: re.Pattern[str]
    description: str  # shown to the user when a number does not match


# Plausibility formats: they catch typing slips and wrong columns, not forgeries.
FORMATS: Final[dict[str, NumberFormat]] = {
    "227": NumberFormat(
        re.compile(r"(?:[EG]\d{8}|E[A-Z]\d{7}|[DPS][A-Z]?\d{7})", re.ASCII),
        "中国护照号码一般为9位：E加8位数字，或E加1位字母再加7位数字（旧版G、P、S、D开头）",
    ),
    "208": NumberFormat(
        re.compile(r"[A-Z0-9]{5,17}", re.ASCII),
        "外国护照号码应为5–17位字母或数字（不含空格和符号）",
    ),
    "210": NumberFormat(
        re.compile(r"[HM]\d{8}(?:\d{2})?", re.ASCII),
        "港澳居民来往内地通行证号码为H（香港）或M（澳门）加8位数字（新版可带2位换证次数）",
    ),
    "213": NumberFormat(
        re.compile(r"\d{8}|\d{10}(?:[A-Z]|\([A-Z]\))?", re.ASCII),
        "台湾居民来往大陆通行证号码为8位数字（旧版10位数字，可带1位字母）",
    ),
    "233": NumberFormat(
        re.compile(r"[A-Z]{3}\d{12}|9\d{16}[0-9X]", re.ASCII),
        "外国人永久居留身份证号码为15位（3位字母加12位数字，旧版）或18位（9开头，新版2023年起）",
    ),
    "239": NumberFormat(
        re.compile(r"[A-Z0-9]{6,20}", re.ASCII), "外国人工作许可证号码应为6–20位字母或数字"
    ),
    "240": NumberFormat(
        re.compile(r"[A-Z0-9]{6,20}", re.ASCII), "外国人工作许可证号码应为6–20位字母或数字"
    ),
    "241": NumberFormat(
        re.compile(r"[A-Z0-9]{6,20}", re.ASCII), "外国人工作许可证号码应为6–20位字母或数字"
    ),
    "299": NumberFormat(
        re.compile(r"[A-Z0-9()\-/.\u4e00-\u9fff]{2,30}", re.ASCII),
        "其他个人证件号码应为2–30位字母、数字或汉字（可含 - / . 和括号）",
    ),
}


def id_type_name(code: str) -> str:
    return ID_TYPES.get(code, "未知证件类型")


def id_type_list_text() -> str:
    """All codes as one line for messages: 201=居民身份证、227=中国护照……"""
    return "、".join(f"{code}={name}" for code, name in ID_TYPES.items())
