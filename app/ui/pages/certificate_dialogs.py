"""Dialogs of the certificates page: PDF preview, issue date, replacement (换发), electronic export,
printer offset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError
from app.printing.render import Offset
from app.services.actor import Actor
from app.services.certificate_printing import printer_offset, set_printer_offset
from app.ui import print_bridge
from app.ui.busy import busy_cursor
from app.ui.errors import show_user_error


def _buttons(dialog: QDialog, ok_text: str | None) -> QDialogButtonBox:
    box = QDialogButtonBox()
    if ok_text:
        ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
    box.addButton(dialog.tr("取消") if ok_text else dialog.tr("关闭"),
                  QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class PdfPreviewDialog(QDialog):
    """A generated PDF in a QPdfView (all pages, scrolling; + / - zoom)."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 700)
        self.document = print_bridge.load_pdf(path, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        bar = QHBoxLayout()
        self.pages_label = QLabel(self.tr("共 {n} 页").format(n=self.document.pageCount()))
        bar.addWidget(self.pages_label)
        bar.addStretch()
        for text, factor in ((self.tr("缩小(&-)"), 1 / 1.25), (self.tr("放大(&+)"), 1.25)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, f=factor: self.zoom(f))
            bar.addWidget(button)
        fit = QPushButton(self.tr("适合宽度(&W)"))
        fit.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        bar.addWidget(fit)
        bar.addWidget(_buttons(self, None))
        layout.addLayout(bar)
        self.view.setFocus()

    def zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.1, min(8.0, self.view.zoomFactor() * factor)))

    def page_count(self) -> int:
        return self.document.pageCount() if self.document.status() == QPdfDocument.Status.Ready else 0


class IssueDialog(QDialog):
    def __init__(self, batch_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("发放证书"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        text = QLabel(self.tr(
            "为批次「{batch}」中尚无证书的合格考生编号发证。证书编号一经发放不得重复使用。"
        ).format(batch=batch_text))
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        form.addRow(self.tr("发证日期(&D)："), self.date)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, self.tr("发放")))

    def issue_date(self) -> dt.date:
        d = self.date.date()
        return dt.date(d.year(), d.month(), d.day())


