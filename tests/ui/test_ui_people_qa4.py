"""QA 4 in the GUI: the 人员 page's search matches any part of a name (as `people list --search`),
and the person edit dialog refuses a bad 联系电话 and a 考评员证书号 held by somebody else, naming
the field, the value or the holder, and focusing the field to correct."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.models import AuditEntry, Person
from app.rules.idcard import mask_id
from app.services.actor import Actor
from app.services.roster import PersonInput, QualificationInput, RoleInput, add_person
from app.ui.pages.people import PeoplePage
from app.ui.pages.people_dialogs import PersonEditDialog
from tests.ui.test_ui_people_data import EXAMINER_ID, insert_audited_data


@pytest.fixture
def ids(db: Database, admin: Actor) -> dict[str, int]:
    """王小明 (candidate), 李考评 (examiner: 电工 四级, no certificate number) and 高琪涵."""
    found = insert_audited_data(db, admin)
    with db.session() as s:
        found["gao"] = add_person(s, admin, PersonInput("高琪涵", "E12345678", id_type="227",
                                                       gender="女")).id  # fmt: skip
    return found


def _names(page: PeoplePage) -> list[str]:
    return sorted(page.model.row(r).name for r in range(page.model.rowCount()))


def test_the_search_box_finds_any_part_of_a_name(
    qtbot: QtBot, db: Database, admin: Actor, ids
) -> None:  # type: ignore[no-untyped-def]
    page = PeoplePage(db, admin)
    qtbot.addWidget(page)
    assert page.search is not None
    # the placeholder is short (QA round 11: whole at 1024 px); the tooltip says "any part"
    hints = page.search.placeholderText() + page.search.toolTip()
    assert "开头" not in hints and "任意部分" in page.search.toolTip()
    for term, names in {
        "琪": ["高琪涵"],
        "考评": ["李考评"],
        "小明": ["王小明"],
        "明王": [],
    }.items():
        page.search.setText(term)
        page.apply_search()
        assert _names(page) == names, term
        assert page.model.total == len(names)
    page.role_filter.setCurrentIndex(page.role_filter.findData("examiner"))
    page.search.setText("评")
    page.apply_search()
    assert _names(page) == ["李考评"]
    page.role_filter.setCurrentIndex(0)
    for term in ("e1234", "E1234567", EXAMINER_ID[:17], EXAMINER_ID[6:14]):  # an ID only whole
        page.search.setText(term)
        page.apply_search()
        assert _names(page) == [], term
    page.search.setText("e12345678")
    page.apply_search()
    assert _names(page) == ["高琪涵"]


def _log(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_the_edit_dialog_refuses_a_phone_that_is_no_number(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids,
    messages: list,  # type: ignore[no-untyped-def, type-arg]
) -> None:
    before = _log(db)
    dialog = PersonEditDialog(db, admin, ids["candidate"])
    qtbot.addWidget(dialog)
    dialog.fields["phone"].setText("123")
    dialog.save()
    assert dialog.result() == 0
    [(kind, text)] = messages
    assert kind == "warning" and text.startswith("联系电话“123”格式不对") and "13812345678" in text
    assert dialog.error.text() == text
    assert dialog.focusWidget() is dialog.fields["phone"]
    assert _log(db) == before
    with db.session() as s:
        assert s.get(Person, ids["candidate"]).phone == ""  # type: ignore[union-attr]


def test_the_edit_dialog_refuses_a_certificate_number_another_examiner_holds(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids,
    messages: list,  # type: ignore[no-untyped-def, type-arg]
) -> None:
    with db.session() as s:
        add_person(
            s,
            admin,
            PersonInput("丁婉文", "E87654321", id_type="227", gender="女"),
            [RoleInput("examiner")],
            [QualificationInput(ids["occupation"], 3, certificate_no="KP50201900007")],
        )
    before = _log(db)
    dialog = PersonEditDialog(db, admin, ids["examiner"])
    qtbot.addWidget(dialog)
    row = dialog.quals_editor.rows[0]
    row.certificate_no.setText("kp50201900007")
    dialog.save()
    assert dialog.result() == 0
    [(kind, text)] = messages
    assert kind == "warning" and "第 1 条考评资格" in text and "考评员证书号“kp50201900007”" in text
    assert "丁婉文" in text and mask_id("E87654321") in text and "E87654321" not in text
    assert dialog.focusWidget() is row.certificate_no
    assert _log(db) == before
    row.certificate_no.setText("KP50201900008")  # corrected: saved
    messages.clear()
    dialog.save()
    assert messages == [] and dialog.result() == 1
