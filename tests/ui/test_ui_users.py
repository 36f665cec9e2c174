"""设置 › 用户: administrators create, disable, reset and re-role users; others only read."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import User
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.users import authenticate, create_user
from app.ui.dialogs.users import NewUserDialog, ResetPasswordDialog, RoleDialog
from app.ui.pages.settings import SettingsPage


def _user(db: Database, username: str) -> User:
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        return user


def test_create_then_disable_user(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    messages: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = SettingsPage(db, admin)
    qtbot.addWidget(page)
    tab = page.users
    assert tab.new_button.isVisibleTo(tab)

    def fill(dialog: NewUserDialog) -> int:
        dialog.username.setText("clerk1")
        dialog.display_name.setText("考务员甲")
        dialog.role.setCurrentIndex(dialog.role.findData("clerk"))
        assert dialog.role.currentText() == "考务员"
        dialog.password.setText("Clerk#2026")
        dialog.confirm.setText("Clerk#2026")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(NewUserDialog, "exec", fill)
    tab.new_button.click()
    user = _user(db, "clerk1")
    assert (user.display_name, user.role, user.active) == ("考务员甲", "clerk", True)
    assert tab.model.rowCount() == 2
    selected = tab.table.selectionModel().selectedRows()
    assert tab.model.row(selected[0].row()).username == "clerk1"

    tab.toggle_button.click()  # QMessageBox.question answered Yes
    assert not _user(db, "clerk1").active
    assert tab.model.row(tab.table.selectionModel().selectedRows()[0].row()).active is False
    with db.session() as s:
        assert verify_audit(s).ok


def test_new_user_dialog_errors_keep_it_open(
    qtbot: QtBot, db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    dialog = NewUserDialog(db, admin)
    qtbot.addWidget(dialog)
    dialog.username.setText("x1")
    dialog.password.setText("Secret#2026")
    dialog.confirm.setText("Other#2026")
    dialog.submit()
    assert "不一致" in dialog.error.text() and dialog.result_user is None
    dialog.password.setText("123")
    dialog.confirm.setText("123")
    dialog.submit()
    assert messages[-1][0] == "warning" and "密码太短" in messages[-1][1]
    dialog.username.setText("admin")
    dialog.password.setText("Secret#2026")
    dialog.confirm.setText("Secret#2026")
    dialog.submit()
    assert "已存在" in messages[-1][1]
    assert dialog.result() != dialog.DialogCode.Accepted


def test_reset_password_and_change_role(
    qtbot: QtBot, db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    with db.session() as s:
        create_user(s, admin, "sup1", "supervisor", "Super#2026", "督导甲")
    dialog = ResetPasswordDialog(db, admin, "sup1")
    qtbot.addWidget(dialog)
    dialog.password.setText("NewPass#2026")
    dialog.confirm.setText("NewPass#2026")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    with db.session() as s:
        assert authenticate(s, "sup1", "NewPass#2026").username == "sup1"

    role = RoleDialog(db, admin, "sup1", "supervisor")
    qtbot.addWidget(role)
    assert role.role.currentText() == "督导员"
    role.role.setCurrentIndex(role.role.findData("certifier"))
    role.submit()
    assert _user(db, "sup1").role == "certifier"

    last_admin = RoleDialog(db, admin, "admin", "admin")
    qtbot.addWidget(last_admin)
    last_admin.role.setCurrentIndex(last_admin.role.findData("clerk"))
    last_admin.submit()
    assert "最后一个管理员" in messages[-1][1]
    assert _user(db, "admin").role == "admin"
    with db.session() as s:
        assert verify_audit(s).ok


def test_clerk_sees_users_read_only(qtbot: QtBot, db: Database, admin: Actor) -> None:
    with db.session() as s:
        create_user(s, admin, "clerk1", "clerk", "Clerk#2026", "考务员甲")
    with db.session() as s:
        clerk = authenticate(s, "clerk1", "Clerk#2026")
    page = SettingsPage(db, clerk)
    qtbot.addWidget(page)
    page.show()
    tab = page.users
    assert tab.model.rowCount() == 2
    assert not any(b.isVisibleTo(tab) for b in tab.buttons)
    assert not page.profile.apply_button.isVisibleTo(page.profile)
    assert not page.system.minutes.isEnabled()
    assert page.calendar.import_button.isEnabled()  # clerks maintain the holiday table
