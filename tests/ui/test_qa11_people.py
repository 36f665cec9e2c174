"""人员, QA round 11: at 1024×768 every column is in view without sideways scrolling (单位 gives
way, elided with its tooltip whole; before, fixed widths pushed 角色 off-screen), the search
box's short placeholder is shown whole with the full rule in its tooltip (A), and a few digits
of an ID number searched say why nobody is found (B)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.actor import Actor
from app.services.listing import PARTIAL_ID_NOTE
from app.services.roster import PersonInput, add_person
from app.services.users import authenticate
from app.ui.main_window import NAV, MainWindow
from app.ui.pages.people import EMPLOYER_COLUMN, PeoplePage
from app.ui.widgets.fit_columns import PADDING, ColumnFitter
from tests.score_data import DEMO_PW
from tests.services.conftest import make_id

LONG_EMPLOYER = "重庆市沙坪坝区某某某某某某职业技能培训与人力资源服务有限责任公司第二分公司"


def _people_in_window(qtbot: QtBot, db: Database, actor: Actor, width: int) -> PeoplePage:
    window = MainWindow(db, actor)
    qtbot.addWidget(window)
    window.resize(width, 768)
    window.show()
    qtbot.waitExposed(window)
    window.go_to([entry.key for entry in NAV].index("people"))
    page = window.current_page()
    assert isinstance(page, PeoplePage)
    qtbot.wait(20)  # (the layout settles: the table's viewport gets its width)
    return page


@pytest.mark.parametrize("width", [1024, 960])  # 960: the main window's minimum width
def test_every_column_is_in_view_at_1024_px(
    qtbot: QtBot, demo: Database, app_font: None, width: int
) -> None:
    with demo.session() as s:
        add_person(s, _admin(demo), PersonInput("甲乙", make_id(901), employer=LONG_EMPLOYER))
    page = _people_in_window(qtbot, demo, _admin(demo), width)
    page.search.setText("甲乙")  # the long employer among the rows shown
    page.apply_search()
    table, header = page.table, page.table.horizontalHeader()
    viewport = table.viewport().width()
    for column in range(header.count()):
        title = page.model.headerData(column, Qt.Orientation.Horizontal)
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert 0 <= header.sectionViewportPosition(column) and right <= viewport, (title, right)
        # the header is readable, not clipped
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(title) + 8
    assert table.horizontalScrollBar().maximum() == 0
    # 单位 is what gave way: elided, its tooltip whole
    fm = table.fontMetrics()
    assert header.sectionSize(EMPLOYER_COLUMN) < fm.horizontalAdvance(LONG_EMPLOYER)
    index = page.model.index(0, EMPLOYER_COLUMN)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == LONG_EMPLOYER


def test_in_a_wide_window_nothing_is_elided(qtbot: QtBot, demo: Database, app_font: None) -> None:
    page = _people_in_window(qtbot, demo, _admin(demo), 1600)
    table, header = page.table, page.table.horizontalHeader()
    employer = table.sizeHintForColumn(EMPLOYER_COLUMN)
    assert header.sectionSize(EMPLOYER_COLUMN) >= employer
    widths = sum(header.sectionSize(c) for c in range(header.count()))
    assert widths == table.viewport().width()  # the last column takes the rest: no empty strip


@pytest.mark.parametrize(("role", "placeholder"), [("admin", "姓名或完整证件号码"), ("scorer", "姓名")])
def test_the_placeholder_is_short_and_shown_whole_with_the_rule_in_the_tooltip(
    qtbot: QtBot, demo: Database, app_font: None, role: str, placeholder: str
) -> None:
    actor = _admin(demo) if role == "admin" else _scorer(demo)
    page = _people_in_window(qtbot, demo, actor, 1024)
    search = page.search
    assert search.placeholderText() == placeholder
    assert search.width() >= search.fontMetrics().horizontalAdvance(placeholder) + 16
    tip = search.toolTip()
    assert "姓名（任意部分）" in tip
    if role == "admin":
        assert "完整证件号码" in tip and "保护个人信息" in tip
    else:
        assert "查看完整证件号码" in tip


def test_a_few_digits_searched_say_why_nobody_is_found(
    qtbot: QtBot, db: Database, admin: Actor
) -> None:
    number = make_id(70)
    with db.session() as s:
        add_person(s, admin, PersonInput("张三", number))
    page = PeoplePage(db, admin)
    qtbot.addWidget(page)
    page.show()
    page.search.setText(number[-4:])
    page.apply_search()
    assert page.model.rowCount() == 0
    assert page.search_note.isVisible() and page.search_note.text() == PARTIAL_ID_NOTE
    page.search.setText(number)
    page.apply_search()
    assert page.model.rowCount() == 1 and not page.search_note.isVisible()


def test_the_fitter_shrinks_long_columns_only_to_their_header(qtbot: QtBot) -> None:
    table = QTableWidget(1, 3)
    qtbot.addWidget(table)
    table.setHorizontalHeaderLabels(["名称", "单位", "备注"])
    for column, text in enumerate(["甲" * 12, "乙" * 40, "丙" * 12]):
        table.setItem(0, column, QTableWidgetItem(text))
    fitter = ColumnFitter(table, (1,), 400, shrink_to_fit=True)
    table.resize(500, 200)
    table.show()
    qtbot.waitExposed(table)
    fitter.fit()
    header, full = table.horizontalHeader(), fitter.needed()
    assert header.sectionSize(0) == full[0] and header.sectionSize(2) == full[2]
    assert sum(header.sectionSize(c) for c in range(3)) == table.viewport().width()
    table.resize(200, 200)  # not even the short columns fit: 单位 at its header, the rest scrolls
    qtbot.wait(20)
    assert header.sectionSize(1) == header.sectionSizeHint(1) + PADDING
    assert table.horizontalScrollBar().maximum() > 0


def _admin(db: Database) -> Actor:
    with db.session() as s:
        return authenticate(s, "admin", DEMO_PW)


def _scorer(db: Database) -> Actor:
    from app.services.users import create_user

    with db.session() as s:
        create_user(s, _admin(db), "lufen11", "scorer", "Scorer#2026", "录分员")
    with db.session() as s:
        return authenticate(s, "lufen11", "Scorer#2026")
