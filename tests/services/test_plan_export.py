"""The plan filing document: xlsx read back with openpyxl, PDF text read back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.errors import PermissionDenied
from app.models import AuditEntry, Person
from app.services.plan_filing import build_plan_document, export_plan
from tests.services.test_batch_support import World, assert_audit_ok, make_batch, world

__all__ = ["world"]

SHEETS = ["批次概况", "场次安排", "考生名册", "考评人员", "监考人员", "督导人员"]


def _cells(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]


@pytest.fixture
def exported(world: World, tmp_path: Path) -> tuple[World, int, Path, Path]:
    bid = make_batch(world, level=2, review=True)
    with world.db.session() as s:
        r = export_plan(s, world.clerk, bid, tmp_path / "out")
    return world, bid, r.xlsx, r.pdf


def test_xlsx_carries_the_whole_plan(exported) -> None:  # type: ignore[no-untyped-def]
    w, _bid, xlsx, _pdf = exported
    wb = load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == SHEETS
    overview = _cells(wb["批次概况"])
    assert "电工（6-31-01-03）" in overview and "二级/技师" in overview
    assert "理论知识、技能操作、综合评审" in overview and "——" in overview  # no work type
    assert "2026-09-18" in overview  # latest filing date
    schedule = _cells(wb["场次安排"])
    assert {"理论知识", "技能操作", "综合评审", "09:00–10:30", "理论考场301", "实操车间"} <= set(schedule)
    assert "4 个工位" in schedule and "10 座" in schedule
    roster = _cells(wb["考生名册"])
    assert {"张三", "李四", "王五", "2026100001", "居民身份证"} <= set(roster)
    with w.db.session() as s:
        full = s.get(Person, w.p("c1")).id_number
        examiner_id = s.get(Person, w.p("e1")).id_number
    assert full in roster  # the authority needs the full number in the roster
    examiners = _cells(wb["考评人员"])
    assert {"考评甲", "考评乙", "考评丙", "KP5020260001", "电工 二级/技师"} <= set(examiners)
    assert examiner_id not in examiners  # staff numbers stay masked
    assert {"监考甲", "监考乙"} <= set(_cells(wb["监考人员"]))
    assert "督导甲" in _cells(wb["督导人员"])
    wb.close()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_text_carries_the_plan(exported) -> None:  # type: ignore[no-untyped-def]
    _w, _bid, _xlsx, pdf = exported
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(raw.split())  # a table cell may wrap a long name onto two lines
    for needle in ("职业技能等级认定计划报备表", "电工", "二级/技师", "2026-10-09", "理论考场301", "实操车间", "考点：大学城考点",
                   "张三", "李四", "王五", "考评甲", "考评乙", "考评丙", "监考甲", "督导甲", "综合评审"):
        assert needle in text, needle
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89" in info  # A4 portrait


def test_export_is_audited_and_needs_the_export_permission(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w, bid, _xlsx, _pdf = exported
    with w.db.session() as s:
        e = s.scalar(select(AuditEntry).where(AuditEntry.action == "plan.export"))
        assert e.batch_id == bid and e.username == "kaowu" and "full_id_numbers" in e.summary
    with pytest.raises(PermissionDenied), w.db.session() as s:
        export_plan(s, w.scorer, bid, tmp_path / "nope")
    assert not (tmp_path / "nope").exists()
    assert_audit_ok(w.db)


def test_plan_document_masks_ids_unless_asked(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s:
        doc = build_plan_document(s, bid)
        full = s.get(Person, world.p("c1")).id_number
    assert all("*" in c.id_number for c in doc.candidates)
    assert full not in {c.id_number for c in doc.candidates}


def test_a_filing_code_stored_as_typed_is_filed_normalised(world: World) -> None:
    """An older version stored the filing code as typed (full-width digits, 13 characters): the plan
    table and the organisation overview give the code the province knows."""
    from app.services.organisation import get_organisation
    from app.services.organisation_overview import organisation_overview

    bid = make_batch(world)
    with world.db.session() as s:
        get_organisation(s).filing_code = "Ｓ００００５０００００１７"
    with world.db.session() as s:
        assert build_plan_document(s, bid).filing_code == "S000050000017"
        assert organisation_overview(s).filing_code == "S000050000017"
