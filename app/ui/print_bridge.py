"""Between the certificate renderer (PDF) and Qt: render a batch to a PDF, print a PDF page by
page onto a QPrinter, and the calibration page. The wiring mirrors app/cli/commands/certificates.py;
every rule stays in app/services/certificates.py and certificate_printing.py."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from app.db import Database
from app.errors import ValidationError
from app.printing.render import (
    CertificateRenderer,
    Mode,
    Offset,
    Progress,
    render_calibration,
    render_electronic,
    step,
)
from app.printing.template import CertificateData
from app.services.actor import Actor
from app.services.batch_workflow import get_batch
from app.services.certificate_printing import (
    batch_context,
    check_content,
    iter_certificate_data,
    printable_count,
    printer_offset,
    render_env,
)
from app.services.certificate_register import list_certificates

MAX_RASTER_DPI = 300  # the PDF page is drawn as an image of at most this resolution


@dataclass
class RenderedPdf:
    path: Path
    certificate_ids: list[int] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # certificates left out, and why

    @property
    def pages(self) -> int:
        return len(self.certificate_ids)


def temp_pdf(prefix: str = "skillsite-") -> Path:
    handle = tempfile.NamedTemporaryFile(prefix=prefix, suffix=".pdf", delete=False)
    handle.close()
    return Path(handle.name)


def _checked(cert_data: Iterator, env, out: RenderedPdf,  # type: ignore[no-untyped-def]
             progress: Progress | None = None, total: int = 0) -> Iterator[CertificateData]:
    """The certificates whose content still matches what was fixed at issue (others named in
    `out.problems`); `progress(i, total)` before each check."""
    for i, (cert, data) in enumerate(cert_data):
        step(progress, i, total)
        check = check_content(cert, data, env)
        if not check.ok:
            out.problems.append(check.message)
            continue
        out.certificate_ids.append(cert.id)
        out.numbers.append(cert.number)
        yield data


def render_certificates(
    db: Database,
    actor: Actor,
    batch_id: int,
    out: Path,
    *,
    numbers: Sequence[str] | None = None,
    mode: Mode = "full",
    printer: str = "",
    progress: Progress | None = None,
) -> RenderedPdf:
    """The batch's valid certificates (or just `numbers`) as one PDF, one page each.

    Overlay mode shifts by the printer's saved offset. A certificate whose stored content digest
    no longer matches is left out and named in `problems`. `progress(done, total)` counts two
    steps per certificate (checking, then drawing); returning False raises RenderCancelled.
    """
    result = RenderedPdf(out)
    with db.session() as s:
        batch = get_batch(s, batch_id)
        org, _, _ = batch_context(s, batch)
        env = render_env(s, actor, org)
        offset = printer_offset(s, printer) if mode == "overlay" and printer else Offset()
        renderer = CertificateRenderer(env.template, env.chain, mode=mode, offset=offset)
        n = printable_count(s, batch.id, numbers) if progress else 0
        certs = iter_certificate_data(s, batch.id, env, numbers=numbers)
        datas = list(_checked(certs, env, result, progress, 2 * n))
        if not datas:
            why = "\n".join(result.problems) or "所选批次（或所选证书）中没有有效证书。"
            raise ValidationError(f"没有可生成的证书：{why}")
        drawing = None if progress is None else (lambda done, _t: progress(n + done, 2 * n))
        renderer.render(datas, out, drawing)
    return result


def export_electronic(
    db: Database, actor: Actor, batch_id: int, out_dir: Path, *,
    numbers: Sequence[str] | None = None, seal: bytes | None = None,
    progress: Progress | None = None,
) -> tuple[list[Path], list[str]]:
    """One electronic certificate PDF per person into `out_dir`; (files, problems).

    `progress(done, total)` before each file; returning False raises RenderCancelled (the
    files already written stay)."""
    result = RenderedPdf(out_dir)
    with db.session() as s:
        batch = get_batch(s, batch_id)
        org, _, _ = batch_context(s, batch)
        env = render_env(s, actor, org)
        n = printable_count(s, batch.id, numbers) if progress else 0
        datas = _checked(iter_certificate_data(s, batch.id, env, numbers=numbers), env, result)
        paths = render_electronic(datas, out_dir, env.template, env.chain, seal=seal,
                                  progress=progress, total=n)
    return paths, result.problems


def render_calibration_pdf(db: Database, printer: str, out: Path, offset: Offset | None = None) -> Offset:
    """The calibration page for `printer` (its saved offset unless `offset` is given)."""
    from app.printing.fonts import default_chain
    from app.printing.template import load_template

    if offset is None:
        with db.session() as s:
            offset = printer_offset(s, printer) if printer else Offset()
    render_calibration(out, load_template(), default_chain(), offset)
    return offset


def reprints(
    db: Database, actor: Actor, batch_id: int, numbers: Sequence[str] | None
) -> list[str]:
    """Which of these valid certificates (all of the batch when None) were printed before."""
    with db.session() as s:
        rows = list_certificates(s, actor, batch_id)
    wanted = None if numbers is None else set(numbers)
    return [r.number for r in rows
            if r.prints and r.status == "issued" and (wanted is None or r.number in wanted)]


def printer_label(printer: QPrinter) -> str:
    """The printer's name for the print log (a PDF "printer" by its file name)."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return "PDF：" + Path(printer.outputFileName()).name
    return printer.printerName()


