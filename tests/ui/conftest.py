"""GUI test fixtures: QSettings in a temp folder, and a small data set inserted via the ORM."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from app.db import Database
from app.services.actor import Actor
from app.ui.launch import FONT_POINT_SIZE, choose_ui_font
from tests.ui.sample_data import insert_sample_data


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path) -> Iterator[None]:
    """Geometry and other QSettings go to a temp folder, never the real user profile."""
    folder = str(tmp_path / "qsettings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    yield


@pytest.fixture
def sample_db(db: Database, admin: Actor) -> Database:
    insert_sample_data(db, admin)
    return db


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """QMessageBox statics record (kind, text) instead of blocking; questions answer Yes."""
    seen: list[tuple[str, str]] = []

    def fake(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            seen.append((kind, text))
            return QMessageBox.StandardButton.Yes if kind == "question" else QMessageBox.StandardButton.Ok

        return show

    for kind in ("information", "warning", "question", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(fake(kind)))

    def exec_box(box: QMessageBox) -> int:  # a box built by hand and exec'd
        seen.append(("box", box.text() + "\n" + box.informativeText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return seen


@pytest.fixture
def app_font(qapp: QApplication) -> Iterator[None]:
    """The font the application runs with (a CJK family at 10 pt), as users see it."""
    before = QApplication.font()
    family = choose_ui_font()
    if family:
        QApplication.setFont(QFont(family, FONT_POINT_SIZE))
    yield
    QApplication.setFont(before)
