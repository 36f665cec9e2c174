"""The import dialog (preview → confirm, error report) and the photo import report."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from app.db import Database
from app.models import Person, Photo
from app.rules.idcard import gb11643_check_char, mask_id
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.photos import UNMATCHED_REASON
from app.ui import import_wizard
from app.ui.import_wizard import ImportDialog, PhotoReportDialog, run_photo_import
from tests.ui.sample_data import FULL_ID
from tests.ui.test_ui_people import photo_bytes
from tests.ui.test_ui_people_data import EXAMINER_ID, insert_audited_data


@pytest.fixture
def audited_db(db: Database, admin: Actor) -> Database:
    db.ids = insert_audited_data(db, admin)  # type: ignore[attr-defined]
    return db


def _id(first17: str) -> str:
    return first17 + gb11643_check_char(first17)


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码", "工作单位"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    return shown


def _count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


def test_error_row_disables_commit_and_report_is_written(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str], tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    src = _xlsx(
        tmp_path / "考生.xlsx",
        [
            ["新考生", _id("11010519950505001"), "甲公司"],
            ["错号码", "110105199505050019", "乙公司"],
        ],
    )
    dialog = ImportDialog(audited_db, admin, "people")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(src))
    dialog.run_preview()
    assert dialog.preview is not None and dialog.preview.has_errors
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 3).text() == "新增"
    assert dialog.table.item(1, 3).text() == "错误"
    assert dialog.table.item(1, 4).foreground().color().name() == "#c62828"
    assert "校验码" in dialog.table.item(1, 4).text()
    assert not dialog.commit_button.isEnabled()
    assert dialog.report_button.isEnabled()
    assert "错误" in dialog.summary.text()

    out = tmp_path / "错误报告.xlsx"
    monkeypatch.setattr(
        import_wizard.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "")
    )
    dialog.report_button.click()
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    text = " ".join(str(c) for r in rows for c in r)
    assert "错号码" in text and "校验码" in text
    dialog.commit()  # ignored while there are errors
    assert _count(audited_db) == 2


def test_good_file_commits(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    src = _xlsx(
        tmp_path / "good.xlsx",
        [["新考生甲", _id("11010519950505001"), "甲公司"], ["王小明", FULL_ID, "乙公司"]],
    )
    dialog = ImportDialog(audited_db, admin, "people")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(src))
    dialog.mode.setCurrentIndex(dialog.mode.findData("replace"))
    dialog.run_preview()
    assert dialog.preview is not None and not dialog.preview.has_errors
    assert [dialog.table.item(r, 3).text() for r in range(2)] == ["新增", "更新"]
    assert dialog.commit_button.isEnabled()
    dialog.commit_button.click()
    assert warnings == []
    assert dialog.result_info is not None and "新增 1 人" in dialog.result_info
    assert not dialog.commit_button.isEnabled()  # no double import
    assert "新增 1 人" in dialog.summary.text()
    assert _count(audited_db) == 3
    with audited_db.session() as s:
        assert s.scalar(select(Person.employer).where(Person.name == "王小明")) == "乙公司"
        assert verify_audit(s).ok


def test_changing_file_or_mode_withdraws_the_preview(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    first = _xlsx(tmp_path / "一.xlsx", [["新考生甲", _id("11010519950505001"), "甲公司"]])
    second = _xlsx(tmp_path / "二.xlsx", [["新考生乙", _id("11010519950505002"), "乙公司"]])
    dialog = ImportDialog(audited_db, admin, "people")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(first))
    dialog.run_preview()
    assert dialog.commit_button.isEnabled()
    # another mode: what was checked is not what would be imported
    dialog.mode.setCurrentIndex(dialog.mode.findData("replace"))
    assert dialog.preview is None and not dialog.commit_button.isEnabled()
    assert dialog.table.rowCount() == 0 and "重新点“检查文件”" in dialog.summary.text()
    dialog.run_preview()
    assert dialog.commit_button.isEnabled()
    qtbot.keyClicks(dialog.path, "x")  # typing in the path, too
    assert dialog.preview is None and not dialog.commit_button.isEnabled()
    dialog.path.setText(str(second))
    dialog.run_preview()
    dialog.commit_button.click()
    with audited_db.session() as s:
        names = set(s.scalars(select(Person.name)))
    assert "新考生乙" in names and "新考生甲" not in names


def test_wrong_file_shows_service_message(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    wb.active.append(["随便", "什么"])
    wb.active.append(["a", "b"])
    wb.save(tmp_path / "wrong.xlsx")
    dialog = ImportDialog(audited_db, admin, "staff")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "wrong.xlsx"))
    dialog.run_preview()
    assert len(warnings) == 1 and dialog.summary.text() == warnings[0]
    assert "姓名" in warnings[0] or "表头" in warnings[0]
    assert dialog.preview is None and not dialog.commit_button.isEnabled()


def test_photo_import_report(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str], tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "照片"
    folder.mkdir()
    (folder / f"{FULL_ID.lower()}.jpg").write_bytes(photo_bytes())
    (folder / f"{EXAMINER_ID}.jpg").write_bytes(photo_bytes(400, 300))  # landscape: rejected
    nobody = _id("11010519950505001")
    (folder / f"{nobody}.jpg").write_bytes(photo_bytes())  # nobody
    (folder / f"{EXAMINER_ID}.gif").write_bytes(b"GIF89a")  # not jpg/png: listed, skipped
    (folder / "说明.txt").write_text("x")
    shown: list[PhotoReportDialog] = []
    monkeypatch.setattr(
        PhotoReportDialog, "exec", lambda self: shown.append(self) or QDialog.DialogCode.Accepted
    )
    report = run_photo_import(audited_db, admin, str(folder))
    assert report is not None and len(shown) == 1
    dialog = shown[0]
    qtbot.addWidget(dialog)
    # files are named by ID number: the report shows names and masked numbers only
    assert report.accepted == ["王小明（110105**********2X）"]
    assert dialog.lists["已导入"].item(0).text() == "王小明（110105**********2X）：新增"
    assert dialog.tabs.tabText(0) == "已导入（1）"
    assert dialog.tabs.tabText(1) == "不合格（1）"
    rejected = dialog.lists["不合格"].item(0).text()
    assert rejected.startswith(f"{mask_id(EXAMINER_ID)}.jpg（李考评）：") and "竖版" in rejected
    assert dialog.tabs.tabText(2) == "无对应人员及跳过的文件（3）"
    unmatched = [dialog.lists["无对应人员及跳过的文件"].item(i).text() for i in range(3)]
    assert f"{mask_id(nobody)}.jpg：{UNMATCHED_REASON}" in unmatched
    assert any(t.startswith(f"{mask_id(EXAMINER_ID)}.gif") for t in unmatched)
    assert any(t.startswith("说明.txt") for t in unmatched)
    assert "李考评" in dialog.lists["缺少照片的人员"].item(0).text()
    shown = [dialog.summary.text()] + [
        view.item(i).text() for view in dialog.lists.values() for i in range(view.count())
    ]
    for number in (FULL_ID, EXAMINER_ID, nobody):
        assert not any(number in text.upper() for text in shown)
    with audited_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Photo)) == 1
        assert verify_audit(s).ok

    assert run_photo_import(audited_db, admin, str(tmp_path / "没有"), show=False) is None
    assert "找不到照片文件夹" in warnings[0]


def test_people_page_buttons_open_dialogs(
    qtbot: QtBot, audited_db: Database, admin: Actor, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from app.ui.pages import people
    from app.ui.pages.people import PeoplePage

    opened: list[str] = []
    monkeypatch.setattr(ImportDialog, "exec", lambda self: opened.append(self.kind) or 0)
    page = PeoplePage(audited_db, admin)
    qtbot.addWidget(page)
    page.buttons["import_people"].click()
    page.buttons["import_staff"].click()
    assert opened == ["people", "staff"]

    out = tmp_path / "模板.xlsx"
    monkeypatch.setattr(people.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][1], True))
    page.buttons["template"].click()
    header = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()[0]
    assert "姓名" in header and "证件号码" in header


def test_a_refused_commit_withdraws_the_preview(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Somebody registers the same person between 检查 and 导入: nothing is written, the stale
    preview goes, and the summary says to check again (the button is named as it is)."""
    from app.services.roster import PersonInput, add_person

    number = _id("11010519950505001")
    src = _xlsx(tmp_path / "名单.xlsx", [["新考生甲", number, "甲公司"]])
    dialog = ImportDialog(audited_db, admin, "people")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(src))
    dialog.run_preview()
    assert dialog.commit_button.isEnabled()
    with audited_db.session() as s:
        add_person(s, admin, PersonInput("新考生甲", number))
    before = _count(audited_db)
    dialog.commit_button.click()
    assert len(warnings) == 1 and _count(audited_db) == before
    assert dialog.preview is None and not dialog.commit_button.isEnabled()
    assert dialog.table.rowCount() == 0
    assert "未导入任何数据" in dialog.summary.text() and "检查文件" in dialog.summary.text()
    assert "检查通过" not in dialog.summary.text()


