"""Identity documents: GB 11643 numbers, Excel numeric cells, other document formats, masking."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import ValidationError
from app.rules.id_types import ID_TYPES
from app.rules.idcard import (
    birth_date_from_id,
    gb11643_check_char,
    gender_from_id,
    mask_id,
    normalize_id,
    validate_id,
)
from app.rules.regions import MAINLAND_ID_PREFIXES

TODAY = date(2026, 6, 1)


def make_id(prefix6: str, born: date, seq: str) -> str:
    first17 = f"{prefix6}{born:%Y%m%d}{seq}"
    return first17 + gb11643_check_char(first17)


def wrong_check(first17: str) -> str:
    """first17 followed by a check character that is not the right one."""
    right = gb11643_check_char(first17)
    return first17 + ("0" if right != "0" else "1")


def test_id_type_table() -> None:
    assert ID_TYPES["201"] == "居民身份证"
    assert ID_TYPES["238"] == "台湾居民居住证"
    assert sorted(ID_TYPES) == sorted(
        ["201", "227", "210", "237", "213", "238", "208", "233", "239", "240", "241", "299"]
    )


def test_check_char_standard_examples() -> None:
    assert gb11643_check_char("11010519491231002") == "X"
    assert gb11643_check_char("44052418800101001") == "4"
    with pytest.raises(ValueError):
        gb11643_check_char("1234")


@pytest.mark.parametrize(
    ("raw", "number", "born", "gender"),
    [
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), "女"),
        (" 110105 19491231002x ", "11010519491231002X", date(1949, 12, 31), "女"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", date(1949, 12, 31), "女"),
    ],
)
def test_valid_resident_ids(raw: str, number: str, born: date, gender: str) -> None:
    info = validate_id("201", raw, today=TODAY)
    assert (info.number, info.birth_date, info.gender) == (number, born, gender)
    assert not info.converted_from_15 and info.warnings == ()


@pytest.mark.parametrize(
    "raw", ["110101900101123", 110101900101123, 110101900101123.0, "110101900101123.0"]
)
def test_fifteen_digit_numbers_are_converted_and_flagged(raw: object) -> None:
    info = validate_id("201", raw, today=TODAY)
    assert info.number == "110101199001011237"
    assert info.converted_from_15
    assert info.birth_date == date(1990, 1, 1)
    assert info.gender == "男"
    assert "15位" in info.warnings[0]


@pytest.mark.parametrize(
    "raw",
    [
        1.10101199001011e17,
        "1.10101199001011E+17",
        "1.10101199001011e+17",
        110101199001011000,  # int after Excel dropped the last digits
        110101199001011237,  # any number cell beyond 15 digits is unreliable
        5.00101199001011e16,
    ],
)
def test_long_numbers_from_excel_number_cells_are_refused(raw: object) -> None:
    with pytest.raises(ValidationError) as info:
        validate_id("201", raw, today=TODAY)
    assert "设置单元格格式为“文本”" in info.value.message
    assert info.value.field == "id_number"


@pytest.mark.parametrize(
    ("id_type", "raw", "expected"),
    [
        ("201", "11010519491231002", "应为18位（或15位一代号码），现为17位"),
        ("201", "11010519491231002X1", "现为19位"),
        ("201", "11010519491231A02X", "第15位“A”不是数字"),
        # a stray character is named before the length it throws off ('' from Excel, a dash)
        ("201", "'110105194912310021", "第1位“'”不是数字或X"),
        ("201", "110105-194912310021", "第7位“-”不是数字或X"),
        ("201", "110105194912310021", "第18位校验码应为“X”，实为“1”"),
        ("201", "11010519491231002Y", "第18位校验码只能是数字或X"),
        ("201", "11010519900230001X", "第7–14位出生日期“19900230”不是有效日期"),
        ("201", make_id("110105", date(2027, 1, 1), "001"), "晚于今天（2026-06-01）"),
        ("201", make_id("110105", date(1899, 12, 31), "001"), "早于1900年"),
        ("201", make_id("990105", date(1990, 1, 1), "001"), "第1–2位地址码“99”"),
        ("201", make_id("810000", date(1990, 1, 1), "001"), "港澳台居民请选择居住证类型"),
        ("201", "110101900231123", "第7–12位出生日期"),
        ("201", "", "为空"),
        ("201", None, "为空"),
        ("201", True, "逻辑值 TRUE/FALSE"),
        ("201", -5, "负号"),
        ("201", 1.5, "小数"),
        ("201", float("nan"), "不是有效的号码"),
        ("201", Decimal("NaN"), "不是有效的号码"),
        ("201", [1, 2], "应为文本"),
        ("237", make_id("110000", date(1990, 1, 1), "001"), "第1–2位应为81（香港）或82（澳门）"),
        ("238", make_id("810000", date(1990, 1, 1), "001"), "第1–2位应为83（台湾）"),
        ("238", "830000199001011", "应为18位，现为15位"),
        ("999", "11010519491231002X", "证件类型代码“999”无效"),
        ("227", "12345678", "中国护照号码一般为9位"),
        ("210", "X12345678", "H（香港）或M（澳门）"),
        ("213", "1234567", "台湾居民来往大陆通行证号码为8位数字"),
        ("233", "US3101750601011", "外国人永久居留身份证号码"),
        ("233", wrong_check("91100000199001011"), "第18位校验码应为"),
        ("208", "AB1", "5–17位"),
        ("239", "A1", "6–20位"),
        ("299", "A", "2–30位"),
    ],
)
def test_invalid_numbers_have_precise_messages(id_type: str, raw: object, expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_id(id_type, raw, today=TODAY)
    assert expected in info.value.message


def test_error_messages_never_contain_the_whole_number() -> None:
    number = "110105194912310021"
    with pytest.raises(ValidationError) as info:
        validate_id("201", number, today=TODAY)
    assert number not in info.value.message


@pytest.mark.parametrize(
    ("id_type", "raw", "number"),
    [
        (
            "237",
            make_id("810000", date(1990, 1, 1), "001"),
            make_id("810000", date(1990, 1, 1), "001"),
        ),
        (
            "237",
            make_id("820000", date(1985, 5, 5), "002"),
            make_id("820000", date(1985, 5, 5), "002"),
        ),
        (
            "238",
            make_id("830000", date(2000, 2, 29), "003"),
            make_id("830000", date(2000, 2, 29), "003"),
        ),
        ("227", "e12345678", "E12345678"),
        ("227", "EA1234567", "EA1234567"),
        ("227", "G12345678", "G12345678"),
        ("210", "h1234567 8", "H12345678"),
        ("210", "M1234567801", "M1234567801"),
        ("213", "12345678", "12345678"),
        ("213", "1234567890B", "1234567890B"),
        ("233", "USA310175060101", "USA310175060101"),
        ("208", "x1234567", "X1234567"),
        ("239", "123456789", "123456789"),
        ("240", "AB123456", "AB123456"),
        ("241", "A12345678901", "A12345678901"),
        ("299", "军官证第12345号", "军官证第12345号"),
    ],
)
def test_other_document_types(id_type: str, raw: str, number: str) -> None:
    info = validate_id(id_type, raw, today=TODAY)
    assert info.number == number
    assert info.id_type == id_type


def test_decimal_from_a_number_cell_is_recovered() -> None:
    assert validate_id("201", Decimal("110101900101123")).number == "110101199001011237"


def test_residence_permits_carry_birth_date_and_gender() -> None:
    info = validate_id("238", make_id("830000", date(2000, 2, 29), "003"), today=TODAY)
    assert (info.birth_date, info.gender) == (date(2000, 2, 29), "男")


def test_new_permanent_residence_card_uses_mod11_2() -> None:
    first17 = "93115619900101002"
    number = first17 + gb11643_check_char(first17)
    assert validate_id(233, number).number == number


def test_normalize_and_helpers() -> None:
    assert normalize_id(" ５００１０１ 1990\u3000x ") == "5001011990X"
    assert birth_date_from_id("11010519491231002x") == date(1949, 12, 31)
    assert birth_date_from_id("110101900101123") == date(1990, 1, 1)
    assert birth_date_from_id("E12345678") is None
    assert gender_from_id("11010519491231002X") == "女"
    assert gender_from_id("110101900101123") == "男"
    assert gender_from_id("E12345678") is None


def test_mask_examples() -> None:
    assert mask_id("50010119900101001X") == "500101**********1X"
    assert mask_id("50010119900101001x") == "500101**********1X"
    assert mask_id("E12345678") == "E1******8"
    assert mask_id("110101900101123") == "1101*********23"
    assert mask_id("AB") == "**"


# --- property tests ----------------------------------------------------------------------

births = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))
ids = st.builds(
    make_id,
    st.builds(
        lambda p, rest: p + rest,
        st.sampled_from(sorted(MAINLAND_ID_PREFIXES)),
        st.from_regex(r"[0-9]{4}", fullmatch=True),
    ),
    births,
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)


@given(ids)
def test_generated_ids_validate_with_their_birth_date_and_gender(number: str) -> None:
    info = validate_id("201", number, today=TODAY)
    assert info.number == number
    assert info.birth_date == birth_date_from_id(number)
    assert info.gender == ("男" if int(number[16]) % 2 else "女")


@settings(max_examples=60)
@given(ids)
def test_every_single_character_substitution_is_caught(number: str) -> None:
    for pos in range(18):
        for ch in "0123456789X":
            if ch == number[pos]:
                continue
            changed = number[:pos] + ch + number[pos + 1 :]
            with pytest.raises(ValidationError):
                validate_id("201", changed, today=TODAY)


@given(
    st.sampled_from(sorted(MAINLAND_ID_PREFIXES)),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)
def test_fifteen_to_eighteen_conversion(prefix: str, rest: str, born: date, seq: str) -> None:
    old = f"{prefix}{rest}{born:%y%m%d}{seq}"
    info = validate_id("201", int(old) if old[0] != "0" else old, today=TODAY)
    assert info.converted_from_15
    assert info.number == make_id(prefix + rest, born, seq)
    assert validate_id("201", info.number, today=TODAY).number == info.number


@given(st.text(alphabet="0123456789ABCDEFGHX", min_size=1, max_size=40))
def test_mask_never_reveals_more_than_40_percent(text: str) -> None:
    masked = mask_id(text)
    assert len(masked) == len(text)
    shown = sum(1 for ch in masked if ch != "*")
    if len(text) == 18:
        assert masked[6:16] == "*" * 10 and shown <= 8
    else:
        assert shown <= 0.4 * len(text)


@given(births.filter(lambda d: d < TODAY - timedelta(days=1)))
def test_future_check_uses_today_param(born: date) -> None:
    number = make_id("500101", born, "123")
    assert validate_id("201", number, today=born).birth_date == born
    with pytest.raises(ValidationError, match="晚于今天"):
        validate_id("201", number, today=born - timedelta(days=1))
