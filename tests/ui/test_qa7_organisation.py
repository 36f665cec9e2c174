"""机构与备案, QA round 7: the 备案范围 choice survives a refresh (and a choice that is gone clears
the details typed for it), Tab leaves the scope table, its text columns stay readable at 1024 px
with a tooltip on every text cell, and the status bar follows a rename of the organisation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import ScopeEntry, WorkType
from app.services.actor import Actor
from app.services.catalogue import (
    OccupationInput,
    create_occupation,
    delete_occupation,
    update_occupation,
)
from app.services.filed_scope import add_scope_entry
from app.services.organisation import get_organisation
from app.ui.main_window import NAV, MainWindow
from app.ui.pages.organisation import OrganisationPage
from app.ui.pages.organisation_scope import COUNT_COLUMN, ScopeBox
from tests.ui.test_ui_organisation_qa3 import _page, audited_db  # noqa: F401 (fixture)

STANDARD = "电工国家职业技能标准（2018年版）"
LONG_STANDARD = "焊工国家职业技能标准（2018年版）及行业企业评价规范（2024 年修订）"


def _welder(db: Database, admin: Actor) -> int:
    """A second occupation, listed before 电工 (6-31-01-03): a reset combo shows 焊工."""
    with db.session() as s:
        occ = create_occupation(s, admin, OccupationInput("6-18-02-04", "焊工", False, ["电焊工"]))
        s.flush()
        return occ.id


def _choose_electrician(scope: ScopeBox) -> tuple[int, int, int]:
    """电工 / 维修电工 / the last level offered, with details typed: (occ, work type, level)."""
    scope.occupation.setCurrentIndex(scope.occupation.findText("6-31-01-03 电工"))
    scope.work_type.setCurrentIndex(scope.work_type.findText("维修电工"))
    scope.level.setCurrentIndex(scope.level.count() - 1)
    assert scope.occupation.currentIndex() > 0 and scope.level.currentIndex() > 0
    scope.started_on.setText("2022-03-01")
    scope.assessed_count.setValue(57)
    scope.standard.setText(STANDARD)
    return scope.occupation.currentData(), scope.work_type.currentData(), scope.level.currentData()


def _details(scope: ScopeBox) -> tuple[str, int, str]:
    return scope.started_on.text(), scope.assessed_count.value(), scope.standard.text()


# --- D1: the chosen 职业/工种/等级 across a refresh --------------------------------------------------
@pytest.mark.parametrize("how", ["refresh", "save"])
def test_scope_choice_survives_a_refresh_and_the_entry_added_is_the_chosen_one(
    qtbot: QtBot,
    audited_db: Database,  # noqa: F811
    admin: Actor,
    messages: list[tuple[str, str]],
    how: str,
) -> None:
    _welder(audited_db, admin)
    page = _page(qtbot, audited_db, admin)
    scope = page.scope
    chosen = _choose_electrician(scope)
    if how == "refresh":
        page.refresh()  # coming back to the page from another one
    else:
        assert page.save()  # saving 基本情况 refreshes the page too
    shown = (
        scope.occupation.currentData(),
        scope.work_type.currentData(),
        scope.level.currentData(),
    )
    assert shown == chosen
    assert _details(scope) == ("2022-03-01", 57, STANDARD)
    scope.add_scope()
    assert [kind for kind, _text in messages] == []
    with audited_db.session() as s:
        entry = s.scalars(select(ScopeEntry)).one()
        assert (entry.occupation_id, entry.work_type_id, entry.level) == chosen
        assert entry.standard == STANDARD and entry.assessed_count == 57
    # after the add the choice stays (another level of the same occupation is a common next step)
    assert scope.occupation.currentData() == chosen[0]
    assert _details(scope) == ("", 0, "")


def test_a_chosen_occupation_deleted_elsewhere_clears_the_details_typed_for_it(
    qtbot: QtBot,
    audited_db: Database,  # noqa: F811
    admin: Actor,
    messages: list[tuple[str, str]],
) -> None:
    welder = _welder(audited_db, admin)
    page = _page(qtbot, audited_db, admin)
    scope = page.scope
    scope.occupation.setCurrentIndex(scope.occupation.findData(welder))
    scope.started_on.setText("2022-03-01")
    scope.assessed_count.setValue(57)
    scope.standard.setText("焊工国家职业技能标准")
    with audited_db.session() as s:
        delete_occupation(s, admin, welder)
    page.refresh()
    assert scope.occupation.currentText() == "6-31-01-03 电工"
    assert _details(scope) == ("", 0, "")  # nothing typed for 焊工 can be added to 电工
    assert scope.subsidised_training.text() == ""


def test_a_chosen_work_type_removed_elsewhere_clears_the_details(
    qtbot: QtBot,
    audited_db: Database,  # noqa: F811
    admin: Actor,
) -> None:
    _welder(audited_db, admin)
    page = _page(qtbot, audited_db, admin)
    scope = page.scope
    occ, _wt, level = _choose_electrician(scope)
    with audited_db.session() as s:
        update_occupation(s, admin, occ, OccupationInput("6-31-01-03", "电工", False, []), "")
    page.refresh()
    assert scope.occupation.currentData() == occ and scope.level.currentData() == level
    assert scope.work_type.currentData() is None  # （不分工种）
    assert _details(scope) == ("", 0, "")
    with audited_db.session() as s:
        assert s.scalars(select(WorkType).where(WorkType.occupation_id == occ)).all() == []


# --- D4: Tab leaves the scope table ----------------------------------------------------------------
def _show(qtbot: QtBot, widget: QWidget) -> None:
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=2000)


def tab_chain(qtbot: QtBot, start: QWidget, presses: int) -> list[QWidget]:
    """Focus `start` and press Tab `presses` times: the widgets focused in turn."""
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=2000)
    seen: list[QWidget] = []
    for _ in range(presses):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_leaves_the_scope_table_and_reaches_the_fields_and_buttons_below(
    qtbot: QtBot,
    audited_db: Database,  # noqa: F811
    admin: Actor,
) -> None:
    occ = audited_db.ids["occupation"]  # type: ignore[attr-defined]
    with audited_db.session() as s:
        for level in (3, 4):
            add_scope_entry(s, admin, occ, level, None)
    page = _page(qtbot, audited_db, admin)
    _show(qtbot, page)
    scope = page.scope
    table = scope.scope_table
    assert table.rowCount() == 2 and not table.tabKeyNavigation()
    seen = tab_chain(qtbot, table, 14)
    assert seen[0] is scope.occupation  # the first Tab leaves the table
    for widget in (
        scope.work_type,
        scope.level,
        scope.standard,
        scope.started_on,
        scope.add_scope_button,
        scope.remove_scope_button,
        scope.edit_history_button,
        scope.catalogue_button,
    ):
        assert widget in seen, widget.objectName() or widget.text()


# --- D6: readable columns at 1024 px ---------------------------------------------------------------
def test_scope_text_columns_are_readable_at_1024_px_with_tooltips(
    qtbot: QtBot,
    audited_db: Database,  # noqa: F811
    admin: Actor,
    app_font: None,
) -> None:
    occ = audited_db.ids["occupation"]  # type: ignore[attr-defined]
    with audited_db.session() as s:
        wt = s.scalars(select(WorkType)).one()
        add_scope_entry(s, admin, occ, 3, wt.id, standard=LONG_STANDARD)
        add_scope_entry(s, admin, occ, 4, None, standard=STANDARD)
    window = MainWindow(audited_db, admin)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    window.go_to([e.key for e in NAV].index("organisation"))
    page = window.stack.currentWidget()
    assert isinstance(page, OrganisationPage)
    table = page.scope.scope_table
    page.findChild(QScrollArea).ensureWidgetVisible(table)
    qtbot.wait(50)
    header, fm = table.horizontalHeader(), table.fontMetrics()
    for column in (1, 3, 7):  # 职业, 工种, 职业标准或评价规范: the header is not clipped
        title = table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(title) + 8
    assert header.sectionSize(1) >= fm.horizontalAdvance("电工") + 8
    assert header.sectionSize(3) >= fm.horizontalAdvance("维修电工") + 8
    # a short standard is shown whole; a long one is elided, and the tooltip has it all
    assert header.sectionSize(7) >= fm.horizontalAdvance(STANDARD) + 8
    assert header.sectionSize(7) < fm.horizontalAdvance(LONG_STANDARD)
    # what does not fit in the window scrolls sideways instead of being squeezed
    widths = sum(header.sectionSize(c) for c in range(table.columnCount()))
    assert widths > table.viewport().width()
    assert table.horizontalScrollBar().maximum() > 0
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            item = table.item(r, c)
            if c != COUNT_COLUMN:
                assert item.toolTip() == item.text(), (r, c)
    assert LONG_STANDARD in {table.item(r, 7).toolTip() for r in range(table.rowCount())}
    table.grab().save(str(audited_db.data_dir / "scope_1024.png"))  # (for a look when it fails)


def test_spare_width_goes_to_the_long_texts_in_a_wide_window(
    qtbot: QtBot,
    audited_db: Database,  # noqa: F811
    admin: Actor,
) -> None:
    occ = audited_db.ids["occupation"]  # type: ignore[attr-defined]
    with audited_db.session() as s:
        add_scope_entry(s, admin, occ, 3, None, standard=LONG_STANDARD)
    page = _page(qtbot, audited_db, admin)
    page.resize(1900, 900)
    _show(qtbot, page)
    table = page.scope.scope_table
    header = table.horizontalHeader()
    qtbot.waitUntil(
        lambda: (
            sum(header.sectionSize(c) for c in range(table.columnCount()))
            >= table.viewport().width()
        )
    )
    assert header.sectionSize(7) >= table.fontMetrics().horizontalAdvance(LONG_STANDARD)
    assert table.horizontalScrollBar().maximum() == 0


# --- D7: the status bar follows a rename -----------------------------------------------------------
def test_status_bar_shows_the_new_name_after_saving_and_after_a_page_change(
    qtbot: QtBot,
    audited_db: Database,  # noqa: F811
    admin: Actor,
    messages: list[tuple[str, str]],
) -> None:
    window = MainWindow(audited_db, admin)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.org_label.text() == "重庆市测试职业技能评价中心"
    window.go_to([e.key for e in NAV].index("organisation"))
    page = window.stack.currentWidget()
    assert isinstance(page, OrganisationPage)
    page.fields["name"].setText("重庆市新名称职业技能评价中心")
    assert page.save()
    assert window.org_label.text() == "重庆市新名称职业技能评价中心"
    # renamed elsewhere (another PC): shown at the next page change
    with audited_db.session() as s:
        get_organisation(s).name = "重庆市第三名称职业技能评价中心"
    window.go_to([e.key for e in NAV].index("people"))
    assert window.org_label.text() == "重庆市第三名称职业技能评价中心"
