"""结果报备 and 统计 tabs: the due date, filing refused before publicity ends, 附件4/5, the chart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from python_calamine import CalamineWorkbook

from app.db import Database
from app.services.audit import record
from app.services.batch_workflow import get_batch
from app.ui.pages import results_panel, statistics_panel
from app.ui.widgets.bar_chart import BarChart
from tests.score_data import admin_of, audit_ok
from tests.ui.test_ui_scores import open_page


def test_results_filing_and_export(
    qtbot: QtBot, demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a, **k: shown.append(text))
    admin = admin_of(demo)
    with demo.session() as s:  # the publicity still running today, whatever day the test runs
        batch = get_batch(s, "2026-03")
        batch.publicity_end = dt.date.today() + dt.timedelta(days=3)
        record(s, admin, "batch.update", batch, reason="测试：公示尚未结束")
    page = open_page(qtbot, demo, admin, "2026-03")
    panel = page.results
    page.tabs.setCurrentWidget(panel)
    assert "公示中" in panel.due.text()
    assert "结果报备期限" in panel.due.text() or "未规定" in panel.due.text()
    panel.file_button.click()  # today is before the end of the publicity
    assert len(shown) == 1 and "公示尚未结束" in shown[0]
    with demo.session() as s:
        assert get_batch(s, "2026-03").status == "publicity"

    page.select_batch("2026-02")  # 结果已报备
    out = tmp_path / "out"
    monkeypatch.setattr(results_panel, "choose_folder", lambda parent, title: out)
    panel.export_button.click()
    summary, info = out / "2026-02_结果汇总表.xlsx", out / "2026-02_合格人员证书信息表.xlsx"
    assert summary.exists() and info.exists()
    assert str(info) in panel.result.text()
    header = CalamineWorkbook.from_path(str(info)).get_sheet_by_index(0).to_python()[0]
    assert header[:3] == ["姓名", "证件类型", "证件号码"] and len(header) == 12
    assert len(shown) == 1
    audit_ok(demo)


def test_statistics_table_chart_and_export(
    qtbot: QtBot, demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = admin_of(demo)
    with demo.session() as s:  # the publicity still running today, whatever day the test runs
        batch = get_batch(s, "2026-03")
        batch.publicity_end = dt.date.today() + dt.timedelta(days=3)
        record(s, admin, "batch.update", batch, reason="测试：公示尚未结束")
    page = open_page(qtbot, demo, admin, "2026-03")
    panel = page.statistics
    page.tabs.setCurrentWidget(panel)
    assert panel.table.rowCount() == 4
    assert panel.table.item(0, 2).text() == "60"
    assert [label for label, _ in panel.chart.bars] == ["五级/初级工", "理论知识", "技能操作"]
    image = panel.chart.grab().toImage()
    assert not image.isNull() and image.width() > 0

    target = tmp_path / "stat.xlsx"
    monkeypatch.setattr(statistics_panel, "choose_save_file", lambda parent, title, name: target)
    panel.export_button.click()
    assert target.exists() and str(target) in panel.result.text()
    audit_ok(demo)


def test_bar_chart_paints_empty_and_none(qtbot: QtBot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(400, 200)
    assert not chart.grab().isNull()
    chart.set_data("合格率", [("理论知识", 0.5), ("技能操作", None), ("综合评审", 1.2)])
    image = chart.grab().toImage()
    assert not image.isNull()
    colours = {image.pixelColor(x, y).name() for x in range(0, 400, 4) for y in range(0, image.height(), 4)}
    assert "#3b7dd8" in colours  # the bar colour was painted
    assert chart.sizeHint().height() > chart.fontMetrics().height() * 3
