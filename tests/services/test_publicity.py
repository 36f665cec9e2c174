"""Publicity: minimum periods per profile, the score lock and audited corrections, objections,
and the publicity list as xlsx and PDF (ID numbers masked)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Enrolment, Person
from app.services import publicity, scores
from app.services.batch_workflow import get_batch
from tests.score_data import (
    admin_of,
    audit_ok,
    enrolment_ids,
    fill,
    make_user,
    scoring_batch,
    set_profile,
)


def _computed(db: Database) -> None:
    admin = admin_of(db)
    scoring_batch(db, admin)
    fill(db, admin, "2026-04", {"theory": "72", "skill": "66.5"})
    with db.session() as s:
        scores.compute_results(s, admin, "2026-04")


@pytest.mark.parametrize(
    ("profile", "start", "earliest"),
    [
        ("chongqing", dt.date(2026, 9, 28), dt.date(2026, 10, 9)),  # 5 working days over 国庆
        ("shandong", dt.date(2026, 9, 28), dt.date(2026, 10, 9)),
        ("anhui", dt.date(2026, 9, 28), dt.date(2026, 10, 4)),  # 7 calendar days
        ("chongqing", dt.date(2026, 12, 14), dt.date(2026, 12, 18)),
        ("anhui", dt.date(2026, 12, 14), dt.date(2026, 12, 20)),
    ],
)
def test_publicity_minimum_per_profile(demo: Database, profile: str, start: dt.date, earliest: dt.date) -> None:
    admin = admin_of(demo)
    set_profile(demo, admin, "2026-04", profile)
    with demo.session() as s:
        assert publicity.publicity_min_end(s, get_batch(s, "2026-04"), start) == earliest


@pytest.mark.parametrize(
    ("profile", "earliest"), [("chongqing", dt.date(2026, 12, 18)), ("anhui", dt.date(2026, 12, 20))]
)
def test_start_publicity_refuses_too_short_with_the_earliest_end(
    demo: Database, profile: str, earliest: dt.date
) -> None:
    admin = admin_of(demo)
    set_profile(demo, admin, "2026-04", profile)
    _computed(demo)
    start = dt.date(2026, 12, 14)  # the Monday after the last sitting (12-13)
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        publicity.start_publicity(s, admin, "2026-04", start, earliest - dt.timedelta(days=1))
    assert earliest.isoformat() in exc.value.message and "公示期太短" in exc.value.message
    with pytest.raises(ValidationError) as exc, demo.session() as s:  # not before the assessment ends
        publicity.start_publicity(s, admin, "2026-04", dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert "最后一场考核" in exc.value.message
    with demo.session() as s:
        r = publicity.start_publicity(s, admin, "2026-04", start, earliest)
        b = get_batch(s, "2026-04")
        assert (b.status, b.publicity_start, b.publicity_end) == ("publicity", start, earliest)
        assert r.min_end == earliest and not r.restarted
    audit_ok(demo)


def test_start_publicity_requires_computed_results(demo: Database) -> None:
    admin = admin_of(demo)
    scoring_batch(demo, admin)
    fill(demo, admin, "2026-04", {"theory": "72", "skill": "66.5"})
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        publicity.start_publicity(s, admin, "2026-04", dt.date(2026, 12, 14), dt.date(2026, 12, 31))
    assert "尚未计算" in exc.value.message
    clerk = make_user(demo, admin, "luru", "scorer", "2026-04")
    with pytest.raises(PermissionDenied), demo.session() as s:  # 录分员 may not publicise
        publicity.start_publicity(s, clerk, "2026-04", dt.date(2026, 12, 14), dt.date(2026, 12, 31))


def _failing(db: Database, code: str) -> tuple[int, str, str]:
    """A candidate who fails in exactly one component (a score below 60, every other component
    passed): enrolment id, admission no, that component."""
    with db.session() as s:
        for c in scores.candidate_scores(s, admin_of(db), code):
            low = [k for k, cell in c.cells.items() if cell.mark == "normal" and cell.score is not None and cell.score < 60]
            passed = [k for k, cell in c.cells.items() if cell.mark == "normal" and cell.score is not None and cell.score >= 60]
            if c.result == "fail" and len(low) == 1 and len(low) + len(passed) == len(c.cells):
                return c.enrolment_id, c.admission_no, low[0]
    raise AssertionError("the demo has no candidate failing in exactly one component")


def test_scores_are_locked_from_publicity_and_corrections_are_audited(demo: Database) -> None:
    admin = admin_of(demo)
    clerk = make_user(demo, admin, "luru", "scorer", "2026-03")
    eid, adm, comp = _failing(demo, "2026-03")
    with pytest.raises(PermissionDenied), demo.session() as s:  # a score clerk: refused, audited
        scores.enter_score(s, clerk, eid, comp, "75")
    with demo.session() as s:
        denied = s.scalars(select(AuditEntry).where(AuditEntry.action == "permission.denied")).all()
        assert denied and denied[-1].username == "luru"
    with pytest.raises(ValidationError) as exc, demo.session() as s:  # admin, no reason
        scores.enter_score(s, admin, eid, comp, "75")
    assert "理由" in exc.value.message
    with demo.session() as s:
        done = scores.enter_score(s, admin, eid, comp, "75", reason="复核试卷，漏计一题15分")
        assert done.changed and done.result == "pass" and done.entry_round == 0
        assert done.previous_score is not None and done.previous_score < 60
    with demo.session() as s:
        b = get_batch(s, "2026-03")
        assert b.needs_republicity is True
        assert s.get(Enrolment, eid).result == "pass"
        corr = s.scalars(select(AuditEntry).where(AuditEntry.action == "score.correct")).one()
        assert corr.reason == "复核试卷，漏计一题15分" and corr.username == "admin"
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "result.recompute")).one()
        cell = {c.admission_no: c for c in scores.candidate_scores(s, admin, "2026-03")}[adm].cells[comp]
        assert cell.text == "75.0"
    with pytest.raises(ValidationError), demo.session() as s:  # compute_results is locked too
        scores.compute_results(s, admin, "2026-03")
    # a new publicity clears the flag
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        publicity.start_publicity(s, admin, "2026-03", dt.date(2026, 11, 24), dt.date(2026, 11, 26))
    assert "2026-11-30" in exc.value.message
    with demo.session() as s:
        r = publicity.start_publicity(s, admin, "2026-03", dt.date(2026, 11, 24), dt.date(2026, 11, 30))
        assert r.restarted
        assert get_batch(s, "2026-03").needs_republicity is False
    audit_ok(demo)


def test_objections(demo: Database) -> None:
    admin = admin_of(demo)
    ids = enrolment_ids(demo, "2026-03")
    with demo.session() as s:
        o = publicity.add_objection(s, admin, "2026-03", dt.date(2026, 11, 20), "对理论成绩有异议", ids[3][1])
        assert o.open and o.admission_no == ids[3][1]
    with pytest.raises(ValidationError), demo.session() as s:
        publicity.add_objection(s, admin, "2026-02", dt.date(2026, 11, 20), "x")  # not in publicity
    with demo.session() as s:
        assert [x.id for x in publicity.list_objections(s, "2026-03", open_only=True)] == [o.id]
        h = publicity.handle_objection(s, admin, o.id, "复核试卷，成绩无误，已电话答复", dt.date(2026, 11, 21))
        assert not h.open
        assert publicity.list_objections(s, "2026-03", open_only=True) == []
    audit_ok(demo)


def _full_ids(db: Database, code: str) -> set[str]:
    with db.session() as s:
        bid = get_batch(s, code).id
        return set(s.scalars(select(Person.id_number).join(Enrolment, Enrolment.person_id == Person.id)
                             .where(Enrolment.batch_id == bid)))


def test_publicity_xlsx_and_pdf_show_masked_ids_only(demo: Database, tmp_path: Path) -> None:
    admin = admin_of(demo)
    with demo.session() as s:
        paths = publicity.export_publicity(s, admin, "2026-03", tmp_path / "out")
    xlsx, pdf = paths
    full = _full_ids(demo, "2026-03")
    ws = openpyxl.load_workbook(xlsx).active
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "序号")
    assert rows[header_at] == ("序号", "姓名", "证件号码", "职业/工种", "等级", "结果")
    data = rows[header_at + 1 :]
    assert len(data) == 60 and data[0][0] == 1
    assert all(re.fullmatch(r"\d{6}\*{10}[\dX]{2}", r[2]) for r in data)
    assert {r[5] for r in data} <= {"合格", "不合格"}
    assert all(r[4] == "五级/初级工" and r[3] == "育婴员" for r in data)
    assert not any(n in str(v) for r in rows for v in r for n in full)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    masked = re.findall(r"\d{6}\*{10}[\dX]{2}", text)
    assert len(masked) == 60
    assert not any(n in text for n in full)
    assert "合格" in text and "公示期" in text
    with demo.session() as s:
        e = s.scalars(select(AuditEntry).where(AuditEntry.action == "export.publicity")).one()
        assert e.username == "admin"
    audit_ok(demo)
