"""成绩 page: the keyboard-first grid, hotkeys, inline refusals, double entry and results."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Enrolment, ScoreEntry
from app.models.score import FINAL_ROUND
from app.services.actor import Actor
from app.services.batch_workflow import get_batch
from app.ui.pages.score_grid import SCORE_COLUMN, ScoreGrid
from app.ui.pages.scores import ScoresPage
from tests.score_data import (
    admin_of,
    audit_ok,
    enrolment_ids,
    fill,
    make_user,
    scoring_batch,
)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warn(parent, title, text, *a, **k):  # type: ignore[no-untyped-def]
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warn)
    return shown


def open_page(qtbot: QtBot, db: Database, actor: Actor, code: str) -> ScoresPage:
    page = ScoresPage(db, actor)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.select_batch(code)
    assert page.current_batch() is not None and page.current_batch().code == code  # type: ignore[union-attr]
    return page


def type_score(qtbot: QtBot, grid: ScoreGrid, text: str) -> None:
    """Type into the current score cell (the first key opens the editor) and press Enter."""
    qtbot.keyClicks(grid, text[0])
    editor = grid.indexWidget(grid.currentIndex())
    assert isinstance(editor, QLineEdit)
    if text[1:]:
        qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def entries(db: Database, enrolment_id: int, component: str = "theory") -> dict[int, ScoreEntry]:
    with db.session() as s:
        rows = s.scalars(
            select(ScoreEntry).where(ScoreEntry.enrolment_id == enrolment_id, ScoreEntry.component == component)
        )
        return {r.entry_round: r for r in rows}


def test_typing_scores_saves_and_moves_down(qtbot: QtBot, demo: Database, warnings: list[str]) -> None:
    admin = admin_of(demo)
    scoring_batch(demo, admin)
    ids = enrolment_ids(demo, "2026-04")
    page = open_page(qtbot, demo, admin, "2026-04")
    entry = page.entry
    assert entry.current_component() == "theory"
    assert not entry.entry_round.isEnabled()  # single entry: round 1 only
    grid = entry.grid
    assert grid.currentIndex().row() == 0 and grid.currentIndex().column() == SCORE_COLUMN

    type_score(qtbot, grid, "85")
    type_score(qtbot, grid, "72.5")
    assert grid.currentIndex().row() == 2
    assert grid.state() != QAbstractItemView.State.EditingState
    assert entries(demo, ids[0][0])[1].score == Decimal("85.0")
    assert entries(demo, ids[1][0])[1].score == Decimal("72.5")
    assert entry.model.rows[0].text == "85.0"
    assert "72.5" in entry.status.text()

    # Q marks 缺考 without opening the editor, W 违纪
    qtbot.keyClick(grid, Qt.Key.Key_Q)
    qtbot.keyClick(grid, Qt.Key.Key_W)
    assert grid.currentIndex().row() == 4
    assert entries(demo, ids[2][0])[1].mark == "absent"
    assert entries(demo, ids[3][0])[1].mark == "disqualified"
    assert entry.model.rows[2].text == "缺考"
    assert warnings == []
    audit_ok(demo)


def test_invalid_score_is_refused_inline(qtbot: QtBot, demo: Database, warnings: list[str]) -> None:
    admin = admin_of(demo)
    scoring_batch(demo, admin)
    ids = enrolment_ids(demo, "2026-04")
    page = open_page(qtbot, demo, admin, "2026-04")
    grid = page.entry.grid
    type_score(qtbot, grid, "101")
    assert "超出范围" in page.entry.status.text()
    assert "超出范围" in page.entry.model.data(page.entry.model.index(0, 3))
    assert grid.currentIndex().row() == 0
    assert grid.state() == QAbstractItemView.State.EditingState  # the editor stays open
    assert entries(demo, ids[0][0]) == {}
    # correcting the value in the same editor saves it
    editor = grid.indexWidget(grid.currentIndex())
    assert isinstance(editor, QLineEdit)
    editor.setText("99")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert entries(demo, ids[0][0])[1].score == Decimal("99.0")
    assert grid.currentIndex().row() == 1
    assert warnings == []


def test_double_entry_second_round_is_blind_and_mismatch_listed(
    qtbot: QtBot, demo: Database, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = admin_of(demo)
    scoring_batch(demo, admin, double=True)
    a = make_user(demo, admin, "clerk_a", "scorer", "2026-04")
    b = make_user(demo, admin, "clerk_b", "scorer", "2026-04")
    ids = enrolment_ids(demo, "2026-04")

    page_a = open_page(qtbot, demo, a, "2026-04")
    assert page_a.batch_combo.count() == 1  # a score clerk sees only the assigned batch
    assert page_a.entry.entry_round.isEnabled() and page_a.entry.entry_round.count() == 2
    type_score(qtbot, page_a.entry.grid, "80")
    assert entries(demo, ids[0][0])[1].score == Decimal("80.0")
    page_a.close()

    page_b = open_page(qtbot, demo, b, "2026-04")
    page_b.entry.entry_round.setCurrentIndex(1)
    assert page_b.entry.current_round() == 2
    assert page_b.entry.model.rows[0].text == ""  # round 1 is not shown
    assert "不显示第一遍" in page_b.entry.banner.text()
    assert page_b.entry.mismatch.isVisibleTo(page_b)
    type_score(qtbot, page_b.entry.grid, "88")
    assert entries(demo, ids[0][0])[2].score == Decimal("88.0")
    table = page_b.entry.mismatch.table
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == ids[0][1]
    assert table.item(0, 3).text().startswith("80.0") and table.item(0, 4).text().startswith("88.0")

    # a third person (the administrator) resolves it, with a reason
    page_c = open_page(qtbot, demo, admin, "2026-04")
    panel = page_c.entry.mismatch
    assert panel.table.rowCount() == 1
    monkeypatch.setattr(panel, "ask_resolution", lambda m: ("80", "核对原始评分表"))
    panel.table.setCurrentCell(0, 0)
    panel.resolve_button.click()
    assert panel.table.rowCount() == 0
    assert entries(demo, ids[0][0])[FINAL_ROUND].score == Decimal("80.0")
    assert warnings == []
    audit_ok(demo)


def test_compute_results_shows_summary(qtbot: QtBot, demo: Database, warnings: list[str]) -> None:
    admin = admin_of(demo)
    scoring_batch(demo, admin)
    page = open_page(qtbot, demo, admin, "2026-04")
    page.entry.compute_button.click()  # scores missing: refused with the service message
    assert len(warnings) == 1 and "未录入" in warnings[0]
    fill(demo, admin, "2026-04", {"theory": "75", "skill": "50"})
    page.entry.compute_button.click()
    assert "合格 0 人，不合格 60 人" in page.entry.summary.text()
    with demo.session() as s:
        bid = get_batch(s, "2026-04").id
        results = set(s.scalars(select(Enrolment.result).where(Enrolment.batch_id == bid)))
    assert results == {"fail"}
    audit_ok(demo)


def test_locked_scores_need_admin_and_reason(
    qtbot: QtBot, demo: Database, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = admin_of(demo)
    page = open_page(qtbot, demo, admin, "2026-03")  # 公示中
    entry = page.entry
    assert entry.banner.isVisibleTo(page) and "须填写理由" in entry.banner.text()
    first = entry.model.rows[0]
    monkeypatch.setattr(entry, "ask_reason", lambda row, text: None)
    type_score(qtbot, entry.grid, "99")
    assert "未填写更正理由" in entry.status.text()
    assert FINAL_ROUND not in entries(demo, first.enrolment_id)
    monkeypatch.setattr(entry, "ask_reason", lambda row, text: "复核试卷发现漏计分")
    editor = entry.grid.indexWidget(entry.grid.currentIndex())
    assert isinstance(editor, QLineEdit)
    editor.setText("99")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert entries(demo, first.enrolment_id)[FINAL_ROUND].score == Decimal("99.0")
    with demo.session() as s:
        assert get_batch(s, "2026-03").needs_republicity
    assert "重新公示" in page.publicity.state.text()
    assert warnings == []
    audit_ok(demo)

    # a score clerk assigned to the locked batch sees it read-only
    clerk = make_user(demo, admin, "clerk_x", "scorer", "2026-03")
    page2 = open_page(qtbot, demo, clerk, "2026-03")
    assert "只读" in page2.entry.banner.text()
    assert not any(r.editable for r in page2.entry.model.rows)


def test_scores_nav_opens_the_score_page(qtbot: QtBot, demo: Database) -> None:
    from app.ui.main_window import NAV, MainWindow

    window = MainWindow(demo, admin_of(demo))
    qtbot.addWidget(window)
    window.go_to(next(i for i, e in enumerate(NAV) if e.key == "scores"))
    page = window.page_by_key("scores")
    assert isinstance(page, ScoresPage)
    assert page.batch_combo.count() == 5 and page.entry.model.rowCount() > 0