def load_pdf(path: Path, parent=None) -> QPdfDocument:  # type: ignore[no-untyped-def]
    doc = QPdfDocument(parent)
    error = doc.load(str(path))
    if error != QPdfDocument.Error.None_:
        raise ValidationError(f"无法打开生成的 PDF 文件 {path}（{error.name}）。")
    return doc


@dataclass(frozen=True)
class PrintOutcome:
    pages: int  # pages sent to the printer
    total: int
    cancelled: bool


def print_pdf(path: Path, printer: QPrinter, progress: Progress | None = None) -> PrintOutcome:
    """Print every page of the PDF at its true size (no scaling: 套打 must land on the marks).

    `progress(done, total)` is called before each page; returning False stops after the pages
    already sent (for a PDF/file printer the file then holds just those pages).
    """
    doc = load_pdf(path)
    total = doc.pageCount()
    first = doc.pagePointSize(0)
    w, h = first.width(), first.height()
    landscape = w > h
    layout = QPageLayout(
        QPageSize(QSizeF(min(w, h), max(w, h)), QPageSize.Unit.Point, "",
                  QPageSize.SizeMatchPolicy.FuzzyMatch),
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
    )
    printer.setFullPage(True)
    printer.setPageLayout(layout)
    painter = QPainter()
    if not painter.begin(printer):
        raise ValidationError("无法开始打印：打印机不可用或打印被系统拒绝。请检查打印机后重试。")
    done, cancelled = 0, False
    try:
        dpi = printer.resolution()
        raster = min(dpi, MAX_RASTER_DPI)
        # a driver that cannot make copies itself gets each page `copies` times in a row
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        for page in range(total):
            if progress is not None and not progress(done, total):
                cancelled = True
                break
            size = doc.pagePointSize(page)
            image = doc.render(page, QSize(round(size.width() * raster / 72),
                                           round(size.height() * raster / 72)))
            target = QRectF(0, 0, size.width() * dpi / 72, size.height() * dpi / 72)
            for copy in range(copies):
                if (page or copy) and not printer.newPage():
                    raise ValidationError("打印机拒绝了下一页：打印已中止。")
                painter.drawImage(target, image)
            done += 1
        if progress is not None and not cancelled:
            progress(done, total)
    finally:
        painter.end()
        doc.close()
    return PrintOutcome(done, total, cancelled)
