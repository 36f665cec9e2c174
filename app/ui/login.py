"""The login dialog: user name and password; the service's Chinese message on failure."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import AuthenticationError
from app.services.actor import Actor
from app.services.users import authenticate
from app.ui.busy import busy_cursor


class LoginDialog(QDialog):
    """`exec()` returns Accepted with `actor` set, or Rejected when the user chose 退出."""

    def __init__(self, db: Database, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__(parent)
        self._db = db
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("登录 — SkillSite"))
        self.setMinimumWidth(380)

        heading = QLabel(self.tr("职业技能等级认定考点管理"))
        heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        form.addRow(self.tr("用户名(&U)："), self.username)
        form.addRow(self.tr("密码(&P)："), self.password)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()

        buttons = QDialogButtonBox()
        self.login_button = buttons.addButton(
            self.tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.quit_button = buttons.addButton(
            self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.login_button.setDefault(True)
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        (self.password if username else self.username).setFocus()

    def try_login(self) -> None:
        name = self.username.text().strip()
        if not name:
            self._show_error(self.tr("请输入用户名。"))
            self.username.setFocus()
            return
        try:
            with busy_cursor(), self._db.session() as s:
                self.actor = authenticate(s, name, self.password.text())
        except AuthenticationError as exc:
            self._show_error(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
