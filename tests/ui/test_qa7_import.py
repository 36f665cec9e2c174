"""Import dialog and 职业目录, QA round 7: Enter in the 文件 field runs 检查文件 (not 选择文件), the
default button is 检查文件 and, after an import, 关闭; Tab leaves the preview and catalogue tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.rules.idcard import gb11643_check_char
from app.services.actor import Actor
from app.ui import import_wizard
from app.ui.dialogs.catalogue import CatalogueDialog
from app.ui.import_wizard import ImportDialog
from app.ui.pages.people import PeoplePage
from tests.ui.test_qa7_organisation import tab_chain
from tests.ui.test_ui_people_data import insert_audited_data


@pytest.fixture
def audited_db(db: Database, admin: Actor) -> Database:
    db.ids = insert_audited_data(db, admin)  # type: ignore[attr-defined]
    return db


def _xlsx(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码", "工作单位"])
    for i, name in enumerate(("新考生甲", "新考生乙", "新考生丙")):
        first17 = f"1101051995050500{i + 1}"
        ws.append([name, first17 + gb11643_check_char(first17), "甲公司"])
    wb.save(path)
    return path


def _show(qtbot: QtBot, widget: QWidget) -> None:
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=2000)


@pytest.fixture
def chooser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file chooser records that it was opened (and is cancelled)."""
    opened: list[str] = []

    def fake(*_a, **_k):  # type: ignore[no-untyped-def]
        opened.append("open")
        return "", ""

    monkeypatch.setattr(import_wizard.QFileDialog, "getOpenFileName", staticmethod(fake))
    return opened


def _dialog(qtbot: QtBot, db: Database, admin: Actor) -> tuple[ImportDialog, list[str]]:
    """A shown import dialog whose checks are counted (the paths checked, in turn)."""
    dialog = ImportDialog(db, admin, "people")
    qtbot.addWidget(dialog)
    checked: list[str] = []
    preview = dialog.job.preview

    def counting(s, path, mode, progress):  # type: ignore[no-untyped-def]
        checked.append(path)
        return preview(s, path, mode, progress)

    dialog.job.preview = counting
    _show(qtbot, dialog)
    return dialog, checked


# --- D5: Enter -------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_in_the_path_field_runs_the_check_once_and_opens_no_chooser(
    qtbot: QtBot,
    audited_db: Database,
    admin: Actor,
    chooser: list[str],
    tmp_path: Path,
    key: Qt.Key,
) -> None:
    src = _xlsx(tmp_path / "考生.xlsx")
    dialog, checked = _dialog(qtbot, audited_db, admin)
    dialog.path.setFocus()
    dialog.path.setText(str(src))
    qtbot.keyClick(dialog.path, key)
    assert chooser == []
    assert checked == [str(src)]  # once: the default button is not pressed as well
    assert dialog.preview is not None and dialog.table.rowCount() == 3
    assert dialog.isVisible()
    assert dialog.preview_button.isDefault() and not dialog.choose_button.isDefault()


def test_enter_elsewhere_presses_check_not_choose(
    qtbot: QtBot, audited_db: Database, admin: Actor, chooser: list[str], tmp_path: Path
) -> None:
    src = _xlsx(tmp_path / "考生.xlsx")
    dialog, checked = _dialog(qtbot, audited_db, admin)
    dialog.path.setText(str(src))
    dialog.problems_only.setFocus()
    qtbot.keyClick(dialog.problems_only, Qt.Key.Key_Return)
    assert chooser == [] and checked == [str(src)]
    # a button with the focus is still pressed by Enter
    dialog.choose_button.setFocus()
    qtbot.waitUntil(dialog.choose_button.hasFocus)
    qtbot.keyClick(dialog.choose_button, Qt.Key.Key_Return)
    assert chooser == ["open"]


def test_after_an_import_enter_closes_the_dialog_instead_of_checking_again(
    qtbot: QtBot, audited_db: Database, admin: Actor, chooser: list[str], tmp_path: Path
) -> None:
    src = _xlsx(tmp_path / "考生.xlsx")
    dialog, checked = _dialog(qtbot, audited_db, admin)
    dialog.path.setText(str(src))
    dialog.run_preview()
    dialog.commit_button.click()
    assert dialog.imported and dialog.result_info is not None
    assert dialog.close_button.isDefault() and not dialog.preview_button.isDefault()
    dialog.problems_only.setFocus()
    qtbot.keyClick(dialog.problems_only, Qt.Key.Key_Return)
    assert not dialog.isVisible() and checked == [str(src)]  # closed, not checked again
    assert dialog.result_info is not None


def test_people_page_refreshes_after_an_import_checked_again_afterwards(
    qtbot: QtBot,
    audited_db: Database,
    admin: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    src = _xlsx(tmp_path / "考生.xlsx")
    page = PeoplePage(audited_db, admin)
    qtbot.addWidget(page)
    assert page.model.total == 2

    def run(self: ImportDialog) -> int:  # import, then Enter in the path: checked again
        self.path.setText(str(src))
        self.run_preview()
        self.commit()
        assert self.imported
        self.path.returnPressed.emit()
        assert self.result_info is None  # withdrawn by the new check
        return 0

    monkeypatch.setattr(ImportDialog, "exec", run)
    page.run_import("people")
    assert page.model.total == 5


# --- D4: Tab leaves the tables ---------------------------------------------------------------------
def test_tab_leaves_the_preview_table(
    qtbot: QtBot, audited_db: Database, admin: Actor, tmp_path: Path
) -> None:
    src = _xlsx(tmp_path / "考生.xlsx")
    dialog, _checked = _dialog(qtbot, audited_db, admin)
    dialog.path.setText(str(src))
    dialog.run_preview()
    assert dialog.table.rowCount() == 3 and not dialog.table.tabKeyNavigation()
    dialog.table.setCurrentCell(0, 0)
    seen = tab_chain(qtbot, dialog.table, 3)
    assert seen[0] is not dialog.table
    assert dialog.commit_button in seen and dialog.close_button in seen


def test_tab_leaves_the_catalogue_table_to_its_buttons(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    dialog = CatalogueDialog(audited_db, admin)
    qtbot.addWidget(dialog)
    _show(qtbot, dialog)
    assert dialog.table.rowCount() == 1 and not dialog.table.tabKeyNavigation()
    dialog.table.setCurrentCell(0, 0)
    seen = tab_chain(qtbot, dialog.table, 6)
    assert seen[0] is dialog.add_button  # the first Tab leaves the table
    for button in (dialog.edit_button, dialog.delete_button, dialog.import_button):
        assert button in seen, button.text()
    assert dialog.export_button in seen
