"""The first-run wizard: fields filled programmatically, errors shown inline, one transaction."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.organisation import get_organisation
from app.services.users import authenticate, needs_first_run
from app.ui.first_run import PAGE_ADMIN, PAGE_ORGANISATION, FirstRunWizard, available_profiles

PASSWORD = "Kaodian#2026"


def _wizard(qtbot: QtBot, db: Database) -> FirstRunWizard:
    wizard = FirstRunWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()  # not exec(): never block the test on a modal dialog
    return wizard


def _fill_admin(
    wizard: FirstRunWizard, password: str = PASSWORD, confirm: str | None = None
) -> None:
    page = wizard.admin
    page.username.setText("zhangsan")
    page.display_name.setText("张三")
    page.password.setText(password)
    page.confirm.setText(password if confirm is None else confirm)


def test_new_organisation_creates_admin_and_organisation(qtbot: QtBot, db: Database) -> None:
    wizard = _wizard(qtbot, db)
    assert not wizard.demo_mode
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN
    _fill_admin(wizard)
    wizard.next()
    assert wizard.currentId() == PAGE_ORGANISATION
    org = wizard.organisation
    org.name.setText("重庆市某某职业技能评价中心")
    org.org_type.setCurrentIndex(org.org_type.findData("S"))
    org.profile.setCurrentIndex(org.profile.findData("chongqing"))
    wizard.button(QWizard.WizardButton.FinishButton).click()

    assert wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.username == "zhangsan"
    with db.session() as s:
        assert not needs_first_run(s)
        saved = get_organisation(s)
        assert saved is not None
        assert saved.name == "重庆市某某职业技能评价中心"
        assert saved.org_type == "S"
        assert saved.profile_name == "chongqing"
        actor = authenticate(s, "zhangsan", PASSWORD)
        assert actor.role_name == "管理员"


def test_password_policy_and_mismatch_shown_inline(qtbot: QtBot, db: Database) -> None:
    wizard = _wizard(qtbot, db)
    wizard.next()
    _fill_admin(wizard, "12345678")
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN
    assert "不能全部是数字" in wizard.admin.error.text()
    assert wizard.admin.error.isVisible()

    _fill_admin(wizard, PASSWORD, "Other#2026x")
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN
    assert "不一致" in wizard.admin.error.text()


def test_invalid_organisation_keeps_wizard_open_and_writes_nothing(
    qtbot: QtBot, db: Database
) -> None:
    wizard = _wizard(qtbot, db)
    wizard.next()
    _fill_admin(wizard)
    wizard.next()
    org = wizard.organisation
    org.name.setText("某评价机构")
    org.org_type.setCurrentIndex(org.org_type.findData("S"))
    org.filing_code.setText("Y12")  # wrong length and wrong type letter
    wizard.button(QWizard.WizardButton.FinishButton).click()

    assert wizard.isVisible()
    assert wizard.currentId() == PAGE_ORGANISATION
    assert org.error.isVisible() and org.error.text()
    with db.session() as s:
        assert needs_first_run(s), "the administrator must not be half-created"

    org.filing_code.clear()  # optional: finishing without it works
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    with db.session() as s:
        assert not needs_first_run(s)


def test_demo_mode_forces_admin_and_skips_organisation_page(qtbot: QtBot, db: Database) -> None:
    wizard = _wizard(qtbot, db)
    wizard.welcome.demo.setChecked(True)
    wizard.next()
    page = wizard.admin
    assert page.username.text() == "admin"
    assert page.username.isReadOnly()
    assert page.isFinalPage()
    assert page.nextId() == -1


def test_profiles_listed() -> None:
    names = [name for name, _display in available_profiles()]
    assert "national" in names
    assert "chongqing" in names


def test_scope_level_and_spaced_filing_code(qtbot: QtBot, db: Database) -> None:
    wizard = _wizard(qtbot, db)
    wizard.next()
    _fill_admin(wizard)
    wizard.next()
    org = wizard.organisation
    assert org.scope_level.isHidden()  # national: one level scope, nothing to choose
    org.profile.setCurrentIndex(org.profile.findData("chongqing"))
    assert not org.scope_level.isHidden()
    assert org.scope_level.currentData() == "city"
    assert [org.scope_level.itemData(i) for i in range(org.scope_level.count())] == [
        "city",
        "district",
    ]
    assert org.scope_level.itemText(1) == "区县范围（3–5级：高级工、中级工、初级工）"  # as on the org page
    org.scope_level.setCurrentIndex(org.scope_level.findData("district"))
    org.name.setText("重庆市某区职业技能评价中心")
    org.filing_code.setText("S 0000 50 00 0017")  # filed with the city (00): not 区县范围
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() != QWizard.DialogCode.Accepted
    assert "与备案编码第8–9位备案地代码“00”（重庆市）不符" in org.error.text()
    org.filing_code.setText("S 0000 50 06 0017")  # as on the receipt: no longer cut at 13
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QWizard.DialogCode.Accepted, org.error.text()
    with db.session() as s:
        saved = get_organisation(s)
        assert (saved.scope_level, saved.filing_code) == ("district", "S000050060017")
