"""设置 › 用户: the user list; administrators add users, disable/enable, reset passwords, change roles."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QDialog, QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.db import Database
from app.errors import SkillSiteError
from app.services import listing
from app.services.actor import Actor
from app.services.listing import UserRow
from app.services.permissions import Perm, allowed
from app.services.users import set_active
from app.ui.dialogs.users import NewUserDialog, ResetPasswordDialog, RoleDialog
from app.ui.errors import show_user_error
from app.ui.models import Column
from app.ui.pages.table_page import TablePage, database_model
from app.ui.pages.tables import local_time

C = "Column"

USER_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "用户名"), lambda r: r.username, width=120),
    Column(QT_TRANSLATE_NOOP(C, "姓名"), lambda r: r.display_name, width=140),
    Column(QT_TRANSLATE_NOOP(C, "角色"), lambda r: r.role_name, width=90),
    Column(QT_TRANSLATE_NOOP(C, "启用"), lambda r: r.active, width=60),
    Column(QT_TRANSLATE_NOOP(C, "最近登录"), lambda r: local_time(r.last_login_at)),
)


class UsersTab(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.can_manage = allowed(actor, Perm.MANAGE_USERS)
        layout = QVBoxLayout(self)
        model = database_model(
            db,
            USER_COLUMNS,
            lambda s, offset, limit, search: listing.users_page(s, actor, offset, limit, search),
            lambda s, search: listing.users_count(s, actor, search),
        )
        explanation = (
            self.tr("用户不能删除，只能停用：停用后不能登录，其操作记录保留在审计日志中。")
            if self.can_manage
            else self.tr("只有管理员可以新增、停用用户或修改角色。您可以查看用户列表。")
        )
        self.list = TablePage(self.tr("用户"), model, explanation=explanation, parent=self)
        self.list.layout().setContentsMargins(0, 0, 0, 0)
        self.table = self.list.table
        self.model = model
        layout.addWidget(self.list, 1)

        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("新增用户(&N)…"))
        self.new_button.clicked.connect(self.new_user)
        self.toggle_button = QPushButton(self.tr("停用/启用(&E)"))
        self.toggle_button.clicked.connect(self.toggle_active)
        self.password_button = QPushButton(self.tr("重置密码(&P)…"))
        self.password_button.clicked.connect(self.reset_password)
        self.role_button = QPushButton(self.tr("修改角色(&R)…"))
        self.role_button.clicked.connect(self.change_role)
        self.buttons = (self.new_button, self.toggle_button, self.password_button, self.role_button)
        for b in self.buttons:
            buttons.addWidget(b)
            b.setVisible(self.can_manage)
        buttons.addStretch()
        layout.addLayout(buttons)

    def refresh(self) -> None:
        self.list.refresh()

    def selected(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, self.tr("用户"), self.tr("请先在列表中选中一个用户。"))
            return None
        return self.model.row(rows[0].row())

    def select_username(self, username: str) -> bool:
        for r in range(self.model.rowCount()):
            if self.model.row(r).username == username:
                self.table.selectRow(r)
                return True
        return False

    def _after(self, username: str) -> None:
        self.refresh()
        self.select_username(username)

    # --- actions ---------------------------------------------------------------------------

    def new_user_dialog(self) -> NewUserDialog:
        return NewUserDialog(self._db, self._actor, self)

    def new_user(self) -> None:
        dialog = self.new_user_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_user is not None:
            self._after(dialog.result_user.username)

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        verb = self.tr("启用") if not user.active else self.tr("停用")
        answer = QMessageBox.question(
            self,
            verb,
            self.tr("{verb}用户“{name}”（{username}）？").format(
                verb=verb, name=user.display_name, username=user.username
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._db.session() as s:
                set_active(s, self._actor, user.username, not user.active)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self._after(user.username)

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = ResetPasswordDialog(self._db, self._actor, user.username, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            QMessageBox.information(
                self,
                self.tr("重置密码"),
                self.tr("已重置“{username}”的密码，锁定也已解除。").format(username=user.username),
            )

    def change_role(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = RoleDialog(self._db, self._actor, user.username, user.role, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after(user.username)
