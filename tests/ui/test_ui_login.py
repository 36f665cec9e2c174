"""The login dialog: the service's Chinese message on a wrong password, the Actor on success."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.actor import Actor
from app.ui.login import LoginDialog
from tests.conftest import ADMIN_PASSWORD


def test_wrong_then_right_password(qtbot: QtBot, db: Database, admin: Actor) -> None:
    dialog = LoginDialog(db, None, "admin")
    qtbot.addWidget(dialog)
    dialog.show()

    dialog.password.setText("wrong-password")
    dialog.login_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.actor is None
    assert dialog.error.isVisible()
    assert "再错 4 次" in dialog.error.text()
    assert dialog.password.text() == ""

    dialog.password.setText(ADMIN_PASSWORD)
    dialog.login_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None
    assert dialog.actor.username == "admin"


def test_unknown_user_and_empty_name(qtbot: QtBot, db: Database, admin: Actor) -> None:
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.login_button.click()
    assert "请输入用户名" in dialog.error.text()
    dialog.username.setText("nobody")
    dialog.password.setText("whatever1")
    dialog.login_button.click()
    assert "用户名或密码不正确" in dialog.error.text()


def test_quit_rejects(qtbot: QtBot, db: Database, admin: Actor) -> None:
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.quit_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.actor is None
