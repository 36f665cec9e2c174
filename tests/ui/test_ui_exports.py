"""上报导出 hub: each export asks for a folder/file and shows where the files were written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.actor import Actor
from app.ui.pages import records
from app.ui.pages.records import ExportsPage
from app.ui.pages.score_common import to_qdate
from tests.score_data import admin_of, audit_ok, make_user


def hub(qtbot: QtBot, db: Database, actor: Actor) -> ExportsPage:
    page = ExportsPage(db, actor)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def choose(page: ExportsPage, code: str) -> None:
    page.batch_combo.setCurrentIndex(next(i for i, b in enumerate(page.batches) if b.code == code))


def test_every_export_writes_its_files(
    qtbot: QtBot, demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a, **k: shown.append(text))
    out = tmp_path / "out"
    monkeypatch.setattr(records, "choose_folder", lambda parent, title: out)
    monkeypatch.setattr(records, "choose_save_file", lambda parent, title, name: out / name)
    page = hub(qtbot, demo, admin_of(demo))

    choose(page, "2026-04")
    page.buttons["plan"].click()
    assert (out / "认定计划报备表_2026-04.xlsx").exists() and (out / "认定计划报备表_2026-04.pdf").exists()
    assert str(out / "认定计划报备表_2026-04.xlsx") in page.result.text()

    choose(page, "2026-03")
    page.buttons["publicity"].click()
    assert (out / "2026-03_公示名单.xlsx").exists()

    choose(page, "2026-02")
    page.buttons["results"].click()
    assert (out / "2026-02_结果汇总表.xlsx").exists() and (out / "2026-02_合格人员证书信息表.xlsx").exists()
    assert "合格人员证书信息表" in page.result.text()

    page.buttons["roster"].click()
    assert (out / "人员名册.xlsx").exists() and "人员名册.xlsx" in page.result.text()

    page.stat_start.setDate(to_qdate(dt.date(2026, 1, 1)))
    page.stat_end.setDate(to_qdate(dt.date(2026, 12, 31)))
    page.buttons["statistics"].click()
    written = list(out.glob("统计_*.xlsx"))
    assert len(written) == 1 and str(written[0]) in page.result.text()

    # a batch without results: the service's message, nothing written
    choose(page, "2026-04")
    page.buttons["results"].click()
    assert len(shown) == 1 and "2026-04" in shown[0]
    assert not (out / "2026-04_结果汇总表.xlsx").exists()
    audit_ok(demo)


def test_score_clerk_cannot_export(qtbot: QtBot, demo: Database) -> None:
    admin = admin_of(demo)
    clerk = make_user(demo, admin, "clerk_e", "scorer", "2026-04")
    page = hub(qtbot, demo, clerk)
    assert [b.code for b in page.batches] == ["2026-04"]
    assert not any(b.isEnabled() for b in page.buttons.values())


def test_supervisor_exports_only_what_carries_no_full_id_numbers(qtbot: QtBot, demo: Database) -> None:
    admin = admin_of(demo)
    supervisor = make_user(demo, admin, "sup_e", "supervisor")
    page = hub(qtbot, demo, supervisor)
    enabled = {key for key, b in page.buttons.items() if b.isEnabled()}
    assert enabled.isdisjoint(records.FULL_ID_EXPORTS)  # the services refuse them too
    assert {"publicity", "statistics"} <= enabled
