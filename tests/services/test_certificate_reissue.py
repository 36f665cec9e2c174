"""换发: a voided certificate is replaced by a new one with a new number, named as its replacement."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli.main import main
from app.errors import NotFoundError, PermissionDenied, ValidationError
from app.models import AuditEntry, Certificate, Enrolment, Person
from app.services.audit import record
from app.services.audit_verify import verify_audit
from app.services.certificate_printing import iter_certificate_data, render_env
from app.services.certificate_register import list_certificates
from app.services.certificates import issue_certificates, reissue_certificate, void_certificate
from app.services.results_filing import certificate_rows
from tests.score_data import DEMO_PW, admin_of, make_user

DAY = dt.date(2026, 11, 20)
LATER = dt.date(2026, 11, 23)


@pytest.fixture
def issued(demo):  # type: ignore[no-untyped-def]
    """The demo with batch 2026-02's certificates issued; (db, admin, the first certificate)."""
    admin = admin_of(demo)
    with demo.session() as s:
        first = issue_certificates(s, admin, "2026-02", DAY).issued[0]
    return demo, admin, first


def _rename(db, admin, person_id: int, name: str) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        person = s.get(Person, person_id)
        person.name = name
        record(s, admin, "person.update", person, summary={"changed": ["name"]}, reason="更正姓名")


def test_a_voided_certificate_is_replaced_with_a_new_number_and_the_corrected_name(issued) -> None:
    db, admin, first = issued
    with db.session() as s:
        old = s.scalar(select(Certificate).where(Certificate.number == first.number))
        person_id = old.person_id
        # Chongqing counts serials per organisation and year, over every level
        highest = max(int(n[-6:]) for n in s.scalars(select(Certificate.number))
                      if n[:15] == first.number[:15])
    with db.session() as s:
        void_certificate(s, admin, first.number, "姓名录错")
    _rename(db, admin, person_id, "王𠇔更正")
    with db.session() as s:
        new = reissue_certificate(s, admin, first.number, "更正姓名后换发", LATER)
    assert new.number != first.number and new.name == "王𠇔更正"
    assert int(new.number[-6:]) == highest + 1  # the next serial, never an old one
    with db.session() as s:
        cert = s.get(Certificate, new.id)
        assert cert.status == "issued" and cert.issue_date == LATER
        assert cert.enrolment_id == first.enrolment_id and len(cert.content_sha256) == 64
        rows = {r.number: r for r in list_certificates(s, admin, "2026-02")}
        assert rows[first.number].replacement_note == f"已换发为 {new.number}"
        assert rows[new.number].replacement_note == f"换发自 {first.number}"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "certificate.reissue")).one()
        assert entry.reason == "更正姓名后换发" and first.number in entry.summary
        assert entry.entity_id == new.id
        assert verify_audit(s).ok
        # The replacement is the one printed and filed; the voided one is neither.
        env = render_env(s, admin, _org(s, cert))
        drawn = {c.number: d.name for c, d in iter_certificate_data(s, "2026-02", env)}
        assert drawn[new.number] == "王𠇔更正" and first.number not in drawn
        filed = [r for r in certificate_rows(s, [cert.batch_id]) if new.number in r]
        assert len(filed) == 1 and "王𠇔更正" in filed[0]
        assert not any(first.number in r for r in certificate_rows(s, [cert.batch_id]))


def _org(s, cert):  # type: ignore[no-untyped-def]
    from app.models import Batch, Organisation

    return s.get(Organisation, s.get(Batch, cert.batch_id).organisation_id)


def test_reissue_refusals_write_nothing(issued) -> None:
    db, admin, first = issued
    with pytest.raises(ValidationError, match="仍然有效"), db.session() as s:
        reissue_certificate(s, admin, first.number, "换发")
    with db.session() as s:
        void_certificate(s, admin, first.number, "信息有误")
    with pytest.raises(ValidationError, match="理由"), db.session() as s:
        reissue_certificate(s, admin, first.number, "   ")
    with pytest.raises(ValidationError, match="早于原证书"), db.session() as s:
        reissue_certificate(s, admin, first.number, "换发", DAY - dt.timedelta(days=1))
    with pytest.raises(NotFoundError, match="找不到"), db.session() as s:
        reissue_certificate(s, admin, "S000050000017263000000", "换发")
    clerk = make_user(db, admin, "clerk1", "clerk")
    with pytest.raises(PermissionDenied), db.session() as s:
        reissue_certificate(s, clerk, first.number, "换发")
    with db.session() as s:  # the result was corrected to a fail after the void
        e = s.get(Enrolment, first.enrolment_id)
        e.result = "fail"
        record(s, admin, "test.setup", e, reason="测试准备")
    with pytest.raises(ValidationError, match="已不是合格"), db.session() as s:
        reissue_certificate(s, admin, first.number, "换发")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Certificate)
                        .where(Certificate.replaces_id.is_not(None))) == 0
        assert verify_audit(s).ok


