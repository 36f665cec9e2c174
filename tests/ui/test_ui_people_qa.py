"""人员 page and person dialogs: QA fixes (filter refill, keyboard, widths, reveal, roles, 考评资格,
Enter/Esc in the edit form, the 证件类型 change message)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import ExaminerQualification, Person, StaffRoleEntry
from app.rules.idcard import gb11643_check_char
from app.services.actor import Actor
from app.services.catalogue import OccupationInput, create_occupation
from app.services.roster import PersonInput, RoleInput, add_person
from app.ui.pages.people import PeoplePage
from app.ui.pages.people_dialogs import PersonEditDialog
from app.ui.pages.person_detail import PersonDetailDialog
from tests.ui.test_ui_people_data import insert_audited_data


@pytest.fixture
def ids(db: Database, admin: Actor) -> dict[str, int]:
    return insert_audited_data(db, admin)


def _edit(qtbot: QtBot, db: Database, admin: Actor, pid: int | None) -> PersonEditDialog:
    dialog = PersonEditDialog(db, admin, pid)
    qtbot.addWidget(dialog)
    return dialog


def _roles(db: Database, pid: int) -> dict[str, tuple[bool, bool, dt.date | None]]:
    with db.session() as s:
        return {
            r.role: (r.in_house, r.agreement_on_file, r.agreement_until)
            for r in s.scalars(select(StaffRoleEntry).where(StaffRoleEntry.person_id == pid))
        }


def _qual_count(db: Database, pid: int) -> int:
    with db.session() as s:
        return len(
            list(
                s.scalars(
                    select(ExaminerQualification).where(ExaminerQualification.person_id == pid)
                )
            )
        )


def _new_number(body: str = "11010519800101003") -> str:
    return body + gb11643_check_char(body)


def _answer(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: None))
    return asked


# --- 1. the 考评职业 filter follows the catalogue ------------------------------------------------
def test_occupation_filter_is_refilled_on_refresh(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    page = PeoplePage(db, admin)
    qtbot.addWidget(page)
    combo = page.occupation_filter
    combo.setCurrentIndex(combo.findData(ids["occupation"]))
    assert page.model.total == 1
    with db.session() as s:
        new = create_occupation(s, admin, OccupationInput("4-12-01-01", "汽车维修工", False, []))
        s.flush()
        new_id = new.id
    page.refresh()
    assert combo.findData(new_id) >= 0
    assert "汽车维修工" in combo.itemText(combo.findData(new_id))
    assert combo.currentData() == ids["occupation"]  # the choice is kept
    assert page.filters.occupation_id == ids["occupation"] and page.model.total == 1


# --- 2. keyboard ---------------------------------------------------------------------------------
def test_enter_opens_the_person_and_double_click_opens_once(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = PeoplePage(db, admin)
    qtbot.addWidget(page)
    opened: list[int] = []
    monkeypatch.setattr(page, "open_person", opened.append)
    page.show()
    qtbot.waitExposed(page)
    index = page.model.index(0, 0)
    page.table.setCurrentIndex(index)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == [page.model.row(0).id]
    opened.clear()
    center = page.table.visualRect(index).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert opened == [page.model.row(0).id]


def _tab_chain(start: QWidget, stop: QWidget) -> list[QWidget]:
    """The widgets Tab visits from `start` up to `stop` (as QWidget::focusNextPrevChild does)."""
    out: list[QWidget] = []
    w = start.nextInFocusChain()
    while w is not stop and w is not start:
        if (
            w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and w.isVisible()
            and w.isEnabled()
            and w.focusProxy() is None
        ):
            out.append(w)
        w = w.nextInFocusChain()
    return out


def test_tab_goes_from_search_through_filters_and_buttons_to_table(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    page = PeoplePage(db, admin)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert page.search is not None
    chain = _tab_chain(page.search, page.table)
    assert chain[:2] == [page.role_filter, page.occupation_filter]
    assert page.buttons["new"] in chain and page.buttons["export"] in chain


# --- 3. the detail dialog keeps a sensible width -------------------------------------------------
def test_detail_dialog_wraps_long_texts(qtbot: QtBot, db: Database, admin: Actor) -> None:
    employer = ("重庆市某某区某某街道某某工业园区某某机械制造有限公司第三分公司" * 10)[:200]
    notes = ("该人员曾参加多次职业技能等级认定考评工作，表现良好，" * 10)[:200]
    with db.session() as s:
        person = add_person(
            s, admin, PersonInput("长文本", _new_number(), employer=employer, notes=notes)
        )
        s.flush()
        pid = person.id
    dialog = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(dialog)
    assert dialog.sizeHint().width() < 900
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() < 900
    values = [
        dialog.form.itemAt(i, dialog.form.ItemRole.FieldRole).widget()
        for i in range(dialog.form.rowCount())
    ]
    for text in (employer, notes):
        label = next(v for v in values if v.text() == text)
        assert label.wordWrap()
        assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
        assert label.height() >= label.heightForWidth(label.width())  # no line cut off


# --- 4. reveal is offered again whenever the number is masked -----------------------------------
def test_reveal_button_enabled_again_after_reload(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = PersonDetailDialog(db, admin, ids["candidate"])
    qtbot.addWidget(dialog)
    masked = dialog.id_label.text()
    dialog.reveal_button.click()
    assert dialog.id_label.text() != masked and not dialog.reveal_button.isEnabled()
    monkeypatch.setattr(PersonEditDialog, "exec", lambda self: 1)
    dialog.edit()
    assert dialog.id_label.text() == masked
    assert dialog.reveal_button.isEnabled()


# --- 5. agreement fields of in-house roles / roles with no agreement -----------------------------
def test_in_house_role_ignores_and_clears_agreement_fields(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    pid = ids["examiner"]
    dialog = _edit(qtbot, db, admin, pid)
    row = dialog.roles_editor.rows["examiner"]
    row.in_house.setChecked(False)
    row.agreement.setChecked(True)
    row.until.setText("明年")  # invalid, then made in-house: no longer relevant
    row.in_house.setChecked(True)
    dialog.save()
    assert messages == [] and dialog.result() == 1
    assert _roles(db, pid)["examiner"] == (True, False, None)


def test_no_agreement_means_no_end_date(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    pid = ids["examiner"]
    dialog = _edit(qtbot, db, admin, pid)
    row = dialog.roles_editor.rows["examiner"]
    row.in_house.setChecked(False)
    row.agreement.setChecked(True)
    row.until.setText("2027-12-31")
    row.agreement.setChecked(False)
    assert not row.until.isEnabled()  # greyed: not read without an agreement
    dialog.save()
    assert messages == [] and dialog.result() == 1
    assert _roles(db, pid)["examiner"] == (False, False, None)
    # a stored end date without an agreement (older data) is not shown as "无协议，至 …"
    with db.session() as s:
        person = add_person(
            s,
            admin,
            PersonInput("外聘", _new_number("11010519800101004")),
            roles=[RoleInput("proctor", in_house=False, agreement_until=dt.date(2027, 12, 31))],
        )
        s.flush()
        other = person.id
    detail = PersonDetailDialog(db, admin, other)
    qtbot.addWidget(detail)
    assert "无协议" in detail.roles.text() and "2027-12-31" not in detail.roles.text()


# --- 6. qualifications only for examiners ---------------------------------------------------------
def test_new_person_qualification_rows_dropped_when_examiner_unticked(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    dialog = _edit(qtbot, db, admin, None)
    dialog.fields["name"].setText("周新人")
    dialog.fields["id_number"].setText(_new_number())
    dialog.role_boxes["examiner"].setChecked(True)
    dialog.quals_editor.add_button.click()
    row = dialog.quals_editor.rows[0]
    row.occupation.setCurrentIndex(row.occupation.findData(ids["occupation"]))
    row.max_level.setCurrentIndex(row.max_level.findData(4))
    dialog.role_boxes["examiner"].setChecked(False)
    assert not dialog.quals_editor.table.isEnabled()
    assert "不会保存" in dialog.quals_editor.hint.text()
    dialog.save()
    assert messages == [] and dialog.result() == 1
    with db.session() as s:
        person = s.scalar(select(Person).where(Person.name == "周新人"))
        assert person is not None and person.roles == [] and person.qualifications == []


def test_unticking_examiner_asks_before_removing_qualifications(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = ids["examiner"]
    dialog = _edit(qtbot, db, admin, pid)
    dialog.role_boxes["examiner"].setChecked(False)
    dialog.reason.setText("不再担任考评员")
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog.save()
    assert len(asked) == 1 and "1 条考评资格" in asked[0]
    assert dialog.result() == 0 and _qual_count(db, pid) == 1
    assert set(_roles(db, pid)) == {"examiner", "fulltime"}  # nothing written
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dialog.save()
    assert len(asked) == 1 and dialog.result() == 1
    assert _qual_count(db, pid) == 0 and set(_roles(db, pid)) == {"fulltime"}


# --- 7. Enter does not save, Esc asks before throwing edits away ---------------------------------
def test_enter_in_a_line_edit_does_not_save(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    pid = ids["examiner"]
    dialog = _edit(qtbot, db, admin, pid)
    dialog.show()
    qtbot.waitExposed(dialog)
    phone = dialog.fields["phone"]
    phone.setFocus()
    phone.setText("139")
    qtbot.keyClick(phone, Qt.Key.Key_Return)
    qtbot.keyClick(phone, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert dialog.isVisible() and dialog.result() == 0
    with db.session() as s:
        assert s.get(Person, pid).phone == ""  # type: ignore[union-attr]
    dialog.done(0)


def test_escape_with_changes_asks_first(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _edit(qtbot, db, admin, ids["examiner"])
    dialog.show()
    qtbot.waitExposed(dialog)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    qtbot.keyClick(dialog.fields["name"], Qt.Key.Key_Escape)  # nothing changed: just closes
    assert asked == [] and not dialog.isVisible()

    dialog = _edit(qtbot, db, admin, ids["examiner"])
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.fields["phone"].setText("13900001111")
    qtbot.keyClick(dialog.fields["phone"], Qt.Key.Key_Escape)
    assert len(asked) == 1 and "放弃未保存的修改" in asked[0] and dialog.isVisible()
    dialog.cancel_button.click()
    assert len(asked) == 2 and dialog.isVisible()
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dialog.cancel_button.click()
    assert len(asked) == 1 and not dialog.isVisible() and dialog.result() == 0


# --- 8. changing only the 证件类型 ---------------------------------------------------------------
def test_changing_only_the_id_type_explains_the_number(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    dialog = _edit(qtbot, db, admin, ids["candidate"])
    dialog.id_type.setCurrentIndex(dialog.id_type.findData("227"))
    dialog.save()
    assert dialog.result() == 0 and len(messages) == 1
    text = messages[0][1]
    assert "中国护照" in text and "110105**********2X" in text and "重新填写" in text


# --- QA 4: the birth date is shown only to who may see the full number -------------------------
def test_detail_dialog_hides_the_birth_date_without_the_full_id_right(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    """Digits 7–14 are the birth date: with it beside the masked number, the check digit and a
    whole-number search, a scorer could work out the full number (QA 4)."""
    from app.services.users import authenticate, create_user

    with db.session() as s:
        born = s.get(Person, ids["candidate"]).birth_date
        create_user(s, admin, "scorer1", "scorer", "Scorer#2026", "录分员")
    with db.session() as s:
        scorer = authenticate(s, "scorer1", "Scorer#2026")

    def shown(actor: Actor) -> list[str]:
        dialog = PersonDetailDialog(db, actor, ids["candidate"])
        qtbot.addWidget(dialog)
        return [
            dialog.form.itemAt(i, role).widget().text()
            for i in range(dialog.form.rowCount())
            for role in (dialog.form.ItemRole.LabelRole, dialog.form.ItemRole.FieldRole)
            if dialog.form.itemAt(i, role) is not None and dialog.form.itemAt(i, role).widget()
        ]

    assert born is not None
    assert any("出生日期" in t for t in shown(admin)) and born.isoformat() in shown(admin)
    texts = shown(scorer)
    assert not any("出生日期" in t or born.isoformat() in t for t in texts)
