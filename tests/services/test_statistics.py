"""Statistics per batch and per period, checked against a direct count of the demo data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from app.db import Database
from app.errors import ValidationError
from app.services import scores, statistics
from tests.score_data import admin_of, audit_ok, fill, scoring_batch


def test_batch_statistics_match_the_scores(demo: Database) -> None:
    admin = admin_of(demo)
    with demo.session() as s:
        rows = statistics.batch_statistics(s, admin, "2026-03")
        cands = scores.candidate_scores(s, admin, "2026-03")
    total = rows[0]
    assert total.group == "total" and total.enrolled == 60
    assert total.passed == sum(1 for c in cands if c.result == "pass")
    assert total.present == sum(1 for c in cands if any(x.mark != "absent" for x in c.cells.values()))
    assert rows[1].group == "level" and rows[1].label == "五级/初级工"
    theory = next(r for r in rows if r.key == "theory")
    assert theory.label == "理论知识" and theory.enrolled == 60
    assert theory.present == sum(1 for c in cands if c.cells["theory"].mark != "absent")
    assert theory.passed == sum(1 for c in cands if c.cells["theory"].mark == "normal" and c.cells["theory"].score >= 60)
    assert theory.pass_rate == pytest.approx(theory.passed / theory.present)
    assert theory.pass_rate_text.endswith("%")


def test_period_statistics_and_export(demo: Database, tmp_path: Path) -> None:
    admin = admin_of(demo)
    with demo.session() as s:
        rows = statistics.period_statistics(s, admin, dt.date(2026, 1, 1), dt.date(2026, 11, 30))
        per = {b: statistics.batch_statistics(s, admin, b)[0] for b in ("2026-01", "2026-02", "2026-03")}
    total = rows[0]
    assert [r.key for r in rows if r.group == "batch"] == ["2026-01", "2026-02", "2026-03"]
    assert total.enrolled == sum(r.enrolled for r in per.values()) == 190
    assert total.passed == sum(r.passed for r in per.values())
    assert {r.key: r.passed for r in rows if r.group == "level"} == {
        "3": per["2026-02"].passed, "4": per["2026-01"].passed, "5": per["2026-03"].passed}
    assert [r.key for r in rows if r.group == "component"] == ["theory", "skill"]
    with demo.session() as s:
        out = statistics.export_statistics(s, admin, tmp_path / "stats.xlsx", rows, "2026年统计")
    ws = openpyxl.load_workbook(out).active
    data = list(ws.iter_rows(values_only=True))
    assert data[0][0] == "2026年统计"
    assert data[1] == ("分组", "项目", "报名人数", "实考人数", "合格人数", "合格率")
    assert data[2][2:5] == (total.enrolled, total.present, total.passed)
    assert data[2][5] == pytest.approx(total.pass_rate)
    with pytest.raises(ValidationError), demo.session() as s:
        statistics.period_statistics(s, admin, dt.date(2026, 12, 1), dt.date(2026, 1, 1))
    audit_ok(demo)


def test_statistics_without_scores(demo: Database) -> None:
    admin = admin_of(demo)
    scoring_batch(demo, admin)
    with demo.session() as s:
        rows = statistics.batch_statistics(s, admin, "2026-04")
    assert rows[0].present == 0 and rows[0].pass_rate is None and rows[0].pass_rate_text == "—"
    fill(demo, admin, "2026-04", {"theory": "59.9", "skill": "absent"})
    with demo.session() as s:
        rows = statistics.batch_statistics(s, admin, "2026-04")
    comp = {r.key: r for r in rows if r.group == "component"}
    assert (comp["theory"].present, comp["theory"].passed) == (60, 0)
    assert (comp["skill"].present, comp["skill"].passed) == (0, 0)
