"""Filing codes (positions 1–13) and certificate numbers (22 characters).

Layout (000 附件5, 001 附件3, 003 附件3): 1 type Y/S · 2–5 filing route · 6–7 province ·
8–13 organisation part (profile.filing_code: region 8–9 + sequence 10–13, or a 6-digit
serial) · 14–15 year · 16 level 1–5 · 17–22 certificate serial.
Every error names the 1-based position that is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, NamedTuple

from app.errors import ValidationError
from app.rules._text import compact_upper, show_char
from app.rules.idcard import value_kind
from app.rules.levels import LEVELS
from app.rules.profile_model import Profile
from app.rules.regions import PROVINCES

ORG_TYPES: Final = {"Y": "用人单位", "S": "社会培训评价组织"}
PROVINCIAL_ROUTE: Final = "0000"
FILING_CODE_LENGTH: Final = 13
CERTIFICATE_NUMBER_LENGTH: Final = 22
_FILING_LABEL: Final = "机构备案编码"
_CERT_LABEL: Final = "证书编号"


class Segment(NamedTuple):
    positions: str  # 1-based, e.g. "1", "2–5"
    label: str
    value: str
    meaning: str


@dataclass(frozen=True)
class FilingCode:
    code: str
    org_type: str
    org_type_name: str
    route: str
    province_code: str
    province_name: str
    region_code: str | None  # None for the serial6 layout
    region_name: str | None
    sequence: str  # 4 digits (region layouts) or 6 digits (serial6)
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class CertificateNumber:
    code: str
    filing: FilingCode
    year: int  # four digits: 2000 + positions 14–15
    level: int
    level_name: str
    serial: int
    segments: tuple[Segment, ...]



def region_choices(regions: Mapping[str, str], shown: int = 20) -> str:
    """"00 省本级、01 合肥市 …" — every code of a region table (the first `shown`, then how many
    more), since a table may have gaps (a range such as 00–30 would hide them)."""
    items = [f"{code} {name}" for code, name in sorted(regions.items())]
    more = f" 等 {len(items)} 个" if len(items) > shown else ""
    return "、".join(items[:shown]) + more

def _pos(start: int, end: int) -> str:
    return str(start) if start == end else f"{start}–{end}"


def _fail(label: str, start: int, end: int, problem: str, field: str) -> ValidationError:
    return ValidationError(f"{label}第{_pos(start, end)}位{problem}", field=field)


def _route_meaning(route: str) -> str:
    if route == PROVINCIAL_ROUTE:
        return "经省级人力资源社会保障部门备案（固定为0000）"
    return f"经人力资源社会保障部备案，由部赋码{route}"


def _check_filing_part(code: str, profile: Profile, label: str, field: str) -> FilingCode:
    """Validate positions 1–13 of ``code`` (a filing code or a certificate number)."""
    if code[0] not in ORG_TYPES:
        raise _fail(
            label,
            1,
            1,
            f"机构类别代码应为Y（用人单位）或S（社会培训评价组织），实为{show_char(code[0])}。",
            field,
        )
    for i in range(1, len(code)):
        if not (code[i].isascii() and code[i].isdigit()):
            raise _fail(label, i + 1, i + 1, f"应为数字，实为{show_char(code[i])}。", field)
    route, province = code[1:5], code[5:7]
    if province not in profile.province_names:
        if profile.is_national:
            problem = f"省级代码“{province}”不是有效的省级行政区代码。"
        else:
            actual = PROVINCES.get(province)
            shown = f"“{province}”（{actual}）" if actual else f"“{province}”"
            # Only "check the code" here: the other way out (the organisation now filed in
            # another province) depends on where the code was typed, so the caller adds it.
            problem = (
                f"省级代码应为“{profile.province_code}”（{profile.display_name}），实为{shown}。"
                "请核对编码。"
            )
        raise _fail(label, 6, 7, problem, field)
    layout = profile.filing_code
    if route != PROVINCIAL_ROUTE and not layout.ministry_route:
        raise _fail(
            label,
            2,
            5,
            f"备案途径代码在{profile.display_name}固定为0000，实为“{route}”：经人力资源社会保障部备案的机构"
            f"在{profile.display_name}开展认定须在本省备案，按本省规则编码（依据：{layout.route_source}）。",
            field,
        )
    segments = [
        Segment("1", "机构类别代码", code[0], ORG_TYPES[code[0]]),
        Segment("2–5", "备案途径代码", route, _route_meaning(route)),
        Segment("6–7", "省级代码", province, profile.province_names[province]),
    ]
    region_code = region_name = None
    if layout.has_region:
        region_code, sequence = code[7:9], code[9:13]
        if region_code not in layout.regions:
            raise _fail(
                label,
                8,
                9,
                f"{layout.region_label}代码“{region_code}”不在{profile.display_name}{layout.region_label}代码表中"
                f"（可用的代码：{region_choices(layout.regions)}；依据：{layout.source}）。",
                field,
            )
        region_name = layout.regions[region_code]
        if sequence == "0000":
            raise _fail(label, 10, 13, "机构序列码不能为0000（应为0001–9999）。", field)
        segments.append(Segment("8–9", f"{layout.region_label}代码", region_code, region_name))
        segments.append(Segment("10–13", "机构序列码", sequence, f"第{int(sequence)}号备案机构"))
    else:
        sequence = code[7:13]
        if sequence == "000000":
            raise _fail(label, 8, 13, "机构序列码不能为000000。", field)
        segments.append(
            Segment("8–13", "机构序列码", sequence, "省级人力资源社会保障部门赋予的机构序列码")
        )
    return FilingCode(
        code=code[:13],
        org_type=code[0],
        org_type_name=ORG_TYPES[code[0]],
        route=route,
        province_code=province,
        province_name=profile.province_names[province],
        region_code=region_code,
        region_name=region_name,
        sequence=sequence,
        segments=tuple(segments),
    )


def _text(raw: object, label: str, length: int, shape: str, field: str) -> str:
    if not isinstance(raw, str):
        raise ValidationError(
            f"{label}应为文本，实为{value_kind(raw)}：请按{length}位的文本填写"
            "（在Excel中请先把单元格格式设为“文本”再录入）。",
            field=field,
        )
    code = compact_upper(raw)
    if len(code) != length:
        hint = "请核对是否多录或漏录了数字。"
        if length == CERTIFICATE_NUMBER_LENGTH and len(code) == 20:
            hint = "常见原因是漏录了第14–15位证书核发年份代码，请补全。"
        raise ValidationError(
            f"{label}应为{length}位（{shape}），现为{len(code)}位。{hint}", field=field
        )
    return code


def parse_filing_code(code: object, profile: Profile) -> FilingCode:
    """Validate and explain a 13-character filing code under ``profile``."""
    text = _text(code, _FILING_LABEL, FILING_CODE_LENGTH, "1位大写字母+12位数字", "filing_code")
    return _check_filing_part(text, profile, _FILING_LABEL, "filing_code")


def parse_certificate_number(code: object, profile: Profile) -> CertificateNumber:
    """Validate and explain a 22-character certificate number under ``profile``."""
    field = "certificate_number"
    text = _text(code, _CERT_LABEL, CERTIFICATE_NUMBER_LENGTH, "1位大写字母+21位数字", field)
    filing = _check_filing_part(text, profile, _CERT_LABEL, field)
    year_code, level_code, serial_code = text[13:15], text[15], text[16:22]
    if int(level_code) not in LEVELS:
        raise _fail(
            _CERT_LABEL, 16, 16, f"职业技能等级代码应为1–5，实为{show_char(level_code)}。", field
        )
    if serial_code == "000000":
        raise _fail(_CERT_LABEL, 17, 22, "证书序列码不能为000000（应为000001–999999）。", field)
    level = LEVELS[int(level_code)]
    year = 2000 + int(year_code)
    segments = (
        *filing.segments,
        Segment("14–15", "证书核发年份代码", year_code, f"{year}年"),
        Segment("16", "职业技能等级代码", level_code, level.name),
        Segment(
            "17–22", "证书序列码", serial_code, f"第{int(serial_code)}号（{profile.serial.label}）"
        ),
    )
    return CertificateNumber(text, filing, year, level.code, level.name, int(serial_code), segments)


def _digits(value: int | str, width: int, lo: int, hi: int, what: str, field: str) -> str:
    """Zero-padded digits of an int or digit string in [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(
            f"{what}应为数字，实为{value_kind(value)}：请填写{lo:0{width}d}–{hi:0{width}d}之间的{width}位数字。",
            field=field,
        )
    text = compact_upper(value) if isinstance(value, str) else str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > width or not lo <= int(text) <= hi:
        raise ValidationError(
            f"{what}“{value}”无效：应为{lo:0{width}d}–{hi:0{width}d}之间的{width}位数字。",
            field=field,
        )
    return f"{int(text):0{width}d}"


def compose_filing_code(
    profile: Profile,
    org_type: str,
    route: int | str,
    region_code: int | str | None,
    sequence: int | str,
    *,
    province_code: str | None = None,
) -> str:
    """Build a 13-character filing code. ``region_code`` is None for the serial6 layout;
    ``province_code`` defaults to the profile's own (required for the national profile)."""
    field = "filing_code"
    kind = compact_upper(org_type) if isinstance(org_type, str) else ""
    if kind not in ORG_TYPES:
        raise ValidationError(
            f"机构类别“{org_type}”无效：应为Y（用人单位）或S（社会培训评价组织）。", field=field
        )
    route_text = _digits(route, 4, 0, 9999, "备案途径代码", field)
    province = province_code or ("" if profile.is_national else profile.province_code)
    if not province:
        raise ValidationError("使用全国通用规则时必须指定省级代码（第6–7位）。", field=field)
    layout = profile.filing_code
    if layout.has_region:
        if region_code is None:
            raise ValidationError(
                f"{profile.display_name}的机构备案编码需要{layout.region_label}代码（第8–9位）。",
                field=field,
            )
        middle = _digits(region_code, 2, 0, 99, f"{layout.region_label}代码", field)
        middle += _digits(sequence, 4, 1, 9999, "机构序列码", field)
    else:
        if region_code not in (None, ""):
            raise ValidationError(
                f"{profile.display_name}的机构备案编码第8–13位为机构序列码，不使用地区代码。",
                field=field,
            )
        middle = _digits(sequence, 6, 1, 999999, "机构序列码", field)
    code = f"{kind}{route_text}{province}{middle}"
    return parse_filing_code(code, profile).code  # validates province and region tables


def compose_certificate_number(
    profile: Profile, filing_code: str | FilingCode, year: int, level: int, serial: int
) -> str:
    """Build a 22-character certificate number; ``year`` as 2000–2099 or its last two digits."""
    field = "certificate_number"
    filing = (
        filing_code
        if isinstance(filing_code, FilingCode)
        else parse_filing_code(filing_code, profile)
    )
    if (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not (0 <= year <= 99 or 2000 <= year <= 2099)
    ):
        raise ValidationError(f"证书核发年份“{year}”无效：应为2000–2099年。", field=field)
    if isinstance(level, bool) or level not in LEVELS:
        raise ValidationError(f"职业技能等级代码“{level}”无效：应为1–5。", field=field)
    serial_text = _digits(serial, 6, 1, 999999, "证书序列码", field)
    code = f"{filing.code}{year % 100:02d}{level}{serial_text}"
    return parse_certificate_number(code, profile).code
