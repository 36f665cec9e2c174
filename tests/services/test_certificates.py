"""Issuing, voiding, listing and print-logging certificates on the demo data; the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.cli.main import main
from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Batch, Certificate, CertificatePrint, Enrolment, Person
from app.services.audit_verify import verify_audit
from app.services.certificate_printing import (
    check_content,
    iter_certificate_data,
    record_print,
    render_env,
)
from app.services.certificate_register import list_certificates
from app.services.certificates import issue_certificates, void_certificate
from app.services.users import authenticate, create_user
from tests.printing.certfactory import decode_qr, have_tools, pdftotext
from tests.score_data import DEMO_PW, admin_of, demo_db

DAY = dt.date(2026, 11, 20)


@pytest.fixture
def demo(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A private copy of the demo data (tests/score_data.demo_db) and its administrator."""
    database = demo_db(tmp_path)
    yield database, admin_of(database)
    database.dispose()


def _passed(s, code: str) -> int:
    return s.scalar(select(func.count()).select_from(Enrolment).join(Batch)
                    .where(Batch.code == code, Enrolment.result == "pass"))


def test_issue_numbers_the_passed_candidates_and_certifies_the_batch(demo) -> None:
    db, admin = demo
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(Certificate))
        passed = _passed(s, "2026-02")
        result = issue_certificates(s, admin, "2026-02", DAY)
    assert len(result.issued) == passed and result.remaining == 0 and not result.blocked
    assert result.batch_status == "certified"
    # Chongqing counts serials per organisation: 2026-01's certificates came first
    serials = [int(c.number[-6:]) for c in result.issued]
    assert serials == list(range(before + 1, before + passed + 1))
    assert all(c.number.startswith("S000050000017263") for c in result.issued)
    with db.session() as s:
        assert s.scalar(select(Batch.status).where(Batch.code == "2026-02")) == "certified"
        rows = list_certificates(s, admin, "2026-02")
        assert len(rows) == passed and all(len(r.content_sha256) == 64 for r in rows)
        assert all("*" in r.id_number for r in rows)
        n_audit = s.scalar(select(func.count()).select_from(AuditEntry)
                           .where(AuditEntry.action == "certificate.issue"))
        assert n_audit == before + passed
        assert verify_audit(s).ok
        again = issue_certificates(s, admin, "2026-02", DAY)
    assert again.issued == [] and again.skipped == passed


def test_issue_is_refused_before_results_filing_and_without_permission(demo) -> None:
    db, admin = demo
    with pytest.raises(ValidationError, match="结果报备"), db.session() as s:
        issue_certificates(s, admin, "2026-03", DAY)
    with db.session() as s:
        create_user(s, admin, "clerk1", "clerk", "Clerk#2026x")
    with db.session() as s:
        clerk = authenticate(s, "clerk1", "Clerk#2026x")
    with pytest.raises(PermissionDenied), db.session() as s:
        issue_certificates(s, clerk, "2026-02", DAY)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "permission.denied")) >= 1


def test_a_name_no_font_can_draw_blocks_only_that_certificate(demo) -> None:
    db, admin = demo
    with db.session() as s:
        e = s.scalars(select(Enrolment).join(Batch).where(
            Batch.code == "2026-02", Enrolment.result == "pass").order_by(Enrolment.admission_no)).first()
        p = s.get(Person, e.person_id)
        p.name = "张\U0010fffd"  # unassigned, private-use plane: no font has it
        result = issue_certificates(s, admin, "2026-02", DAY)
    assert result.remaining == 1 and len(result.blocked) == 1
    assert "张\U0010fffd" in result.blocked[0] and "U+10FFFD" in result.blocked[0]
    assert result.batch_status == "results_filed"  # not every passed candidate has one yet


def test_limit_continues_where_it_stopped(demo) -> None:
    db, admin = demo
    with db.session() as s:
        first = issue_certificates(s, admin, "2026-02", DAY, limit=5)
    assert len(first.issued) == 5 and first.batch_status == "results_filed"
    with db.session() as s:
        rest = issue_certificates(s, admin, "2026-02", DAY)
    assert rest.skipped == 5 and rest.batch_status == "certified"
    serials = [int(c.number[-6:]) for c in first.issued + rest.issued]
    assert serials == list(range(serials[0], serials[0] + len(serials)))


def test_void_keeps_the_number_and_it_is_never_reused(demo) -> None:
    db, admin = demo
    with db.session() as s:
        number = issue_certificates(s, admin, "2026-02", DAY, limit=1).issued[0].number
    with pytest.raises(ValidationError, match="理由"), db.session() as s:
        void_certificate(s, admin, number, "  ")
    with db.session() as s:
        row = void_certificate(s, admin, number, "姓名录入错误")
    assert row.status == "voided" and row.number == number
    with pytest.raises(ValidationError, match="已于此前作废"), db.session() as s:
        void_certificate(s, admin, number, "again")
    with db.session() as s:
        rest = issue_certificates(s, admin, "2026-02", DAY)
        rows = list_certificates(s, admin, "2026-02")
        assert number not in {c.number for c in rest.issued}
        assert [r.status for r in rows if r.number == number] == ["voided"]
        numbers = [r.number for r in rows]
        assert len(numbers) == len(set(numbers))
        assert verify_audit(s).ok


