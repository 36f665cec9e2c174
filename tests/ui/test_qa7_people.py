"""人员, QA round 7: the selected person stays selected and in view when the list is reloaded
(coming back to the page, after an edit), and 上传照片 refuses an unfit photo before asking
whether to replace the stored one."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Person, Photo
from app.rules.idcard import gb11643_check_char
from app.services.actor import Actor
from app.services.photos import set_photo
from app.services.roster import PersonInput, add_person
from app.ui.main_window import NAV, MainWindow
from app.ui.pages import person_detail
from app.ui.pages.people import PeoplePage
from app.ui.pages.person_detail import PersonDetailDialog
from tests.ui.test_ui_people import photo_bytes
from tests.ui.test_ui_people_data import insert_audited_data

MANY = 260  # more than one page (200 rows) of the lazily loaded list


@pytest.fixture
def many_db(db: Database, admin: Actor) -> Database:
    db.ids = insert_audited_data(db, admin)  # type: ignore[attr-defined]
    with db.session() as s:
        for i in range(MANY):
            first17 = f"11010519900101{i + 1:03d}"
            add_person(s, admin, PersonInput(f"考生{i:03d}", first17 + gb11643_check_char(first17)))
    return db


def _select(qtbot: QtBot, page: PeoplePage, row: int) -> int:
    """Load every row, make `row` current and scroll it into view: its person id."""
    while page.model.canFetchMore():
        page.model.fetchMore()
    index = page.model.index(row, 0)
    page.table.setCurrentIndex(index)
    page.table.scrollTo(index)
    qtbot.wait(10)
    return page.model.row(row).id


def _assert_selected_in_view(page: PeoplePage, person_id: int) -> None:
    index = page.table.currentIndex()
    assert index.isValid(), "no current row after the reload"
    assert page.model.row(index.row()).id == person_id
    assert page.selected_person_id() == person_id
    assert page.table.selectionModel().isRowSelected(index.row())
    rect = page.table.visualRect(index)
    assert page.table.viewport().rect().intersects(rect), "the selected row is out of view"


def test_selection_and_scroll_survive_coming_back_to_the_page(
    qtbot: QtBot, many_db: Database, admin: Actor
) -> None:
    window = MainWindow(many_db, admin)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    keys = [e.key for e in NAV]
    window.go_to(keys.index("people"))
    page = window.stack.currentWidget()
    assert isinstance(page, PeoplePage) and page.model.total == MANY + 2
    person_id = _select(qtbot, page, 250)  # beyond the first page of 200
    scroll = page.table.verticalScrollBar().value()
    assert scroll > 0
    window.go_to(keys.index("batches"))
    window.go_to(keys.index("people"))  # the page reloads its list
    assert window.stack.currentWidget() is page
    _assert_selected_in_view(page, person_id)
    assert page.table.verticalScrollBar().value() == scroll


def test_selection_survives_a_saved_edit_in_the_detail_dialog(
    qtbot: QtBot, many_db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = PeoplePage(many_db, admin)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    person_id = _select(qtbot, page, 120)

    def saved(self: PersonDetailDialog) -> int:
        with self.db.session() as s:
            s.get(Person, self.person_id).employer = "新单位"
        self.changed = True
        return 0

    monkeypatch.setattr(person_detail.PersonDetailDialog, "exec", saved)
    page.open_row(page.table.currentIndex())
    _assert_selected_in_view(page, person_id)
    assert page.model.row(page.table.currentIndex().row()).employer == "新单位"


def test_a_person_no_longer_listed_is_not_selected(
    qtbot: QtBot, many_db: Database, admin: Actor
) -> None:
    page = PeoplePage(many_db, admin)
    qtbot.addWidget(page)
    person_id = _select(qtbot, page, 5)
    page.search.setText("考生25")  # another list: 考生250–259
    page.apply_search()
    page.refresh()
    assert person_id not in {page.model.row(r).id for r in range(page.model.rowCount())}
    assert page.selected_person_id() is None


# --- D9: the photo is checked before the question about replacing ---------------------------------
def _stored_photo(db: Database, pid: int) -> bytes | None:
    with db.session() as s:
        data = s.scalar(select(Photo.data).where(Photo.person_id == pid))
        return bytes(data) if data is not None else None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (photo_bytes(200, 300), "过小"),
        (photo_bytes(420, 300), "竖版"),
        (b"not an image at all", "无法读取图片"),
    ],
    ids=["too-small", "landscape", "not-an-image"],
)
def test_an_unfit_photo_is_refused_before_the_replace_question(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
    content: bytes,
    reason: str,
) -> None:
    pid = insert_audited_data(db, admin)["examiner"]
    with db.session() as s:
        set_photo(s, admin, pid, photo_bytes(300, 420), "旧照片.jpg")
    before = _stored_photo(db, pid)
    new = tmp_path / f"{'11010519800101001X'}.jpg"
    new.write_bytes(content)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(new), ""))
    )
    dialog = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(dialog)
    assert dialog.has_photo
    dialog.upload_photo()
    assert [kind for kind, _text in messages] == ["warning"]  # no question first
    text = messages[0][1]
    assert reason in text and "不合格" in text
    assert "11010519800101001X" not in text  # the file name's ID number is masked
    assert _stored_photo(db, pid) == before and not dialog.changed


def test_a_fit_photo_still_asks_before_replacing(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    pid = insert_audited_data(db, admin)["examiner"]
    with db.session() as s:
        set_photo(s, admin, pid, photo_bytes(300, 420), "旧照片.jpg")
    new = tmp_path / "新照片.jpg"
    new.write_bytes(photo_bytes(330, 440))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(new), ""))
    )
    dialog = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(dialog)
    dialog.upload_photo()
    assert [kind for kind, _text in messages] == ["question"]  # (answered Yes)
    assert dialog.changed and _stored_photo(db, pid) == photo_bytes(330, 440)


@pytest.mark.parametrize("role", ["admin", "scorer"])
def test_a_masked_number_searched_says_why_nobody_is_found(
    qtbot: QtBot, db: Database, admin: Actor, role: str
) -> None:
    from app.services.users import authenticate, create_user

    first17 = "11010519900101001"
    with db.session() as s:
        add_person(s, admin, PersonInput("张三", first17 + gb11643_check_char(first17)))
        if role == "scorer":
            create_user(s, admin, "scorer1", "scorer", "Scorer#2026", "录分员")
    if role == "scorer":
        with db.session() as s:
            actor = authenticate(s, "scorer1", "Scorer#2026")
    else:
        actor = admin
    page = PeoplePage(db, actor)
    qtbot.addWidget(page)
    page.show()
    shown = page.model.row(0).id_number_masked  # as the list shows it: 110105**********…
    assert "*" in shown
    page.search.setText(shown)
    page.apply_search()
    assert page.model.rowCount() == 0
    assert page.search_note.isVisible()
    assert "遮挡后的证件号码" in page.search_note.text()
    assert ("查看完整证件号码" in page.search_note.text()) == (role == "scorer")
    page.search.setText("张")
    page.apply_search()
    assert page.model.rowCount() == 1 and not page.search_note.isVisible()
