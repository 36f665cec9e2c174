"""Import QA round 4: a value of the wrong kind is named in Chinese (never a Python type name),
and a TRUE/FALSE cell in the ID column is a logical value, not "empty"."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from app.errors import ValidationError
from app.rules.codes import compose_filing_code, parse_certificate_number, parse_filing_code
from app.rules.idcard import validate_id, value_kind
from app.rules.profiles import load_profile

# an ASCII word in a message: a Python type name (date, bool, float, NoneType …) leaking out
_ENGLISH_WORD = re.compile(r"(?<![A-Za-z])(?!TRUE|FALSE|Excel|X)[A-Za-z]{3,}")


def _message(fn, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        fn(*args)
    return exc.value.message


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (None, "空白"),
        (True, "逻辑值 TRUE/FALSE"),
        (dt.datetime(2020, 1, 1, 8, 0), "日期时间"),
        (dt.date(2020, 1, 1), "日期"),
        (dt.time(8, 30), "时间"),
        (dt.timedelta(hours=1), "时间"),
        (1.5, "数字"),
        (Decimal("2"), "数字"),
        ("x", "文本"),
        ([1, 2], "无法识别的内容"),
    ],
)
def test_value_kinds_are_chinese(value: object, kind: str) -> None:
    assert value_kind(value) == kind


@pytest.mark.parametrize("value", [True, False])
def test_a_logical_value_in_the_id_column_is_not_called_empty(value: bool) -> None:
    message = _message(validate_id, "201", value)
    assert "逻辑值 TRUE/FALSE" in message and "不是证件号码" in message
    assert "为空" not in message
    assert "文本" in message  # what to do: format the column as text and type the number


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (dt.date(2020, 1, 1), "日期"),
        (dt.datetime(2020, 1, 1, 8, 0), "日期时间"),
        (dt.time(8, 30), "时间"),
        ([1, 2], "无法识别的内容"),
    ],
)
def test_a_date_or_time_in_the_id_column_is_named_in_chinese(value: object, kind: str) -> None:
    message = _message(validate_id, "201", value)
    assert f"该单元格却是{kind}" in message and "应为文本" in message
    assert "设置单元格格式为“文本”" in message
    assert not _ENGLISH_WORD.search(message), message


@pytest.mark.parametrize("value", [dt.date(2020, 1, 1), 5002023000012345, True, None])
def test_codes_name_a_wrong_kind_in_chinese(value: object) -> None:
    profile = load_profile("chongqing")
    for fn in (parse_filing_code, parse_certificate_number):
        message = _message(fn, value, profile)
        assert "应为文本，实为" in message and "请按" in message
        assert not _ENGLISH_WORD.search(message), message


@pytest.mark.parametrize("route", [1.5, None, True])
def test_a_route_of_the_wrong_kind_is_named_in_chinese(route: object) -> None:
    profile = load_profile("chongqing")
    message = _message(compose_filing_code, profile, "S", route, 4, 1)
    assert "备案途径代码应为数字，实为" in message and "0000–9999" in message
    assert not _ENGLISH_WORD.search(message), message
