"""User management dialogs (administrators): new user, reset password, change role."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError
from app.models.enums import USER_ROLE_NAMES, UserRole
from app.services.actor import Actor
from app.services.passwords import MIN_LENGTH
from app.services.users import UserInfo, create_user, reset_password, set_role
from app.ui.errors import show_user_error


def role_combo(current: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("role")
    for role, name in USER_ROLE_NAMES.items():
        combo.addItem(name, role.value)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    else:
        combo.setCurrentIndex(max(0, combo.findData(UserRole.CLERK.value)))
    return combo


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _ServiceDialog(QDialog):
    """OK runs `submit()`; a SkillSiteError is shown and the dialog stays open."""

    def __init__(self, db: Database, actor: Actor, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.result_user: UserInfo | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _check_passwords(self, first: QLineEdit, second: QLineEdit) -> bool:
        if first.text() != second.text():
            self._fail(self.tr("两次输入的密码不一致，请重新输入。"))
            second.clear()
            second.setFocus()
            return False
        return True

    def _run(self, call) -> None:  # type: ignore[no-untyped-def]
        try:
            with self._db.session() as s:
                self.result_user = call(s)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self.accept()

    def submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class NewUserDialog(_ServiceDialog):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, self_tr("新增用户"), parent)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("display_name")
        self.role = role_combo()
        self.password = password_field("password")
        self.confirm = password_field("confirm")
        self.form.addRow(self.tr("用户名(&U)："), self.username)
        self.form.addRow(self.tr("姓名(&N)："), self.display_name)
        self.form.addRow(self.tr("角色(&R)："), self.role)
        self.form.addRow(self.tr("密码(&P)："), self.password)
        self.form.addRow(self.tr("确认密码(&C)："), self.confirm)
        self.form.addRow(
            "",
            QLabel(
                self.tr("密码至少 {n} 个字符，不能全是数字；请让用户首次登录后自行修改。").format(
                    n=MIN_LENGTH
                )
            ),
        )

    def submit(self) -> None:
        if not self._check_passwords(self.password, self.confirm):
            return
        self._run(
            lambda s: create_user(
                s,
                self._actor,
                self.username.text().strip(),
                self.role.currentData(),
                self.password.text(),
                self.display_name.text().strip(),
            )
        )


class ResetPasswordDialog(_ServiceDialog):
    def __init__(
        self, db: Database, actor: Actor, username: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(db, actor, self_tr("重置密码"), parent)
        self.username = username
        self.password = password_field("password")
        self.confirm = password_field("confirm")
        self.form.addRow(self.tr("用户："), QLabel(username))
        self.form.addRow(self.tr("新密码(&P)："), self.password)
        self.form.addRow(self.tr("确认新密码(&C)："), self.confirm)

    def submit(self) -> None:
        if not self._check_passwords(self.password, self.confirm):
            return
        self._run(lambda s: reset_password(s, self._actor, self.username, self.password.text()))


class RoleDialog(_ServiceDialog):
    def __init__(
        self, db: Database, actor: Actor, username: str, role: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(db, actor, self_tr("修改角色"), parent)
        self.username = username
        self.role = role_combo(role)
        self.form.addRow(self.tr("用户："), QLabel(username))
        self.form.addRow(self.tr("新角色(&R)："), self.role)

    def submit(self) -> None:
        self._run(lambda s: set_role(s, self._actor, self.username, self.role.currentData()))


def self_tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("UserDialogs", text)
