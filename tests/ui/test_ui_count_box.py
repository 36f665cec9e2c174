"""Whole-number boxes take full-width digits (a Chinese IME's ”１２０“) instead of dropping them."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.widgets.count_box import CountBox


def test_full_width_digits_are_read(qtbot: QtBot) -> None:
    box = CountBox(9_999_999, " 人")
    qtbot.addWidget(box)
    box.setValue(394)
    box.lineEdit().selectAll()
    box.lineEdit().insert("１２０")  # as an IME commits it
    assert box.lineEdit().text() == "120 人" and box.value() == 120
    box.lineEdit().selectAll()
    box.lineEdit().insert("abc")  # still nothing but digits
    assert box.value() == 120


def test_the_pages_number_boxes_are_count_boxes(qtbot: QtBot, db, admin) -> None:  # type: ignore[no-untyped-def]
    from app.ui.pages.organisation import OrganisationPage

    page = OrganisationPage(db, admin)
    qtbot.addWidget(page)
    assert isinstance(page.scope.assessed_count, CountBox)
