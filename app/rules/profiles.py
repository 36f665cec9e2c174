"""Load and validate province profiles from ``resources/rules/*.toml``.

Every problem in a profile file is a ConfigurationError naming the file and the dotted
key (e.g. ``publicity.days``). Unknown keys are refused too, so a typo cannot silently
fall back to a default. The key reference is the commented ``national.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, cast

from app.errors import ConfigurationError
from app.paths import resources_dir
from app.rules.profile_model import (
    DAY_UNITS,
    FILING_ANCHORS,
    FILING_LAYOUT_KINDS,
    NATIONAL_PROVINCE_CODE,
    ORG_FORM_BASICS,
    ORG_FORM_SCOPE_COLUMNS,
    SERIAL_SCOPES,
    CertificateStyle,
    FilingCodeLayout,
    FilingValidityRule,
    FontCandidate,
    LevelRule,
    LevelScope,
    OrganisationFormRule,
    PlanFilingRule,
    Profile,
    PublicityRule,
    ResultsFilingRule,
    RetentionRule,
    ScoringRule,
    SerialRule,
    StaffingRule,
    WorkTypeRule,
)
from app.rules.regions import PROVINCES

DEFAULT_PROFILE = "national"
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TYPE_NAMES = {str: "字符串", int: "整数", bool: "布尔值", list: "数组", dict: "表"}
T = TypeVar("T")


def profiles_dir() -> Path:
    return resources_dir() / "rules"


class _Table:
    """One TOML table; reads typed values and remembers which keys were used."""

    def __init__(self, file: Path, prefix: str, data: dict[str, Any]) -> None:
        self.file, self.prefix, self.data = file, prefix, data
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def fail(self, name: str, problem: str) -> ConfigurationError:
        return ConfigurationError(
            f"省份配置文件“{self.file}”有误：键“{self.key(name)}”{problem}。请修正该文件后重新启动。"
        )

    def get(self, name: str, kind: type[T], *, optional: bool = False) -> T | None:
        self.used.add(name)
        if name not in self.data:
            if optional:
                return None
            raise self.fail(name, "缺失")
        value = self.data[name]
        # bool is a subclass of int: never accept true/false where a number is expected.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(
                name,
                f"类型应为{_TYPE_NAMES.get(kind, kind.__name__)}，实为{_TYPE_NAMES.get(type(value), type(value).__name__)}",
            )
        return value

    def req(self, name: str, kind: type[T]) -> T:
        return cast(T, self.get(name, kind))

    def text(self, name: str) -> str:
        value = self.req(name, str)
        if not value.strip():
            raise self.fail(name, "不能为空")
        return value

    def count(self, name: str, *, minimum: int = 0, optional: bool = False) -> int | None:
        value = self.get(name, int, optional=optional)
        if value is not None and value < minimum:
            raise self.fail(name, f"应不小于{minimum}，实为{value}")
        return value

    def choice(self, name: str, allowed: tuple[str, ...], *, optional: bool = False) -> str | None:
        value = self.get(name, str, optional=optional)
        if value is not None and value not in allowed:
            raise self.fail(name, f"取值“{value}”无效，应为：{'、'.join(allowed)}")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        items = self.req(name, list)
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{name}[{i}]", "应为非空字符串")
        return tuple(items)

    def pairs(self, name: str, allowed: Mapping[str, str]) -> tuple[tuple[str, str], ...] | None:
        """An optional list of [key, label] pairs, each key one of `allowed` and used once."""
        items = self.get(name, list, optional=True)
        if items is None:
            return None
        seen: set[str] = set()
        for i, item in enumerate(items):
            if not (
                isinstance(item, list) and len(item) == 2
                and all(isinstance(x, str) and x.strip() for x in item)
            ):  # fmt: skip
                raise self.fail(f"{name}[{i}]", "应为 [键, 表中名称] 两个非空字符串")
            if item[0] not in allowed:
                raise self.fail(
                    f"{name}[{i}]", f"的键“{item[0]}”无效，应为：{'、'.join(allowed)}"
                )
            if item[0] in seen:
                raise self.fail(f"{name}[{i}]", f"的键“{item[0]}”重复")
            seen.add(item[0])
        if not items:
            raise self.fail(name, "不能为空")
        return tuple((k, label) for k, label in items)

    def optional_text(self, name: str) -> str | None:
        value = self.get(name, str, optional=True)
        if value is not None and not value.strip():
            raise self.fail(name, "不能为空（不需要时删去该键）")
        return value

    def sub(self, name: str) -> _Table:
        return _Table(self.file, self.key(name), self.req(name, dict))

    def subs(self, name: str) -> list[_Table]:
        items = self.req(name, list)
        tables = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail(f"{name}[{i}]", "应为表")
            tables.append(_Table(self.file, f"{self.key(name)}[{i}]", item))
        return tables

    def close(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            raise self.fail(extra[0], "不是可识别的配置项（拼写错误？）")


def _read_table(table: _Table, build: Callable[[_Table], T]) -> T:
    result = build(table)
    table.close()
    return result


def _filing_layout(t: _Table) -> FilingCodeLayout:
    kind = t.choice("kind", FILING_LAYOUT_KINDS)
    source = t.text("source")
    ministry = t.get("ministry_route", bool, optional=True)
    route = {
        "ministry_route": True if ministry is None else ministry,
        "route_source": t.text("route_source") if "route_source" in t.data else "",
    }
    if ministry is False and not route["route_source"]:
        raise t.fail("route_source", "缺失（ministry_route = false 须注明依据）")
    if kind == "serial6":
        if "regions" in t.data:
            raise t.fail("regions", "不适用于kind = “serial6”")
        return FilingCodeLayout("serial6", "", MappingProxyType({}), source, **route)
    label = t.text("region_label")
    regions_table = t.sub("regions")
    regions: dict[str, str] = {}
    for code in regions_table.data:
        if not re.fullmatch(r"\d{2}", code):
            raise regions_table.fail(code, "应为两位数字代码")
        regions[code] = regions_table.text(code)
    regions_table.close()
    if not regions:
        raise t.fail("regions", "不能为空")
    return FilingCodeLayout(
        cast(Any, kind), label, MappingProxyType(dict(sorted(regions.items()))), source, **route
    )


def _levels(t: _Table) -> LevelRule:
    scopes: list[LevelScope] = []
    for st in t.subs("scopes"):
        key, label = st.text("key"), st.text("label")
        levels = st.req("levels", list)
        if not levels or any(
            isinstance(x, bool) or not isinstance(x, int) or not 1 <= x <= 5 for x in levels
        ):
            raise st.fail("levels", "应为由1–5的整数组成的非空数组")
        regions = st.texts("regions") if "regions" in st.data else ()
        regions_except = st.texts("regions_except") if "regions_except" in st.data else ()
        if regions and regions_except:
            raise st.fail("regions_except", "不能与regions同时设置")
        regions_source = st.text("regions_source") if regions or regions_except else ""
        st.close()
        scopes.append(
            LevelScope(key, label, tuple(sorted(set(levels))), regions, regions_except, regions_source)
        )
    if not scopes:
        raise t.fail("scopes", "不能为空")
    default = t.text("default_scope")
    if default not in {s.key for s in scopes}:
        raise t.fail("default_scope", f"“{default}”不是已定义的范围")
    return LevelRule(tuple(scopes), default, t.text("source"))


def _results_filing(t: _Table) -> ResultsFilingRule:
    anchor = t.choice("anchor", FILING_ANCHORS, optional=True)
    days = t.count("working_days", minimum=1, optional=anchor is None)
    if anchor is None and days is not None:
        raise t.fail("working_days", "只能与anchor一起设置")
    return ResultsFilingRule(cast(Any, anchor), days, t.text("source"))


_REMINDER_KEYS = ("renewal_reminder_days", "renewal_reminder_source")


def _filing_validity(t: _Table) -> FilingValidityRule:
    """The reminder lead is required (with its own source) unless the filing continues by itself,
    where it would mean nothing and is refused rather than silently ignored."""
    years = cast(int, t.count("years", minimum=1))
    notice = t.count("renewal_notice_days", minimum=1, optional=True)
    auto = t.req("auto_renew", bool)
    if auto:
        for key in _REMINDER_KEYS:
            if key in t.data:
                raise t.fail(key, "不适用于auto_renew = true（期满自动延续，无需申请）")
        reminder, reminder_source = None, ""
    else:
        reminder = t.count("renewal_reminder_days", minimum=1)
        reminder_source = t.text("renewal_reminder_source")
    return FilingValidityRule(years, notice, auto, t.text("source"), reminder, reminder_source)


def _organisation_form(t: _Table) -> OrganisationFormRule:
    """[organisation]: the form's boxes and source; its title, fields, columns and pledge where
    the province's form gives them (the app's own layout otherwise)."""
    rule = OrganisationFormRule(t.texts("natures"), t.text("source"))
    given: dict[str, Any] = {
        "title": t.optional_text("form_title"),
        "basics": t.pairs("basics", ORG_FORM_BASICS),
        "scope_title": t.optional_text("scope_title"),
        "scope_columns": t.pairs("scope_columns", ORG_FORM_SCOPE_COLUMNS),
        "pledge_title": t.optional_text("pledge_title"),
        "pledge": t.optional_text("pledge"),
        "form_note": t.optional_text("form_note"),
    }
    if (given["pledge"] is None) != (given["pledge_title"] is None):
        raise t.fail("pledge", "与pledge_title应同时给出或同时省略")
    return replace(rule, **{k: v for k, v in given.items() if v is not None})


def _fonts(t: _Table) -> CertificateStyle:
    fonts = []
    for ft in t.subs("fonts"):
        fonts.append(
            FontCandidate(
                ft.text("family"), ft.texts("aliases"), ft.texts("files"), ft.req("bundled", bool)
            )
        )
        ft.close()
    if not fonts:
        raise t.fail("fonts", "不能为空")
    return CertificateStyle(t.text("template"), tuple(fonts), t.text("source"))


def _parse_profile(file: Path, data: dict[str, Any]) -> Profile:
    root = _Table(file, "", data)
    head = root.sub("profile")
    name = head.text("name")
    if not _NAME_RE.match(name):
        raise head.fail("name", "只能包含小写字母、数字和下划线")
    display = head.text("display_name")
    code = head.text("province_code")
    if code != NATIONAL_PROVINCE_CODE and code not in PROVINCES:
        raise head.fail("province_code", f"“{code}”不是有效的省级代码（全国通用配置用“00”）")
    sources = head.texts("sources")
    head.close()
    names = dict(PROVINCES) if code == NATIONAL_PROVINCE_CODE else {code: display}

    def sec(key: str, build: Callable[[_Table], T]) -> T:
        return _read_table(root.sub(key), build)

    profile = Profile(
        name=name,
        display_name=display,
        province_code=code,
        province_names=MappingProxyType(names),
        sources=sources,
        filing_code=sec("filing_code", _filing_layout),
        serial=sec(
            "certificate_serial",
            lambda t: SerialRule(cast(Any, t.choice("scope", SERIAL_SCOPES)), t.text("source")),
        ),
        plan_filing=sec(
            "plan_filing",
            lambda t: PlanFilingRule(
                cast(int, t.count("working_days", minimum=1)), t.text("source")
            ),
        ),
        publicity=sec(
            "publicity",
            lambda t: PublicityRule(
                cast(int, t.count("days", minimum=1)),
                cast(Any, t.choice("unit", DAY_UNITS)),
                t.text("source"),
            ),
        ),
        results_filing=sec("results_filing", _results_filing),
        levels=sec("levels", _levels),
        work_types=sec(
            "work_types",
            lambda t: WorkTypeRule(
                t.count("max_work_types", minimum=1, optional=True), t.text("source")
            ),
        ),
        filing_validity=sec("filing_validity", _filing_validity),
        retention=sec(
            "retention",
            lambda t: RetentionRule(
                cast(int, t.count("paper_years", minimum=1)),
                cast(int, t.count("electronic_years", minimum=1)),
                t.text("source"),
            ),
        ),
        scoring=sec(
            "scoring",
            lambda t: ScoringRule(
                cast(int, t.count("pass_mark", minimum=1)),
                cast(int, t.count("full_mark", minimum=1)),
                t.text("source"),
            ),
        ),
        staffing=sec(
            "staffing",
            lambda t: StaffingRule(
                cast(int, t.count("skill_examiners", minimum=1)),
                cast(int, t.count("theory_proctors", minimum=1)),
                cast(int, t.count("supervisors_per_batch", minimum=1)),
                t.text("source"),
            ),
        ),
        certificate=sec("certificate", _fonts),
        organisation_form=sec("organisation", _organisation_form),
    )
    root.close()
    if profile.scoring.pass_mark > profile.scoring.full_mark:
        raise _Table(file, "scoring", {}).fail("pass_mark", "不能大于full_mark")
    return profile


def load_profile_file(path: str | Path) -> Profile:
    """Read and validate one profile file (any path; used by tests and by load_profile)."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ConfigurationError(f"无法读取省份配置文件“{file}”：{exc.strerror or exc}。") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(
            f"省份配置文件“{file}”格式错误（应为UTF-8编码的TOML）：{exc}。请修正该文件。"
        ) from exc
    return _parse_profile(file, data)


@lru_cache(maxsize=32)
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """The bundled profile ``name`` (e.g. "chongqing"); the default is the national profile."""
    if not _NAME_RE.match(name):
        raise ConfigurationError(f"省份配置名称“{name}”无效：只能包含小写字母、数字和下划线。")
    file = profiles_dir() / f"{name}.toml"
    if not file.is_file():
        available = "、".join(p.stem for p in sorted(profiles_dir().glob("*.toml"))) or "（无）"
        raise ConfigurationError(
            f"找不到省份配置“{name}”（文件“{file}”）。可用的配置：{available}。"
        )
    profile = load_profile_file(file)
    if profile.name != name:
        raise ConfigurationError(
            f"省份配置文件“{file}”有误：键“profile.name”应为“{name}”（与文件名一致），实为“{profile.name}”。"
        )
    return profile


def list_profiles() -> list[Profile]:
    """Every bundled profile, the national default first, then by province code."""
    profiles = [load_profile(p.stem) for p in profiles_dir().glob("*.toml")]
    return sorted(profiles, key=lambda p: (not p.is_national, p.province_code, p.name))