class ReissueDialog(QDialog):
    """换发: the reason (required) and the issue date of a voided certificate's replacement."""

    def __init__(self, number: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("换发证书"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        text = QLabel(self.tr(
            "为已作废的证书 {number}（{name}）换发新证。新证书使用新的编号，载明持证人当前的"
            "信息（如已更正的姓名）；原编号保留、不再使用。"
        ).format(number=number, name=name))
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("必填，记入审计日志，如：更正姓名后换发"))
        form.addRow(self.tr("换发理由(&R)："), self.reason)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        form.addRow(self.tr("发证日期(&D)："), self.date)
        layout.addLayout(form)
        box = _buttons(self, self.tr("换发"))
        self.ok = next(b for b in box.buttons()
                       if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        layout.addWidget(box)

    def reason_text(self) -> str:
        return self.reason.text().strip()

    def issue_date(self) -> dt.date:
        d = self.date.date()
        return dt.date(d.year(), d.month(), d.day())


class ElectronicExportDialog(QDialog):
    """Folder for the per-person PDFs and an optional seal image (PNG, transparent)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出电子证书"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.folder = QLineEdit()
        form.addRow(self.tr("保存到文件夹(&F)："), self._with_browse(self.folder, self._pick_folder))
        self.seal = QLineEdit()
        self.seal.setPlaceholderText(self.tr("可不选：不加盖印章"))
        form.addRow(self.tr("印章图片(&S)："), self._with_browse(self.seal, self._pick_seal))
        layout.addLayout(form)
        layout.addWidget(_buttons(self, self.tr("导出")))

    def _with_browse(self, edit: QLineEdit, pick) -> QWidget:  # type: ignore[no-untyped-def]
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton(self.tr("浏览…"))
        button.clicked.connect(pick)
        row.addWidget(button)
        return box

    def _pick_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("选择保存电子证书的文件夹"))
        if name:
            self.folder.setText(name)

    def _pick_seal(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择印章图片"), "",
                                              self.tr("PNG 图片 (*.png)"))
        if name:
            self.seal.setText(name)

    def accept(self) -> None:
        if not self.folder.text().strip():
            QMessageBox.warning(self, self.tr("导出电子证书"), self.tr("请选择保存电子证书的文件夹。"))
            return
        if self.seal.text().strip() and not Path(self.seal.text().strip()).is_file():
            QMessageBox.warning(self, self.tr("导出电子证书"), self.tr("找不到所选的印章图片文件。"))
            return
        super().accept()

    def out_dir(self) -> Path:
        return Path(self.folder.text().strip())

    def seal_bytes(self) -> bytes | None:
        name = self.seal.text().strip()
        return Path(name).read_bytes() if name else None


class PrinterOffsetDialog(QDialog):
    """套打 offset per printer (0.1 mm steps) and the calibration page to measure it."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.setWindowTitle(self.tr("打印机套打偏移"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        explain = QLabel(self.tr(
            "先用白纸打印校准页，叠在预印证书纸上对光比对，量出标记偏离的距离，"
            "按 0.1 毫米填写：X 向右为正，Y 向下为正。每台打印机分别保存。"))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        self.printer = QComboBox()
        self.printer.setEditable(True)
        self.printer.addItems(QPrinterInfo.availablePrinterNames())
        self.printer.setCurrentText(QPrinterInfo.defaultPrinterName())
        self.printer.currentTextChanged.connect(self.load)
        form.addRow(self.tr("打印机(&P)："), self.printer)
        self.dx, self.dy = self._spin(), self._spin()
        form.addRow(self.tr("X 偏移(&X)："), self.dx)
        form.addRow(self.tr("Y 偏移(&Y)："), self.dy)
        layout.addLayout(form)
        row = QHBoxLayout()
        preview = QPushButton(self.tr("预览校准页(&V)"))
        preview.clicked.connect(self.preview_calibration)
        row.addWidget(preview)
        print_button = QPushButton(self.tr("打印校准页(&R)…"))
        print_button.clicked.connect(self.print_calibration)
        row.addWidget(print_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addWidget(_buttons(self, self.tr("保存偏移")))
        self.load()

    @staticmethod
    def _spin() -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(-20.0, 20.0)
        spin.setDecimals(1)
        spin.setSingleStep(0.1)
        spin.setSuffix(" mm")
        return spin

    def offset(self) -> Offset:
        return Offset(round(self.dx.value() * 10), round(self.dy.value() * 10))

    def load(self) -> None:
        with self._db.session() as s:
            offset = printer_offset(s, self.printer.currentText().strip())
        self.dx.setValue(offset.dx_mm)
        self.dy.setValue(offset.dy_mm)

    def save(self) -> bool:
        off = self.offset()
        try:
            with self._db.session() as s:
                set_printer_offset(s, self._actor, self.printer.currentText().strip(),
                                   off.dx_tenths, off.dy_tenths)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return False
        return True

    def accept(self) -> None:
        if self.save():
            super().accept()

    def calibration_pdf(self) -> Path:
        out = print_bridge.temp_pdf("skillsite-calibration-")
        print_bridge.render_calibration_pdf(self._db, self.printer.currentText().strip(), out,
                                            self.offset())
        return out

    def preview_calibration(self) -> None:
        with busy_cursor():
            path = self.calibration_pdf()
        PdfPreviewDialog(path, self.tr("套打校准页"), self).exec()

    def print_calibration(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        name = self.printer.currentText().strip()
        if name in QPrinterInfo.availablePrinterNames():
            printer.setPrinterName(name)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        try:
            with busy_cursor():
                print_bridge.print_pdf(self.calibration_pdf(), printer)
        except SkillSiteError as exc:
            show_user_error(exc, self)