def test_a_file_edited_after_the_check_is_refused_and_said_once(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    src = _xlsx(tmp_path / "名单.xlsx", [["新考生乙", _id("11010519950505002"), "甲公司"]])
    dialog = ImportDialog(audited_db, admin, "people")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(src))
    dialog.run_preview()
    _xlsx(src, [["新考生乙", _id("11010519950505002"), "乙公司"]])  # fixed in Excel meanwhile
    before = _count(audited_db)
    dialog.commit_button.click()
    text = dialog.summary.text()
    assert _count(audited_db) == before and dialog.preview is None
    assert "已被修改" in text
    assert text.count("未导入任何数据") == 1 and text.count("重新检查") == 1, text


def test_error_rows_do_not_list_what_they_would_have_changed() -> None:
    from types import SimpleNamespace

    from app.ui.import_wizard import person_row_cells

    error = SimpleNamespace(header="证件号码", column="B", message="号码为空")
    row = SimpleNamespace(row=3, name="甲", id_masked="", status="error", errors=[error],
                          warnings=[], changes=["新增角色：考评员"])  # fmt: skip
    cells, bad, _status = person_row_cells(row)
    assert bad and cells[4] == "证件号码：号码为空"
    row.errors, row.status = [], "new"
    assert person_row_cells(row)[0][4] == "新增角色：考评员"


