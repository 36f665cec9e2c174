"""设置 › 系统 › 准考证号格式: the first number the typed pattern gives is shown as it is typed,
a refused pattern says why and cannot be saved, a saved one is used for the next enrolment;
who may not manage settings sees it read-only."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry
from app.services.actor import Actor
from app.services.enrolment import admission_pattern
from app.ui.pages.settings import SettingsPage

_PAGES: list[SettingsPage] = []  # (kept alive while a test uses its box)


def _box(qtbot: QtBot, db: Database, actor: Actor):  # type: ignore[no-untyped-def]
    page = SettingsPage(db, actor)
    qtbot.addWidget(page)
    _PAGES[:] = [page]
    return page.system.admission


def test_the_pattern_is_shown_checked_and_saved(
    qtbot: QtBot, db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    box = _box(qtbot, db, admin)
    assert box.pattern.text() == "{code}{seq:04d}" and not box.save_button.isHidden()
    assert "2026060001" in box.example.text()
    box.pattern.setText("ZK{year}-{seq:03d}")
    assert "ZK2026-001" in box.example.text() and box.save_button.isEnabled()
    box.pattern.setText("ZK{seq!s:.1}")
    assert "不是整数写法" in box.example.text() and not box.save_button.isEnabled()
    box.pattern.setText("ZK{year}-{seq:03d}")
    box.save_button.click()
    assert messages[-1] == ("information", "已保存。")
    with db.session() as s:
        assert admission_pattern(s) == "ZK{year}-{seq:03d}"
        assert s.scalar(
            select(AuditEntry.action).where(AuditEntry.action == "setting.admission_pattern")
        )


@pytest.mark.parametrize("pattern", ["{code}{seq:c}", "{seq:6}", "{seq!s:.5}", "{seq:g}", "{code}"])
def test_patterns_that_do_not_number_whole_are_refused(
    qtbot: QtBot, db: Database, admin: Actor, pattern: str
) -> None:
    box = _box(qtbot, db, admin)
    box.pattern.setText(pattern)
    assert not box.save_button.isEnabled() and "准考证号格式" in box.example.text()


def test_read_only_without_the_right(qtbot: QtBot, db: Database, admin: Actor) -> None:
    from app.services.users import authenticate, create_user

    with db.session() as s:
        create_user(s, admin, "lufen", "scorer", "Scorer#2026", "录分员")
    with db.session() as s:
        scorer = authenticate(s, "lufen", "Scorer#2026")
    box = _box(qtbot, db, scorer)
    assert box.pattern.isReadOnly() and box.save_button.isHidden()