def test_a_certificate_is_replaced_once_and_a_replacement_can_itself_be_replaced(issued) -> None:
    db, admin, first = issued
    with db.session() as s:
        void_certificate(s, admin, first.number, "信息有误")
    with db.session() as s:
        second = reissue_certificate(s, admin, first.number, "换发", LATER)
    with pytest.raises(ValidationError, match=f"已换发为 {second.number}"), db.session() as s:
        reissue_certificate(s, admin, first.number, "再换发", LATER)
    with db.session() as s:
        void_certificate(s, admin, second.number, "照片有误")
    with db.session() as s:
        third = reissue_certificate(s, admin, second.number, "更换照片后换发", LATER)
    with db.session() as s:
        chain = s.execute(select(Certificate.number, Certificate.status).where(
            Certificate.enrolment_id == first.enrolment_id).order_by(Certificate.id)).all()
    assert chain == [(first.number, "voided"), (second.number, "voided"), (third.number, "issued")]


def test_issue_does_not_replace_voided_certificates_on_its_own(issued) -> None:
    db, admin, first = issued
    with db.session() as s:
        void_certificate(s, admin, first.number, "信息有误")
    with db.session() as s:
        again = issue_certificates(s, admin, "2026-02", LATER)
    assert again.issued == []
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.enrolment_id == first.enrolment_id)) == 1


