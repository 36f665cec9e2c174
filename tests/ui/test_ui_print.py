"""Printing certificates through Qt: a QPrinter writing a PDF file stands in for the printer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import func, select

from app.models import AuditEntry, CertificatePrint
from app.services.audit_verify import verify_audit
from app.ui import print_bridge
from tests.ui import test_ui_cert_fixtures as fx
from tests.ui.test_ui_cert_fixtures import batch_id

# fixtures shared with the other certificate GUI tests
demo, page = fx.demo, fx.page


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _pages(path: Path) -> int:
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    return doc.pageCount()


def _prints(page) -> list[CertificatePrint]:  # type: ignore[no-untyped-def]
    with page._db.session() as s:
        rows = list(s.scalars(select(CertificatePrint).order_by(CertificatePrint.id)))
        s.expunge_all()
        return rows


def test_print_selection_to_a_pdf_printer_logs_the_print(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.select_batch(batch_id(page._db, "2026-01"))
    numbers = [page.model.row(0).number, page.model.row(1).number]
    out = tmp_path / "printed.pdf"
    outcome = page.print_to(_pdf_printer(out), numbers, "full")
    assert outcome is not None and outcome.pages == outcome.total == 2 and not outcome.cancelled
    assert out.stat().st_size > 10_000 and _pages(out) == 2
    doc = QPdfDocument()
    doc.load(str(out))
    size = doc.pagePointSize(0)  # printed at the certificate's own paper size, not scaled
    src = tmp_path / "src.pdf"
    page.render(src, numbers[:1])
    ref = QPdfDocument()
    ref.load(str(src))
    assert abs(size.width() - ref.pagePointSize(0).width()) < 2
    assert abs(size.height() - ref.pagePointSize(0).height()) < 2
    rows = _prints(page)
    assert len(rows) == 2 and {r.printer for r in rows} == {"PDF：printed.pdf"}
    assert {r.kind for r in rows} == {"full"} and {r.copies for r in rows} == {1}
    assert all(r.user_id == page.actor.user_id and r.reason == "" for r in rows)
    assert page.model.row(0).prints == 1 and page.model.row(2).prints == 0
    with page._db.session() as s:
        assert verify_audit(s).ok


def test_reprint_without_reason_is_refused(page, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.select_batch(batch_id(page._db, "2026-01"))
    number = page.model.row(0).number
    assert page.print_to(_pdf_printer(tmp_path / "first.pdf"), [number], "overlay") is not None
    assert len(_prints(page)) == 1

    again = tmp_path / "again.pdf"
    assert page.print_to(_pdf_printer(again), [number], "full", reason="  ") is None
    assert messages[-1][0] == "warning" and "补打须填写理由" in messages[-1][1]
    assert not again.exists() and len(_prints(page)) == 1

    # asked for a reason and the user cancels: nothing printed either
    page.ask_reprint_reason = lambda numbers: None
    assert page.print_to(_pdf_printer(again), [number], "full") is None
    assert not again.exists() and len(_prints(page)) == 1

    page.ask_reprint_reason = lambda numbers: "原证书污损"
    assert page.print_to(_pdf_printer(again), [number], "full") is not None
    rows = _prints(page)
    assert len(rows) == 2 and rows[-1].reason == "原证书污损" and rows[0].kind == "overlay"
    with page._db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "certificate.reprint")) == 1
        assert verify_audit(s).ok


def test_voided_certificates_are_not_printed(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.select_batch(batch_id(page._db, "2026-01"))
    voided = page.model.row(0).number
    assert page.void(voided, "遗失作废")
    out = tmp_path / "batch.pdf"
    rendered = page.render(out, None)
    assert rendered.pages == 44 and voided not in rendered.numbers


def test_cancel_stops_after_the_pages_sent(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.select_batch(batch_id(page._db, "2026-01"))
    src = tmp_path / "five.pdf"
    numbers = [page.model.row(i).number for i in range(5)]
    page.render(src, numbers)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 2

    out = tmp_path / "cancelled.pdf"
    outcome = print_bridge.print_pdf(src, _pdf_printer(out), progress)
    assert outcome.cancelled and outcome.pages == 2 and outcome.total == 5
    assert calls == [(0, 5), (1, 5), (2, 5)]
    assert _pages(out) == 2


def test_calibration_page_prints(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "cal.pdf"
    print_bridge.render_calibration_pdf(page._db, "", src)
    out = tmp_path / "cal-printed.pdf"
    outcome = print_bridge.print_pdf(src, _pdf_printer(out))
    assert outcome.pages == 1 and _pages(out) == 1


def test_print_button_goes_through_the_print_dialog(page, messages, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from app.ui.pages import certificates

    out = tmp_path / "dialog.pdf"

    class FakePrintDialog:  # the system dialog: the user picks a (PDF) printer and presses 打印
        def __init__(self, printer: QPrinter, parent=None) -> None:  # type: ignore[no-untyped-def]
            self.printer = printer

        def setWindowTitle(self, title: str) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(str(out))
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(certificates, "QPrintDialog", FakePrintDialog)
    page.select_batch(batch_id(page._db, "2026-01"))
    page.mode_combo.setCurrentIndex(page.mode_combo.findData("overlay"))
    page.table.selectRow(3)
    page.buttons["print"].click()
    assert _pages(out) == 1
    rows = _prints(page)
    assert len(rows) == 1 and rows[0].kind == "overlay" and rows[0].printer == "PDF：dialog.pdf"


def test_copies_without_driver_support_repeat_each_page(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.select_batch(batch_id(page._db, "2026-01"))
    numbers = [page.model.row(0).number, page.model.row(1).number]
    out = tmp_path / "copies.pdf"
    printer = _pdf_printer(out)
    printer.setCopyCount(2)  # the PDF "printer" makes no copies itself
    outcome = page.print_to(printer, numbers, "full")
    assert outcome is not None and outcome.pages == 2
    assert _pages(out) == 4
    assert {r.copies for r in _prints(page)} == {2}


# --- progress and 取消 for long renderings --------------------------------------------------------
def test_progress_task_moves_its_bar_and_reports_a_cancel(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    from app.ui.progress import ProgressTask

    owner = QWidget()
    qtbot.addWidget(owner)
    with ProgressTask(owner, "生成证书", "正在生成…", show_after_ms=0,
                      label_for=lambda d, t: f"第 {d + 1} / {t} 本") as task:
        assert task(0, 10) is True
        assert task.dialog.maximum() == 10 and task.dialog.labelText() == "第 1 / 10 本"
        assert task(4, 10) is True and task.dialog.value() == 4
        task.dialog.cancel()  # what the 取消 button does
        assert task(5, 10) is False and task.cancelled


def test_progress_task_keeps_clicks_away_until_its_dialog_shows(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Before the modal dialog appears, user input is not processed (a click on the window
    behind would start the work again); once it is on screen, 取消 must be clickable."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QWidget

    from app.ui import progress as progress_module
    from app.ui.progress import ProgressTask

    calls: list[object] = []
    real = progress_module.QApplication.processEvents
    monkeypatch.setattr(progress_module.QApplication, "processEvents",
                        staticmethod(lambda *flags: calls.append(flags) or real(*flags)))
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()
    task = ProgressTask(owner, "t", "l", show_after_ms=60_000)  # not on screen yet
    assert task(0, 10) is True
    assert calls == [(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents,)]
    task.dialog.show()
    calls.clear()
    assert task(1, 10) is True
    assert calls == [()]
    task.close()


def _cancelling_after(monkeypatch, calls: int, seen: list[tuple[int, int]]) -> None:  # type: ignore[no-untyped-def]
    from app.ui.pages import certificates as page_module
    from app.ui.progress import ProgressTask

    class Cancelling(ProgressTask):
        def __call__(self, done: int, total: int) -> bool:
            seen.append((done, total))
            return super().__call__(done, total) and len(seen) <= calls

    monkeypatch.setattr(page_module, "ProgressTask", Cancelling)


def test_preview_shows_progress_and_a_cancel_opens_nothing(page, messages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.ui.pages import certificate_dialogs

    opened: list[int] = []
    monkeypatch.setattr(certificate_dialogs.PdfPreviewDialog, "exec",
                        lambda self: opened.append(self.page_count()))
    page.select_batch(batch_id(page._db, "2026-01"))
    seen: list[tuple[int, int]] = []
    _cancelling_after(monkeypatch, 10_000, seen)
    page.buttons["preview"].click()
    total = page.model.total
    assert opened == [total]  # the whole batch, and the bar went all the way
    assert seen[0] == (0, 2 * total) and seen[-1] == (2 * total, 2 * total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    seen.clear()
    _cancelling_after(monkeypatch, 3, seen)
    made: list[Path] = []
    real_temp = print_bridge.temp_pdf
    monkeypatch.setattr(print_bridge, "temp_pdf", lambda: made.append(real_temp()) or made[-1])
    page.buttons["preview"].click()
    assert opened == [total] and not messages  # cancelled: no preview, no error
    assert len(made) == 1 and not made[0].exists()  # and no temporary file left behind


def test_a_cancelled_print_prints_and_logs_nothing(page, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page.select_batch(batch_id(page._db, "2026-01"))
    _cancelling_after(monkeypatch, 2, [])
    out = tmp_path / "printed.pdf"
    assert page.print_to(_pdf_printer(out), None, "full") is None
    assert _prints(page) == [] and not out.exists()


def test_a_cancelled_electronic_export_keeps_what_was_written(page, messages, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page.select_batch(batch_id(page._db, "2026-01"))
    _cancelling_after(monkeypatch, 3, [])  # three files, then 取消 before the fourth
    written = page.export_electronic(tmp_path / "e")
    assert len(written) == 3 and sorted((tmp_path / "e").glob("*.pdf")) == sorted(written)
    assert "已取消" in messages[-1][1] and "3 份" in messages[-1][1]
