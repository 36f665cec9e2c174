"""The batch editor: create a batch end to end through its tabs and file it; checks; late filing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Batch, CheckAcknowledgement, Enrolment, Person, StaffAssignment
from app.services.actor import Actor
from app.services.audit import record
from app.services.audit_verify import verify_audit
from app.services.batches import SessionInput
from app.ui.dialogs.batch_candidates import PersonPicker
from app.ui.dialogs.batch_common import GREY, ORANGE, RED
from app.ui.dialogs.batch_editor import BatchEditor
from tests.services.test_batch_support import DAY, World, build_world, make_batch


@pytest.fixture
def world(db: Database, admin: Actor) -> World:
    return build_world(db, admin)


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    return shown


def _editor(qtbot: QtBot, world: World, actor: Actor, batch_id: int | None = None) -> BatchEditor:
    editor = BatchEditor(world.db, actor, batch_id)
    qtbot.addWidget(editor)
    return editor


def _audit_ok(db: Database) -> None:
    with db.session() as s:
        report = verify_audit(s)
    assert report.ok, [p.message for p in report.problems]


def test_create_a_batch_end_to_end_and_file_it(
    qtbot: QtBot, world: World, warnings_shown: list[str]
) -> None:
    editor = _editor(qtbot, world, world.clerk)
    assert not editor.tabs.isTabEnabled(1)  # sessions wait for the saved plan

    # 概况
    general = editor.general
    general.scope.setCurrentIndex(
        next(i for i, c in enumerate(general.choices) if c.occupation == "电工")
    )
    general.level.setCurrentIndex(general.level.findData(2))
    assert (
        general.review.isChecked() and not general.review.isEnabled()
    )  # levels 1–2: review required
    general.level.setCurrentIndex(general.level.findData(4))
    general.review.setChecked(False)
    general.name.setText("2026年第10期电工四级认定")
    general.code.setText("2026-10")
    general.source.setText("社会考生")
    assert general.pass_mark.value() == 60  # the profile's pass mark for a new batch
    general.pass_mark.setValue(65)
    general.double_entry.setChecked(True)
    assert general.save()
    assert (
        editor.info is not None and editor.info.code == "2026-10" and editor.info.status == "draft"
    )
    assert editor.info.pass_mark == 65 and editor.info.double_entry
    assert all(editor.tabs.isTabEnabled(i) for i in range(editor.tabs.count()))
    bid = editor.info.id

    # 场次: through the input dialog's own widgets
    sessions = editor.sessions
    dialog = sessions.dialog()
    dialog.set_value(SessionInput(DAY, dt.time(9), dt.time(10, 30), "theory", world.theory_room))
    assert sessions.add(dialog.value())
    dialog = sessions.dialog()
    assert dialog.subject.count() == 2  # theory and skill only: review not chosen
    dialog.set_value(SessionInput(DAY, dt.time(14), dt.time(17), "skill", world.skill_room))
    assert sessions.add(dialog.value())
    assert sessions.table.rowCount() == 2
    theory_id, skill_id = (r.id for r in sessions.rows)

    # 考生: the picker finds people by name
    picker = PersonPicker(world.db, editor.actor, editor)
    qtbot.addWidget(picker)
    picker.search.setText("张")
    picker.apply_search()
    assert picker.model.rowCount() == 1
    picker.view.selectAll()
    assert editor.candidates.enrol(picker.selected_ids())
    assert editor.candidates.enrol([world.p("c2"), world.p("c3")])
    assert editor.candidates.table.rowCount() == 3
    assert editor.candidates.seat()
    assert "3 名考生" in editor.candidates.message.text()

    # 人员安排: through the combo boxes for the first examiner, then directly
    staff = editor.staff
    staff.duty.setCurrentIndex(staff.duty.findData("examiner"))
    staff.session.setCurrentIndex(staff.session.findData(skill_id))
    staff.person.setCurrentIndex(staff.person.findData(world.p("e1")))
    staff.on_assign()
    for key in ("e2", "e3"):
        assert staff.assign(world.p(key), "examiner", skill_id)
    for key in ("p1", "p2"):
        assert staff.assign(world.p(key), "proctor", theory_id)
    staff.duty.setCurrentIndex(staff.duty.findData("supervisor"))
    assert not staff.session.isEnabled()
    assert staff.assign(world.p("s1"), "supervisor", None)
    assert staff.table.rowCount() == 6

    # 检查 and 报备
    editor.checks.load()
    assert editor.checks.report is not None and editor.checks.report.can_file, [
        i.message for i in editor.checks.report.items
    ]
    editor.filing.load()
    assert "2026-09-18" in editor.filing.deadline.text()
    assert editor.filing.file(dt.date(2026, 9, 18))
    assert warnings_shown == []
    assert editor.info.status == "plan_filed"
    assert not editor.general.save_button.isEnabled() and not sessions.add_button.isEnabled()

    with world.db.session() as s:
        b = s.get(Batch, bid)
        assert b.status == "plan_filed" and b.plan_filed_on == dt.date(2026, 9, 18)
        assert s.query(Enrolment).filter_by(batch_id=bid).count() == 3
        assert s.query(StaffAssignment).filter_by(batch_id=bid).count() == 6
    _audit_ok(world.db)


def test_refusals_show_their_message(qtbot: QtBot, world: World, warnings_shown: list[str]) -> None:
    editor = _editor(qtbot, world, world.admin)
    editor.general.name.setText("")
    assert not editor.general.save()
    assert warnings_shown and "批次名称不能为空" in warnings_shown[0]
    assert editor.info is None


def test_late_filing_as_a_clerk_shows_the_refusal(
    qtbot: QtBot, world: World, warnings_shown: list[str]
) -> None:
    bid = make_batch(world)
    editor = _editor(qtbot, world, world.clerk, bid)
    assert editor.filing.file_button.isEnabled()
    assert not editor.filing.back_button.isEnabled()  # clerks cannot move back
    assert not editor.filing.file(dt.date(2026, 9, 21), "漏报")
    assert len(warnings_shown) == 1 and "2026-09-18" in warnings_shown[0]
    with world.db.session() as s:
        assert s.get(Batch, bid).status == "draft"
    assert editor.info is not None and editor.info.status == "draft"
    _audit_ok(world.db)


def test_acknowledging_a_warning_stores_the_reason(
    qtbot: QtBot, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    bid = make_batch(world)
    with world.db.session() as s:
        e2 = s.get(Person, world.p("e2"))
        e2.employer = "甲公司"  # a candidate's employer: 回避 warning
        record(s, world.admin, "person.update", e2)
    editor = _editor(qtbot, world, world.clerk, bid)
    checks = editor.checks
    checks.load()
    assert (
        checks.report is not None and len(checks.report.warnings) == 1 and not checks.report.errors
    )
    row = next(i for i, item in enumerate(checks.items) if item.level == "warning")
    assert checks.table.item(row, 0).foreground().color() == ORANGE
    checks.table.selectRow(row)
    asked: list[Any] = []

    def fake_get_text(*args: Any, **kwargs: Any) -> tuple[str, bool]:
        asked.append(args)
        return "考评乙回避本单位考生", True

    monkeypatch.setattr(QInputDialog, "getText", fake_get_text)
    checks.on_acknowledge()
    assert asked
    with world.db.session() as s:
        ack = s.scalar(select(CheckAcknowledgement).where(CheckAcknowledgement.batch_id == bid))
        assert ack is not None and ack.reason == "考评乙回避本单位考生"
    assert checks.report is not None and checks.report.can_file
    assert checks.table.item(0, 0).text() == "已确认"
    assert checks.table.item(0, 2).text() == "考评乙回避本单位考生"
    assert checks.table.item(0, 0).foreground().color() == GREY
    assert editor.filing.file(dt.date(2026, 9, 1))
    _audit_ok(world.db)


def test_demo_level_two_batch_shows_examiner_errors(qtbot: QtBot, db: Database) -> None:
    from app.services.demo import build_demo
    from app.services.users import authenticate

    build_demo(db, "Demo#2026")
    with db.session() as s:
        admin = authenticate(s, "admin", "Demo#2026")
        bid = s.scalar(select(Batch.id).where(Batch.code == "2026-05"))
    editor = BatchEditor(db, admin, bid)
    qtbot.addWidget(editor)
    editor.tabs.setCurrentWidget(editor.checks)  # running the checks when the tab is shown
    report = editor.checks.report
    assert report is not None and report.errors
    examiner_rows = [
        i
        for i, item in enumerate(editor.checks.items)
        if item.level == "error" and "考评" in item.message
    ]
    assert examiner_rows
    assert editor.checks.table.item(examiner_rows[0], 0).foreground().color() == RED
    assert "还不能报备" in editor.checks.summary.text()
    assert editor.general.level.currentData() == 2 and editor.general.review.isChecked()
