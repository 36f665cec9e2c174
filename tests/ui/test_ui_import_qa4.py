"""Import QA round 4 in the dialog: a path pasted with quotes around it (Windows' 复制为路径),
and the preview naming a second sheet it did not read."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from pytestqt.qtbot import QtBot

from app.db import Database
from app.rules.idcard import gb11643_check_char
from app.services.actor import Actor
from app.ui import import_wizard
from app.ui.import_wizard import ImportDialog, run_photo_import, unquoted_path


def _id(first17: str) -> str:
    return first17 + gb11643_check_char(first17)


def _xlsx(path: Path, *, second_sheet: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["姓名", "证件号码"])
    ws.append(["新考生", _id("11010519950505001")])
    if second_sheet:
        other = wb.create_sheet("第二张")
        other.append(["姓名", "证件号码"])
        other.append(["另一人", _id("11010519950505002")])
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ('"C:\\名单\\考生.xlsx"', "C:\\名单\\考生.xlsx"),
        ("  '/tmp/a b.xlsx'  ", "/tmp/a b.xlsx"),
        ("“/tmp/考生.xlsx”", "/tmp/考生.xlsx"),
        ("‘/tmp/考生.xlsx’", "/tmp/考生.xlsx"),
        ("＂/tmp/考生.xlsx＂", "/tmp/考生.xlsx"),
        ('" /tmp/考生.xlsx "', "/tmp/考生.xlsx"),
        ("/tmp/考生.xlsx", "/tmp/考生.xlsx"),
        ('"', '"'),
    ],
)
def test_quotes_around_a_path_are_dropped(pasted: str, expected: str) -> None:
    assert unquoted_path(pasted) == expected


@pytest.fixture
def user_errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Errors the dialog would show in a message box (recorded: a modal box would block)."""
    shown: list[str] = []
    monkeypatch.setattr(
        import_wizard, "show_user_error", lambda exc, parent=None: shown.append(exc.message)
    )
    return shown


@pytest.mark.parametrize("quotes", ['""', "“”", "''"])
def test_a_quoted_path_previews_the_file(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path, quotes: str, user_errors: list[str]
) -> None:
    src = _xlsx(tmp_path / "考生 名单.xlsx")
    dialog = ImportDialog(db, admin, "people")
    qtbot.addWidget(dialog)
    dialog.path.setText(f"{quotes[0]}{src}{quotes[1]}")
    dialog.run_preview()
    assert dialog.preview is not None and user_errors == [], dialog.summary.text()
    assert "找不到文件" not in dialog.summary.text()
    assert dialog.path.text() == str(src)  # shown as it is used
    assert dialog.commit_button.isEnabled()


def test_a_quoted_photo_folder_is_found(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path, user_errors: list[str]
) -> None:
    folder = tmp_path / "照片"
    folder.mkdir()
    report = run_photo_import(db, admin, f'"{folder}"', show=False)
    assert user_errors == [] and report is not None and report.folder == str(folder)


def test_the_preview_names_a_second_sheet_it_did_not_read(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path, user_errors: list[str]
) -> None:
    src = _xlsx(tmp_path / "two.xlsx", second_sheet=True)
    dialog = ImportDialog(db, admin, "people")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(src))
    dialog.run_preview()
    text = dialog.summary.text()
    assert "“第二张”" in text and "未读取" in text
    assert dialog.commit_button.isEnabled()  # a note, not an error
