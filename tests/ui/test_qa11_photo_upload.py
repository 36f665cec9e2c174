"""Uploading one photo in the person's detail: a file whose name is another person's ID
number, a resident ID number that is not this person's, or this person's number beside another
name is uploaded only after a question (answered No by default); other names are not asked
about. The question shows ID numbers masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.db import Database
from app.models import Photo
from app.rules.idcard import gb11643_check_char, mask_id
from app.services.actor import Actor
from app.services.photos import upload_name_warning
from app.ui.pages.person_detail import PersonDetailDialog
from tests.ui.test_ui_people import photo_bytes
from tests.ui.test_ui_people_data import EXAMINER_ID, FULL_ID, insert_audited_data

STRANGER = "11010519850505123" + gb11643_check_char("11010519850505123")  # registered nowhere


@pytest.fixture
def ids(db: Database, admin: Actor) -> dict[str, int]:
    return insert_audited_data(db, admin)  # 王小明 (FULL_ID), 李考评 (EXAMINER_ID)


@pytest.mark.parametrize(
    ("file", "says"),
    [
        (f"{FULL_ID}.jpg", f"是另一人员王小明（{mask_id(FULL_ID)}）的证件号码"),
        (f"王小明_{FULL_ID}.jpg", "是另一人员王小明"),
        (f"{STRANGER}.jpg", "中的证件号码不是李考评"),
        (f"王小明_{EXAMINER_ID}.jpg", "中的姓名“王小明”与李考评"),
        (f"李考评_{EXAMINER_ID}_{FULL_ID}.jpg", "除李考评（"),
        (f"{FULL_ID} {EXAMINER_ID}.jpg", "还有另一人员王小明"),
        (f"{EXAMINER_ID}.jpg", None),
        (f"李考评-{EXAMINER_ID}-二寸.jpg", None),
        ("IMG_0012.jpg", None),
        ("李考评.png", None),
    ],
)
def test_what_a_file_name_says_against_the_person(
    db: Database, admin: Actor, ids: dict[str, int], file: str, says: str | None
) -> None:
    with db.session() as s:
        warning = upload_name_warning(s, admin, ids["examiner"], file)
    if says is None:
        assert warning is None
    else:
        assert warning is not None and says in warning, warning
        assert FULL_ID not in warning and EXAMINER_ID not in warning and STRANGER not in warning


def _upload(
    qtbot: QtBot, db: Database, admin: Actor, pid: int, path: Path, monkeypatch
) -> PersonDetailDialog:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    dialog = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(dialog)
    dialog.upload_photo()
    return dialog


def _has_photo(db: Database, pid: int) -> bool:
    with db.session() as s:
        return s.get(Photo, pid) is not None


def test_another_persons_file_is_uploaded_only_when_confirmed(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or answer[0]
    )
    path = tmp_path / f"{FULL_ID}.jpg"
    path.write_bytes(photo_bytes(300, 420))
    dialog = _upload(qtbot, db, admin, ids["examiner"], path, monkeypatch)
    assert len(asked) == 1 and "王小明" in asked[0] and "仍要上传吗" in asked[0]
    assert FULL_ID not in asked[0]
    assert not _has_photo(db, ids["examiner"]) and not dialog.changed
    answer[0] = QMessageBox.StandardButton.Yes
    dialog = _upload(qtbot, db, admin, ids["examiner"], path, monkeypatch)
    assert _has_photo(db, ids["examiner"]) and dialog.changed


def test_the_persons_own_file_is_not_asked_about(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    tmp_path: Path,
    monkeypatch,
    messages: list[tuple[str, str]],
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"{EXAMINER_ID}.jpg"
    path.write_bytes(photo_bytes(300, 420))
    _upload(qtbot, db, admin, ids["examiner"], path, monkeypatch)
    assert messages == [] and _has_photo(db, ids["examiner"])


def test_the_folder_report_opens_on_what_was_not_imported(qtbot: QtBot) -> None:
    from app.services.photos import PhotoReport, RejectedPhoto
    from app.ui.import_wizard import PhotoReportDialog

    report = PhotoReport("照片", added=["张三（500101**********15）"])
    dialog = PhotoReportDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.tabs.currentIndex() == 0 and "未导入" not in dialog.summary.text()
    report.rejected.append(RejectedPhoto("a.jpg", "照片应为竖版"))
    dialog = PhotoReportDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()).startswith("不合格")
    assert "有 1 个照片文件未导入" in dialog.summary.text()
    empty = PhotoReportDialog(PhotoReport("照片"))
    qtbot.addWidget(empty)
    assert "文件夹中没有可导入的 jpg/png 照片" in empty.summary.text()
