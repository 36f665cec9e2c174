"""The main window: navigation on the left, the pages (created on first visit) on the right."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.db import Database
from app.services.actor import Actor
from app.services.listing import user_display_name
from app.services.organisation import get_organisation
from app.services.users import lock_session, logout
from app.ui.idle_lock import IdleLock
from app.ui.login import LoginDialog
from app.ui.pages.audit import AuditPage
from app.ui.pages.batches import BatchesPage
from app.ui.pages.certificates import CertificatesPage
from app.ui.pages.dashboard import DashboardPage
from app.ui.pages.organisation import OrganisationPage
from app.ui.pages.people import PeoplePage
from app.ui.pages.records import ArchivePage, ExportsPage
from app.ui.pages.scores import ScoresPage
from app.ui.pages.settings import SettingsPage, app_version

log = logging.getLogger(__name__)

SETTINGS_ORG = "SkillSite"
SETTINGS_APP = "SkillSite"
PageFactory = Callable[[Database, Actor, QWidget | None], QWidget]


@dataclass(frozen=True)
class NavEntry:
    key: str
    title: str  # untranslated; shown through tr()
    factory: PageFactory


NAV: tuple[NavEntry, ...] = (
    NavEntry("dashboard", QT_TRANSLATE_NOOP("MainWindow", "工作台"), DashboardPage),
    NavEntry("organisation", QT_TRANSLATE_NOOP("MainWindow", "机构与备案"), OrganisationPage),
    NavEntry("people", QT_TRANSLATE_NOOP("MainWindow", "人员"), PeoplePage),
    NavEntry("batches", QT_TRANSLATE_NOOP("MainWindow", "认定批次"), BatchesPage),
    NavEntry("scores", QT_TRANSLATE_NOOP("MainWindow", "成绩"), ScoresPage),
    NavEntry("certificates", QT_TRANSLATE_NOOP("MainWindow", "证书"), CertificatesPage),
    NavEntry("exports", QT_TRANSLATE_NOOP("MainWindow", "上报导出"), ExportsPage),
    NavEntry("archive", QT_TRANSLATE_NOOP("MainWindow", "档案"), ArchivePage),
    NavEntry("audit", QT_TRANSLATE_NOOP("MainWindow", "审计日志"), AuditPage),
    NavEntry("settings", QT_TRANSLATE_NOOP("MainWindow", "设置"), SettingsPage),
)


def settings() -> QSettings:
    return QSettings(SETTINGS_ORG, SETTINGS_APP)


class MainWindow(QMainWindow):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.actor = actor
        self.pages: dict[int, QWidget] = {}
        self.setWindowTitle(self.tr("SkillSite 职业技能等级认定考点管理"))
        self.setMinimumSize(QSize(960, 600))

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.nav.setSpacing(2)
        self.nav.setStyleSheet(
            "QListWidget#nav { font-size: 12pt; outline: 0; }"
            "QListWidget#nav::item { padding: 6px 10px; }"
            "QListWidget#nav::item:selected { background: #2f6fb5; color: white; }"
        )
        for i, entry in enumerate(NAV):
            shortcut = (i + 1) % 10
            item = QListWidgetItem(self.tr(entry.title))
            item.setToolTip(
                self.tr("{page}（Ctrl+{n}）").format(page=self.tr(entry.title), n=shortcut)
            )
            self.nav.addItem(item)
        self.nav.setFixedWidth(160)
        self.stack = QStackedWidget()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 6, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menu()
        self._build_shortcuts()
        self.user_label = QLabel()
        self.org_label = QLabel()
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.org_label)
        self.update_status()

        self.nav.currentRowChanged.connect(self.show_page)
        self._restore_geometry()
        self.nav.setCurrentRow(0)
        self.nav.setFocus()
        self.idle_lock = IdleLock(self._db, self.lock, self)

    # --- construction ----------------------------------------------------------------------

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.switch_action = QAction(self.tr("切换用户(&S)…"), self)
        self.switch_action.triggered.connect(self.switch_user)
        file_menu.addAction(self.switch_action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("退出(&X)"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.about_action = QAction(self.tr("关于(&A)"), self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def _build_shortcuts(self) -> None:
        self.shortcuts: list[QShortcut] = []
        for i in range(len(NAV)):
            key = Qt.Key(Qt.Key.Key_0 + (i + 1) % 10)
            shortcut = QShortcut(QKeySequence(Qt.KeyboardModifier.ControlModifier | key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda row=i: self.go_to(row))
            self.shortcuts.append(shortcut)

    # --- pages -----------------------------------------------------------------------------

    def go_to(self, row: int) -> None:
        self.nav.setCurrentRow(row)
        self.nav.setFocus()

    def show_page(self, row: int) -> None:
        if not 0 <= row < len(NAV):
            return
        page = self.pages.get(row)
        if page is None:
            page = NAV[row].factory(self._db, self.actor, self.stack)
            page.setObjectName(f"page_{NAV[row].key}")
            if isinstance(page, OrganisationPage):  # a save may rename the organisation
                page.saved.connect(self.update_status)
            self.pages[row] = page
            self.stack.addWidget(page)
        else:
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()
        self.stack.setCurrentWidget(page)
        self.update_status()  # (the organisation may also have been saved on another PC)

    def current_page(self) -> QWidget | None:
        return self.pages.get(self.nav.currentRow())

    def page_by_key(self, key: str) -> QWidget | None:
        for i, entry in enumerate(NAV):
            if entry.key == key:
                return self.pages.get(i)
        return None

    def reset_pages(self) -> None:
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.show_page(max(0, self.nav.currentRow()))

    # --- user ------------------------------------------------------------------------------

    def update_status(self) -> None:
        with self._db.session() as s:
            name = user_display_name(s, self.actor.user_id)
            org = get_organisation(s)
            org_name = org.name if org else ""
        who = (
            f"{name}（{self.actor.username}）"
            if name and name != self.actor.username
            else self.actor.username
        )
        self.user_label.setText(
            self.tr("当前用户：{who} · {role}").format(who=who, role=self.actor.role_name)
        )
        self.org_label.setText(org_name or self.tr("尚未填写机构信息"))

    def _logout(self) -> None:
        try:
            with self._db.session() as s:
                logout(s, self.actor)
        except Exception:  # logging out must never keep the window from closing
            log.exception("could not record the logout")

    def login_dialog(self) -> LoginDialog:
        return LoginDialog(self._db, None)

    def lock_dialog(self) -> LoginDialog:
        return LoginDialog(self._db, None, username=self.actor.username)

    def lock(self) -> None:
        """Idle lock: hide the data until the same user logs in again (another user = 切换用户)."""
        if not self.isVisible():
            return
        self.hide()
        try:
            with self._db.session() as s:
                lock_session(s, self.actor, self.idle_lock.minutes)
        except Exception:  # the lock itself must happen even if the trace cannot be written
            log.exception("could not record the lock")
        dialog = self.lock_dialog()
        dialog.setWindowTitle(self.tr("已锁定 — 请重新登录"))
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
            self._logout()
            self._closing_logged_out = True
            self.close()
            return
        if dialog.actor.user_id != self.actor.user_id:
            self._logout()
            self.actor = dialog.actor
            self.update_status()
            self.reset_pages()
        self.show()

    def switch_user(self) -> None:
        if not self.may_discard_unsaved(self.tr("切换用户")):
            return
        self._logout()
        self.hide()
        dialog = self.login_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.actor is not None:
            self.actor = dialog.actor
            self.update_status()
            self.reset_pages()
            self.show()
        else:
            self._closing_logged_out = True
            self.close()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于 SkillSite"),
            self.tr(
                "<h3>SkillSite {version}</h3>"
                "<p>职业技能等级认定考点管理：评价机构的批次计划、考务、成绩、公示、报备、证书和档案。</p>"
                "<p>数据保存在本机：{path}</p>"
            ).format(version=app_version(), path=self._db.data_dir),
        )

    # --- geometry --------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = settings().value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = QApplication.primaryScreen()
            available = screen.availableGeometry().size() if screen else QSize(1280, 800)
            self.resize(min(1280, available.width()), min(800, available.height()))

    def unsaved_pages(self) -> list[str]:
        """Titles of the pages with edits not yet saved (a page says so by has_unsaved_changes)."""
        return [
            self.tr(NAV[row].title)
            for row, page in sorted(self.pages.items())
            if getattr(page, "has_unsaved_changes", lambda: False)()
        ]

    def may_discard_unsaved(self, action: str) -> bool:
        """True when no page has unsaved edits, or the user agrees to lose them by `action`."""
        unsaved = self.unsaved_pages()
        if not unsaved:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("尚未保存"),
            self.tr(
                "“{pages}”中有尚未保存的修改，{action}后这些修改将丢失。\n\n仍要{action}吗？"
            ).format(pages="”、“".join(unsaved), action=action),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if not getattr(self, "_closing_logged_out", False) and not self.may_discard_unsaved(
            self.tr("退出")
        ):
            event.ignore()
            return
        settings().setValue("main_window/geometry", self.saveGeometry())
        if not getattr(self, "_closing_logged_out", False):
            self._logout()
            self._closing_logged_out = True
        super().closeEvent(event)
