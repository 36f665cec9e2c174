from __future__ import annotations

import pytest

from app.errors import ValidationError
from app.rules.levels import (
    LEVELS,
    SUMMARY_COLUMNS,
    check_level_allowed,
    check_work_type_count,
    get_level,
    level_name,
)
from app.rules.profiles import load_profile


def test_level_table() -> None:
    assert [(lv.code, lv.name, lv.short) for lv in LEVELS.values()] == [
        (1, "一级/高级技师", "高级技师"),
        (2, "二级/技师", "技师"),
        (3, "三级/高级工", "高级工"),
        (4, "四级/中级工", "中级工"),
        (5, "五级/初级工", "初级工"),
    ]
    assert SUMMARY_COLUMNS == ("初级", "中级", "高级", "技师", "高级技师")
    assert level_name(3) == "三级/高级工"
    assert level_name("5", short=True) == "初级工"
    assert get_level(1).column == "高级技师"


@pytest.mark.parametrize("bad", [0, 6, "x", "", -1])
def test_bad_level_code(bad: object) -> None:
    with pytest.raises(ValidationError, match="应为1–5"):
        level_name(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("profile", "scope", "level", "ok"),
    [
        ("chongqing", "district", 3, True),
        ("chongqing", "district", 5, True),
        ("chongqing", "district", 2, False),
        ("chongqing", "district", 1, False),
        ("chongqing", "city", 1, True),
        ("chongqing", None, 1, True),  # default scope: city-wide
        ("shandong", None, 2, False),
        ("shandong", "pilot", 3, True),
        ("guizhou", None, 1, True),
        ("national", None, 1, True),
    ],
)
def test_check_level_allowed(profile: str, scope: str | None, level: int, ok: bool) -> None:
    p = load_profile(profile)
    if ok:
        check_level_allowed(p, level, scope)
    else:
        with pytest.raises(ValidationError) as info:
            check_level_allowed(p, level, scope)
        assert LEVELS[level].name in info.value.message
        assert p.levels.source in info.value.message


def test_unknown_scope_lists_choices() -> None:
    with pytest.raises(ValidationError, match="district（区县范围）"):
        check_level_allowed(load_profile("chongqing"), 3, "province")


def test_work_type_limit() -> None:
    check_work_type_count(load_profile("shandong"), 3)
    with pytest.raises(ValidationError, match="不得超过3个，当前为4个"):
        check_work_type_count(load_profile("shandong"), 4)
    check_work_type_count(load_profile("chongqing"), 40)


def test_level_refusal_names_the_organisation_once() -> None:
    with pytest.raises(ValidationError) as info:
        check_level_allowed(load_profile("shandong"), 2)
    assert "山东省规定试点评价机构只能认定" in info.value.message
    assert "评价机构的评价机构" not in info.value.message
    with pytest.raises(ValidationError) as info:
        check_level_allowed(load_profile("chongqing"), 1, "district")
    assert "重庆市规定区县范围的评价机构只能认定" in info.value.message


def test_scope_text_names_the_span_and_the_levels() -> None:
    from app.rules.levels import scope_text
    from app.rules.profile_model import LevelScope

    assert scope_text(LevelScope("district", "区县范围", (3, 4, 5))) == (
        "区县范围（3–5级：高级工、中级工、初级工）"
    )
    assert scope_text(LevelScope("x", "试点", (2, 4))) == "试点（2、4级：技师、中级工）"
    assert scope_text(LevelScope("y", "全部", (1, 2))) == "全部（1、2级：高级技师、技师）"


def test_chongqing_scope_goes_with_where_the_organisation_was_filed() -> None:
    """004 第六条: filed with the city (备案地代码 00) = 全市范围, with a district = 区县范围."""
    from app.rules.levels import check_scope_region

    cq = load_profile("chongqing")
    check_scope_region(cq, "city", "00")
    check_scope_region(cq, "district", "06")
    with pytest.raises(ValidationError, match=r"机构级别“区县范围”与备案编码第8–9位备案地代码“00”（重庆市）不符") as info:
        check_scope_region(cq, "district", "00")
    assert "004 第六条" in info.value.message and "该备案地对应“全市范围”" in info.value.message
    assert info.value.field == "scope_level"
    with pytest.raises(ValidationError, match="“06”（江北区）不符"):
        check_scope_region(cq, "city", "06")
    for name in ("national", "guizhou", "shandong", "anhui"):  # no such tie: anything goes
        profile = load_profile(name)
        for scope in profile.levels.scopes:
            check_scope_region(profile, scope.key, "00")
            check_scope_region(profile, scope.key, "06")
