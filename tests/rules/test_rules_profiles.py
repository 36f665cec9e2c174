"""Province profiles: bundled data matches the seeds; malformed files are named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import ConfigurationError
from app.rules.profiles import list_profiles, load_profile, load_profile_file, profiles_dir
from app.rules.regions import PROVINCES

NAMES = ["national", "chongqing", "guizhou", "shandong", "anhui"]


def test_all_bundled_profiles_load_and_national_comes_first() -> None:
    profiles = list_profiles()
    assert [p.name for p in profiles] == ["national", "anhui", "shandong", "chongqing", "guizhou"]
    assert profiles[0].is_national and profiles[0].province_code == "00"
    assert dict(profiles[0].province_names) == dict(PROVINCES)


@pytest.mark.parametrize(
    ("name", "display", "code", "kind", "plan", "publicity", "results", "scope"),
    [
        (
            "chongqing",
            "重庆市",
            "50",
            "district+sequence",
            10,
            (5, "working"),
            (None, None),
            "organisation",
        ),
        (
            "guizhou",
            "贵州省",
            "52",
            "serial6",
            7,
            (5, "working"),
            ("assessment_end", 10),
            "year_level",
        ),
        ("shandong", "山东省", "37", "serial6", 5, (5, "working"), (None, None), "year_level"),
        (
            "anhui",
            "安徽省",
            "34",
            "city+sequence",
            10,
            (7, "calendar"),
            ("publicity_end", 10),
            "year_level",
        ),
    ],
)
def test_province_rules_match_the_seeds(
    name: str,
    display: str,
    code: str,
    kind: str,
    plan: int,
    publicity: tuple[int, str],
    results: tuple[str | None, int | None],
    scope: str,
) -> None:
    p = load_profile(name)
    assert (p.display_name, p.province_code, p.filing_code.kind) == (display, code, kind)
    assert p.plan_filing.working_days == plan
    assert (p.publicity.days, p.publicity.unit) == publicity
    assert (p.results_filing.anchor, p.results_filing.working_days) == results
    assert p.serial.scope == scope
    assert dict(p.province_names) == {code: display}


def test_seed_citations() -> None:
    cq = load_profile("chongqing")
    assert cq.plan_filing.source == "000 二(四)1"
    assert cq.publicity.source == "000 二(四)3"
    assert "004 第十四条" in cq.filing_validity.source
    assert load_profile("guizhou").plan_filing.source == "001 五(三)1"
    assert load_profile("guizhou").publicity.source.startswith("未规定/惯例")
    assert load_profile("shandong").plan_filing.source == "002 四(一)"
    assert load_profile("anhui").publicity.source.startswith("003 五(三)")
    for p in list_profiles():
        for rule in (p.filing_code, p.serial, p.plan_filing, p.publicity, p.results_filing,
                     p.levels, p.work_types, p.filing_validity, p.retention, p.scoring,
                     p.staffing, p.certificate):  # fmt: skip
            assert rule.source.strip(), (p.name, rule)


def test_chongqing_district_table_transcribed_from_seed_000() -> None:
    regions = load_profile("chongqing").filing_code.regions
    assert list(regions) == [f"{i:02d}" for i in range(42)]
    assert regions["00"] == "重庆市"
    assert regions["05"] == "大渡口区"
    assert regions["18"] == "綦江区"
    assert regions["30"] == "忠县"
    assert regions["39"] == "两江新区"
    assert regions["40"] == "万盛经开区"
    assert regions["41"] == "重庆高新区"


def test_anhui_city_table_transcribed_from_seed_003() -> None:
    regions = load_profile("anhui").filing_code.regions
    assert dict(regions) == {
        "00": "省直", "01": "合肥市", "02": "芜湖市", "03": "蚌埠市", "04": "淮南市",
        "05": "马鞍山市", "06": "淮北市", "07": "铜陵市", "08": "安庆市", "10": "黄山市",
        "11": "滁州市", "12": "阜阳市", "13": "宿州市", "24": "六安市", "25": "宣城市",
        "29": "池州市", "30": "亳州市",
    }  # fmt: skip


def test_scope_validity_retention_and_conventions() -> None:
    cq = load_profile("chongqing")
    assert {s.key: s.levels for s in cq.levels.scopes} == {
        "city": (1, 2, 3, 4, 5),
        "district": (3, 4, 5),
    }
    sd = load_profile("shandong")
    assert sd.levels.scope("pilot").levels == (3, 4, 5)  # type: ignore[union-attr]
    assert sd.work_types.max_work_types == 3
    assert cq.work_types.max_work_types is None
    assert (cq.filing_validity.years, cq.filing_validity.renewal_notice_days) == (3, 30)
    assert load_profile("guizhou").filing_validity.auto_renew is True
    assert load_profile("anhui").filing_validity.renewal_notice_days is None
    for p in list_profiles():
        assert (p.retention.paper_years, p.retention.electronic_years) == (3, 5)
        assert (p.scoring.pass_mark, p.scoring.full_mark) == (60, 100)
        assert (p.staffing.skill_examiners, p.staffing.theory_proctors) == (3, 2)
        assert p.staffing.supervisors_per_batch == 1
        assert p.filing_validity.years == 3
        fonts = p.certificate.fonts
        assert [f.family for f in fonts] == ["华文楷体", "楷体", "霞鹜文楷"]
        assert "STKaiti" in fonts[0].aliases and "simkai.ttf" in fonts[1].files
        assert "LXGW WenKai" in fonts[2].aliases and fonts[2].bundled and not fonts[0].bundled
        assert p.certificate.template


# --- malformed files -------------------------------------------------------------------


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (profiles_dir() / "chongqing.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ("days = 5\n", "", "publicity.days", "缺失"),
        ("days = 5\n", 'days = "5"\n', "publicity.days", "类型应为整数，实为字符串"),
        ("days = 5\n", "days = true\n", "publicity.days", "类型应为整数"),
        ('unit = "working"', 'unit = "weeks"', "publicity.unit", "取值“weeks”无效"),
        ("working_days = 10\n", "working_days = 0\n", "plan_filing.working_days", "应不小于1"),
        ('"41" = "重庆高新区"', '"4A" = "重庆高新区"', "filing_code.regions.4A", "两位数字"),
        ("levels = [3, 4, 5]", "levels = [3, 6]", "levels.scopes[1].levels", "1–5"),
        (
            'province_code = "50"',
            'province_code = "99"',
            "profile.province_code",
            "不是有效的省级代码",
        ),
        ("[staffing]\n", "[staffing]\nproctors = 2\n", "staffing.proctors", "不是可识别的配置项"),
        ("[retention]\n", "[retentoin]\n", "retention", "缺失"),
        ('regions_except = ["00"]\n', 'regions = ["01"]\nregions_except = ["00"]\n',
         "levels.scopes[1].regions_except", "不能与regions同时设置"),
        ('regions_source = "004 第六条（全市范围', 'regions_source = "" # ',
         "levels.scopes[0].regions_source", "不能为空"),
        ('region_label = "备案地"\n', 'region_label = "备案地"\nministry_route = false\n',
         "filing_code.route_source", "须注明依据"),
        ('region_label = "备案地"\n', 'region_label = "备案地"\nministry_route = "no"\n',
         "filing_code.ministry_route", "类型应为"),
    ],
)
def test_malformed_profile_names_file_and_key(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    path = _variant(tmp_path, old, new)
    with pytest.raises(ConfigurationError) as info:
        load_profile_file(path)
    message = str(info.value)
    assert str(path) in message
    assert f"键“{key}”" in message
    assert problem in message


def test_toml_syntax_error_names_file(tmp_path: Path) -> None:
    path = _variant(tmp_path, "days = 5\n", "days = = 5\n")
    with pytest.raises(ConfigurationError, match="格式错误") as info:
        load_profile_file(path)
    assert str(path) in str(info.value)


def test_missing_file_and_unknown_names() -> None:
    with pytest.raises(ConfigurationError, match="找不到省份配置“beijing”"):
        load_profile("beijing")
    with pytest.raises(ConfigurationError, match=r"名称“\.\./chongqing”无效"):
        load_profile("../chongqing")
    with pytest.raises(ConfigurationError, match="无法读取"):
        load_profile_file("/nonexistent/x.toml")


def test_profile_copy_under_another_name_loads_via_file(tmp_path: Path) -> None:
    path = tmp_path / "copy.toml"
    path.write_text((profiles_dir() / "anhui.toml").read_text(encoding="utf-8"), encoding="utf-8")
    assert load_profile_file(path).name == "anhui"
