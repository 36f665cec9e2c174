"""The exception hook logs and shows a dialog (QMessageBox patched so nothing blocks)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.errors import ValidationError
from app.ui.errors import ExceptionHook, install_excepthook


def _raise(exc: BaseException):  # type: ignore[no-untyped-def]
    try:
        raise exc
    except BaseException:
        return sys.exc_info()


def test_unexpected_error_logged_and_shown(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self) or 0)
    hook = ExceptionHook(Path("/data/logs/skillsite.log"))
    with caplog.at_level(logging.ERROR):
        hook(*_raise(RuntimeError("boom")))
    # A RedactingFilter left on the root logger by an earlier test may turn exc_info into exc_text.
    assert any(
        "unexpected error" in r.getMessage() and (r.exc_info or r.exc_text) for r in caplog.records
    )
    assert len(shown) == 1
    box = shown[0]
    assert box.windowTitle() == "程序出错"
    assert "没有丢失" in box.informativeText()
    assert "/data/logs/skillsite.log" in box.informativeText()
    assert "boom" in box.detailedText()


def test_domain_error_shows_its_message_only(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: warnings.append((title, text))
    )
    monkeypatch.setattr(QMessageBox, "exec", lambda self: pytest.fail("no crash dialog expected"))
    ExceptionHook(None)(*_raise(ValidationError("机构名称不能为空。")))
    assert warnings == [("无法完成操作", "机构名称不能为空。")]


def test_error_inside_a_slot_reaches_the_hook(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QTimer

    seen: list[BaseException] = []
    monkeypatch.setattr(
        "app.ui.errors.show_unexpected_error", lambda exc, path, parent=None: seen.append(exc)
    )
    previous = sys.excepthook
    hook = install_excepthook(None)
    try:
        assert sys.excepthook is hook

        def bad_slot() -> None:
            raise KeyError("x")

        with qtbot.capture_exceptions():
            sys.excepthook = hook  # pytest-qt installs its own capture inside the block
            QTimer.singleShot(0, bad_slot)
            qtbot.wait(50)
    finally:
        sys.excepthook = previous
    assert len(seen) == 1 and isinstance(seen[0], KeyError)
