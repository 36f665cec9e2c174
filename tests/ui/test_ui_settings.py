"""设置 page: province rules (choose + refusal), holiday table import, system tab."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from app.models import Organisation
from app.rules.profiles import list_profiles
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.calendar import list_days, load_calendar
from app.services.settings import idle_lock_minutes
from app.ui.pages.settings import SettingsPage
from app.ui.pages.settings_profile import profile_rules


def _page(qtbot: QtBot, db: Database, actor: Actor) -> SettingsPage:
    page = SettingsPage(db, actor)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    return page


def test_profile_rules_have_every_item_with_a_source() -> None:
    for profile in list_profiles():
        rows = profile_rules(profile)
        assert [r[0] for r in rows] == [
            "计划报备提前工作日",
            "公示期最短",
            "结果报备时限",
            "证书流水号范围",
            "等级范围",
            "工种数上限",
            "备案有效期/续期提醒",
            "档案保管年限",
            "合格线",
            "人员配备最低数",
            "证书字体",
        ]
        assert all(value and source for _item, value, source in rows), profile.name


def test_choose_profile_and_refusal(
    qtbot: QtBot, db: Database, messages: list[tuple[str, str]]
) -> None:
    from app.services.demo import build_demo
    from app.services.users import authenticate

    build_demo(db, "Demo#2026")
    with db.session() as s:
        admin = authenticate(s, "admin", "Demo#2026")
    page = _page(qtbot, db, admin)
    tab = page.profile
    assert tab.current_name == "chongqing"
    assert "重庆市" in tab.current_label.text()
    assert tab.table.rowCount() == 11
    assert tab.table.item(0, 2).text() == "000 二(四)1"  # the source column

    tab.combo.setCurrentIndex(tab.combo.findData("shandong"))  # filing code S0000 50 … is 重庆
    assert tab.table.item(0, 2).text() != ""  # preview of the chosen profile's rules
    tab.apply_button.click()
    assert messages[-1][0] == "warning"
    assert "不符合" in messages[-1][1] and "S000050000017" in messages[-1][1]
    assert "新备案编码" in messages[-1][1]  # the way out is on this page
    assert tab.combo.currentData() == "shandong"  # kept, to type the new code next to it
    with db.session() as s:
        assert s.query(Organisation).one().profile_name == "chongqing"

    # With Shandong's code the demo's scope (levels 1–2, more than 3 work types) is the obstacle.
    tab.filing_code.setText("S000037000001")
    tab.apply_button.click()
    assert messages[-1][0] == "warning" and "不能改用山东省规则" in messages[-1][1]
    assert "不得超过3个" in messages[-1][1] and "备案范围" in messages[-1][1]
    assert tab.combo.currentData() == "chongqing"  # back to the one in force

    # Guizhou: the new code and the profile in one step.
    tab.combo.setCurrentIndex(tab.combo.findData("guizhou"))
    assert tab.scope_level.isHidden()  # Guizhou has one level scope
    tab.filing_code.setText("S0000５２001001")
    tab.apply_button.click()
    assert messages[-1][0] == "information"
    # the demo's 社会组织 is no box of Guizhou's form: said at the switch, with what to do
    assert "注意：机构性质“社会组织”不是贵州省基本情况表中的选项" in messages[-1][1]
    assert "请到“机构与备案”页面重新选择机构性质" in messages[-1][1]
    with db.session() as s:
        org = s.query(Organisation).one()
        assert (org.profile_name, org.filing_code) == ("guizhou", "S000052001001")
    assert tab.filing_code.text() == ""

    tab.combo.setCurrentIndex(tab.combo.findData("national"))
    tab.apply_button.click()
    assert messages[-1][0] == "information" and "注意" not in messages[-1][1]  # any text
    with db.session() as s:
        assert s.query(Organisation).one().profile_name == "national"
        assert verify_audit(s).ok
    assert tab.current_name == "national"


def test_choose_chongqing_district_level(
    qtbot: QtBot, db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    from app.services.organisation import OrgInput, save_organisation

    with db.session() as s:
        save_organisation(s, admin, OrgInput(name="某评价机构"))
    page = _page(qtbot, db, admin)
    tab = page.profile
    assert tab.scope_level.isHidden()
    tab.combo.setCurrentIndex(tab.combo.findData("chongqing"))
    assert not tab.scope_level.isHidden()
    tab.scope_level.setCurrentIndex(tab.scope_level.findData("district"))
    tab.apply_button.click()
    assert messages[-1][0] == "information"
    with db.session() as s:
        org = s.query(Organisation).one()
        assert (org.profile_name, org.scope_level) == ("chongqing", "district")
        assert verify_audit(s).ok


def test_choose_profile_without_organisation_is_refused(
    qtbot: QtBot, db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    page = _page(qtbot, db, admin)
    tab = page.profile
    tab.combo.setCurrentIndex(tab.combo.findData("chongqing"))
    tab.apply_button.click()
    assert messages == [("warning", "尚未建立机构信息：请先在“机构与备案”中填写机构。")]


def test_calendar_import_marks_year_covered(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    tmp_path: Path,
    messages: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    year = 2099
    page = _page(qtbot, db, admin)
    tab = page.calendar
    assert f"尚无{dt.date.today().year + 1}年安排" in tab.coverage.text() or (
        dt.date.today().year + 1 in tab.covered_years
    )
    assert year not in tab.covered_years
    csv_file = tmp_path / "holidays.csv"
    csv_file.write_text(
        f"日期,类型,名称\n{year}-01-01,休,元旦\n{year}-02-10,休,春节\n{year}-02-14,班,春节\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(csv_file), ""))
    )
    tab.import_button.click()
    assert messages[-1][0] == "information" and "新增 3 天" in messages[-1][1]
    assert year in tab.covered_years
    assert str(year) in tab.coverage.text()
    assert tab.year.value() == year and tab.table.rowCount() == 3
    assert tab.table.item(2, 1).text() == "班"
    with db.session() as s:
        assert load_calendar(s).covers(year)
        assert len(list_days(s, year)) == 3
        assert verify_audit(s).ok


def test_calendar_bad_file_shows_message(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path, messages: list[tuple[str, str]]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类型,名称\n2099-13-01,休,元旦\n", encoding="utf-8")
    page = _page(qtbot, db, admin)
    tab = page.calendar
    tab.import_path(bad)
    assert messages and messages[-1][0] == "warning" and "第2行" in messages[-1][1]


def test_calendar_set_and_remove_day(
    qtbot: QtBot, db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    from PySide6.QtCore import QDate

    page = _page(qtbot, db, admin)
    tab = page.calendar
    tab.day.setDate(QDate(2098, 10, 1))
    tab.kind.setCurrentIndex(tab.kind.findData("休"))
    tab.name.setText("国庆节")
    tab.save_button.click()
    assert tab.year.value() == 2098 and tab.table.rowCount() == 1
    tab.table.selectRow(0)
    tab.remove_button.click()
    assert tab.table.rowCount() == 0
    with db.session() as s:
        assert list_days(s, 2098) == []
        assert verify_audit(s).ok


def test_system_tab_idle_minutes_and_secret_store(
    qtbot: QtBot, db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    page = _page(qtbot, db, admin)
    tab = page.system
    assert tab.secret_label.text().startswith("密钥存储")
    assert tab.minutes.value() == 10
    tab.minutes.setValue(3)
    tab.save_button.click()
    with db.session() as s:
        assert idle_lock_minutes(s) == 3
        assert verify_audit(s).ok


def test_settings_tabs_render(qtbot: QtBot, db: Database, admin: Actor) -> None:
    page = _page(qtbot, db, admin)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "省份规则",
        "法定节假日",
        "用户",
        "系统",
    ]
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        page.refresh()
        assert not page.grab().isNull()


def test_key_passphrase_button_without_secure_keyring(qtbot, db, admin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import keyring
    from keyring.backends import fail
    from PySide6.QtWidgets import QInputDialog

    from app.services import secrets
    from app.ui.pages.settings import SystemTab

    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv(secrets.ENV_PASSPHRASE, raising=False)
    tab = SystemTab(db, admin)
    qtbot.addWidget(tab)
    assert "不可用" in tab.secret_label.text()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("clerk passphrase", True)))
    try:
        tab.passphrase_button.click()
        assert "加密密钥文件" in tab.secret_label.text()
    finally:
        secrets.set_session_passphrase(None)
