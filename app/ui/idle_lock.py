"""Idle lock: after N minutes without keyboard or mouse input, hide the data behind a re-login.

`IdleLock` filters the application's events; any user input restarts its timer. On timeout it
calls `on_lock` (the main window hides itself and asks for the password again). The minutes
come from `app.services.settings.idle_lock_minutes`; 0 turns the lock off.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.db import Database
from app.services.settings import idle_lock_minutes
from app.ui.progress import work_in_progress

LOCK_RETRY_MS = 5_000

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleLock(QObject):
    def __init__(
        self, db: Database, on_lock: Callable[[], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._on_lock = on_lock
        self.minutes = 0
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timeout)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.reload()

    def reload(self) -> None:
        """Read the minutes again (after the setting changed) and restart the timer."""
        with self._db.session() as s:
            self.minutes = idle_lock_minutes(s)
        self.restart()

    def restart(self) -> None:
        if self.minutes > 0 and not self.locked:
            self.timer.start(self.minutes * 60_000)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()  # same interval, from now
        return False

    def _timeout(self) -> None:
        if self.locked or self.minutes <= 0:
            return
        if work_in_progress():  # e.g. issuing certificates: lock once it is done
            self.timer.start(LOCK_RETRY_MS)
            return
        self.locked = True
        try:
            self._on_lock()
        finally:
            self.locked = False
        self.reload()
