"""人员 page and person dialogs, QA round 3: photo upload errors, Tab through the tables and the
role lines (real key presses), and the dates typed into the forms (app.ui.date_text)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.errors import ValidationError
from app.models import ExaminerQualification
from app.services.actor import Actor
from app.services.photos import GONE_REASON, UNREADABLE_REASON
from app.ui.date_text import optional_date_edit, parse_date
from app.ui.pages.people import PeoplePage
from app.ui.pages.people_dialogs import PersonEditDialog
from app.ui.pages.person_detail import PersonDetailDialog
from tests.ui.test_ui_people_data import EXAMINER_ID, insert_audited_data


@pytest.fixture
def ids(db: Database, admin: Actor) -> dict[str, int]:
    return insert_audited_data(db, admin)


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warning(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return shown


# --- 1. photo upload: Chinese reasons, the file name masked ------------------------------------
def _upload(
    qtbot: QtBot, db: Database, admin: Actor, pid: int, path: Path, mp: pytest.MonkeyPatch
) -> PersonDetailDialog:
    dialog = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(dialog)
    mp.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    dialog.upload_photo()
    return dialog


def _no_full_number(text: str) -> None:
    assert EXAMINER_ID not in text
    assert "Errno" not in text and "No such file" not in text and "directory" not in text


def test_upload_of_a_missing_file_says_so_in_chinese_with_the_name_masked(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings_shown: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    gone = tmp_path / "usb" / f"{EXAMINER_ID}.jpg"
    dialog = _upload(qtbot, db, admin, ids["examiner"], gone, monkeypatch)
    assert len(warnings_shown) == 1
    text = warnings_shown[0]
    _no_full_number(text)
    assert f"{EXAMINER_ID[:6]}**********{EXAMINER_ID[-2:]}.jpg" in text
    assert GONE_REASON in text
    assert not dialog.changed and not dialog.has_photo
    assert EXAMINER_ID not in caplog.text


def test_upload_of_a_folder_says_it_is_a_folder(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings_shown: list[str],
) -> None:
    folder = tmp_path / EXAMINER_ID
    folder.mkdir()
    _upload(qtbot, db, admin, ids["examiner"], folder, monkeypatch)
    assert len(warnings_shown) == 1
    text = warnings_shown[0]
    _no_full_number(text)
    assert "是文件夹，不是照片文件" in text and "JPG 或 PNG" in text


def test_upload_of_an_unreadable_file_names_the_access_problem(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings_shown: list[str],
) -> None:
    locked = tmp_path / f"{EXAMINER_ID}.png"
    locked.write_bytes(b"x")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    _upload(qtbot, db, admin, ids["examiner"], locked, monkeypatch)
    assert len(warnings_shown) == 1
    _no_full_number(warnings_shown[0])
    assert UNREADABLE_REASON in warnings_shown[0] and "**********" in warnings_shown[0]


# --- 2./3. Tab with real key presses -------------------------------------------------------------
def _show(qtbot: QtBot, widget: QWidget) -> None:
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=2000)


def _tab_from(qtbot: QtBot, start: QWidget, presses: int, back: bool = False) -> list[QWidget]:
    """Focus `start`, press Tab (Shift+Tab) `presses` times: the widgets focused in turn."""
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=2000)
    seen: list[QWidget] = []
    key = Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab
    mod = Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier
    for _ in range(presses):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key, mod)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_walks_out_of_the_qualifications_table_to_the_buttons(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    dialog = PersonEditDialog(db, admin, ids["examiner"])
    qtbot.addWidget(dialog)
    editor = dialog.quals_editor
    editor.add_row()  # a second row, made after the dialog: in the chain too
    _show(qtbot, dialog)
    first, second = editor.rows
    assert not editor.table.tabKeyNavigation()
    seen = _tab_from(qtbot, dialog.fields["notes"], 40)
    roles = dialog.roles_editor.rows
    enabled_cells = [w for row in editor.rows for w in row.widgets() if w.isEnabled()]
    expected = [
        roles["fulltime"].check,
        roles["fulltime"].detail,
        roles["fulltime"].in_house,
        roles["expert"].check,
        roles["examiner"].check,
        roles["examiner"].in_house,
        roles["supervisor"].check,
        roles["proctor"].check,
        *enabled_cells,
        editor.add_button,
        editor.remove_button,
        dialog.reason,
        dialog.save_button,
        dialog.cancel_button,
        dialog.fields["name"],
    ]
    assert seen[: len(expected)] == expected
    assert first.occupation in seen and second.valid_until in seen
    # and back again with Shift+Tab: from 添加资格 into the last row, not round the cells
    back = _tab_from(qtbot, editor.add_button, 3, back=True)
    assert back == [second.valid_until, second.valid_from, second.certificate_no]


def test_focus_in_a_row_makes_it_the_one_removed(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    dialog = PersonEditDialog(db, admin, ids["examiner"])
    qtbot.addWidget(dialog)
    editor = dialog.quals_editor
    editor.add_row()
    _show(qtbot, dialog)
    assert editor.table.currentRow() == 1  # the new row
    first = editor.rows[0]
    seen = _tab_from(qtbot, dialog.roles_editor.rows["proctor"].check, 1)
    assert seen == [first.occupation] and editor.table.currentRow() == 0
    editor.remove_button.click()
    assert len(editor.rows) == 1 and editor.rows[0].occupation is not first.occupation
    # the remaining row (made later) is still reached by Tab and left for 添加资格
    remaining = [w for w in editor.rows[0].widgets() if w.isEnabled()]
    seen = _tab_from(qtbot, dialog.roles_editor.rows["proctor"].check, len(remaining) + 1)
    assert seen == [*remaining, editor.add_button]


def test_ticking_a_role_tabs_to_its_detail_then_along_the_line(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    dialog = PersonEditDialog(db, admin, None)
    qtbot.addWidget(dialog)
    _show(qtbot, dialog)
    rows = dialog.roles_editor.rows
    fulltime = rows["fulltime"]
    fulltime.check.setFocus()
    qtbot.waitUntil(lambda: fulltime.check.hasFocus(), timeout=2000)
    qtbot.keyClick(fulltime.check, Qt.Key.Key_Space)
    assert fulltime.check.isChecked() and fulltime.detail is not None
    seen = _tab_from(qtbot, fulltime.check, 2)
    assert seen == [fulltime.detail, fulltime.in_house]
    # an outside person with an agreement: 本单位 → 已签订 → 协议有效期至 → the next role
    fulltime.in_house.setChecked(False)
    fulltime.agreement.setChecked(True)
    seen = _tab_from(qtbot, fulltime.check, 5)
    assert seen == [
        fulltime.detail,
        fulltime.in_house,
        fulltime.agreement,
        fulltime.until,
        rows["expert"].check,
    ]
    expert = rows["expert"]
    expert.check.setChecked(True)
    seen = _tab_from(qtbot, expert.check, 2)
    assert seen == [expert.detail, expert.in_house]


def test_people_page_tab_leaves_the_table_for_the_warnings(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    page = PeoplePage(db, admin)
    qtbot.addWidget(page)
    _show(qtbot, page)
    assert page.warnings.isVisible() and page.warnings.count() >= 1  # 资格 20 天内到期
    page.table.setCurrentIndex(page.model.index(0, 0))
    seen = _tab_from(qtbot, page.buttons["export"], 2)
    assert seen == [page.table, page.warnings]
    assert page.table.currentIndex().row() == 0
    back = _tab_from(qtbot, page.warnings, 2, back=True)
    assert back == [page.table, page.buttons["export"]]


# --- 4. dates typed as 年-月-日 --------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "2027-02-03",
        "2027-2-3",
        "2027/2/3",
        "2027/02/03",
        "2027.2.3",
        "2027年2月3日",
        "2027年02月03日",
        "2027年2月3号",
        "2027年2月3",
        " 2027 年 2 月 3 日 ",
        "２０２７－０２－０３",
        "２０２７年２月３日",
        "２０２７／２／３",
        "20270203",
    ],
)
def test_year_month_day_forms_are_read(text: str) -> None:
    assert parse_date(text, "有效期至", "until") == dt.date(2027, 2, 3)


@pytest.mark.parametrize("text", ["2027W053", "2027-W05-3", "2024-W12-1", "2024W12"])
def test_iso_week_dates_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(text, "有效期至", "until")
    assert f"有效期至“{text}”格式不对" in info.value.message
    assert info.value.field == "until"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2027-02-30", "2027年2月只有 28 天"),
        ("2023-02-29", "2023年2月只有 28 天"),
        ("2027-04-31", "2027年4月只有 30 天"),
        ("2027年13月1日", "月份应为 1–12"),
        ("2027-00-10", "月份应为 1–12"),
    ],
)
def test_a_date_that_does_not_exist_says_so(text: str, why: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(text, "协议有效期至", "role.x.until")
    message = info.value.message
    assert "格式不对" not in message
    assert f"协议有效期至“{text}”不是实际存在的日期" in message and why in message
    assert info.value.field == "role.x.until"


@pytest.mark.parametrize("text", ["明年", "2027-2/3", "27-2-3", "2027-02-03T08:00", "2027--02-03"])
def test_other_text_is_a_format_error_with_the_forms_to_use(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(text, "备案日期", "filed_on", "2026-03-01")
    assert info.value.message == (
        f"备案日期“{text}”格式不对：请按 年-月-日 填写，如 2026-03-01"
        "（也可写作 2026/3/1 或 2026年3月1日）。"
    )


def test_empty_is_none_and_leap_day_is_fine() -> None:
    assert parse_date("  ", "x", "x") is None
    assert parse_date("2028-2-29", "x", "x") == dt.date(2028, 2, 29)


def test_date_edit_holds_the_longest_accepted_form() -> None:
    edit = optional_date_edit("如 2027-12-31")
    for text in ("2027年12月31日", "２０２７年１２月３１日"):
        edit.setText(text)
        assert edit.text() == text
        assert parse_date(edit.text(), "x", "x") == dt.date(2027, 12, 31)


def test_date_edit_shows_a_typed_date_as_year_month_day_when_left(qtbot: QtBot) -> None:
    edit = optional_date_edit("如 2027-12-31")
    qtbot.addWidget(edit)
    for typed, shown in (
        ("２０２７年１２月３１日", "2027-12-31"),
        ("2027/2/3", "2027-02-03"),
        ("2027-02-30", "2027-02-30"),  # left as typed: parse_date says what is wrong
        ("明年", "明年"),
    ):
        edit.clear()
        edit.insert(typed)  # as typed (an input method gives the full-width characters)
        qtbot.keyClick(edit, Qt.Key.Key_Return)  # editingFinished, as leaving the field does
        assert edit.text() == shown


def test_qualification_date_with_single_digits_is_saved(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], warnings_shown: list[str]
) -> None:
    dialog = PersonEditDialog(db, admin, ids["examiner"])
    qtbot.addWidget(dialog)
    row = dialog.quals_editor.rows[0]
    row.valid_from.setText("2024年1月2日")
    row.valid_until.setText("2029-2-3")
    dialog.save()
    assert warnings_shown == [] and dialog.result() == 1
    with db.session() as s:
        q = s.scalars(
            select(ExaminerQualification).where(ExaminerQualification.person_id == ids["examiner"])
        ).one()
        assert (q.valid_from, q.valid_until) == (dt.date(2024, 1, 2), dt.date(2029, 2, 3))


def test_an_oversized_file_is_refused_before_it_is_read(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings_shown: list[str],
) -> None:
    """A video picked by mistake is not read into memory: its size is checked first."""
    from app.services.photo_image import MAX_BYTES

    big = tmp_path / f"{EXAMINER_ID}.jpg"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES * 3)  # sparse: large on paper, nothing written
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self.name} was read"))
    dialog = _upload(qtbot, db, admin, ids["examiner"], big, monkeypatch)
    (text,) = warnings_shown
    _no_full_number(text)
    assert "不合格：文件过大（6" in text and "不能超过 2" in text
    assert not dialog.changed


def test_the_people_page_shows_birth_dates_only_to_who_may_see_full_numbers(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    """The page passes its user to the listing: a 录分员 (no VIEW_FULL_ID) gets no birth dates,
    which with the masked number would give the hidden digits away."""
    from app.services.permissions import Perm, allowed
    from app.services.users import authenticate, create_user
    from app.ui.pages.people import PeoplePage

    with db.session() as s:
        create_user(s, admin, "scorer1", "scorer", "Scorer#2026", "录分员甲")
    with db.session() as s:
        scorer = authenticate(s, "scorer1", "Scorer#2026")
    assert not allowed(scorer, Perm.VIEW_FULL_ID)

    def birth_dates(actor: Actor) -> list[object]:
        page = PeoplePage(db, actor)
        qtbot.addWidget(page)
        page.refresh()
        return [page.model.row(r).birth_date for r in range(page.model.rowCount())]

    assert any(birth_dates(admin)) and not any(birth_dates(scorer))
