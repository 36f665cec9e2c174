"""Person dialogs, QA round 5: the edit form scrolls so 保存/取消 stay on a low screen, the detail
dialog marks qualifications that are expired, expiring or not yet in force, and a stored photo is
replaced only after a question."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Photo
from app.rules.idcard import gb11643_check_char
from app.services.actor import Actor
from app.services.catalogue import OccupationInput, create_occupation
from app.services.photos import set_photo
from app.services.roster import PersonInput, QualificationInput, RoleInput, add_person
from app.services.roster_queries import roster_warnings
from app.ui.pages.people_dialogs import PersonEditDialog
from app.ui.pages.person_detail import PersonDetailDialog
from tests.ui.test_ui_people import photo_bytes
from tests.ui.test_ui_people_data import insert_audited_data

TODAY = dt.date.today()
OTHER_EXAMINER = "11010119800101001" + gb11643_check_char("11010119800101001")


@pytest.fixture
def ids(db: Database, admin: Actor) -> dict[str, int]:
    return insert_audited_data(db, admin)


# --- 1. the edit form on a low screen ------------------------------------------------------------
def test_edit_dialog_fits_560_px_with_its_buttons_in_view(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], app_font: None
) -> None:
    dialog = PersonEditDialog(db, admin, ids["examiner"])
    qtbot.addWidget(dialog)
    assert dialog.height() <= 728 - 30  # 1366×768 less a taskbar and the title bar
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.resize(900, 560)
    qtbot.waitUntil(lambda: dialog.height() <= 560)
    assert dialog.minimumSizeHint().height() <= 560
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons.isVisible() and not buttons.visibleRegion().isEmpty()
    for button in (dialog.save_button, dialog.cancel_button):
        bottom_right = button.mapTo(dialog, QPoint(button.width(), button.height()))
        assert dialog.rect().contains(bottom_right)  # inside the dialog, not below its edge
    assert dialog.reason.isVisible() and not dialog.reason.visibleRegion().isEmpty()
    # the fields scroll instead; they are not squashed
    scroll = dialog.scroll
    assert scroll.verticalScrollBar().maximum() > 0
    assert dialog.quals_editor.isAncestorOf(dialog.quals_editor.table)
    assert scroll.widget().isAncestorOf(dialog.quals_editor)
    assert dialog.fields["name"].height() >= dialog.fields["name"].minimumSizeHint().height()


def test_a_refused_field_is_scrolled_into_view(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], app_font: None, messages: list
) -> None:  # type: ignore[type-arg]
    dialog = PersonEditDialog(db, admin, ids["examiner"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(900, 480)
    qtbot.waitUntil(lambda: dialog.scroll.verticalScrollBar().maximum() > 0)
    bar = dialog.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())  # looking at the qualifications
    dialog.fields["name"].clear()
    dialog.save()
    assert messages and "请填写姓名" in messages[-1][1]
    assert bar.value() == 0  # 姓名 at the top is shown again
    assert dialog.isVisible()


# --- 2. qualification status and photo replacement -----------------------------------------------
def _examiner_with_qualifications(db: Database, admin: Actor) -> int:
    day = dt.timedelta(days=1)
    with db.session() as s:
        occ = [
            create_occupation(s, admin, OccupationInput(code, name, False, []))
            for code, name in (
                ("4-03-02-01", "中式烹调师"),
                ("4-10-01-02", "育婴员"),
                ("4-07-05-01", "保安员"),
                ("6-20-01-01", "车工"),
            )
        ]
        s.flush()
        person = add_person(
            s,
            admin,
            PersonInput("赵考评", OTHER_EXAMINER),
            roles=[RoleInput("examiner")],
            qualifications=[
                QualificationInput(occ[0].id, 3, valid_until=TODAY - day),
                QualificationInput(occ[1].id, 3, valid_until=TODAY + 20 * day),
                QualificationInput(occ[2].id, 3, valid_from=TODAY + 10 * day),
                QualificationInput(occ[3].id, 3, valid_until=TODAY + 400 * day),
            ],
        )
        s.flush()
        return person.id


def _line(text: str, occupation: str) -> str:
    return next(line for line in text.splitlines() if occupation in line)


def test_detail_marks_expired_expiring_and_not_yet_valid_qualifications(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    pid = _examiner_with_qualifications(db, admin)
    dialog = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(dialog)
    text = dialog.quals.text()
    assert _line(text, "中式烹调师").startswith("【已过期】")
    assert _line(text, "育婴员").startswith("【60 天内到期：还有 20 天】")
    assert _line(text, "保安员").startswith("【未生效】")
    assert not _line(text, "车工").startswith("【")  # valid for another 400 days: no mark
    # the same judgement as the roster's warnings
    with db.session() as s:
        kinds = {w.message: w.kind for w in roster_warnings(s, TODAY) if w.person_id == pid}
    assert sorted(kinds.values()) == ["qualification_expired", "qualification_expiring"]


def test_qualification_due_today_says_so(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    with db.session() as s:
        occ = create_occupation(s, admin, OccupationInput("4-10-01-02", "育婴员", False, []))
        s.flush()
        pid = add_person(
            s, admin, PersonInput("赵考评", OTHER_EXAMINER), roles=[RoleInput("examiner")],
            qualifications=[QualificationInput(occ.id, 3, valid_until=TODAY)],
        ).id  # fmt: skip
    dialog = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(dialog)
    assert dialog.quals.text().startswith("【今天到期】育婴员")


def _stored_photo(db: Database, pid: int) -> bytes | None:
    with db.session() as s:
        data = s.scalar(select(Photo.data).where(Photo.person_id == pid))
        return bytes(data) if data is not None else None


@pytest.mark.parametrize("answer", ["No", "Yes"])
def test_replacing_a_stored_photo_asks_first(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
) -> None:
    pid = ids["examiner"]
    with db.session() as s:
        set_photo(s, admin, pid, photo_bytes(300, 420), "旧照片.jpg")
    before = _stored_photo(db, pid)
    new = tmp_path / "新照片.jpg"
    new.write_bytes(photo_bytes(330, 440))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(new), ""))
    )
    asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return getattr(QMessageBox.StandardButton, answer)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(dialog)
    assert dialog.has_photo
    dialog.upload_photo()
    assert len(asked) == 1 and "已有照片" in asked[0] and "替换" in asked[0]
    if answer == "No":
        assert _stored_photo(db, pid) == before and not dialog.changed
    else:
        assert _stored_photo(db, pid) != before and dialog.changed


def test_first_photo_is_stored_without_a_question(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list,  # type: ignore[type-arg]
) -> None:
    pid = ids["examiner"]
    new = tmp_path / "照片.jpg"
    new.write_bytes(photo_bytes())
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(new), ""))
    )
    dialog = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(dialog)
    dialog.upload_photo()
    assert messages == [] and dialog.has_photo and _stored_photo(db, pid) is not None
