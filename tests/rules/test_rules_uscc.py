from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import ValidationError
from app.rules.uscc import AUTHORITY_CODES, CHARSET, uscc_check_char, validate_uscc


def test_known_valid_code_and_normalisation() -> None:
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"
    assert validate_uscc(" ９１３５０１００m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91350100M000100Y4", "应为18位，现为17位"),
        ("91350100M000100Y44", "第18位校验码应为“3”，实为“4”"),
        ("91350100MO00100Y43", "第10位“O”不是允许的字符"),
        ("9135010IM000100Y43", "第8位“I”不是允许的字符"),
        ("B1350100M000100Y43", "第1位登记管理部门代码“B”无效"),
        ("913501A0M000100Y43", "第7位应为数字"),
        ("", "为空"),
    ],
)
def test_invalid_codes_name_the_position(raw: str, expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_uscc(raw)
    assert expected in info.value.message
    assert info.value.field == "uscc"


def test_number_from_excel_refused() -> None:
    with pytest.raises(ValidationError, match="设置单元格格式为“文本”"):
        validate_uscc(9.1350100e17)


def with_check(a: str, b: str, region: str, body: str) -> str:
    first17 = a + b + region + body
    return first17 + uscc_check_char(first17)


codes = st.builds(
    with_check,
    st.sampled_from(AUTHORITY_CODES),
    st.sampled_from(CHARSET),
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.text(alphabet=CHARSET, min_size=9, max_size=9),
)


@given(codes)
def test_generated_codes_validate(code: str) -> None:
    assert validate_uscc(code.lower()) == code


@settings(max_examples=60)
@given(codes)
def test_every_single_character_substitution_is_caught(code: str) -> None:
    for pos in range(18):
        for ch in CHARSET + "IOSVZ":
            if ch == code[pos]:
                continue
            with pytest.raises(ValidationError):
                validate_uscc(code[:pos] + ch + code[pos + 1 :])
