"""审计日志 page: filters, Excel export, chain verification, refusal for other roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot
from python_calamine import CalamineWorkbook

from app.db import Database
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.users import authenticate, create_user
from app.ui.pages.audit import AuditLog, AuditPage
from tests.conftest import behind_the_apps_back


@pytest.fixture
def two_users(db: Database, admin: Actor) -> Actor:
    with db.session() as s:
        create_user(s, admin, "clerk1", "clerk", "Clerk#2026", "考务员甲")
    with db.session() as s:
        return authenticate(s, "clerk1", "Clerk#2026")


def _log(qtbot: QtBot, db: Database, actor: Actor) -> AuditLog:
    page = AuditPage(db, actor)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    assert page.table_page is not None
    log = page.table_page
    log._page = page  # type: ignore[attr-defined]  # keep the page alive with the log
    return log


def _usernames(log: AuditLog) -> set[str]:
    return {log.model.row(r).username for r in range(log.model.rowCount())}


def test_filter_by_user_action_and_date(
    qtbot: QtBot, db: Database, admin: Actor, two_users: Actor
) -> None:
    log = _log(qtbot, db, admin)
    total = log.model.total
    assert _usernames(log) >= {"admin", "clerk1"}
    assert log.model.row(0).id > log.model.row(log.model.rowCount() - 1).id  # newest first

    log.user.setCurrentIndex(log.user.findData("clerk1"))
    log.apply_button.click()
    assert _usernames(log) == {"clerk1"}
    assert 0 < log.model.total < total
    assert "共 " in log.count_label.text()

    log.user.setCurrentIndex(0)
    log.action.setCurrentIndex(log.action.findData("user."))
    log.apply_button.click()
    assert {log.model.row(r).action for r in range(log.model.rowCount())} == {"user.create"}

    log.action.setCurrentIndex(0)
    log.until.setDate(QDate(2001, 1, 1))
    log.apply_button.click()
    assert log.model.total == 0

    log.clear_button.click()
    assert log.model.total >= total


def test_filter_by_batch_and_person(
    qtbot: QtBot, sample_db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    from app.services import listing
    from app.services.people import reveal_id_number

    with sample_db.session() as s:
        person_id = listing.people_page(s, 0, 10, "王小明")[0].id
        reveal_id_number(s, admin, person_id, "核对")  # an entry about this person
    log = _log(qtbot, sample_db, admin)
    total = log.model.total
    assert log.batch.count() == 3  # 全部批次 + two batches
    log.person.setText("王小明")
    log.apply_button.click()
    assert log.filter.person_id == person_id
    assert 0 < log.model.total < total
    assert {log.model.row(r).person_id for r in range(log.model.rowCount())} == {person_id}
    log.person.clear()
    log.batch.setCurrentIndex(1)
    log.apply_button.click()
    assert {log.model.row(r).batch_id for r in range(log.model.rowCount())} <= {
        log.batch.currentData()
    }
    log.person.setText("不存在的人")
    log.apply_button.click()
    assert messages[-1][0] == "information" and "找不到" in messages[-1][1]


def test_export_writes_xlsx(
    qtbot: QtBot,
    db: Database,
    admin: Actor,
    two_users: Actor,
    tmp_path: Path,
    messages: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = _log(qtbot, db, admin)
    log.user.setCurrentIndex(log.user.findData("clerk1"))
    log.apply_button.click()
    expected = log.model.total
    target = tmp_path / "审计"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    log.export_button.click()
    written = tmp_path / "审计.xlsx"
    assert written.is_file()
    rows = CalamineWorkbook.from_path(str(written)).get_sheet_by_index(0).to_python()
    assert rows[0][2] == "用户"
    assert len(rows) - 1 == expected
    assert {r[2] for r in rows[1:]} == {"clerk1"}
    assert messages[-1][0] == "information" and str(expected) in messages[-1][1]
    with db.session() as s:
        assert verify_audit(s).ok


def test_verify_then_tamper(
    qtbot: QtBot, db: Database, admin: Actor, two_users: Actor, messages: list[tuple[str, str]]
) -> None:
    log = _log(qtbot, db, admin)
    assert log.verify().ok
    assert log.verify_label.text() == "审计链完整"
    assert messages[-1][0] == "information" and "完整" in messages[-1][1]

    with behind_the_apps_back(db.data_dir) as raw:
        raw.exec_driver_sql("UPDATE app_user SET display_name = '篡改' WHERE username = 'clerk1'")
    report = log.verify()
    assert not report.ok
    assert "问题" in log.verify_label.text()
    assert messages[-1][0] == "warning"
    assert "在软件之外被改动" in messages[-1][1]


def test_audit_page_explains_refusal(qtbot: QtBot, db: Database, two_users: Actor) -> None:
    page = AuditPage(db, two_users)
    qtbot.addWidget(page)
    assert page.table_page is None
    texts = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "不能查看审计日志" in texts and "考务员" in texts
