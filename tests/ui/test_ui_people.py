"""人员 page: filters, warnings, the person dialogs (audited full ID), add/edit, roster export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry, Person, StaffRoleEntry
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.photos import set_photo
from app.ui.pages.people import PeoplePage
from app.ui.pages.people_dialogs import PersonEditDialog
from app.ui.pages.person_detail import PersonDetailDialog
from tests.ui.sample_data import FULL_ID
from tests.ui.test_ui_people_data import EXAMINER_ID, insert_audited_data


@pytest.fixture
def audited_db(db: Database, admin: Actor) -> Database:
    db.ids = insert_audited_data(db, admin)  # type: ignore[attr-defined]
    return db


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    return shown


def _scorer(db: Database, admin: Actor) -> Actor:
    from app.services.users import authenticate, create_user

    with db.session() as s:
        create_user(s, admin, "scorer1", "scorer", "Scorer#2026", "录分员")
    with db.session() as s:
        return authenticate(s, "scorer1", "Scorer#2026")


def photo_bytes(width: int = 300, height: int = 420) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 220, 240)).save(out, "JPEG")
    return out.getvalue()


def test_search_and_role_filter_narrow_rows(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    page = PeoplePage(audited_db, admin)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 2
    cells = [page.model.row(r).id_number_masked for r in range(2)]
    assert FULL_ID not in cells and EXAMINER_ID not in cells
    page.role_filter.setCurrentIndex(page.role_filter.findData("examiner"))
    assert [page.model.row(r).name for r in range(page.model.rowCount())] == ["李考评"]
    assert page.model.row(0).gender == "男"
    page.search.setText("王")
    page.apply_search()
    assert page.model.rowCount() == 0
    page.role_filter.setCurrentIndex(0)
    assert [page.model.row(r).name for r in range(page.model.rowCount())] == ["王小明"]
    page.search.setText("")
    page.apply_search()
    page.occupation_filter.setCurrentIndex(1)
    assert page.model.total == 1 and page.model.row(0).name == "李考评"


def test_search_means_the_same_with_a_role_filter(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    """The search box matches any part of the name or the whole of any ID number, filter or
    not: a passport examiner is found by the passport number (typed in lower case), not by its
    start, and a name also in the middle."""
    from app.services.roster import PersonInput, RoleInput, add_person

    with audited_db.session() as s:
        add_person(
            s,
            admin,
            PersonInput("小李", "E12345678", id_type="227", gender="女",
                        birth_date=dt.date(1990, 1, 1)),
            roles=[RoleInput("examiner")],
        )  # fmt: skip
    page = PeoplePage(audited_db, admin)
    qtbot.addWidget(page)

    def names() -> list[str]:
        return sorted(page.model.row(r).name for r in range(page.model.rowCount()))

    for role in (None, "examiner"):
        page.role_filter.setCurrentIndex(page.role_filter.findData(role) if role else 0)
        page.search.setText("e1234")
        page.apply_search()
        assert names() == [], role
        page.search.setText("e12345678")
        page.apply_search()
        assert names() == ["小李"], role
        page.search.setText("李")
        page.apply_search()
        assert names() == ["小李", "李考评"], role
        assert page.model.total == 2
    page.search.setText("")
    page.apply_search()
    assert names() == ["小李", "李考评"]


def test_warnings_panel_lists_expiring_qualification(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    page = PeoplePage(audited_db, admin)
    qtbot.addWidget(page)
    texts = [page.warnings.item(i).text() for i in range(page.warnings.count())]
    assert len(texts) == 1 and "李考评" in texts[0] and "到期" in texts[0]
    assert "1 条" in page.warnings_label.text()


def test_reveal_hidden_for_scorer(qtbot: QtBot, audited_db: Database, admin: Actor) -> None:
    scorer = _scorer(audited_db, admin)
    dialog = PersonDetailDialog(audited_db, scorer, audited_db.ids["candidate"])  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    assert dialog.reveal_button.isHidden()
    assert dialog.edit_button.isHidden()
    assert dialog.id_label.text() == "110105**********2X"
    page = PeoplePage(audited_db, scorer)
    qtbot.addWidget(page)
    assert page.buttons["new"].isHidden() and page.buttons["import_people"].isHidden()


def test_reveal_for_admin_is_audited_and_photo_shown(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    pid = audited_db.ids["candidate"]  # type: ignore[attr-defined]
    with audited_db.session() as s:
        set_photo(s, admin, pid, photo_bytes(), "王小明.jpg")
    dialog = PersonDetailDialog(audited_db, admin, pid)
    qtbot.addWidget(dialog)
    assert dialog.has_photo and dialog.photo.pixmap() is not None
    assert not dialog.reveal_button.isHidden()
    assert FULL_ID not in dialog.id_label.text()
    dialog.reveal_button.click()
    assert dialog.id_label.text() == FULL_ID
    with audited_db.session() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "person.reveal_id")))
        assert len(entries) == 1 and entries[0].entity_id == pid
        assert verify_audit(s).ok


def test_add_and_edit_person(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str]
) -> None:
    dialog = PersonEditDialog(audited_db, admin, None)
    qtbot.addWidget(dialog)
    dialog.fields["name"].setText("赵新人")
    dialog.fields["id_number"].setText("110105194912310021")  # wrong check digit
    dialog.save()
    assert len(warnings) == 1 and "校验码" in dialog.error.text()
    assert dialog.result() == 0
    number = "11010519800101002"
    from app.rules.idcard import gb11643_check_char

    dialog.fields["id_number"].setText(number + gb11643_check_char(number))
    dialog.role_boxes["proctor"].setChecked(True)
    dialog.roles_editor.rows["proctor"].in_house.setChecked(False)
    dialog.save()
    assert dialog.result() == 1
    with audited_db.session() as s:
        person = s.scalar(select(Person).where(Person.name == "赵新人"))
        assert person is not None and person.gender == "女"
        assert [(r.role, r.in_house) for r in person.roles] == [("proctor", False)]
        pid = person.id

    edit = PersonEditDialog(audited_db, admin, pid)
    qtbot.addWidget(edit)
    assert edit.fields["id_number"].text() == ""  # the full number is never prefilled
    assert edit.role_boxes["proctor"].isChecked()
    edit.fields["employer"].setText("新单位")
    edit.role_boxes["proctor"].setChecked(False)
    edit.role_boxes["expert"].setChecked(True)
    edit.reason.setText("改任专家")  # removing the proctor role needs a reason
    edit.save()
    assert edit.result() == 1
    with audited_db.session() as s:
        person = s.get(Person, pid)
        assert person.employer == "新单位"
        assert person.id_number == number + gb11643_check_char(number)
        roles = s.scalars(select(StaffRoleEntry.role).where(StaffRoleEntry.person_id == pid))
        assert list(roles) == ["expert"]
        assert verify_audit(s).ok


def test_export_roster(
    qtbot: QtBot, audited_db: Database, admin: Actor, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from app.ui.pages import people

    out = tmp_path / "名册.xlsx"
    infos: list[str] = []
    monkeypatch.setattr(people.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: infos.append(text))
    page = PeoplePage(audited_db, admin)
    qtbot.addWidget(page)
    page.buttons["export"].click()
    assert out.exists() and "考评员 1 人" in infos[0]
