"""Skill levels 1–5 (all seeds; 000 附件5 二(七)) and the per-profile scope checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from app.errors import ValidationError
from app.rules.profile_model import LevelScope, Profile


@dataclass(frozen=True)
class Level:
    code: int
    name: str  # full name, e.g. "三级/高级工"
    short: str  # e.g. "高级工"
    column: str  # column heading in the results summary table (003 附件4)


LEVELS: Final[dict[int, Level]] = {
    1: Level(1, "一级/高级技师", "高级技师", "高级技师"),
    2: Level(2, "二级/技师", "技师", "技师"),
    3: Level(3, "三级/高级工", "高级工", "高级"),
    4: Level(4, "四级/中级工", "中级工", "中级"),
    5: Level(5, "五级/初级工", "初级工", "初级"),
}

# Summary-table column order (003 附件4): 初级 … 高级技师, i.e. level 5 first.
SUMMARY_COLUMNS: Final[tuple[str, ...]] = tuple(LEVELS[c].column for c in (5, 4, 3, 2, 1))


def _level(code: int | str) -> Level:
    try:
        number = int(str(code).strip())
    except ValueError:
        number = 0
    if number not in LEVELS:
        raise ValidationError(
            f"职业技能等级代码“{code}”无效：应为1–5（1=一级/高级技师 … 5=五级/初级工）。",
            field="level",
        )
    return LEVELS[number]


def get_level(code: int | str) -> Level:
    """The Level for code 1–5 (int or digit text); ValidationError otherwise."""
    return _level(code)


def level_name(code: int | str, *, short: bool = False) -> str:
    level = _level(code)
    return level.short if short else level.name


def scope_text(scope: LevelScope) -> str:
    """A level scope as the organisation page and the first-run wizard offer it:
    "区县范围（3–5级：高级工、中级工、初级工）"; levels that are not a run are listed."""
    levels = scope.levels
    if len(levels) > 2 and list(levels) == list(range(levels[0], levels[-1] + 1)):
        span = f"{levels[0]}–{levels[-1]}级"
    else:
        span = "、".join(str(x) for x in levels) + "级"
    return f"{scope.label}（{span}：{'、'.join(LEVELS[x].short for x in levels)}）"


def scope_holder(scope: LevelScope) -> str:
    """Who a level scope applies to, for messages: "区县范围" → "区县范围的评价机构";
    a label that already names the organisation ("试点评价机构") is used as it is."""
    return scope.label if scope.label.endswith("机构") else f"{scope.label}的评价机构"


def unknown_scope(profile: Profile, key: str, field: str = "scope_level") -> ValidationError:
    """The refusal of a 机构级别 (level-scope key) that ``profile`` does not have, with the choices."""
    rule = profile.levels
    known = "、".join(f"{s.key}（{s.label}）" for s in rule.scopes)
    return ValidationError(
        f"机构级别“{key}”不是{profile.display_name}规则中的评价范围：请选择 {known}"
        f"（依据：{rule.source}）。",
        field=field,
    )


def check_level_allowed(profile: Profile, level: int | str, org_scope: str | None = None) -> None:
    """Raise ValidationError if the profile does not let an organisation of ``org_scope``
    (a key from the profile's level scopes; default: the profile's default scope) certify ``level``."""
    lvl = _level(level)
    rule = profile.levels
    key = org_scope or rule.default_scope
    scope = rule.scope(key)
    if scope is None:
        raise unknown_scope(profile, key, field="org_scope")
    if lvl.code not in scope.levels:
        allowed = "、".join(LEVELS[c].name for c in scope.levels)
        raise ValidationError(
            f"{profile.display_name}规定{scope_holder(scope)}只能认定{allowed}，"
            f"不能认定{lvl.name}（依据：{rule.source}）。请调整认定等级或核对机构备案范围。",
            field="level",
        )


def check_work_type_count(profile: Profile, count: int) -> None:
    """Raise ValidationError when an organisation would exceed the profile's work-type limit."""
    limit = profile.work_types.max_work_types
    if limit is not None and count > limit:
        raise ValidationError(
            f"{profile.display_name}规定每个评价机构评价职业（工种）不得超过{limit}个，"
            f"当前为{count}个（依据：{profile.work_types.source}）。请减少职业（工种）。",
            field="work_types",
        )


def check_scope_region(profile: Profile, scope_key: str, region_code: str | None) -> None:
    """ValidationError when the 机构级别 does not go with where the filing code says the
    organisation was filed (positions 8–9), for profiles that tie the two (Chongqing)."""
    scope = profile.levels.scope(scope_key)
    if scope is None or region_code is None or scope.fits_region(region_code):
        return
    place = profile.filing_code.regions.get(region_code, region_code)
    fitting = [s.label for s in profile.levels.scopes if s.fits_region(region_code)]
    raise ValidationError(
        f"机构级别“{scope.label}”与备案编码第8–9位备案地代码“{region_code}”（{place}）不符"
        f"（依据：{scope.regions_source}）"
        + (f"：该备案地对应“{'、'.join(fitting)}”" if fitting else "")
        + "。请核对机构级别或备案编码。",
        field="scope_level",
    )
