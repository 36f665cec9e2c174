"""launch.main: a database that cannot be opened is explained (exit 1); a cancelled start exits 0."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.errors import DatabaseVersionError
from app.ui import launch


@pytest.fixture(autouse=True)
def _no_global_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launch, "install_excepthook", lambda path: None)


def _capture_critical(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda parent, title, text, *a: messages.append(text)
    )
    return messages


def test_newer_database_refused_with_message(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = _capture_critical(monkeypatch)

    def refuse(data_dir: Path) -> None:
        raise DatabaseVersionError("数据库由更新版本的 SkillSite 写入，请升级本程序。")

    monkeypatch.setattr(launch, "open_database", refuse)
    assert launch.main(tmp_path / "d") == 1
    assert messages == ["数据库由更新版本的 SkillSite 写入，请升级本程序。"]


def test_any_open_failure_explained(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = _capture_critical(monkeypatch)

    def broken(data_dir: Path) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(launch, "open_database", broken)
    assert launch.main(tmp_path / "d") == 1
    assert "disk I/O error" in messages[0] and "logs" in messages[0]


def test_cancelled_first_run_exits_zero(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    called: list[str] = []
    monkeypatch.setattr(launch, "run_first_run", lambda db: called.append("wizard") or None)
    monkeypatch.setattr(launch, "run_login", lambda db, u="": pytest.fail("no login after cancel"))
    assert launch.main(tmp_path / "fresh") == 0
    assert called == ["wizard"]
    assert (tmp_path / "fresh" / "logs" / "skillsite.log").exists()


def test_existing_users_go_straight_to_login(
    qtbot: QtBot, data_dir: Path, admin: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(launch, "run_first_run", lambda db: pytest.fail("no wizard"))
    monkeypatch.setattr(launch, "run_login", lambda db, u="": None)
    assert launch.main(data_dir) == 0


def test_application_font_is_cjk_capable(qtbot: QtBot) -> None:
    app = launch.create_application()
    assert app.applicationName() == "SkillSite"
    assert launch.choose_ui_font(["Arial", "Noto Sans CJK SC"]) == "Noto Sans CJK SC"
    assert launch.choose_ui_font(["Microsoft YaHei UI", "LXGW WenKai"]) == "Microsoft YaHei UI"
    assert launch.choose_ui_font(["Arial"]) is None
    assert QApplication.font().family() == launch.choose_ui_font()


def test_qt_s_own_buttons_and_menus_are_in_chinese(qtbot: QtBot) -> None:
    """Without Qt's translation a 是/否 question shows "Yes"/"No" and a text box's right-click
    menu "Copy"/"Paste", whatever the app's own texts say."""
    from PySide6.QtWidgets import QDialogButtonBox

    launch.create_application()
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Yes
        | QDialogButtonBox.StandardButton.No
        | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    texts = [b.text() for b in box.buttons()]
    assert not any("Yes" in t or "No" in t or "Cancel" in t for t in texts), texts
    assert any(t.startswith("是") for t in texts) and any(t.startswith("取消") for t in texts)
    assert launch.install_qt_chinese(QApplication.instance())  # once is enough, and says so
