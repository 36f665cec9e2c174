"""Start the desktop application: Qt, logging, the database, first run, login, main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.db import Database, open_database
from app.errors import DatabaseVersionError
from app.logging_setup import setup_logging
from app.paths import log_dir, resolve_data_dir
from app.services.actor import Actor
from app.services.users import needs_first_run
from app.ui.errors import install_excepthook

log = logging.getLogger(__name__)

APP_NAME = "SkillSite"
# Preferred UI fonts with good Simplified Chinese coverage, best first.
CJK_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "LXGW WenKai",
    "Droid Sans Fallback",
)
FONT_POINT_SIZE = 10


def _tr(text: str) -> str:
    return QCoreApplication.translate("Launch", text)


def choose_ui_font(families: list[str] | None = None) -> str | None:
    """The first preferred CJK family installed, else any family that can write Chinese."""
    available = families if families is not None else QFontDatabase.families()
    for name in CJK_FONTS:
        if name in available:
            return name
    if families is None:
        chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        if chinese:
            return chinese[0]
    return None


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    family = choose_ui_font()
    if family:
        app.setFont(QFont(family, FONT_POINT_SIZE))
    install_qt_chinese(app)
    return app


def install_qt_chinese(app: QApplication) -> bool:
    """Qt's own texts in Chinese: the standard buttons (是/否/取消/确定), file dialogs, the
    right-click menu of a text box. The app is Chinese only, whatever the system's language.
    False (and logged) when Qt's translation file is missing."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    if getattr(app, "_skillsite_qt_chinese", None) is not None:
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    if not translator.load(chinese, "qtbase", "_", folder):
        log.warning("Qt's Chinese translation (qtbase_zh_CN.qm) not found in %s", folder)
        return False
    app.installTranslator(translator)
    app._skillsite_qt_chinese = translator  # type: ignore[attr-defined]  # kept alive with the app
    return True


def open_or_explain(data_dir: Path) -> Database | None:
    """Open the database, or tell the user why not (and log it) and return None."""
    try:
        return open_database(data_dir)
    except DatabaseVersionError as exc:
        log.error("database version: %s", exc.message)
        QMessageBox.critical(None, _tr("无法打开数据库"), exc.message)
    except Exception as exc:
        log.exception("could not open the database")
        QMessageBox.critical(
            None,
            _tr("无法打开数据库"),
            _tr(
                "打开数据目录中的数据库时出错，程序将退出。\n数据目录：{dir}\n错误：{error}\n"
                "详细信息已写入日志：{log}"
            ).format(dir=data_dir, error=exc, log=log_dir(data_dir)),
        )
    return None


def run_first_run(db: Database) -> str | None:
    """The first-run wizard; the administrator's user name, or None if it was cancelled."""
    from app.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(db)
    if wizard.exec() != QDialog.DialogCode.Accepted:
        return None
    return wizard.username


def run_login(db: Database, username: str = "") -> Actor | None:
    from app.ui.login import LoginDialog

    dialog = LoginDialog(db, None, username)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.actor


def startup_actor(db: Database) -> Actor | None:
    """First run if the database has no user yet, then the login; None if the user gave up."""
    username = ""
    with db.session() as s:
        first_run = needs_first_run(s)
    if first_run:
        created = run_first_run(db)
        if created is None:
            return None
        username = created
    return run_login(db, username)


def main(data_dir: Path | None = None) -> int:
    app = create_application()
    directory = resolve_data_dir(data_dir)
    log_path = setup_logging(directory)
    install_excepthook(log_path)
    log.info("SkillSite GUI starting")
    db = open_or_explain(directory)
    if db is None:
        return 1
    try:
        actor = startup_actor(db)
        if actor is None:
            return 0
        from app.ui.main_window import MainWindow

        window = MainWindow(db, actor)
        window.show()
        return app.exec()
    finally:
        db.dispose()
        log.info("SkillSite GUI closed")