def test_cli_reissue(issued, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db, admin, first = issued
    d = str(db.data_dir)
    with db.session() as s:
        env = render_env(s, admin, _org(s, s.get(Certificate, first.id)))
        payload = next(data.qr_payload for cert, data in iter_certificate_data(s, "2026-02", env)
                       if cert.number == first.number)
    assert main(["--data-dir", d, "verify-cert", payload]) == 0
    assert capsys.readouterr().out.strip().endswith("有效")
    with db.session() as s:
        void_certificate(s, admin, first.number, "信息有误")
    db.dispose()
    monkeypatch.setenv("SKILLSITE_PASSWORD", DEMO_PW)
    code = main(["--data-dir", d, "certificates", "reissue", first.number, "--reason", "更正后换发",
                 "--date", "2026-11-23", "--user", "admin"])
    out = capsys.readouterr().out
    assert code == 0 and "换发新证" in out and first.number in out
    new_number = out.split("换发新证 ")[1].split("（")[0]
    code = main(["--data-dir", d, "certificates", "list", "2026-02", "--user", "admin"])
    out = capsys.readouterr().out
    assert f"已换发为 {new_number}" in out and f"换发自 {first.number}" in out
    code = main(["--data-dir", d, "certificates", "list", "2026-02", "--json", "--user", "admin"])
    rows = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[new_number]["replaces"] == first.number
    assert rows[first.number]["replaced_by"] == new_number
    # The QR of the voided certificate still carries a good signature; this site's register
    # says it is no longer valid.
    code = main(["--data-dir", d, "verify-cert", payload])
    out = capsys.readouterr().out
    assert code == 1 and "无效" in out and "作废" in out and f"已换发为 {new_number}" in out
    pem = Path(d) / "own-key.pem"
    assert main(["--data-dir", d, "keys", "export-public", str(pem)]) == 0
    capsys.readouterr()
    code = main(["--data-dir", d, "verify-cert", payload, "--public-key", str(pem)])
    assert code == 1 and "作废" in capsys.readouterr().out  # its own key as a file: same answer
    code = main(["--data-dir", d, "certificates", "reissue", first.number, "--reason", "再来",
                 "--user", "admin"])
    err = capsys.readouterr().err
    assert code != 0 and "已换发为" in err


def test_issuing_reports_progress_and_a_cancel_keeps_what_was_issued(demo) -> None:  # type: ignore[no-untyped-def]
    admin = admin_of(demo)
    seen: list[tuple[int, int]] = []

    def stop_after_three(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 3

    with demo.session() as s:
        first = issue_certificates(s, admin, "2026-02", DAY, progress=stop_after_three)
    total = seen[0][1]
    assert first.cancelled and len(first.issued) == 3 and first.remaining == total - 3
    assert seen == [(0, total), (1, total), (2, total), (3, total)]
    assert first.batch_status == "results_filed"  # not everyone has one yet
    seen.clear()
    with demo.session() as s:
        rest = issue_certificates(s, admin, "2026-02", DAY, progress=lambda d, t: seen.append((d, t)) or True)
    assert not rest.cancelled and rest.skipped == 3 and rest.batch_status == "certified"
    assert seen[-1] == (total - 3, total - 3)
    serials = [int(c.number[-6:]) for c in first.issued + rest.issued]
    assert serials == list(range(serials[0], serials[0] + total))  # no gap where it stopped


def test_no_replacement_when_a_later_batch_already_gave_an_equal_certificate(issued) -> None:
    from app.models import Batch

    db, admin, first = issued
    with db.session() as s:
        old = s.get(Certificate, first.id)
        b = s.get(Batch, old.batch_id)
        later = Batch(code="2026-09", name="第9期", organisation_id=b.organisation_id,
                      occupation_id=b.occupation_id, level=b.level, status="certified")
        s.add(later)
        s.flush()
        e = Enrolment(batch_id=later.id, person_id=old.person_id, admission_no="000001", result="pass")
        s.add(e)
        s.flush()
        cert = Certificate(number="S000050000017263999999", enrolment_id=e.id, person_id=old.person_id,
                           batch_id=later.id, level=b.level, issue_date=LATER)
        s.add(cert)
        for obj in (later, e, cert):
            record(s, admin, "test.setup", obj, reason="测试准备")
    with db.session() as s:
        void_certificate(s, admin, first.number, "信息有误")
    with pytest.raises(ValidationError, match="S000050000017263999999"), db.session() as s:
        reissue_certificate(s, admin, first.number, "换发", LATER)


def test_two_pcs_issuing_one_batch_at_once_give_nobody_two_certificates(demo) -> None:  # type: ignore[no-untyped-def]
    """The second waits for the first (batch row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite)
    and then finds everyone issued; serials stay unique and gapless."""
    import threading
    import time

    admin = admin_of(demo)
    first_started = threading.Event()
    results: dict[str, object] = {}

    def slow_start(done: int, _total: int) -> bool:
        if done == 0:
            first_started.set()
            time.sleep(0.5)  # the other PC starts meanwhile
        return True

    def pc(name: str, progress) -> None:  # type: ignore[no-untyped-def]
        try:
            with demo.session() as s:
                results[name] = issue_certificates(s, admin, "2026-02", DAY, progress=progress)
        except Exception as exc:  # reported below
            results[name] = exc

    a = threading.Thread(target=pc, args=("a", slow_start))
    a.start()
    assert first_started.wait(30)
    b = threading.Thread(target=pc, args=("b", None))
    b.start()
    a.join(60)
    b.join(60)
    first, second = results["a"], results["b"]
    assert not isinstance(first, Exception) and not isinstance(second, Exception), results
    assert first.issued and second.issued == [] and second.skipped == len(first.issued)
    with demo.session() as s:
        rows = s.execute(select(Certificate.enrolment_id, Certificate.number).join(Enrolment)
                         .where(Certificate.batch_id == Enrolment.batch_id)).all()
        per_enrolment = [e for e, _ in rows]
        assert len(per_enrolment) == len(set(per_enrolment))
        assert len({n for _, n in rows}) == len(rows)


def test_the_certificate_list_finds_a_holder_by_any_part_of_the_name_or_the_whole_id(issued) -> None:
    from app.services.certificate_register import certificate_count
    from app.services.certificate_register import certificate_rows as page

    db, _admin, first = issued
    with db.session() as s:
        cert = s.scalar(select(Certificate).where(Certificate.number == first.number))
        person = s.get(Person, cert.person_id)
        batch_id, name, number = cert.batch_id, person.name, person.id_number

    def found(term: str) -> set[str]:
        with db.session() as s:
            rows = page(s, batch_id, 0, 500, term)
            assert certificate_count(s, batch_id, term) == len(rows)
            return {r.number for r in rows}

    assert first.number in found(name[1:])  # a later part of the name
    assert first.number in found(number)  # the whole ID number
    assert first.number not in found(number[:10])  # never an ID prefix (the mask would leak)
    assert found(first.number[:12]) >= {first.number}  # the start of the certificate number
    assert found("不存在的人") == set()
    supervisor = make_user(db, _admin, "ducha", "supervisor")  # may not see full ID numbers
    with db.session() as s:
        assert page(s, batch_id, 0, 500, number, supervisor) == []
        assert certificate_count(s, batch_id, number, supervisor) == 0
        assert first.number in {r.number for r in page(s, batch_id, 0, 500, name[1:], supervisor)}
