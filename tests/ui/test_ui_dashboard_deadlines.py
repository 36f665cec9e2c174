"""The dashboard's deadline list on the demo data: sorted, colour-coded, double-click navigates."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.actor import Actor
from app.services.dashboard import upcoming_deadlines
from app.ui.dialogs.batch_common import ORANGE, RED
from app.ui.main_window import MainWindow
from app.ui.pages.batches import BatchesPage
from app.ui.pages.dashboard import DashboardPage


@pytest.fixture
def demo(db: Database) -> Actor:
    from app.services.demo import build_demo
    from app.services.users import authenticate

    build_demo(db, "Demo#2026")
    with db.session() as s:
        return authenticate(s, "admin", "Demo#2026")


def test_dashboard_lists_deadlines_with_colours_and_navigates(
    qtbot: QtBot, db: Database, demo: Actor
) -> None:
    with db.session() as s:
        items = upcoming_deadlines(s, dt.date.today())
    assert items
    window = MainWindow(db, demo)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.page_by_key("dashboard")
    assert isinstance(page, DashboardPage)
    table: QTableWidget = page.upcoming
    assert table.rowCount() == len(items)
    for row, item in enumerate(items):
        assert table.item(row, 2).text() == item.title
        colour = table.item(row, 0).foreground().color()
        if item.level == "overdue":
            assert colour == RED
        elif item.level == "soon":
            assert colour == ORANGE
        else:
            assert colour not in (RED, ORANGE)

    batch_row = next(i for i, item in enumerate(items) if item.target_page == "batch")
    table.scrollToItem(table.item(batch_row, 2))
    rect = table.visualItemRect(table.item(batch_row, 2))
    # a real double-click: press first (item views only accept a double-click on the pressed index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    batches = window.current_page()
    assert isinstance(batches, BatchesPage)
    assert batches.editor is not None and batches.editor.batch_id == items[batch_row].target_id
    batches.editor.close()

    others = [i for i, item in enumerate(items) if item.target_page in ("organisation", "person")]
    if others:
        assert page.open_item(others[0])
        assert window.current_page() is window.page_by_key(
            "organisation" if items[others[0]].target_page == "organisation" else "people"
        )
    assert not page.open_item(len(items) + 5)


def test_dashboard_without_data_says_so(qtbot: QtBot, db: Database, admin: Actor) -> None:
    page = DashboardPage(db, admin)
    qtbot.addWidget(page)
    assert page.upcoming.rowCount() == 1 and page.upcoming.item(0, 2).text() == "暂无到期事项"
    assert not page.open_item(0)


def test_a_scope_the_rule_forbids_is_shown_first(qtbot: QtBot, db: Database, demo: Actor) -> None:
    """Scope data saved before the check (a district organisation filed for 二级) is red, first,
    and says 立即处理 where a date would be."""
    from app.services.audit import record
    from app.services.organisation import get_organisation

    with db.session() as s:
        org = get_organisation(s)
        org.scope_level = "district"  # as an older version let it be saved
        record(s, demo, "organisation.update", org)
    page = DashboardPage(db, demo)
    qtbot.addWidget(page)
    table = page.upcoming
    assert table.item(0, 2).text() == "备案范围不符合规定"
    assert table.item(0, 0).text() == "立即处理" and table.item(0, 0).foreground().color() == RED
    assert "区县" in table.item(0, 3).text() and "调整" in table.item(0, 3).text()