def test_replace_mode_asks_before_taking_roles_away(
    qtbot: QtBot, audited_db: Database, admin: Actor, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    dialog = ImportDialog(audited_db, admin, "staff")
    qtbot.addWidget(dialog)
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or answer[0])
    dialog.preview = SimpleNamespace(removals=[SimpleNamespace(batches=()), SimpleNamespace(batches=())])
    assert not dialog._removals_confirmed()
    assert "移除 2 项人员角色" in asked[0]
    answer[0] = QMessageBox.StandardButton.Yes
    assert dialog._removals_confirmed()
    dialog.preview = SimpleNamespace(removals=[])
    assert dialog._removals_confirmed() and len(asked) == 2  # nothing to remove: no question


def test_replace_that_would_strip_an_assigned_proctor_cannot_be_imported(
    qtbot: QtBot, demo: Database, warnings: list[str], tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The dialog shows the blocked removals in red, names the batch, and offers the error
    report, not the import."""
    from app.models import Batch, StaffAssignment
    from tests.score_data import admin_of

    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("nothing to confirm"))
    with demo.session() as s:
        code = s.scalar(
            select(Batch.code)
            .join(StaffAssignment, StaffAssignment.batch_id == Batch.id)
            .where(StaffAssignment.duty == "proctor", Batch.status == "draft")
        )
    wb = Workbook()
    wb.active.append(["姓名", "证件号码", "角色"])
    wb.active.append(["新监考", _id("11010519950505001"), "监考员"])
    wb.save(tmp_path / "监考员.xlsx")
    dialog = ImportDialog(demo, admin_of(demo), "staff")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "监考员.xlsx"))
    dialog.mode.setCurrentIndex(dialog.mode.findData("replace"))
    dialog.run_preview()
    assert dialog.preview is not None and dialog.preview.blocked_removals
    text = dialog.summary.text()
    assert "不能移除的角色：" in text and f"仍在批次 {code}" in text and "未通过检查" in text
    assert "color: #c62828" in dialog.summary.styleSheet()
    assert not dialog.commit_button.isEnabled() and dialog.report_button.isEnabled()


def test_each_mode_says_what_it_does(qtbot: QtBot, db: Database, admin: Actor) -> None:
    for kind, replace_says in (("staff", "移除该角色"), ("people", "没有可移除的内容")):
        dialog = ImportDialog(db, admin, kind)
        qtbot.addWidget(dialog)
        dialog.mode.setCurrentIndex(dialog.mode.findData("replace"))
        assert replace_says in dialog.mode.toolTip()
        assert replace_says in dialog.mode.itemData(dialog.mode.currentIndex(), Qt.ItemDataRole.ToolTipRole)
        dialog.mode.setCurrentIndex(dialog.mode.findData("add"))
        assert "保持不变" in dialog.mode.toolTip()
    people = ImportDialog(db, admin, "people")
    qtbot.addWidget(people)
    assert "角色" not in people.mode.itemText(people.mode.findData("replace"))


def test_the_preview_can_show_only_the_rows_with_something_to_say(
    qtbot: QtBot, audited_db: Database, admin: Actor, tmp_path: Path
) -> None:
    """In a long file the few error rows are found without scrolling; reasons read cleanly."""
    good = [[f"考生{i}", _id(f"110105199505{i:02d}001"), "甲公司"] for i in range(10, 30)]
    bad = [["错号码", "110105199505050019", "乙公司"], ["缺单位", "110105199505050019", ""]]
    src = _xlsx(tmp_path / "考生.xlsx", good[:10] + bad[:1] + good[10:] + bad[1:])
    dialog = ImportDialog(audited_db, admin, "people")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(src))
    dialog.run_preview()
    visible = lambda: [r for r in range(dialog.table.rowCount()) if not dialog.table.isRowHidden(r)]  # noqa: E731
    assert len(visible()) == 22
    dialog.problems_only.setChecked(True)
    assert [dialog.table.item(r, 1).text() for r in visible()] == ["错号码", "缺单位"]
    assert all("。；" not in dialog.table.item(r, 4).text() for r in visible())
    dialog.problems_only.setChecked(False)
    assert len(visible()) == 22


def test_a_long_check_or_import_can_be_cancelled_and_writes_nothing(
    qtbot: QtBot, audited_db: Database, admin: Actor, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A 600-row file reports progress (every 250 rows); 取消 stops the check, or rolls the
    import back with the preview kept for another try."""
    from app.ui import import_wizard
    from app.ui.progress import ProgressTask

    rows = [[f"考生{i:03d}", _id(f"110105199505{i // 28 + 1:02d}{i % 28 + 1:02d}0"[:17]), "甲公司"]
            for i in range(600)]  # fmt: skip
    src = _xlsx(tmp_path / "多.xlsx", rows)
    dialog = ImportDialog(audited_db, admin, "people")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(src))
    seen: list[tuple[int, int]] = []
    real_call = ProgressTask.__call__

    def cancel_at_once(task, done, total):  # type: ignore[no-untyped-def]
        seen.append((done, total))
        return False  # as if 取消 were pressed

    monkeypatch.setattr(import_wizard.ProgressTask, "__call__", cancel_at_once)
    dialog.run_preview()
    assert seen == [(250, 600)] and dialog.preview is None
    assert "已取消检查" in dialog.summary.text() and not dialog.commit_button.isEnabled()
    monkeypatch.setattr(import_wizard.ProgressTask, "__call__", real_call)
    dialog.run_preview()
    assert dialog.preview is not None and dialog.commit_button.isEnabled()
    before = _count(audited_db)
    monkeypatch.setattr(import_wizard.ProgressTask, "__call__", cancel_at_once)
    dialog.commit_button.click()
    assert _count(audited_db) == before  # rolled back: not one of the 250 written
    assert "已取消导入" in dialog.summary.text()
    assert "新增 600 行" in dialog.summary.text()  # what the check found still stands
    dialog.commit_button.click()  # cancelled again: said once
    assert dialog.summary.text().count("已取消导入") == 1 and _count(audited_db) == before
    assert dialog.preview is not None and dialog.commit_button.isEnabled() and not dialog.imported
    monkeypatch.setattr(import_wizard.ProgressTask, "__call__", real_call)
    dialog.commit_button.click()
    assert _count(audited_db) == before + 600 and dialog.imported
