"""设置: where the data lives, the application version, and the users."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from app.db import Database
from app.paths import log_dir
from app.services import listing
from app.services.actor import Actor
from app.ui.models import Column
from app.ui.pages.table_page import TablePage, database_model, heading, note
from app.ui.pages.tables import local_time

C = "Column"

USER_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "用户名"), lambda r: r.username, width=120),
    Column(QT_TRANSLATE_NOOP(C, "姓名"), lambda r: r.display_name, width=140),
    Column(QT_TRANSLATE_NOOP(C, "角色"), lambda r: r.role_name, width=90),
    Column(QT_TRANSLATE_NOOP(C, "启用"), lambda r: r.active, width=60),
    Column(QT_TRANSLATE_NOOP(C, "最近登录"), lambda r: local_time(r.last_login_at)),
)


def app_version() -> str:
    try:
        return metadata.version("skillsite")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def database_location(db: Database) -> str:
    if db.sqlite_path is not None:
        return str(db.sqlite_path)
    return db.engine.url.render_as_string(hide_password=True)


class SettingsPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("设置")))
        box = QGroupBox(self.tr("数据与版本"))
        form = QFormLayout(box)
        for label, value in (
            (self.tr("数据目录"), str(db.data_dir)),
            (self.tr("数据库文件"), database_location(db)),
            (self.tr("日志文件夹"), str(log_dir(db.data_dir))),
            (self.tr("程序版本"), app_version()),
        ):
            field = QLabel(value)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label + "：", field)
        layout.addWidget(box)
        layout.addWidget(
            note(self.tr("请定期备份整个数据目录。用户管理和系统设置的修改将在后续版本提供。"))
        )
        model = database_model(
            db,
            USER_COLUMNS,
            lambda s, offset, limit, search: listing.users_page(s, actor, offset, limit, search),
            lambda s, search: listing.users_count(s, actor, search),
        )
        self.users = TablePage(self.tr("用户"), model, parent=self)
        self.users.layout().setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.users, 1)

    def refresh(self) -> None:
        self.users.refresh()
