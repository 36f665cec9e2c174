"""A progress dialog with 取消 for long work done on the GUI thread (rendering, printing).

The work calls the task as `progress(done, total)` between its steps: the bar moves, the window
stays responsive (events are processed), and the call returns False once the user pressed 取消
so the work can stop cleanly. The dialog appears only if the work takes longer than a moment.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

SHOW_AFTER_MS = 500
_running: list[ProgressTask] = []


def work_in_progress() -> bool:
    """Whether a ProgressTask is running (its work may hold a database transaction open):
    the idle lock waits for it to end instead of locking in the middle."""
    return bool(_running)


class ProgressTask:
    def __init__(self, parent: QWidget | None, title: str, label: str, *,
                 label_for: Callable[[int, int], str] | None = None,
                 show_after_ms: int = SHOW_AFTER_MS) -> None:
        self.dialog = QProgressDialog(label, parent.tr("取消") if parent else "取消", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(show_after_ms)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self._label_for = label_for
        _running.append(self)

    def __call__(self, done: int, total: int) -> bool:
        if total and self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        if self._label_for is not None:
            self.dialog.setLabelText(self._label_for(done, total))
        self.dialog.setValue(min(done, total) if total else 0)
        # Until the (window-modal) dialog is on screen, clicks must not reach the window behind
        # it: a second click on the same button would start the work again inside this one.
        if self.dialog.isVisible():
            QApplication.processEvents()
        else:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        return not self.dialog.wasCanceled()

    @property
    def cancelled(self) -> bool:
        return self.dialog.wasCanceled()

    def close(self) -> None:
        if self in _running:
            _running.remove(self)
        self.dialog.close()
        self.dialog.deleteLater()

    def __enter__(self) -> ProgressTask:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
