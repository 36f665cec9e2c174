"""The main window: every page opens (click and Ctrl+N) on an empty and on a filled database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog, QLabel, QTableView
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.actor import Actor
from app.ui.main_window import NAV, MainWindow
from app.ui.pages.table_page import TablePage
from tests.ui.sample_data import FULL_ID, OTHER_ID


def _window(qtbot: QtBot, db: Database, actor: Actor) -> MainWindow:
    window = MainWindow(db, actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _click_nav(qtbot: QtBot, window: MainWindow, row: int) -> None:
    rect = window.nav.visualItemRect(window.nav.item(row))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _cells(view: QTableView) -> list[str]:
    model = view.model()
    return [
        str(model.data(model.index(r, c, QModelIndex())))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_every_page_by_click_and_shortcut(
    qtbot: QtBot, db: Database, admin: Actor, filled: bool
) -> None:
    if filled:
        from tests.ui.sample_data import insert_sample_data

        insert_sample_data(db, admin)
    window = _window(qtbot, db, admin)
    assert window.windowTitle() == "SkillSite 职业技能等级认定考点管理"
    assert window.nav.count() == 10
    for row in range(len(NAV)):
        _click_nav(qtbot, window, row)
        assert window.nav.currentRow() == row
        assert window.stack.currentWidget() is window.pages[row]
    assert len(window.pages) == 10

    # Ctrl+N are window shortcuts: the window must be the active one (offscreen needs asking).
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    for row in reversed(range(len(NAV))):
        key = Qt.Key(Qt.Key.Key_0 + (row + 1) % 10)
        qtbot.keyClick(window.nav, key, Qt.KeyboardModifier.ControlModifier)
        assert window.nav.currentRow() == row, NAV[row].key
        assert window.stack.currentWidget() is window.pages[row]


def test_nav_arrow_keys(qtbot: QtBot, db: Database, admin: Actor) -> None:
    window = _window(qtbot, db, admin)
    assert window.nav.currentRow() == 0
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.nav.currentRow() == 1
    assert window.stack.currentWidget() is window.pages[1]


def test_status_bar_shows_user_role_and_organisation(
    qtbot: QtBot, sample_db: Database, admin: Actor
) -> None:
    window = _window(qtbot, sample_db, admin)
    assert "系统管理员" in window.user_label.text()
    assert "管理员" in window.user_label.text()
    assert window.org_label.text() == "重庆市测试职业技能评价中心"


def test_people_page_shows_masked_ids_only(qtbot: QtBot, sample_db: Database, admin: Actor) -> None:
    window = _window(qtbot, sample_db, admin)
    window.go_to(2)
    page = window.page_by_key("people")
    assert isinstance(page, TablePage)
    cells = _cells(page.table)
    assert page.model.rowCount() == 2
    assert not any(FULL_ID in c or OTHER_ID in c for c in cells)
    assert "110105**********2X" in cells
    assert "考评员、专职工作人员" in cells or "专职工作人员、考评员" in cells

    page.search.setText("王")
    page.apply_search()
    assert page.model.rowCount() == 1
    page.search.setText("500101")  # the start of a number finds nobody: the whole number does
    page.apply_search()
    assert page.model.rowCount() == 0
    page.search.setText(OTHER_ID)
    page.apply_search()
    assert page.model.rowCount() == 1
    assert page.model.row(0).name == "李考评"


def test_batches_scores_certificates_and_audit_have_rows(
    qtbot: QtBot, sample_db: Database, admin: Actor
) -> None:
    window = _window(qtbot, sample_db, admin)
    for key, expected in (
        ("batches", "已发证"),
        ("certificates", "S000050010001264000001"),
        ("audit", "登录"),
    ):
        window.go_to(next(i for i, e in enumerate(NAV) if e.key == key))
        page = window.page_by_key(key)
        table_page = page if isinstance(page, TablePage) else page.table_page  # type: ignore[union-attr]
        assert expected in _cells(table_page.table), key


def test_audit_page_refused_for_clerk(qtbot: QtBot, db: Database, admin: Actor) -> None:
    from app.services.users import authenticate, create_user

    with db.session() as s:
        create_user(s, admin, "clerk1", "clerk", "Clerk#2026", "考务员甲")
    with db.session() as s:
        clerk = authenticate(s, "clerk1", "Clerk#2026")
    window = _window(qtbot, db, clerk)
    window.go_to(8)
    page = window.page_by_key("audit")
    assert page is not None
    texts = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "不能查看审计日志" in texts


def test_switch_user(qtbot: QtBot, db: Database, admin: Actor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, db, admin)

    class FakeLogin:
        actor = admin

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "login_dialog", lambda: FakeLogin())
    window.go_to(2)
    window.switch_action.trigger()
    assert window.isVisible()
    assert window.page_by_key("people") is not None

    FakeLogin.exec = lambda self: QDialog.DialogCode.Rejected  # type: ignore[method-assign]
    window.switch_action.trigger()
    assert not window.isVisible()


def test_geometry_remembered(qtbot: QtBot, db: Database, admin: Actor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.ui.main_window import settings

    window = _window(qtbot, db, admin)
    window.close()
    saved = settings().value("main_window/geometry")
    assert saved is not None and not saved.isEmpty()
    restored: list[bytes] = []
    monkeypatch.setattr(
        MainWindow, "restoreGeometry", lambda self, g: restored.append(bytes(g.data())) or True
    )
    _window(qtbot, db, admin)
    assert restored == [bytes(saved.data())]
