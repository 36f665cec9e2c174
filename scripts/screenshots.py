"""Screenshots of the GUI for the docs: the first-run wizard, the login and every main page.

    .venv/bin/python scripts/screenshots.py --out docs/screenshots

Runs offscreen unless QT_QPA_PLATFORM says otherwise; builds the demo data in a temp folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from app.db import Database, open_database
from app.services.actor import Actor
from app.services.organisation import OrgInput, save_organisation
from app.services.users import authenticate, create_first_admin

PASSWORD = "Demo#2026"
SIZE = (1280, 800)


def settle(widget: QWidget) -> None:
    for _ in range(5):
        QApplication.processEvents()
    widget.repaint()


def save(widget: QWidget, out: Path, name: str) -> None:
    settle(widget)
    path = out / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


def build_data(db: Database) -> Actor:
    try:
        from app.services.demo import build_demo
    except ImportError:
        with db.session() as s:
            create_first_admin(s, "admin", PASSWORD, "演示管理员")
            s.flush()
            save_organisation(
                s, authenticate(s, "admin", PASSWORD), OrgInput(name="演示职业技能评价中心")
            )
    else:
        build_demo(db, PASSWORD)
    with db.session() as s:
        return authenticate(s, "admin", PASSWORD)


def wizard_shots(root: Path, out: Path) -> None:
    from app.ui.first_run import FirstRunWizard

    db = open_database(root / "empty")
    try:
        wizard = FirstRunWizard(db)
        wizard.resize(720, 520)
        wizard.show()
        save(wizard, out, "01-wizard-welcome")
        wizard.next()
        wizard.admin.display_name.setText("张三")
        wizard.admin.password.setText("12345678")
        wizard.admin.confirm.setText("12345678")
        wizard.next()  # refused: the policy message shows inline
        save(wizard, out, "02-wizard-admin")
        wizard.admin.password.setText(PASSWORD)
        wizard.admin.confirm.setText(PASSWORD)
        wizard.next()
        wizard.organisation.name.setText("重庆市某某职业技能评价中心")
        wizard.organisation.profile.setCurrentIndex(
            max(0, wizard.organisation.profile.findData("chongqing"))
        )
        save(wizard, out, "03-wizard-organisation")
        wizard.reject()
    finally:
        db.dispose()


def login_shot(db: Database, out: Path) -> None:
    from app.ui.login import LoginDialog

    dialog = LoginDialog(db, None, "admin")
    dialog.show()
    dialog.password.setText("wrong-password")
    dialog.try_login()
    save(dialog, out, "04-login")
    dialog.reject()


def main_window_shots(db: Database, actor: Actor, out: Path) -> None:
    from app.ui.main_window import NAV, MainWindow

    window = MainWindow(db, actor)
    window.resize(*SIZE)
    window.show()
    for row, entry in enumerate(NAV):
        window.go_to(row)
        save(window, out, f"{row + 5:02d}-{entry.key}")
    window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    from app.ui.launch import create_application

    with tempfile.TemporaryDirectory(prefix="skillsite-shots-") as tmp:
        root = Path(tmp)
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, str(root / "settings"))
        app = create_application([sys.argv[0]])
        print("font:", app.font().family())
        wizard_shots(root, out)
        db = open_database(root / "demo")
        try:
            actor = build_data(db)
            login_shot(db, out)
            main_window_shots(db, actor, out)
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
