"""Showing errors: a domain error as a plain warning, anything else logged with a calm dialog.

`install_excepthook()` makes every uncaught exception in a slot or event handler end here
instead of killing the application. Each operation runs in its own transaction, so an
unexpected error loses nothing that was already saved.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import SkillSiteError

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def _parent() -> QWidget | None:
    app = QApplication.instance()
    return app.activeWindow() if isinstance(app, QApplication) else None


SHOWN_LINES = 10  # a longer message (a list of errors) keeps its whole text in the details


def show_user_error(exc: SkillSiteError, parent: QWidget | None = None) -> None:
    """A SkillSiteError says in Chinese what is wrong and what to do: show just that. A list
    longer than SHOWN_LINES shows its first lines, the whole list under 显示详细信息 (a box
    taller than a 768-pixel screen would hide its OK button)."""
    lines = exc.message.splitlines()
    if len(lines) <= SHOWN_LINES:
        QMessageBox.warning(parent or _parent(), _tr("无法完成操作"), exc.message)
        return
    box = QMessageBox(parent or _parent())
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("无法完成操作"))
    box.setText("\n".join(lines[:SHOWN_LINES]))
    box.setInformativeText(
        _tr("……另有 {n} 行，点“显示详细信息”查看全部（可复制）。").format(
            n=len(lines) - SHOWN_LINES
        )
    )
    box.setDetailedText(exc.message)
    box.exec()


def show_unexpected_error(
    exc: BaseException, log_path: Path | None, parent: QWidget | None = None
) -> None:
    where = str(log_path) if log_path else _tr("数据目录下的 logs 文件夹")
    box = QMessageBox(parent or _parent())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_tr("程序出错"))
    box.setText(_tr("刚才的操作没有完成：程序遇到了一个意外错误。"))
    box.setInformativeText(
        _tr(
            "已保存的数据没有丢失：每项操作都在独立的事务中完成，出错的这一项已整体撤销。\n"
            "您可以继续使用；如果问题重复出现，请把日志文件发给技术支持：\n{path}"
        ).format(path=where)
    )
    box.setDetailedText("".join(traceback.format_exception_only(type(exc), exc)).strip())
    box.exec()


class ExceptionHook:
    """`sys.excepthook` replacement: log, then tell the user; never let the app die."""

    def __init__(self, log_path: Path | None) -> None:
        self.log_path = log_path
        self._showing = False
        self.previous: ExceptHook = sys.excepthook

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self.previous(kind, exc, tb)
            return
        if isinstance(exc, SkillSiteError):
            log.warning("user error: %s", exc.message)
        else:
            log.error("unexpected error", exc_info=(kind, exc, tb))
        if self._showing or QApplication.instance() is None:
            return  # an error while the dialog is open: logged, not stacked
        self._showing = True
        try:
            if isinstance(exc, SkillSiteError):
                show_user_error(exc)
            else:
                show_unexpected_error(exc, self.log_path)
        except Exception:  # the dialog itself failed: the log still has the error
            log.exception("could not show the error dialog")
        finally:
            self._showing = False


def install_excepthook(log_path: Path | None) -> ExceptionHook:
    hook = ExceptionHook(log_path)
    sys.excepthook = hook
    return hook
