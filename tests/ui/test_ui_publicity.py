"""公示 tab: too short a period refused with the earliest end shown; start; objections; export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import scores
from app.services.batch_workflow import get_batch
from app.services.publicity import list_objections, publicity_min_end
from app.ui.pages import publicity_panel
from app.ui.pages.score_common import to_qdate
from tests.score_data import admin_of, audit_ok, fill, scoring_batch
from tests.ui.test_ui_scores import open_page


def test_publicity_period_objections_and_export(
    qtbot: QtBot, demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a, **k: shown.append(text))
    admin = admin_of(demo)
    bid = scoring_batch(demo, admin)
    fill(demo, admin, "2026-04", {"theory": "80", "skill": "70"})
    with demo.session() as s:
        scores.compute_results(s, admin, bid)
    start = dt.date(2026, 12, 14)  # the day after the demo batch's last sitting
    with demo.session() as s:
        min_end = publicity_min_end(s, get_batch(s, bid), start)
    page = open_page(qtbot, demo, admin, "2026-04")
    panel = page.publicity
    page.tabs.setCurrentWidget(panel)
    assert "尚未公示" in panel.state.text()
    panel.start.setDate(to_qdate(start))
    assert min_end.isoformat() in panel.min_end.text()

    panel.end.setDate(to_qdate(start))  # too short
    panel.start_button.click()
    assert len(shown) == 1 and "公示期太短" in shown[0] and min_end.isoformat() in shown[0]
    with demo.session() as s:
        assert get_batch(s, bid).status == "scoring"

    panel.end.setDate(to_qdate(min_end))
    panel.start_button.click()
    assert len(shown) == 1
    with demo.session() as s:
        b = get_batch(s, bid)
        assert (b.status, b.publicity_start, b.publicity_end) == ("publicity", start, min_end)
    assert "公示中" in page.batch_combo.currentText()
    assert "公示期" in panel.state.text()
    assert not page.entry.banner.isHidden() and "已锁定" in page.entry.banner.text()

    monkeypatch.setattr(panel, "ask_objection", lambda: ("对成绩有异议，申请复核", "2026040001"))
    panel.add_button.click()
    assert panel.table.rowCount() == 1 and panel.table.item(0, 1).text() == "2026040001"
    monkeypatch.setattr(panel, "ask_handling", lambda o: "复核无误，维持原成绩")
    panel.table.setCurrentCell(0, 0)
    panel.handle_button.click()
    assert panel.table.item(0, 3).text() == "复核无误，维持原成绩"
    with demo.session() as s:
        assert list_objections(s, bid, open_only=True) == []

    out = tmp_path / "out"
    monkeypatch.setattr(publicity_panel, "choose_folder", lambda parent, title: out)
    panel.export_button.click()
    assert (out / "2026-04_公示名单.xlsx").exists() and (out / "2026-04_公示名单.pdf").exists()
    assert str(out / "2026-04_公示名单.xlsx") in panel.result.text()
    assert len(shown) == 1
    audit_ok(demo)
