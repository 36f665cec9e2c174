"""Results filing: conditions, deadlines per profile, and the 附件4 / 附件5 files read back cell by cell."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Batch, Certificate, Enrolment, Person
from app.services import publicity, results_filing, scores
from app.services.audit import record
from app.services.batch_workflow import get_batch
from tests.score_data import admin_of, audit_ok, force, make_user, set_profile

CERT_HEADER = ("姓名", "证件类型", "证件号码", "所在单位", "职业名称", "工种名称", "职业技能等级",
               "证书编号", "发证日期", "评价机构", "发证机构", "考生所在地市")


def _past_publicity(db: Database, start: dt.date, end: dt.date) -> None:
    force(db, admin_of(db), "2026-03", publicity_start=start, publicity_end=end)


def test_file_results_after_publicity(demo: Database) -> None:
    admin = admin_of(demo)
    # the demo's publicity runs 2026-11-18 … 11-27: not over yet
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        results_filing.file_results(s, admin, "2026-03", dt.date(2026, 11, 23))
    assert "公示尚未结束" in exc.value.message
    _past_publicity(demo, dt.date(2026, 11, 9), dt.date(2026, 11, 13))  # 5 working days (Chongqing)
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        results_filing.file_results(s, admin, "2026-03", dt.date.today() + dt.timedelta(days=1))
    assert "晚于今天" in exc.value.message
    # an open objection blocks the filing
    with demo.session() as s:
        o = publicity.add_objection(s, admin, "2026-03", dt.date(2026, 11, 10), "成绩有误")
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        results_filing.file_results(s, admin, "2026-03", dt.date(2026, 11, 16))
    assert "异议未处理" in exc.value.message
    with demo.session() as s:
        publicity.handle_objection(s, admin, o.id, "核实无误", dt.date(2026, 11, 11))
    # so does a pending new publicity
    force(demo, admin, "2026-03", needs_republicity=True)
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        results_filing.file_results(s, admin, "2026-03", dt.date(2026, 11, 16))
    assert "重新公示" in exc.value.message
    force(demo, admin, "2026-03", needs_republicity=False)
    scorer = make_user(demo, admin, "luru", "scorer", "2026-03")
    with pytest.raises(PermissionDenied), demo.session() as s:
        results_filing.file_results(s, scorer, "2026-03", dt.date(2026, 11, 16))
    with demo.session() as s:
        done = results_filing.file_results(s, admin, "2026-03", dt.date(2026, 11, 16))
        assert done.due is None and not done.late  # Chongqing sets no deadline
        b = get_batch(s, "2026-03")
        assert (b.status, b.results_filed_on) == ("results_filed", dt.date(2026, 11, 16))
    audit_ok(demo)


def test_too_short_publicity_cannot_be_filed(demo: Database) -> None:
    admin = admin_of(demo)
    _past_publicity(demo, dt.date(2026, 11, 9), dt.date(2026, 11, 12))  # 4 working days
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        results_filing.file_results(s, admin, "2026-03", dt.date(2026, 11, 16))
    assert "公示期不足" in exc.value.message and "2026-11-13" in exc.value.message


def test_results_due_dates_per_profile(demo: Database) -> None:
    admin = admin_of(demo)
    _past_publicity(demo, dt.date(2026, 10, 12), dt.date(2026, 10, 18))
    with demo.session() as s:
        assert results_filing.results_due(s, "2026-03") is None  # chongqing
    set_profile(demo, admin, "2026-03", "guizhou")  # 10 working days after the assessment (11-08)
    with demo.session() as s:
        assert results_filing.results_due(s, "2026-03").date == dt.date(2026, 11, 20)
    set_profile(demo, admin, "2026-03", "anhui")  # 10 working days after the publicity (10-18)
    with demo.session() as s:
        assert results_filing.results_due(s, "2026-03").date == dt.date(2026, 10, 30)
    # late: an administrator with a reason only
    clerk = make_user(demo, admin, "kaowu", "clerk")
    with pytest.raises(PermissionDenied), demo.session() as s:
        results_filing.file_results(s, clerk, "2026-03", dt.date(2026, 11, 2))
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        results_filing.file_results(s, admin, "2026-03", dt.date(2026, 11, 2))
    assert "2026-10-30" in exc.value.message
    with demo.session() as s:
        done = results_filing.file_results(s, admin, "2026-03", dt.date(2026, 11, 2), reason="鉴定中心系统维护")
        assert done.late and done.due == dt.date(2026, 10, 30)
    audit_ok(demo)


def _rows(path: Path) -> list[tuple]:
    return list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))


def test_summary_table_read_back(demo: Database, tmp_path: Path) -> None:
    admin = admin_of(demo)
    with demo.session() as s:
        bid = get_batch(s, "2026-01").id
        passed = s.query(Enrolment).filter_by(batch_id=bid, result="pass").count()
        enrolled = s.query(Enrolment).filter_by(batch_id=bid).count()
        paths = results_filing.export_results(s, admin, "2026-01", tmp_path, filled_on=dt.date(2026, 7, 8))
    summary, info = paths
    ws = openpyxl.load_workbook(summary).active
    assert ws["A1"].value == "职业技能等级认定结果汇总表"
    assert ws["A2"].value == "填报单位（章）：重庆巴渝职业技能培训学校"
    assert ws["E2"].value == "填报日期：2026年7月8日"
    assert (ws["A3"].value, ws["B3"].value, ws["E3"].value, ws["F3"].value) == (
        "认定时间", "2026-06-13至2026-06-14", "备案人数", enrolled)
    assert (ws["A4"].value, ws["B4"].value, ws["C4"].value, ws["E4"].value, ws["F4"].value) == (
        "考生来源", "社会考生、企业职工", "认定人数", "合格人数", passed)
    assert ws["D4"].value <= enrolled
    assert (ws["A5"].value, ws["B5"].value) == ("认定工种", "等级及合格人数")
    assert [ws.cell(6, c).value for c in range(1, 8)] == ["/", "初级", "中级", "高级", "技师", "高级技师", "小计"]
    # 2026-01 is 电工 level 4 (中级): all passes in column C
    assert [ws.cell(7, c).value for c in range(1, 8)] == ["电工", 0, passed, 0, 0, 0, passed]
    assert [ws.cell(8, c).value for c in range(1, 8)] == ["合计", 0, passed, 0, 0, 0, passed]
    assert ws["A9"].value.startswith("受理备案的人社部门所属职业技能鉴定")
    assert "负责人" in ws["B9"].value and "年" in ws["B9"].value
    assert ws["A13"].value == "受理备案的人力资源社会保障行政部门意见"
    assert "负责人" in ws["B13"].value
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:G1", "B5:G5", "A9:A12", "B9:G12", "A13:A16", "B13:G16"} <= merged
    assert ws["A7"].border.left.style == "thin"
    # 附件5
    rows = _rows(info)
    assert rows[0] == CERT_HEADER and len(rows[0]) == 12
    assert len(rows) == 1 + passed
    with demo.session() as s:
        certs = {c.number: c for c in s.scalars(select(Certificate).where(Certificate.batch_id == bid))}
        people = {p.id: p for p in s.scalars(select(Person))}
    for r in rows[1:]:
        assert len(r) == 12
        assert r[1] == "201"
        assert r[7] in certs
        cert = certs[r[7]]
        assert r[8] == cert.issue_date.isoformat() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[8])
        assert r[2] == people[cert.person_id].id_number  # the full number, for the authority
        assert (r[4], r[5], r[6]) == ("电工", None, "四级/中级工")
        assert r[9] == r[10] == "重庆巴渝职业技能培训学校"
    cells = openpyxl.load_workbook(info).active
    assert all(cells.cell(i, 9).data_type == "s" for i in range(2, len(rows) + 1))
    assert cells["C2"].data_type == "s" and cells["B2"].data_type == "s"
    with demo.session() as s:
        e = s.scalars(select(AuditEntry).where(AuditEntry.action == "export.results")).one()
        assert e.username == "admin" and '"certificate_rows":' + str(passed) in e.summary
    audit_ok(demo)


def test_certificate_table_without_certificates_and_multi_batch_summary(demo: Database, tmp_path: Path) -> None:
    admin = admin_of(demo)
    with demo.session() as s:
        results_filing.export_results(s, admin, "2026-02", tmp_path)
    rows = _rows(tmp_path / "2026-02_合格人员证书信息表.xlsx")
    assert rows[0] == CERT_HEADER and len(rows) > 1
    assert all(r[7] is None and r[8] is None for r in rows[1:])  # no certificates yet
    assert all(r[6] == "三级/高级工" for r in rows[1:])
    with demo.session() as s:
        table = results_filing.summary_table(s, admin, ["2026-01", "2026-02", "2026-03"])
        p1 = s.query(Enrolment).filter_by(batch_id=get_batch(s, "2026-01").id, result="pass").count()
        p2 = s.query(Enrolment).filter_by(batch_id=get_batch(s, "2026-02").id, result="pass").count()
        p3 = s.query(Enrolment).filter_by(batch_id=get_batch(s, "2026-03").id, result="pass").count()
    from app.reports.results import write_summary_table

    path = write_summary_table(tmp_path / "multi.xlsx", table)
    ws = openpyxl.load_workbook(path).active
    lines = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 8)] for r in range(7, 11)}
    assert lines["电工"] == [0, p1, 0, 0, 0, p1]
    assert lines["中式烹调师"] == [0, 0, p2, 0, 0, p2]
    assert lines["育婴员"] == [p3, 0, 0, 0, 0, p3]
    assert lines["合计"] == [p3, p1, p2, 0, 0, p1 + p2 + p3]
    with pytest.raises(ValidationError), demo.session() as s:  # no results yet
        results_filing.summary_table(s, admin, ["2026-04"])


def test_user_text_never_becomes_a_formula(demo: Database, tmp_path: Path) -> None:
    admin = admin_of(demo)
    force(demo, admin, "2026-01", candidate_source="=HYPERLINK(\"http://x\",\"点我\")")
    with demo.session() as s:
        e = s.scalars(select(Enrolment).where(Enrolment.batch_id == get_batch(s, "2026-01").id,
                                              Enrolment.result == "pass")).first()
        e.employer, e.city = "=1+1", "@SUM(A1)"
        record(s, admin, "test.setup", e, reason="测试准备")
        admission = e.admission_no
        results_filing.export_results(s, admin, "2026-01", tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "2026-01_结果汇总表.xlsx").active
    assert ws["B4"].value.startswith("=HYPERLINK") and ws["B4"].data_type == "s"
    info = openpyxl.load_workbook(tmp_path / "2026-01_合格人员证书信息表.xlsx").active
    hits = [r for r in info.iter_rows() if r[3].value == "=1+1"]
    assert len(hits) == 1 and hits[0][3].data_type == "s"
    assert hits[0][11].value == "@SUM(A1)" and hits[0][11].data_type == "s"
    assert admission
    audit_ok(demo)


def test_scores_module_results_helpers_agree_with_demo(demo: Database) -> None:
    with demo.session() as s:
        for code in ("2026-01", "2026-02", "2026-03"):
            b = s.scalar(select(Batch).where(Batch.code == code))
            assert scores.results_up_to_date(s, b) == []
            assert scores.result_problems(s, b) == []
