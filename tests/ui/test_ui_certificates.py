"""证书 page: issue, void, preview, electronic export, printer offset, public key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from sqlalchemy import func, select

from app.models import AuditEntry, Batch, Certificate, Enrolment, Person, Setting
from app.services.audit_verify import verify_audit
from app.services.certificate_printing import printer_offset
from app.services.signing import fingerprint, load_public_key_pem
from tests.ui import test_ui_cert_fixtures as fx
from tests.ui.test_ui_cert_fixtures import batch_id, issue_day

# fixtures shared with the other certificate GUI tests
demo, page = fx.demo, fx.page


def _pdf_pages(path: Path) -> int:
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    return doc.pageCount()


def test_default_batch_lists_certificates(page) -> None:  # type: ignore[no-untyped-def]
    assert page.batch_id() is not None
    assert page.batch_combo.currentText().startswith("2026-02")  # newest batch past 结果报备
    page.select_batch(batch_id(page._db, "2026-01"))
    assert page.model.total == 45
    assert page.model.columnCount() == 8
    assert page.model.row(0).number.startswith(page.model.row(0).number[:13])


def test_issue_for_results_filed_batch(page, messages) -> None:  # type: ignore[no-untyped-def]
    db = page._db
    bid = batch_id(db, "2026-02")
    page.select_batch(bid)
    assert page.model.total == 0
    result = page.issue(issue_day(db, "2026-02"))
    assert result is not None and result.issued and not result.blocked
    with db.session() as s:
        passed = s.scalar(select(func.count()).select_from(Enrolment)
                          .where(Enrolment.batch_id == bid, Enrolment.result == "pass"))
        certs = s.scalar(select(func.count()).select_from(Certificate)
                         .where(Certificate.batch_id == bid))
        assert certs == passed == len(result.issued)
        assert s.get(Batch, bid).status == "certified"
        assert all(c.content_sha256 for c in s.scalars(
            select(Certificate).where(Certificate.batch_id == bid)))
        assert verify_audit(s).ok
    assert page.model.total == passed
    assert messages and "本次发放" in messages[-1][1]
    assert "已发证" in page.batch_combo.currentText()


def test_issue_blocked_rare_character_names_the_person(page, messages) -> None:  # type: ignore[no-untyped-def]
    db = page._db
    bid = batch_id(db, "2026-02")
    with db.session() as s:
        e = s.scalars(select(Enrolment).where(Enrolment.batch_id == bid, Enrolment.result == "pass")
                      .order_by(Enrolment.admission_no)).first()
        s.get(Person, e.person_id).name = "张\U0010fffd"
    page.select_batch(bid)
    result = page.issue(issue_day(db, "2026-02"))
    assert result is not None and result.remaining == 1
    kind, text = messages[-1]
    assert kind == "box" and "张\U0010fffd" in text and "U+10FFFD" in text


def test_issue_refused_for_a_batch_before_results_filing(page, messages) -> None:  # type: ignore[no-untyped-def]
    with page._db.session() as s:
        draft = s.scalars(select(Batch.id).where(Batch.status != "certified",
                                                 Batch.status != "results_filed")).first()
    page.select_batch(draft)
    assert page.issue() is None
    assert messages[-1][0] == "warning" and "结果报备" in messages[-1][1]


def test_void_requires_reason(page, messages) -> None:  # type: ignore[no-untyped-def]
    db = page._db
    page.select_batch(batch_id(db, "2026-01"))
    number = page.model.row(0).number
    assert not page.void(number, "  ")
    assert messages[-1][0] == "warning" and "理由" in messages[-1][1]
    with db.session() as s:
        assert s.scalars(select(Certificate.status).where(Certificate.number == number)).one() == "issued"
    assert page.void(number, "信息录入错误，重新发证")
    with db.session() as s:
        cert = s.scalars(select(Certificate).where(Certificate.number == number)).one()
        assert cert.status == "voided" and cert.void_reason == "信息录入错误，重新发证"
        assert verify_audit(s).ok
    assert page.model.row(0).status_name == "已作废"


def test_preview_renders_whole_batch_and_selection(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.ui.pages.certificate_dialogs import PdfPreviewDialog

    page.select_batch(batch_id(page._db, "2026-01"))
    rendered = page.render(tmp_path / "all.pdf", None, "full")
    assert rendered.pages == 45 and _pdf_pages(tmp_path / "all.pdf") == 45
    page.table.selectRow(1)
    numbers = page.selected_numbers()
    assert numbers == [page.model.row(1).number]
    rendered = page.render(tmp_path / "one.pdf", numbers, "overlay")
    assert rendered.numbers == numbers and _pdf_pages(tmp_path / "one.pdf") == 1
    dialog = PdfPreviewDialog(tmp_path / "one.pdf", "预览", page)
    assert dialog.page_count() == 1
    dialog.zoom(1.25)
    dialog.close()


def test_export_electronic_and_public_key(page, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.select_batch(batch_id(page._db, "2026-01"))
    page.table.selectRow(0)
    page.table.selectRow(0)
    paths = page.export_electronic(tmp_path / "ecert", seal=None)
    assert [p.name for p in paths] == [page.model.row(0).number + ".pdf"]
    assert _pdf_pages(paths[0]) == 1
    fp = page.export_key(tmp_path / "pub.pem")
    assert fp and fp == fingerprint(load_public_key_pem((tmp_path / "pub.pem").read_bytes()))
    assert fp in messages[-1][1]


def test_export_public_key_before_any_key_is_explained(page, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert page.export_key(tmp_path / "pub.pem") is None
    assert messages[-1][0] == "warning" and "尚未创建" in messages[-1][1]


def test_printer_offset_dialog_saves_and_renders_calibration(page, messages) -> None:  # type: ignore[no-untyped-def]
    from app.ui.pages.certificate_dialogs import PrinterOffsetDialog

    dialog = PrinterOffsetDialog(page._db, page.actor, page)
    dialog.printer.setCurrentText("证书打印机A")
    dialog.dx.setValue(1.5)
    dialog.dy.setValue(-0.3)
    assert dialog.save()
    with page._db.session() as s:
        off = printer_offset(s, "证书打印机A")
        assert (off.dx_tenths, off.dy_tenths) == (15, -3)
        assert s.get(Setting, "printer_offset:证书打印机A") is not None
        assert verify_audit(s).ok
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "setting.set")) >= 1
    assert _pdf_pages(dialog.calibration_pdf()) == 1
    dialog.dx.setValue(0)
    dialog.load()  # reloading the printer's saved value
    assert dialog.dx.value() == 1.5
    dialog.dx.setValue(25)  # clamped by the spin box to the service's ±20 mm
    assert dialog.offset().dx_tenths == 200


def test_buttons_issue_and_void_through_their_dialogs(page, messages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog, QInputDialog

    from app.ui.pages import certificate_dialogs

    db = page._db
    bid = batch_id(db, "2026-02")
    day = issue_day(db, "2026-02")
    page.select_batch(bid)
    monkeypatch.setattr(certificate_dialogs.IssueDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(certificate_dialogs.IssueDialog, "issue_date", lambda self: day)
    page.buttons["issue"].click()
    with db.session() as s:
        assert s.get(Batch, bid).status == "certified"
    number = page.model.row(0).number
    page.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", True)))
    page.buttons["void"].click()
    assert messages[-1][0] == "warning" and "理由" in messages[-1][1]
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("姓名有误", True)))
    page.buttons["void"].click()
    with db.session() as s:
        assert s.scalars(select(Certificate.status).where(Certificate.number == number)).one() == "voided"
        assert verify_audit(s).ok


def test_reissue_a_voided_certificate_through_its_dialog(page, messages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog, QInputDialog

    from app.ui.pages import certificate_dialogs

    db = page._db
    page.select_batch(batch_id(db, "2026-01"))
    number = page.model.row(0).number
    page.table.selectRow(0)
    page.buttons["reissue"].click()  # still valid: refused with what to do instead
    assert "仍然有效" in messages[-1][1] and "补打" in messages[-1][1]
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("姓名有误", True)))
    page.buttons["void"].click()
    seen = {}

    def accept(dialog) -> QDialog.DialogCode:  # type: ignore[no-untyped-def]
        seen["ok_before"] = dialog.ok.isEnabled()
        dialog.reason.setText("更正姓名后换发")
        seen["ok_after"] = dialog.ok.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(certificate_dialogs.ReissueDialog, "exec", accept)
    page.table.selectRow(0)
    assert page.model.row(0).number == number and page.model.row(0).status == "voided"
    page.buttons["reissue"].click()
    assert seen == {"ok_before": False, "ok_after": True}  # no reason, no 换发
    assert "换发新证" in messages[-1][1]
    with db.session() as s:
        old = s.scalar(select(Certificate).where(Certificate.number == number))
        new = s.scalar(select(Certificate).where(Certificate.replaces_id == old.id))
        assert new is not None and new.status == "issued" and new.enrolment_id == old.enrolment_id
        reason = s.scalar(select(AuditEntry.reason).where(AuditEntry.action == "certificate.reissue"))
        assert reason == "更正姓名后换发"
        assert verify_audit(s).ok
    notes = {page.model.row(i).number: page.model.row(i).replacement_note
             for i in range(page.model.rowCount())}
    assert notes[number] == f"已换发为 {new.number}" and notes[new.number] == f"换发自 {number}"
    page.table.selectRow(0)
    page.buttons["reissue"].click()  # replaced once only: the service's reason is shown
    assert messages[-1][0] == "warning" and "已换发为" in messages[-1][1]


def test_electronic_export_with_a_seal_through_the_dialog(page, messages, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtWidgets import QDialog

    from app.ui.pages import certificate_dialogs

    seal = QImage(200, 200, QImage.Format.Format_ARGB32)
    seal.fill(Qt.GlobalColor.transparent)
    seal.setPixelColor(100, 100, QColor("red"))
    assert seal.save(str(tmp_path / "seal.png"))
    page.select_batch(batch_id(page._db, "2026-01"))
    page.table.selectRow(0)

    def accept(dialog) -> QDialog.DialogCode:  # type: ignore[no-untyped-def]
        dialog.folder.setText(str(tmp_path / "sealed"))
        dialog.seal.setText(str(tmp_path / "seal.png"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(certificate_dialogs.ElectronicExportDialog, "exec", accept)
    page.buttons["electronic"].click()
    sealed = tmp_path / "sealed" / (page.model.row(0).number + ".pdf")
    plain = page.export_electronic(tmp_path / "plain")[0]
    assert sealed.is_file() and _pdf_pages(sealed) == 1
    assert sealed.stat().st_size > plain.stat().st_size  # the seal image is in it
    assert "已生成 1 份电子证书" in messages[-1][1]


def test_issuing_can_be_cancelled_and_continued(page, messages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.ui.pages import certificates as page_module
    from app.ui.progress import ProgressTask

    class CancelAfterTwo(ProgressTask):
        def __call__(self, done: int, total: int) -> bool:
            return super().__call__(done, total) and done < 2

    db = page._db
    bid = batch_id(db, "2026-02")
    page.select_batch(bid)
    monkeypatch.setattr(page_module, "ProgressTask", CancelAfterTwo)
    result = page.issue(issue_day(db, "2026-02"))
    assert result is not None and result.cancelled and len(result.issued) == 2
    assert messages[-1][1].startswith("已取消") and "可继续" in messages[-1][1]
    assert page.model.total == 2
    monkeypatch.setattr(page_module, "ProgressTask", ProgressTask)
    result = page.issue(issue_day(db, "2026-02"))
    assert result is not None and not result.cancelled and result.skipped == 2
    with db.session() as s:
        assert s.get(Batch, bid).status == "certified"
