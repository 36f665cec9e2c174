"""The person edit dialog's role details and 考评资格 editors, checked against the database."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.models import AuditEntry, ExaminerQualification, Person, StaffRoleEntry
from app.rules.idcard import gb11643_check_char
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.catalogue import OccupationInput, create_occupation
from app.ui.pages.people_dialogs import PersonEditDialog
from app.ui.pages.person_detail import PersonDetailDialog
from app.ui.pages.person_quals_editor import QualRow
from tests.ui.test_ui_people_data import insert_audited_data


@pytest.fixture
def ids(db: Database, admin: Actor) -> dict[str, int]:
    """The audited sample (李考评: examiner + fulltime, 电工 四级) and a second occupation."""
    found = insert_audited_data(db, admin)
    with db.session() as s:
        occ = create_occupation(
            s, admin, OccupationInput("4-07-05-03", "保安员", False, ["门卫", "巡逻"])
        )
        s.flush()
        found["security"] = occ.id
        found["patrol"] = next(w.id for w in occ.work_types if w.name == "巡逻")
    return found


def _dialog(qtbot: QtBot, db: Database, admin: Actor, person_id: int | None) -> PersonEditDialog:
    dialog = PersonEditDialog(db, admin, person_id)
    qtbot.addWidget(dialog)
    return dialog


def _pick(combo, data: object) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(data)
    assert index >= 0, f"{data!r} not offered"
    combo.setCurrentIndex(index)


def _fill(row: QualRow, occupation: int, level: int, **text: str) -> None:
    _pick(row.occupation, occupation)
    _pick(row.max_level, level)
    for name, value in text.items():
        getattr(row, name).setText(value)


def _audit(db: Database, action: str) -> list[AuditEntry]:
    with db.session() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        s.expunge_all()
        return entries


def _audit_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def _quals(db: Database, person_id: int) -> list[tuple]:  # type: ignore[type-arg]
    with db.session() as s:
        return [
            (
                q.occupation_id,
                q.work_type_id,
                q.max_level,
                q.certificate_no,
                q.valid_from,
                q.valid_until,
            )
            for q in s.scalars(
                select(ExaminerQualification)
                .where(ExaminerQualification.person_id == person_id)
                .order_by(ExaminerQualification.id)
            )
        ]


def test_existing_roles_and_qualifications_are_prefilled(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, db, admin, ids["examiner"])
    roles = dialog.roles_editor.rows
    assert [r for r, row in roles.items() if row.check.isChecked()] == ["fulltime", "examiner"]
    assert roles["fulltime"].detail is not None and roles["fulltime"].detail.isEnabled()
    assert roles["expert"].detail is not None and not roles["expert"].detail.isEnabled()
    assert not roles["examiner"].agreement.isEnabled()  # in-house: no agreement to record
    quals = dialog.quals_editor
    assert quals.table.isEnabled() and quals.add_button.isEnabled()
    assert len(quals.rows) == quals.table.rowCount() == 1
    row = quals.rows[0]
    assert row.occupation.currentData() == ids["occupation"]
    assert row.work_type.currentData() is None and row.work_type.currentText() == "（不限工种）"
    assert row.max_level.currentData() == 4 and row.max_level.currentText() == "四级/中级工"
    until = dt.date.today() + dt.timedelta(days=20)
    assert row.valid_until.text() == until.isoformat() and row.valid_from.text() == ""

    candidate = _dialog(qtbot, db, admin, ids["candidate"])
    assert not any(r.check.isChecked() for r in candidate.roles_editor.rows.values())
    assert not candidate.quals_editor.table.isEnabled()
    assert not candidate.quals_editor.add_button.isEnabled()
    assert "考评员" in candidate.quals_editor.hint.text()
    candidate.role_boxes["examiner"].setChecked(True)
    assert (
        candidate.quals_editor.table.isEnabled() and candidate.quals_editor.add_button.isEnabled()
    )


def test_add_qualification_with_work_type_is_saved_audited_and_shown(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    pid = ids["examiner"]
    dialog = _dialog(qtbot, db, admin, pid)
    dialog.quals_editor.add_button.click()
    assert len(dialog.quals_editor.rows) == 2
    row = dialog.quals_editor.rows[1]
    assert row.occupation.currentData() is None  # nothing chosen for the user
    _pick(row.occupation, ids["security"])
    assert [row.work_type.itemText(i) for i in range(row.work_type.count())] == [
        "（不限工种）",
        "巡逻",
        "门卫",
    ]
    _pick(row.work_type, ids["patrol"])
    _fill(
        row,
        ids["security"],
        3,
        certificate_no=" KP-2026-001 ",
        valid_from="2026-01-01",
        valid_until="2030/12/31",
    )
    dialog.save()
    assert messages == [] and dialog.result() == 1
    quals = _quals(db, pid)
    assert len(quals) == 2
    assert quals[1] == (
        ids["security"],
        ids["patrol"],
        3,
        "KP-2026-001",
        dt.date(2026, 1, 1),
        dt.date(2030, 12, 31),
    )
    with db.session() as s:
        new_id = s.scalar(
            select(ExaminerQualification.id).where(
                ExaminerQualification.person_id == pid,
                ExaminerQualification.occupation_id == ids["security"],
            )
        )
        assert verify_audit(s).ok
    added = [(e.entity, e.entity_id) for e in _audit(db, "qualification.add")]
    assert ("examiner_qualification", new_id) in added
    # nothing else about the person changed, so nothing else was logged
    assert _audit(db, "qualification.update") == [] and _audit(db, "staff_role.update") == []

    detail = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(detail)
    text = detail.quals.text()
    assert "保安员（巡逻）：最高 三级/高级工" in text
    assert "证书 KP-2026-001" in text and "有效期 2026-01-01 至 2030-12-31" in text


def test_edit_role_details_and_agreement(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    pid = ids["examiner"]
    dialog = _dialog(qtbot, db, admin, pid)
    roles = dialog.roles_editor.rows
    assert roles["fulltime"].detail is not None
    roles["fulltime"].detail.setText("考务组织、报名审核")
    roles["expert"].check.setChecked(True)
    assert roles["expert"].in_house.isChecked() and not roles["expert"].until.isEnabled()
    roles["expert"].in_house.setChecked(False)
    assert roles["expert"].agreement.isEnabled() and not roles["expert"].until.isEnabled()
    assert roles["expert"].detail is not None
    roles["expert"].detail.setText("电气自动化")
    roles["expert"].agreement.setChecked(True)
    roles["expert"].until.setText("2027-12-31")
    dialog.save()
    assert messages == [] and dialog.result() == 1
    with db.session() as s:
        got = {
            r.role: (r.duties, r.specialty, r.in_house, r.agreement_on_file, r.agreement_until)
            for r in s.scalars(select(StaffRoleEntry).where(StaffRoleEntry.person_id == pid))
        }
        assert verify_audit(s).ok
    assert got == {
        "fulltime": ("考务组织、报名审核", "", True, False, None),
        "examiner": ("", "", True, False, None),
        "expert": ("", "电气自动化", False, True, dt.date(2027, 12, 31)),
    }
    updates = [json.loads(e.summary) for e in _audit(db, "staff_role.update")]
    assert [u["role"] for u in updates] == ["fulltime"] and "duties" in str(updates[0]["changed"])
    assert "expert" in [json.loads(e.summary)["role"] for e in _audit(db, "staff_role.add")]
    assert _quals(db, pid) and _audit(db, "qualification.remove") == []  # untouched

    detail = PersonDetailDialog(db, admin, pid)
    qtbot.addWidget(detail)
    text = detail.roles.text()
    assert "专职工作人员（工作职责：考务组织、报名审核）" in text
    assert "专家（专业方向：电气自动化；非本单位，协议已签，至 2027-12-31）" in text

    again = _dialog(qtbot, db, admin, pid)  # and the edit form reads it all back
    expert = again.roles_editor.rows["expert"]
    assert expert.detail is not None and expert.detail.text() == "电气自动化"
    assert not expert.in_house.isChecked() and expert.agreement.isChecked()
    assert expert.until.text() == "2027-12-31"


def test_new_role_starts_as_the_persons_other_roles(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, db, admin, None)
    rows = dialog.roles_editor.rows
    rows["proctor"].check.setChecked(True)
    rows["proctor"].in_house.setChecked(False)
    rows["proctor"].agreement.setChecked(True)
    rows["proctor"].until.setText("2026-12-31")
    rows["supervisor"].check.setChecked(True)
    assert not rows["supervisor"].in_house.isChecked()
    assert rows["supervisor"].agreement.isChecked()
    assert rows["supervisor"].until.text() == "2026-12-31"


def test_remove_qualification_is_audited(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    pid = ids["examiner"]
    with db.session() as s:
        old_id = s.scalar(
            select(ExaminerQualification.id).where(ExaminerQualification.person_id == pid)
        )
    dialog = _dialog(qtbot, db, admin, pid)
    dialog.quals_editor.table.selectRow(0)
    dialog.quals_editor.remove_button.click()
    assert dialog.quals_editor.rows == [] and dialog.quals_editor.table.rowCount() == 0
    assert _quals(db, pid) != []  # nothing is written before 保存
    count = _audit_count(db)
    dialog.save()  # a removal needs a reason
    assert messages and "修改说明" in messages[-1][1] and dialog.result() == 0
    assert dialog.reason.hasFocus() or not dialog.isVisible()
    assert _quals(db, pid) != [] and _audit_count(db) == count
    dialog.reason.setText("考评员证书已注销")
    messages.clear()
    dialog.save()
    assert messages == [] and dialog.result() == 1
    assert _quals(db, pid) == []
    removed = _audit(db, "qualification.remove")
    assert [(e.entity, e.entity_id) for e in removed] == [("examiner_qualification", old_id)]
    assert removed[0].reason == "考评员证书已注销"
    with db.session() as s:
        assert verify_audit(s).ok
        assert s.get(Person, pid) is not None
        roles = set(s.scalars(select(StaffRoleEntry.role).where(StaffRoleEntry.person_id == pid)))
        assert roles == {"examiner", "fulltime"}


def test_remove_without_a_chosen_row_asks_for_one(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    dialog = _dialog(qtbot, db, admin, ids["examiner"])
    dialog.quals_editor.add_row()
    dialog.quals_editor.table.clearSelection()
    dialog.quals_editor.table.setCurrentCell(-1, -1)
    dialog.quals_editor.remove_current()
    assert len(dialog.quals_editor.rows) == 2
    assert messages and "请先点选" in messages[-1][1]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        pytest.param(
            lambda row, ids: _fill(
                row, ids["security"], 3, valid_from="2027-01-01", valid_until="2026-01-01"
            ),
            ["第 2 条考评资格", "早于"],
            id="until-before-from",
        ),
        pytest.param(
            lambda row, ids: _fill(row, ids["security"], 3, valid_until="2026-02-30"),
            ["第 2 条考评资格的有效期至“2026-02-30”", "不是实际存在的日期", "只有 28 天"],
            id="bad-date",
        ),
        pytest.param(
            lambda row, ids: _fill(row, ids["security"], 3, valid_from="2026-W05-1"),
            ["第 2 条考评资格的有效期起“2026-W05-1”", "格式不对"],
            id="week-date",
        ),
        pytest.param(
            lambda row, ids: _pick(row.occupation, ids["security"]),
            ["第 2 条考评资格", "最高等级"],
            id="no-level",
        ),
        pytest.param(
            lambda row, ids: _fill(row, ids["occupation"], 2),
            ["第 2 条考评资格与第 1 条重复"],
            id="duplicate",
        ),
    ],
)
def test_invalid_qualification_shows_message_and_writes_nothing(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    ids: dict[str, int],
    messages: list,  # type: ignore[type-arg]
    setup,  # type: ignore[no-untyped-def]
    expected: list[str],
) -> None:
    pid = ids["examiner"]
    before_quals, before_log = _quals(db, pid), _audit_count(db)
    dialog = _dialog(qtbot, db, admin, pid)
    dialog.fields["employer"].setText("不应保存的新单位")  # a valid change in the same save
    dialog.roles_editor.rows["expert"].check.setChecked(True)
    dialog.quals_editor.add_row()
    setup(dialog.quals_editor.rows[1], ids)
    dialog.save()
    assert dialog.result() == 0  # the dialog stays open
    assert len(messages) == 1 and messages[0][0] == "warning"
    for part in expected:
        assert part in messages[0][1]
    assert dialog.error.text() == messages[0][1]
    assert _quals(db, pid) == before_quals and _audit_count(db) == before_log
    with db.session() as s:
        person = s.get(Person, pid)
        assert person is not None and person.employer == "评价中心"
        assert {r.role for r in person.roles} == {"examiner", "fulltime"}


def test_bad_agreement_date_names_the_role_and_writes_nothing(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    before_log = _audit_count(db)
    dialog = _dialog(qtbot, db, admin, ids["examiner"])
    dialog.roles_editor.rows["examiner"].in_house.setChecked(False)
    dialog.roles_editor.rows["examiner"].agreement.setChecked(True)
    dialog.roles_editor.rows["examiner"].until.setText("明年")
    dialog.save()
    assert dialog.result() == 0
    assert len(messages) == 1 and "考评员的协议有效期至“明年”格式不对" in messages[0][1]
    assert _audit_count(db) == before_log


def test_new_examiner_with_qualification(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    dialog = _dialog(qtbot, db, admin, None)
    assert not dialog.quals_editor.add_button.isEnabled()
    number = "11010519800101003"
    dialog.fields["name"].setText("周考评")
    dialog.fields["id_number"].setText(number + gb11643_check_char(number))
    dialog.role_boxes["examiner"].setChecked(True)
    assert dialog.quals_editor.add_button.isEnabled()
    dialog.quals_editor.add_button.click()
    _fill(dialog.quals_editor.rows[0], ids["occupation"], 5, certificate_no="K-9")
    dialog.save()
    assert messages == [] and dialog.result() == 1
    with db.session() as s:
        person = s.scalar(select(Person).where(Person.name == "周考评"))
        assert person is not None
        assert [r.role for r in person.roles] == ["examiner"]
        assert [(q.occupation_id, q.work_type_id, q.max_level, q.certificate_no) for q in
                person.qualifications] == [(ids["occupation"], None, 5, "K-9")]  # fmt: skip
        qual_id = person.qualifications[0].id
        assert verify_audit(s).ok
    assert qual_id in [e.entity_id for e in _audit(db, "qualification.add")]


def test_unticking_examiner_removes_qualifications_after_asking(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    pid = ids["examiner"]
    dialog = _dialog(qtbot, db, admin, pid)
    dialog.role_boxes["examiner"].setChecked(False)
    assert not dialog.quals_editor.table.isEnabled()
    assert "不会保存" in dialog.quals_editor.hint.text()
    dialog.reason.setText("不再担任考评员")
    dialog.save()  # the `messages` fixture answers Yes
    assert [k for k, _t in messages] == ["question"] and "1 条考评资格" in messages[0][1]
    assert dialog.result() == 1
    assert [e.reason for e in _audit(db, "staff_role.remove")] == ["不再担任考评员"]
    assert _quals(db, pid) == []
    assert [e.reason for e in _audit(db, "qualification.remove")] == ["不再担任考评员"]
    with db.session() as s:
        roles = set(s.scalars(select(StaffRoleEntry.role).where(StaffRoleEntry.person_id == pid)))
    assert roles == {"fulltime"}


def test_clicking_into_a_row_chooses_it_for_removal(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, db, admin, ids["examiner"])
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    editor = dialog.quals_editor
    editor.add_row()  # selects the new (second) row
    assert editor.table.currentRow() == 1
    first = editor.rows[0]
    qtbot.mouseClick(first.certificate_no, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.table.currentRow() == 0, timeout=1000)
    editor.remove_button.click()
    assert len(editor.rows) == 1 and editor.rows[0].occupation.currentData() is None


def test_wheel_over_an_unfocused_combo_does_not_change_it(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, db, admin, ids["examiner"])
    dialog.show()
    qtbot.waitExposed(dialog)
    level = dialog.quals_editor.rows[0].max_level
    dialog.fields["name"].setFocus()
    assert not level.hasFocus()
    wheel = QWheelEvent(
        QPointF(5, 5),
        QPointF(level.mapToGlobal(QPoint(5, 5))),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(level, wheel)
    assert level.currentData() == 4


def test_a_plain_edit_needs_no_reason_but_records_one_given(
    qtbot: QtBot, db: Database, admin: Actor, ids: dict[str, int], messages: list
) -> None:  # type: ignore[type-arg]
    pid = ids["examiner"]
    dialog = _dialog(qtbot, db, admin, pid)
    dialog.fields["phone"].setText("13800001111")
    dialog.reason.setText("本人来电更正电话")
    dialog.save()
    assert messages == [] and dialog.result() == 1
    updates = _audit(db, "person.update")
    assert updates[-1].reason == "本人来电更正电话" and "phone" in updates[-1].summary
