"""Province profiles, QA round 4: the filing's renewal reminder lead is a profile setting with its
own source, required wherever the filing has to be renewed and refused where it continues by itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import ConfigurationError
from app.rules.profiles import list_profiles, load_profile_file, profiles_dir


def test_every_profile_that_needs_renewing_reminds_with_a_cited_lead() -> None:
    for p in list_profiles():
        rule = p.filing_validity
        if rule.auto_renew:
            assert (rule.renewal_reminder_days, rule.renewal_reminder_source) == (None, ""), p.name
            continue
        assert rule.renewal_reminder_days is not None and rule.renewal_reminder_days >= 30, p.name
        # no seed states a reminder lead: each says it is practice, and what the seed does say
        assert rule.renewal_reminder_source.startswith("未规定/惯例"), p.name
        assert f"{rule.renewal_reminder_days}日" in rule.renewal_reminder_source, p.name
    by_name = {p.name: p.filing_validity for p in list_profiles()}
    assert "004 第十四条" in by_name["chongqing"].renewal_reminder_source
    assert by_name["guizhou"].auto_renew


def _variant(tmp_path: Path, profile: str, old: str, new: str) -> Path:
    text = (profiles_dir() / f"{profile}.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{profile}_broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("profile", "old", "new", "key", "problem"),
    [
        ("chongqing", "renewal_reminder_days = 60\n", "", "filing_validity.renewal_reminder_days", "缺失"),
        ("national", "renewal_reminder_days = 60\n", "renewal_reminder_days = 0\n",
         "filing_validity.renewal_reminder_days", "应不小于1"),
        ("anhui", "renewal_reminder_days = 60\n", 'renewal_reminder_days = "60"\n',
         "filing_validity.renewal_reminder_days", "类型应为整数"),
        ("chongqing", "renewal_reminder_source = ", "# ", "filing_validity.renewal_reminder_source", "缺失"),
        ("guizhou", "auto_renew = true\n", "auto_renew = true\nrenewal_reminder_days = 60\n",
         "filing_validity.renewal_reminder_days", "不适用于auto_renew = true"),
        ("guizhou", "auto_renew = true\n", 'auto_renew = true\nrenewal_reminder_source = "惯例"\n',
         "filing_validity.renewal_reminder_source", "不适用于auto_renew = true"),
    ],
)  # fmt: skip
def test_malformed_reminder_keys_are_named(
    tmp_path: Path, profile: str, old: str, new: str, key: str, problem: str
) -> None:
    path = _variant(tmp_path, profile, old, new)
    with pytest.raises(ConfigurationError) as info:
        load_profile_file(path)
    assert str(path) in str(info.value) and f"键“{key}”" in str(info.value)
    assert problem in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('["levels", "认定等级"]', '["grade", "认定等级"]', "organisation.scope_columns[3]",
         "的键“grade”无效"),
        ('["levels", "认定等级"]', '["code", "认定等级"]', "organisation.scope_columns[3]",
         "的键“code”重复"),
        ('["website", "网站"]', '["website"]', "organisation.basics[12]", "应为 [键, 表中名称]"),
        ('pledge_title = "四、诚信承诺"\n', "", "organisation.pledge", "应同时给出或同时省略"),
        ('form_title = "职业技能等级认定机构备案申请表"', 'form_title = " "',
         "organisation.form_title", "不能为空"),
    ],
)  # fmt: skip
def test_a_malformed_filing_form_layout_is_named(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    path = _variant(tmp_path, "guizhou", old, new)
    with pytest.raises(ConfigurationError) as info:
        load_profile_file(path)
    assert f"键“{key}”" in str(info.value) and problem in str(info.value)


def test_each_province_form_names_the_occupation_and_ends_with_its_pledge() -> None:
    for p in list_profiles():
        form = p.organisation_form
        keys = [k for k, _ in form.scope_columns]
        assert "name" in keys or {"occupation", "work_type"} <= set(keys), p.name
        assert form.basics[0][0] == "name", p.name
        if not p.is_national:
            assert form.pledge and form.pledge_title, p.name
