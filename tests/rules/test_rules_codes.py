"""Filing codes and certificate numbers: the seed examples, position-precise errors, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.rules.codes import (
    FilingCode,
    compose_certificate_number,
    compose_filing_code,
    parse_certificate_number,
    parse_filing_code,
)
from app.rules.profiles import load_profile
from app.rules.regions import PROVINCES


@pytest.mark.parametrize(
    ("profile", "code", "org_type", "year", "level", "serial"),
    [
        ("guizhou", "Y000052002008203000001", "Y", 2020, 3, 1),  # 001 附件3 示例1
        ("guizhou", "S000052001001205000029", "S", 2020, 5, 29),  # 001 附件3 示例2
        ("national", "Y000052002008203000001", "Y", 2020, 3, 1),
        ("chongqing", "S000050410001255000123", "S", 2025, 5, 123),
        ("anhui", "S000034010001261999999", "S", 2026, 1, 999999),
    ],
)
def test_valid_certificate_numbers(
    profile: str, code: str, org_type: str, year: int, level: int, serial: int
) -> None:
    number = parse_certificate_number(code, load_profile(profile))
    assert (number.code, number.filing.org_type, number.year, number.level, number.serial) == (
        code,
        org_type,
        year,
        level,
        serial,
    )
    assert [s.positions for s in number.segments][-3:] == ["14–15", "16", "17–22"]
    assert "".join(s.value for s in number.segments) == code


def test_guizhou_segments_explained() -> None:
    number = parse_certificate_number("S000052001001205000029", load_profile("guizhou"))
    assert number.segments[0] == ("1", "机构类别代码", "S", "社会培训评价组织")
    assert number.segments[2] == ("6–7", "省级代码", "52", "贵州省")
    assert number.segments[3][0:3] == ("8–13", "机构序列码", "001001")
    assert number.segments[-2] == ("16", "职业技能等级代码", "5", "五级/初级工")
    assert "按年度、分等级" in number.segments[-1].meaning
    assert number.level_name == "五级/初级工"


def test_anhui_filing_code_from_seed() -> None:
    filing = parse_filing_code("S000034010001", load_profile("anhui"))
    assert (filing.org_type, filing.route, filing.province_code) == ("S", "0000", "34")
    assert (filing.region_code, filing.region_name, filing.sequence) == ("01", "合肥市", "0001")
    assert [s.positions for s in filing.segments] == ["1", "2–5", "6–7", "8–9", "10–13"]
    assert filing.segments[3].label == "所在地市代码"


def test_chongqing_filing_code_explained() -> None:
    filing = parse_filing_code("s0000 5039 0007", load_profile("chongqing"))
    assert filing.code == "S000050390007"
    assert filing.region_name == "两江新区"
    assert filing.segments[3] == ("8–9", "备案地代码", "39", "两江新区")


@pytest.mark.parametrize(
    ("profile", "code", "expected"),
    [
        # the seed's inline 20-character forms (001 附件3 示例) lack the year digits
        ("guizhou", "Y0000520020083000001", "应为22位（1位大写字母+21位数字），现为20位"),
        ("guizhou", "S0000520010015000029", "现为20位。常见原因是漏录了第14–15位"),
        ("chongqing", "S000050420001205000001", "第8–9位备案地代码“42”不在重庆市备案地代码表中"),
        ("guizhou", "Y000052002008206000001", "第16位职业技能等级代码应为1–5，实为“6”"),
        ("guizhou", "Y000052002008200000001", "第16位职业技能等级代码应为1–5，实为“0”"),
        (
            "guizhou",
            "Y000050002008203000001",
            "第6–7位省级代码应为“52”（贵州省），实为“50”（重庆市）",
        ),
        ("national", "Y000099002008203000001", "第6–7位省级代码“99”不是有效的省级行政区代码"),
        ("guizhou", "X000052002008203000001", "第1位机构类别代码应为Y（用人单位）或S"),
        ("guizhou", "Y00A052002008203000001", "第4位应为数字，实为“A”"),
        ("guizhou", "Y000052002008203000000", "第17–22位证书序列码不能为000000"),
        ("guizhou", "Y000052000000203000001", "第8–13位机构序列码不能为000000"),
        ("anhui", "S000034090001203000001", "第8–9位所在地市代码“09”不在安徽省所在地市代码表中"),
        ("chongqing", "S000050010000203000001", "第10–13位机构序列码不能为0000"),
    ],
)
def test_invalid_certificate_numbers(profile: str, code: str, expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_certificate_number(code, load_profile(profile))
    assert expected in info.value.message
    assert info.value.field == "certificate_number"


@pytest.mark.parametrize(
    ("profile", "code", "expected"),
    [
        ("chongqing", "S000050420001", "第8–9位备案地代码“42”"),
        ("chongqing", "S000052010001", "第6–7位省级代码应为“50”（重庆市），实为“52”（贵州省）"),
        ("anhui", "S00003401000", "应为13位（1位大写字母+12位数字），现为12位"),
        ("anhui", "Y0000340100O1", "第12位应为数字，实为“O”"),
        ("guizhou", "Y0000520020\u06608", "第12位应为数字"),  # Arabic-Indic digit zero
        # Anhui: positions 2–5 are always 0000, a ministry-filed organisation re-files in Anhui
        ("anhui", "S000134010001", "第2–5位备案途径代码在安徽省固定为0000，实为“0001”"),
    ],
)
def test_invalid_filing_codes(profile: str, code: str, expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_filing_code(code, load_profile(profile))
    assert expected in info.value.message


def test_other_province_message_gives_no_circular_advice() -> None:
    with pytest.raises(ValidationError) as info:
        parse_filing_code("S000052001001", load_profile("chongqing"))
    assert info.value.message.endswith("实为“52”（贵州省）。请核对编码。")
    assert "设置" not in info.value.message  # where to switch is said by the caller


def test_full_width_input_is_normalised() -> None:
    assert parse_filing_code("Ｙ0000520020０８", load_profile("guizhou")).code == "Y000052002008"


def test_national_profile_accepts_every_known_province() -> None:
    national = load_profile("national")
    for code, name in PROVINCES.items():
        filing = parse_filing_code(f"S0000{code}000001", national)
        assert filing.province_name == name


def test_compose_examples() -> None:
    gz, cq, ah = load_profile("guizhou"), load_profile("chongqing"), load_profile("anhui")
    assert compose_certificate_number(gz, "Y000052002008", 2020, 3, 1) == "Y000052002008203000001"
    filing = compose_filing_code(gz, "S", 0, None, 1001)
    assert filing == "S000052001001"
    assert compose_certificate_number(gz, filing, 20, 5, 29) == "S000052001001205000029"
    assert compose_filing_code(ah, "S", "0000", "01", 1) == "S000034010001"
    assert compose_filing_code(cq, "y", 12, 41, "9999") == "Y001250419999"
    national = load_profile("national")
    assert compose_filing_code(national, "S", 0, None, 7, province_code="44") == "S000044000007"


@pytest.mark.parametrize(
    ("profile", "args", "kwargs", "expected"),
    [
        ("chongqing", ("S", 0, "42", 1), {}, "第8–9位备案地代码“42”"),
        ("chongqing", ("S", 0, None, 1), {}, "需要备案地代码"),
        ("chongqing", ("S", 0, "01", 0), {}, "机构序列码“0”无效：应为0001–9999"),
        ("chongqing", ("S", 0, "01", 10000), {}, "应为0001–9999"),
        ("chongqing", ("Q", 0, "01", 1), {}, "机构类别“Q”无效"),
        ("chongqing", ("S", 10000, "01", 1), {}, "备案途径代码“10000”无效"),
        ("guizhou", ("S", 0, "01", 1), {}, "不使用地区代码"),
        ("national", ("S", 0, None, 1), {}, "必须指定省级代码"),
        ("national", ("S", 0, None, 1), {"province_code": "99"}, "第6–7位省级代码“99”"),
        ("guizhou", ("S", 0, None, 1), {"province_code": "50"}, "第6–7位省级代码应为“52”"),
    ],
)
def test_compose_filing_code_refuses(
    profile: str, args: tuple[object, ...], kwargs: dict[str, str], expected: str
) -> None:
    with pytest.raises(ValidationError) as info:
        compose_filing_code(load_profile(profile), *args, **kwargs)  # type: ignore[arg-type]
    assert expected in info.value.message


@pytest.mark.parametrize(
    ("year", "level", "serial", "expected"),
    [
        (1999, 3, 1, "证书核发年份“1999”无效"),
        (2020, 6, 1, "职业技能等级代码“6”无效"),
        (2020, 0, 1, "职业技能等级代码“0”无效"),
        (2020, 3, 0, "证书序列码“0”无效"),
        (2020, 3, 1_000_000, "证书序列码“1000000”无效"),
    ],
)
def test_compose_certificate_number_refuses(
    year: int, level: int, serial: int, expected: str
) -> None:
    with pytest.raises(ValidationError, match=expected):
        compose_certificate_number(load_profile("guizhou"), "Y000052002008", year, level, serial)


@st.composite
def code_inputs(
    draw: st.DrawFn,
) -> tuple[str, str, int, str | None, int, str | None, int, int, int]:
    name = draw(st.sampled_from(["national", "chongqing", "guizhou", "shandong", "anhui"]))
    profile = load_profile(name)
    layout = profile.filing_code
    region = draw(st.sampled_from(sorted(layout.regions))) if layout.has_region else None
    sequence = draw(st.integers(1, 9999 if layout.has_region else 999999))
    province = draw(st.sampled_from(sorted(PROVINCES))) if profile.is_national else None
    return (
        name,
        draw(st.sampled_from("YS")),
        draw(st.integers(0, 9999 if layout.ministry_route else 0)),
        region,
        sequence,
        province,
        draw(st.integers(2000, 2099)),
        draw(st.integers(1, 5)),
        draw(st.integers(1, 999999)),
    )


@given(code_inputs())
def test_compose_then_parse_round_trip(
    inputs: tuple[str, str, int, str | None, int, str | None, int, int, int],
) -> None:
    name, org_type, route, region, sequence, province, year, level, serial = inputs
    profile = load_profile(name)
    filing_code = compose_filing_code(
        profile, org_type, route, region, sequence, province_code=province
    )
    filing = parse_filing_code(filing_code, profile)
    assert isinstance(filing, FilingCode)
    assert (filing.org_type, int(filing.route), filing.region_code, int(filing.sequence)) == (
        org_type,
        route,
        region,
        sequence,
    )
    assert filing.province_code == (province or profile.province_code)
    number = compose_certificate_number(profile, filing, year, level, serial)
    assert len(number) == 22
    parsed = parse_certificate_number(number, profile)
    assert parsed.filing == filing
    assert (parsed.year, parsed.level, parsed.serial) == (year, level, serial)


def test_ministry_route_is_a_province_rule() -> None:
    """Chongqing (000 附件5 二(二)) and the national rule accept a ministry-assigned route; Anhui
    (003 附件3 第一部分 二(二)) does not, for filing codes and certificate numbers alike."""
    assert parse_filing_code("S000150000017", load_profile("chongqing")).segments[1].value == "0001"
    assert "由部赋码0002" in parse_filing_code("S000252000001", load_profile("national")).segments[1].meaning
    with pytest.raises(ValidationError, match="固定为0000") as info:
        parse_certificate_number("S000934010001263000046", load_profile("anhui"))
    assert info.value.field == "certificate_number"


def test_a_region_code_missing_from_a_table_with_gaps_lists_the_codes_there_are() -> None:
    """Anhui's table has no 09 though its codes run 00–30: a range would hide the gap."""
    with pytest.raises(ValidationError) as info:
        parse_certificate_number("S000034090001203000001", load_profile("anhui"))
    message = info.value.message
    assert "可用的代码：00 省直、01 合肥市" in message and "08 安庆市、10 黄山市" in message
    assert "09 " not in message and "00–30" not in message
