"""Idle lock: after the set minutes without input the window hides behind a re-login."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry
from app.services.actor import Actor
from app.services.settings import set_idle_lock_minutes
from app.services.users import authenticate, create_user
from app.ui.main_window import MainWindow


def _trace(db: Database) -> list[tuple[str, str]]:
    """(username, action) of the session entries (login/lock/logout), oldest first."""
    with db.session() as s:
        return list(s.execute(select(AuditEntry.username, AuditEntry.action).where(
            AuditEntry.action.in_(("auth.lock", "auth.logout"))).order_by(AuditEntry.id)).tuples())


class FakeLogin:
    """Stands in for the LoginDialog; records what the window saw while it was 'open'."""

    def __init__(
        self, actor: Actor | None, window: MainWindow, seen: list[tuple[str, bool]]
    ) -> None:
        self.actor = actor
        self._window = window
        self._seen = seen

    def setWindowTitle(self, title: str) -> None:
        self._seen.append((title, self._window.isVisible()))

    def exec(self) -> QDialog.DialogCode:
        return QDialog.DialogCode.Accepted if self.actor else QDialog.DialogCode.Rejected


def _window(qtbot: QtBot, db: Database, actor: Actor) -> MainWindow:
    window = MainWindow(db, actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_idle_lock_asks_same_user_again(
    qtbot: QtBot, db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.session() as s:
        set_idle_lock_minutes(s, admin, 1)
    window = _window(qtbot, db, admin)
    lock = window.idle_lock
    assert lock.minutes == 1 and lock.timer.isActive() and lock.timer.interval() == 60_000

    seen: list[tuple[str, bool]] = []
    usernames: list[str] = []

    def dialog() -> FakeLogin:
        usernames.append(window.actor.username)
        return FakeLogin(admin, window, seen)

    monkeypatch.setattr(window, "lock_dialog", dialog)
    lock.timer.timeout.emit()
    assert seen == [("已锁定 — 请重新登录", False)]  # the data was hidden while asking
    assert usernames == ["admin"]
    assert window.isVisible() and window.actor == admin
    assert lock.timer.isActive()
    assert _trace(db) == [("admin", "auth.lock")]  # the gap is in the trace
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "auth.lock")).one()
        assert '"idle_minutes":1' in entry.summary


def test_idle_lock_other_user_switches_and_cancel_closes(
    qtbot: QtBot, db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.session() as s:
        set_idle_lock_minutes(s, admin, 1)
        create_user(s, admin, "sup1", "supervisor", "Super#2026", "督导甲")
    with db.session() as s:
        supervisor = authenticate(s, "sup1", "Super#2026")
    window = _window(qtbot, db, admin)
    seen: list[tuple[str, bool]] = []
    monkeypatch.setattr(window, "lock_dialog", lambda: FakeLogin(supervisor, window, seen))
    window.idle_lock.timer.timeout.emit()
    assert window.isVisible() and window.actor == supervisor
    assert "督导员" in window.user_label.text()

    monkeypatch.setattr(window, "lock_dialog", lambda: FakeLogin(None, window, seen))
    window.idle_lock.timer.timeout.emit()
    assert not window.isVisible()
    assert _trace(db) == [("admin", "auth.lock"), ("admin", "auth.logout"),
                          ("sup1", "auth.lock"), ("sup1", "auth.logout")]


def test_input_restarts_timer_and_zero_turns_it_off(
    qtbot: QtBot, db: Database, admin: Actor
) -> None:
    with db.session() as s:
        set_idle_lock_minutes(s, admin, 1)
    window = _window(qtbot, db, admin)
    lock = window.idle_lock
    real = lock.timer

    class Spy:
        restarts = 0

        def isActive(self) -> bool:
            return True

        def start(self) -> None:
            Spy.restarts += 1

    lock.timer = Spy()  # type: ignore[assignment]
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    QApplication.sendEvent(window.nav, key)
    assert Spy.restarts == 1  # a key press restarts the countdown
    lock.timer = real

    with db.session() as s:
        set_idle_lock_minutes(s, admin, 0)
    lock.reload()
    assert not lock.timer.isActive()


def test_idle_lock_waits_for_work_in_progress(
    qtbot: QtBot, db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issuing certificates holds a transaction open: the lock comes after, not in the middle."""
    from app.ui.idle_lock import LOCK_RETRY_MS
    from app.ui.progress import ProgressTask

    with db.session() as s:
        set_idle_lock_minutes(s, admin, 1)
    window = _window(qtbot, db, admin)
    seen: list[tuple[str, bool]] = []
    monkeypatch.setattr(window, "lock_dialog", lambda: FakeLogin(admin, window, seen))
    task = ProgressTask(window, "发放证书", "正在编号发证…")
    window.idle_lock.timer.timeout.emit()
    assert seen == [] and window.isVisible()  # not locked while the work runs
    assert window.idle_lock.timer.isActive() and window.idle_lock.timer.interval() == LOCK_RETRY_MS
    task.close()
    window.idle_lock.timer.timeout.emit()
    assert seen == [("已锁定 — 请重新登录", False)]