def test_print_log_and_reprint_reason(demo) -> None:
    db, admin = demo
    with db.session() as s:
        ids = [c.id for c in issue_certificates(s, admin, "2026-02", DAY).issued[:3]]
    with db.session() as s:
        rows = record_print(s, admin, ids, "HP LaserJet", 1, "full")
        assert len(rows) == 3
    with pytest.raises(ValidationError, match="补打须填写理由"), db.session() as s:
        record_print(s, admin, ids[:1], "HP LaserJet", 1, "full")
    with db.session() as s:
        record_print(s, admin, ids[:1], "HP LaserJet", 2, "overlay", reason="卡纸重打")
    with db.session() as s:
        n = s.scalar(select(func.count()).select_from(CertificatePrint))
        assert n == 4
        actions = s.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("certificate.%print"))).all()
        assert actions.count("certificate.reprint") == 1 and actions.count("certificate.print") == 3
        assert list_certificates(s, admin, "2026-02")[0].prints >= 1
        number = s.get(Certificate, ids[1]).number
        void_certificate(s, admin, number, "作废测试")
    with pytest.raises(ValidationError, match="已作废"), db.session() as s:
        record_print(s, admin, [ids[1]], "HP", 1, "full", reason="x")
    with db.session() as s:
        assert verify_audit(s).ok


def test_stored_hash_reproduces_and_detects_changed_data(demo) -> None:
    db, admin = demo
    with db.session() as s:
        issue_certificates(s, admin, "2026-02", DAY)
    with db.session() as s:
        batch = s.scalar(select(Batch).where(Batch.code == "2026-02"))
        from app.models import Organisation

        env = render_env(s, admin, s.get(Organisation, batch.organisation_id))
        checks = [check_content(c, d, env) for c, d in iter_certificate_data(s, "2026-02", env)]
        assert checks and all(c.ok for c in checks)
        first = s.scalar(select(Certificate).where(Certificate.batch_id == batch.id)
                         .order_by(Certificate.number))
        s.execute(text("UPDATE person SET name = '某某' WHERE id = :i"), {"i": first.person_id})
        cert, data = next(iter_certificate_data(s, "2026-02", env))
        bad = check_content(cert, data, env)
        assert not bad.ok and "不一致" in bad.message


# --- CLI -------------------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.skipif(not have_tools("pdftotext", "pdftoppm", "zbarimg"), reason="poppler/zbar missing")
def test_cli_issue_list_render_verify_void_export(demo, capsys, monkeypatch, tmp_path) -> None:
    db, _ = demo
    d = str(db.data_dir)
    db.dispose()
    monkeypatch.setenv("SKILLSITE_PASSWORD", DEMO_PW)
    code, out, _ = run(capsys, "--data-dir", d, "certificates", "issue", "2026-02",
                       "--date", "2026-11-20", "--user", "admin")
    assert code == 0 and "本次发放" in out
    code, out, _ = run(capsys, "--data-dir", d, "certificates", "list", "2026-02", "--json", "--user", "admin")
    rows = json.loads(out)
    assert code == 0 and rows and {"number", "name", "status"} <= set(rows[0])
    pdf, per = tmp_path / "b.pdf", tmp_path / "pp"
    code, out, err = run(capsys, "--data-dir", d, "certificates", "render", "2026-02",
                         "--out", str(pdf), "--per-person", str(per), "--user", "admin")
    assert code == 0, err
    assert len(list(per.glob("*.pdf"))) == len(rows)
    assert rows[0]["name"] in "".join(pdftotext(pdf).split())
    payload = decode_qr(pdf, tmp_path)
    assert payload.startswith(f"SKC1|{rows[0]['number']}|{rows[0]['name']}|")
    code, out, _ = run(capsys, "--data-dir", d, "verify-cert", payload)
    assert code == 0 and out.strip().endswith("有效") and rows[0]["name"] in out
    code, out, _ = run(capsys, "--data-dir", d, "verify-cert", payload.replace("|3|", "|2|"))
    assert code == 1 and "无效" in out
    pem = tmp_path / "pub.pem"
    code, out, _ = run(capsys, "--data-dir", d, "keys", "export-public", str(pem))
    assert code == 0 and "指纹" in out and pem.exists()
    code, out, _ = run(capsys, "verify-cert", payload, "--public-key", str(pem))
    assert code == 0
    code, out, _ = run(capsys, "--data-dir", d, "certificates", "void", rows[0]["number"],
                       "--reason", "测试作废", "--user", "admin")
    assert code == 0 and "已作废" in out
    with pytest.raises(SystemExit) as usage:  # --reason is required
        main(["--data-dir", d, "certificates", "void", rows[0]["number"], "--user", "admin"])
    assert usage.value.code == 2
    code, out, _ = run(capsys, "--data-dir", d, "certificates", "render", "2026-02", "--overlay",
                       "--dx", "1.5", "--out", str(tmp_path / "o.pdf"), "--user", "admin")
    assert code == 0
    code, out, _ = run(capsys, "--data-dir", d, "certificates", "calibrate", "--printer", "HP",
                       "--dx", "0.3", "--dy", "-0.2", "--out", str(tmp_path / "cal.pdf"),
                       "--user", "admin")
    assert code == 0 and "+0.3 mm" in out
    code, out, _ = run(capsys, "--data-dir", d, "audit", "verify")
    assert code == 0, out
