"""人员 → 导入照片…, QA round 5: asked before stored photos are replaced (cancel writes nothing);
the report counts replaced photos apart and shows the CLI's texts, reasons included."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.cli.main import main
from app.db import Database
from app.models import AuditEntry
from app.rules.idcard import mask_id
from app.services.actor import Actor
from app.services.photos import UNMATCHED_REASON, get_photo, set_photo
from app.ui.import_wizard import PhotoReportDialog, run_photo_import
from tests.conftest import ADMIN_PASSWORD
from tests.ui.sample_data import FULL_ID
from tests.ui.test_ui_people_data import EXAMINER_ID, insert_audited_data

NOBODY = "50010119900101999X"


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 420), colour).save(buf, "JPEG")
    return buf.getvalue()


OLD, NEW = _jpeg((10, 10, 10)), _jpeg((250, 250, 250))


@pytest.fixture
def ids(db: Database, admin: Actor) -> dict[str, int]:
    """王小明 and 李考评 both have photos already."""
    ids = insert_audited_data(db, admin)
    with db.session() as s:
        for key in ("candidate", "examiner"):
            set_photo(s, admin, ids[key], OLD, "旧.jpg")
    return ids


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """New photos for both, a file naming nobody, and a text file."""
    path = tmp_path / "照片"
    path.mkdir()
    (path / f"{FULL_ID}.jpg").write_bytes(NEW)
    (path / f"{EXAMINER_ID}.jpg").write_bytes(NEW)
    (path / f"{NOBODY}.jpg").write_bytes(NEW)
    (path / "说明.txt").write_text("x")
    return path


@dataclass
class Questions:
    """QMessageBox.question's texts, and the answer it gives (取消 unless set)."""

    texts: list[str] = field(default_factory=list)
    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Cancel


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    asked = Questions()

    def question(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.texts.append(text)
        return asked.answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(f"warning {a}"))
    return asked


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[PhotoReportDialog]:
    shown: list[PhotoReportDialog] = []
    monkeypatch.setattr(
        PhotoReportDialog, "exec", lambda self: shown.append(self) or QDialog.DialogCode.Accepted
    )
    return shown


def _stored(db: Database, ids: dict[str, int]) -> list[bytes]:
    with db.session() as s:
        return [bytes(get_photo(s, ids[k]).data) for k in ("candidate", "examiner")]


def _photo_actions(db: Database) -> list[str]:
    with db.session() as s:
        return [a for a in s.scalars(select(AuditEntry.action)) if a.startswith("photo.")]


def test_cancelling_the_replacement_writes_nothing(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    folder: Path,
    questions: Questions,
    dialogs: list[PhotoReportDialog],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.ui.pages.people import PeoplePage

    page = PeoplePage(db, admin)
    qtbot.addWidget(page)
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder))
    )
    before = _photo_actions(db)
    page.import_photos()  # 人员 → 导入照片…
    [text] = questions.texts
    assert "2 人" in text and "替换" in text and "取消" in text
    assert f"王小明（{mask_id(FULL_ID)}）" in text and f"李考评（{mask_id(EXAMINER_ID)}）" in text
    assert FULL_ID not in text and EXAMINER_ID not in text
    assert dialogs == []  # no import, no report
    assert _stored(db, ids) == [OLD, OLD]
    assert _photo_actions(db) == before


def test_replacing_after_yes_is_reported_apart(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    folder: Path,
    questions: Questions,
    dialogs: list[PhotoReportDialog],
) -> None:
    questions.answer = QMessageBox.StandardButton.Yes
    report = run_photo_import(db, admin, str(folder))
    assert report is not None and len(questions.texts) == 1 and len(dialogs) == 1
    assert _stored(db, ids) == [NEW, NEW]
    assert _photo_actions(db).count("photo.replace") == 2
    dialog = dialogs[0]
    qtbot.addWidget(dialog)
    summary = dialog.summary.text()
    assert "新增 0 张，替换 2 张（原照片已被替换）" in summary
    assert "已导入" not in summary and "被拒绝" not in summary
    lines = [dialog.lists["已导入"].item(i).text() for i in range(dialog.lists["已导入"].count())]
    assert f"王小明（{mask_id(FULL_ID)}）：替换（原照片已被替换）" in lines
    # the same folder again replaces nothing: no question
    assert run_photo_import(db, admin, str(folder), show=False) is not None
    assert len(questions.texts) == 1


def test_new_photos_only_are_imported_without_a_question(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    folder: Path,
    questions: Questions,
    dialogs: list[PhotoReportDialog],
) -> None:
    insert_audited_data(db, admin)  # nobody has a photo yet
    report = run_photo_import(db, admin, str(folder), show=False)
    assert questions.texts == [] and report is not None
    assert len(report.added) == 2 and report.replaced == []


def test_the_report_tabs_show_the_cli_texts_with_reasons(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    folder: Path,
    questions: Questions,
    dialogs: list[PhotoReportDialog],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    questions.answer = QMessageBox.StandardButton.Yes
    (folder / f"{EXAMINER_ID}.jpg").write_bytes(_jpeg((0, 0, 0))[:200])  # damaged: 不合格
    report = run_photo_import(db, admin, str(folder))
    assert report is not None
    dialog = dialogs[0]
    qtbot.addWidget(dialog)
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == [
        "已导入（1）",
        "不合格（1）",
        "无对应人员及跳过的文件（2）",
        "缺少照片的人员（0）",
    ]
    others = dialog.lists["无对应人员及跳过的文件"]
    unmatched = [others.item(i).text() for i in range(others.count())]
    assert f"{mask_id(NOBODY)}.jpg：{UNMATCHED_REASON}" in unmatched  # the reason and the hint
    gui = [
        view.item(i).text()
        for title in ("不合格", "无对应人员及跳过的文件")
        for view in [dialog.lists[title]]
        for i in range(view.count())
    ]
    # the CLI on the same folder prints the same lines (and the same kind of summary)
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    code = main(
        ["--data-dir", str(db.data_dir), "import", "photos", str(folder), "--user", "admin"]
    )
    out, err = capsys.readouterr()
    assert code == 1, err  # (files were left: unfit, unmatched)
    assert all(f"  {line}\n" in out for line in gui), (gui, out)
    assert "不合格（1）：" in out and "无对应人员及跳过的文件（2）：" in out
    assert "不合格 1 张" in dialog.summary.text() and "不合格 1 张" in out
