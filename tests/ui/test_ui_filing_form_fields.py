"""The 机构与备案 page's new fields: 联系人手机 and 网站 in the form; 职业标准或评价规范 and
补贴性培训情况 when adding a scope entry, in the table and in the entry's dialog."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.actor import Actor
from app.services.filed_scope import list_scope
from app.services.organisation import get_organisation
from app.ui.pages.organisation_scope import SCOPE_COLUMNS, ScopeHistoryDialog
from tests.ui.test_ui_organisation_qa3 import _page, audited_db  # noqa: F401 (fixture)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    return shown


def test_mobile_and_website_saved_from_the_form(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str]  # noqa: F811
) -> None:
    page = _page(qtbot, audited_db, admin)
    page.fields["mobile"].setText("139 0831 2345")
    page.fields["website"].setText("巴渝官网")
    assert not page.save()
    assert "网站“巴渝官网”格式不对" in page.form_error.text() and warnings
    page.fields["website"].setText("www.bayu.example.cn")
    assert page.save()
    with audited_db.session() as s:
        org = get_organisation(s)
        assert (org.mobile, org.website) == ("139 0831 2345", "www.bayu.example.cn")
    assert not page.has_unsaved_changes()


def test_scope_texts_entered_shown_and_edited(
    qtbot: QtBot, audited_db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    page = _page(qtbot, audited_db, admin)
    scope = page.scope
    scope.standard.setText("国家职业技能标准")
    scope.subsidised_training.setText("2025 年补贴性培训 120 人次")
    scope.add_scope()
    table = scope.scope_table
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells[SCOPE_COLUMNS.index("职业标准或评价规范")] == "国家职业技能标准"
    assert cells[SCOPE_COLUMNS.index("开展补贴性培训情况")] == "2025 年补贴性培训 120 人次"
    assert scope.standard.text() == "" and scope.subsidised_training.text() == ""

    def fill(dialog: ScopeHistoryDialog) -> int:
        assert dialog.standard.text() == "国家职业技能标准"  # the dialog opens on what is stored
        dialog.standard.setText("电工行业企业评价规范")
        dialog.subsidised_training.clear()
        return QDialog.DialogCode.Accepted if dialog.submit() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(ScopeHistoryDialog, "exec", fill)
    table.selectRow(0)
    assert scope.edit_history()
    with audited_db.session() as s:
        row = list_scope(s)[0]
    assert (row.standard, row.subsidised_training) == ("电工行业企业评价规范", "")
    assert table.item(0, SCOPE_COLUMNS.index("开展补贴性培训情况")).text() == "—"
