"""机构与备案 page, QA round 5: an empty name is refused before the rename question, 注册资金 takes
plain numbers only (not 1e9), and the page fits a 1024-px window without sideways scrolling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.actor import Actor
from app.services.certificates import issue_certificates
from app.services.organisation import get_organisation
from app.services.users import authenticate
from app.ui.main_window import NAV, MainWindow
from app.ui.pages.organisation import OrganisationPage
from tests.printing.certfactory import small_db
from tests.score_data import DEMO_PW
from tests.ui.test_ui_organisation_qa3 import _page, audited_db  # noqa: F401 (fixture)

CAPITAL_HINT = "请填写以万元为单位的金额，如 500 或 123.45"


def _page_with_certificates(qtbot: QtBot, db: Database, admin: Actor):  # type: ignore[no-untyped-def]
    """The organisation page over a batch whose certificates are issued (a rename is asked about)."""
    small_db(db, batches=(("T-1", 3, 2),))
    with db.session() as s:
        issue_certificates(s, admin, "T-1", dt.date(2026, 3, 1), fix_content=False)
    return _page(qtbot, db, admin)


# --- 3. validation before questions --------------------------------------------------------------
def test_empty_name_is_refused_without_the_rename_question(
    qtbot: QtBot, db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    page = _page_with_certificates(qtbot, db, admin)
    page.fields["name"].setText("   ")
    assert not page.save()
    assert [kind for kind, _text in messages] == ["warning"]  # no question first
    assert "机构名称不能为空" in messages[0][1] and page.form_error.text() == messages[0][1]
    with db.session() as s:
        assert get_organisation(s).name == "重庆巴渝职业技能培训学校"


def test_a_renamed_organisation_with_a_bad_field_is_refused_before_the_question(
    qtbot: QtBot, db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    page = _page_with_certificates(qtbot, db, admin)
    page.fields["name"].setText("新名称职业技能培训学校")
    page.fields["email"].setText("kaowu@")
    assert not page.save()
    assert [kind for kind, _text in messages] == ["warning"]  # the bad e-mail, no question first
    assert "电子邮箱" in messages[0][1]


@pytest.mark.parametrize(
    "typed", ["1e9", "1E3", "5e-1", "500万", "Infinity", "0x10", "1_000", "５ｅ３"]
)
def test_capital_in_scientific_or_other_notation_is_refused(
    qtbot: QtBot,
    audited_db: Database,  # noqa: F811
    admin: Actor,
    messages: list,  # type: ignore[type-arg]
    typed: str,
) -> None:
    page = _page(qtbot, audited_db, admin)
    page.fields["registered_capital"].setText(typed)
    assert not page.save()
    kinds = [kind for kind, _text in messages]
    assert kinds == ["warning"]
    text = messages[0][1]
    assert f"注册资金“{typed}”" in text and CAPITAL_HINT in text
    assert page.form_error.text() == text  # shown as the page shows its other refusals
    with audited_db.session() as s:
        assert get_organisation(s).registered_capital is None  # nothing saved


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("500", "500"),
        ("123.45", "123.45"),
        ("１２３．４５", "123.45"),
        ("1,500", "1500"),
        (".5", "0.5"),
    ],
)
def test_plain_capital_is_saved(
    qtbot: QtBot,
    audited_db: Database,  # noqa: F811
    admin: Actor,
    messages: list,  # type: ignore[type-arg]
    typed: str,
    stored: str,
) -> None:
    page = _page(qtbot, audited_db, admin)
    page.fields["registered_capital"].setText(typed)
    assert page.save() and messages == []
    with audited_db.session() as s:
        assert get_organisation(s).registered_capital == Decimal(stored)


# --- 4. the page in a 1024-px window ---------------------------------------------------------------
def _organisation_in_window(qtbot: QtBot, demo: Database, width: int) -> OrganisationPage:
    with demo.session() as s:
        actor = authenticate(s, "admin", DEMO_PW)
    window = MainWindow(demo, actor)
    qtbot.addWidget(window)
    window.resize(width, 700)
    window.show()
    qtbot.waitExposed(window)
    window.go_to([entry.key for entry in NAV].index("organisation"))
    page = window.current_page()
    assert isinstance(page, OrganisationPage)
    assert page.scope.scope_rows  # the demo's filed scope fills the table
    return page


def _right_edge(widget: QWidget, body: QWidget) -> int:
    return widget.mapTo(body, QPoint(widget.width(), 0)).x()


@pytest.mark.parametrize("width", [1024, 960])  # 960: the main window's minimum width
def test_page_fits_the_window_without_sideways_scrolling(
    qtbot: QtBot, demo: Database, app_font: None, width: int
) -> None:
    page = _organisation_in_window(qtbot, demo, width)
    scroll = page.findChild(QScrollArea)
    body = scroll.widget()
    qtbot.waitUntil(lambda: body.height() >= body.minimumSizeHint().height())
    assert body.minimumSizeHint().width() <= scroll.viewport().width()
    assert scroll.horizontalScrollBar().maximum() == 0
    assert body.width() <= scroll.viewport().width()
    scope = page.scope
    buttons = (
        page.save_button, scope.catalogue_button, scope.add_scope_button,
        scope.remove_scope_button, scope.edit_history_button,
    )  # fmt: skip
    for button in buttons:
        assert button.width() >= button.sizeHint().width(), button.text()
        assert _right_edge(button, body) <= scroll.viewport().width(), button.text()
    for combo in (scope.occupation, scope.work_type, scope.level):
        assert combo.width() >= combo.minimumSizeHint().width()
    # the start date shows a whole date and its hint, not "…"
    started_on = scope.started_on
    metrics = started_on.fontMetrics()
    for text in ("2021-05-01", started_on.placeholderText()):
        assert started_on.width() > metrics.horizontalAdvance(text) + 8, text
    assert page.reason.width() > page.reason.fontMetrics().horizontalAdvance(
        page.reason.placeholderText()
    )
