"""设置: province rules, the holiday table, users, and the system (data, version, idle lock)."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError
from app.paths import log_dir
from app.services.actor import Actor
from app.services.permissions import Perm, allowed
from app.services.secrets import (
    describe_secret_store,
    secure_keyring_available,
    set_session_passphrase,
)
from app.services.settings import idle_lock_minutes, set_idle_lock_minutes
from app.ui.errors import show_user_error
from app.ui.pages.settings_admission import AdmissionPatternBox
from app.ui.pages.settings_calendar import CalendarTab
from app.ui.pages.settings_profile import ProfileTab
from app.ui.pages.settings_users import USER_COLUMNS, UsersTab
from app.ui.pages.table_page import heading, note
from app.ui.widgets.count_box import CountBox

__all__ = ["USER_COLUMNS", "SettingsPage", "SystemTab", "app_version", "database_location"]


def app_version() -> str:
    try:
        return metadata.version("skillsite")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def database_location(db: Database) -> str:
    if db.sqlite_path is not None:
        return str(db.sqlite_path)
    return db.engine.url.render_as_string(hide_password=True)


def _selectable(text: str) -> QLabel:
    field = QLabel(text)
    field.setWordWrap(True)
    field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return field


class SystemTab(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        layout = QVBoxLayout(self)
        box = QGroupBox(self.tr("数据与版本"))
        form = QFormLayout(box)
        for label, value in (
            (self.tr("数据目录"), str(db.data_dir)),
            (self.tr("数据库文件"), database_location(db)),
            (self.tr("日志文件夹"), str(log_dir(db.data_dir))),
            (self.tr("程序版本"), app_version()),
        ):
            form.addRow(label + "：", _selectable(value))
        self.secret_label = _selectable(describe_secret_store(db.data_dir))
        self.secret_label.setObjectName("secret_store")
        form.addRow(self.tr("签名密钥") + "：", self.secret_label)
        if not secure_keyring_available():
            self.passphrase_button = QPushButton(self.tr("输入密钥文件口令(&K)…"))
            self.passphrase_button.setObjectName("key_passphrase")
            self.passphrase_button.clicked.connect(self.ask_passphrase)
            form.addRow("", self.passphrase_button)
        layout.addWidget(box)
        layout.addWidget(note(self.tr("请定期备份整个数据目录（含数据库、照片和导出文件）。")))

        lock_box = QGroupBox(self.tr("空闲锁定"))
        row = QHBoxLayout(lock_box)
        label = QLabel(self.tr("无操作(&M)："))
        self.minutes = CountBox()
        self.minutes.setObjectName("idle_minutes")
        self.minutes.setRange(0, 240)
        self.minutes.setSuffix(self.tr(" 分钟后锁定"))
        self.minutes.setSpecialValueText(self.tr("不自动锁定"))
        self.minutes.setMinimumWidth(170)
        label.setBuddy(self.minutes)
        self.save_button = QPushButton(self.tr("保存(&S)"))
        self.save_button.setObjectName("save_idle")
        self.save_button.clicked.connect(self.save_idle_minutes)
        row.addWidget(label)
        row.addWidget(self.minutes)
        row.addWidget(self.save_button)
        row.addStretch()
        can = allowed(actor, Perm.MANAGE_SETTINGS)
        self.minutes.setEnabled(can)
        self.save_button.setVisible(can)
        layout.addWidget(lock_box)
        text = self.tr("锁定后需重新输入密码才能继续；换一个账号登录即为切换用户。")
        if not can:
            text += self.tr("只有管理员可以修改锁定时间。")
        layout.addWidget(note(text))
        self.admission = AdmissionPatternBox(db, actor, self)
        layout.addWidget(self.admission)
        layout.addStretch()
        self.refresh()

    def refresh(self) -> None:
        with self._db.session() as s:
            self.minutes.setValue(idle_lock_minutes(s))
        self.admission.refresh()

    def ask_passphrase(self) -> None:
        """No secure OS keyring here: the signing key lives in a passphrase-protected file."""
        text, ok = QInputDialog.getText(
            self, self.tr("密钥文件口令"),
            self.tr("本机没有安全的系统密钥库，签名密钥保存在加密的密钥文件中。\n"
                    "请输入密钥文件口令（至少 8 个字符；首次输入即设定口令，请牢记）："),
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        try:
            set_session_passphrase(text)
        except SkillSiteError as exc:
            QMessageBox.warning(self, self.tr("密钥文件口令"), exc.message)
            return
        self.secret_label.setText(describe_secret_store(self._db.data_dir))

    def save_idle_minutes(self) -> None:
        try:
            with self._db.session() as s:
                set_idle_lock_minutes(s, self._actor, self.minutes.value())
        except SkillSiteError as exc:
            show_user_error(exc, self)
            self.refresh()
            return
        lock = getattr(self.window(), "idle_lock", None)
        if lock is not None:
            lock.reload()
        QMessageBox.information(self, self.tr("空闲锁定"), self.tr("已保存。"))


class SettingsPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("设置")))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings_tabs")
        self.profile = ProfileTab(db, actor, self)
        self.calendar = CalendarTab(db, actor, self)
        self.users = UsersTab(db, actor, self)
        self.system = SystemTab(db, actor, self)
        self.tabs.addTab(self.profile, self.tr("省份规则"))
        self.tabs.addTab(self.calendar, self.tr("法定节假日"))
        self.tabs.addTab(self.users, self.tr("用户"))
        self.tabs.addTab(self.system, self.tr("系统"))
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        page = self.tabs.currentWidget()
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()
