"""证书: choose a batch, issue, void, replace a voided one (换发), preview, print (whole page or 套打), electronic copies,
printer offsets, the public key and 核验证书 (Ctrl+Shift+V)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError, ValidationError
from app.models.enums import BATCH_STATUS_ORDER, BatchStatus
from app.printing.render import Mode, RenderCancelled
from app.services import listing
from app.services.actor import Actor
from app.services.certificate_printing import record_print
from app.services.certificate_register import certificate_count, certificate_rows
from app.services.certificates import (
    IssueResult,
    issue_certificates,
    reissue_certificate,
    void_certificate,
)
from app.services.permissions import Perm, allowed
from app.services.signing import export_public_key
from app.ui import print_bridge
from app.ui.busy import busy_cursor
from app.ui.dialogs.verify_certificate import VerifyCertificateDialog
from app.ui.errors import show_user_error
from app.ui.file_choice import choose_save_file
from app.ui.models import Column
from app.ui.pages.certificate_dialogs import (
    ElectronicExportDialog,
    IssueDialog,
    PdfPreviewDialog,
    PrinterOffsetDialog,
    ReissueDialog,
)
from app.ui.pages.table_page import TablePage, database_model
from app.ui.progress import ProgressTask

C = "Column"
CERTIFICATE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "证书编号"), lambda r: r.number, width=220),
    Column(QT_TRANSLATE_NOOP(C, "姓名"), lambda r: r.name, width=110),
    Column(QT_TRANSLATE_NOOP(C, "等级"), lambda r: r.level_name, width=120),
    Column(QT_TRANSLATE_NOOP(C, "发证日期"), lambda r: r.issue_date, width=100),
    Column(QT_TRANSLATE_NOOP(C, "状态"), lambda r: r.status_name, width=80),
    Column(QT_TRANSLATE_NOOP(C, "打印次数"), lambda r: r.prints, align_right=True, width=80),
    Column(QT_TRANSLATE_NOOP(C, "作废理由"), lambda r: r.void_reason, width=160),
    Column(QT_TRANSLATE_NOOP(C, "换发"), lambda r: r.replacement_note),
)
ISSUABLE = BATCH_STATUS_ORDER.index(BatchStatus.RESULTS_FILED)


@dataclass
class _Filter:
    batch_id: int | None = None


class CertificatesPage(TablePage):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        self._db, self.actor = db, actor
        self._filter = _Filter(self._default_batch(db))
        self._ready = False
        model = database_model(
            db, CERTIFICATE_COLUMNS,
            lambda s, offset, limit, search: certificate_rows(
                s, self._filter.batch_id, offset, limit, search, actor),
            lambda s, search: certificate_count(s, self._filter.batch_id, search, actor),
        )
        super().__init__(
            self.tr("证书"), model,
            search_placeholder=(
                self.tr("按证书编号开头、姓名（任意部分）或完整证件号码查找")
                if listing.sees_full_ids(actor) else self.tr("按证书编号开头或姓名（任意部分）查找")
            ),
            explanation=self.tr(
                "选中若干证书后预览、打印或作废；已作废的证书可换发新编号的证书。"
                "不选则对整个批次（作废的证书不打印）。"),
            parent=parent,
        )
        self._build_controls()
        self.verify_shortcut = QShortcut(QKeySequence("Ctrl+Shift+V"), self)
        self.verify_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.verify_shortcut.activated.connect(self.open_verify)

    # --- layout ------------------------------------------------------------------------------
    @staticmethod
    def _default_batch(db: Database) -> int | None:
        with db.session() as s:
            rows = listing.batches_page(s, 0, 500)
        for r in rows:
            if BATCH_STATUS_ORDER.index(BatchStatus(r.status)) >= ISSUABLE:
                return r.id
        return None

    def _build_controls(self) -> None:
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        top = QHBoxLayout()
        label = QLabel(self.tr("批次(&B)："))
        self.batch_combo = QComboBox()
        self.batch_combo.setObjectName("batch")
        self.batch_combo.setMinimumWidth(360)
        label.setBuddy(self.batch_combo)
        top.addWidget(label)
        top.addWidget(self.batch_combo)
        mode_label = QLabel(self.tr("打印方式(&M)："))
        self.mode_combo = QComboBox()
        self.mode_combo.addItem(self.tr("整页（白纸）"), "full")
        self.mode_combo.addItem(self.tr("套打（预印证书纸）"), "overlay")
        mode_label.setBuddy(self.mode_combo)
        top.addSpacing(16)
        top.addWidget(mode_label)
        top.addWidget(self.mode_combo)
        top.addStretch()
        outer.insertLayout(2, top)

        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("issue", self.tr("发放证书(&I)"), self.on_issue),
            ("preview", self.tr("预览(&P)"), self.on_preview),
            ("print", self.tr("打印(&R)…"), self.on_print),
            ("void", self.tr("作废(&D)…"), self.on_void),
            ("reissue", self.tr("换发(&H)…"), self.on_reissue),
            ("electronic", self.tr("导出电子证书(&E)…"), self.on_export_electronic),
            ("offset", self.tr("打印机偏移(&O)…"), self.on_printer_offset),
            ("key", self.tr("导出公钥(&K)…"), self.on_export_key),
            ("verify", self.tr("核验证书(&V)…"), self.open_verify),
        ):
            button = QPushButton(text)
            button.setObjectName(key)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        self.buttons["verify"].setToolTip(self.tr("快捷键 Ctrl+Shift+V"))
        row.addStretch()
        outer.insertLayout(3, row)
        self.buttons["void"].setEnabled(allowed(self.actor, Perm.VOID_CERTIFICATE))
        self.buttons["reissue"].setEnabled(allowed(self.actor, Perm.ISSUE_CERTIFICATES))
        self.buttons["reissue"].setToolTip(
            self.tr("为已作废的证书发放新编号的证书（如更正姓名后）"))
        self.buttons["print"].setEnabled(allowed(self.actor, Perm.PRINT_CERTIFICATES))
        self.buttons["offset"].setEnabled(allowed(self.actor, Perm.MANAGE_SETTINGS))
        self._fill_batches()
        self.batch_combo.currentIndexChanged.connect(self._batch_changed)
        self._ready = True
        self.refresh()

    def _fill_batches(self) -> None:
        with self._db.session() as s:
            rows = listing.batches_page(s, 0, 500)
        self.batch_combo.blockSignals(True)
        self.batch_combo.clear()
        self.batch_combo.addItem(self.tr("全部批次（仅查看）"), None)
        for r in rows:
            self.batch_combo.addItem(f"{r.code}  {r.name}（{r.status_name}）", r.id)
        index = self.batch_combo.findData(self._filter.batch_id)
        self.batch_combo.setCurrentIndex(max(index, 0))
        self.batch_combo.blockSignals(False)

    def _batch_changed(self, _index: int) -> None:
        self._filter.batch_id = self.batch_combo.currentData()
        self.refresh()

    def select_batch(self, batch_id: int | None) -> None:
        self.batch_combo.setCurrentIndex(max(self.batch_combo.findData(batch_id), 0))

    # --- helpers -----------------------------------------------------------------------------
    def batch_id(self) -> int | None:
        return self._filter.batch_id

    def mode(self) -> Mode:
        return self.mode_combo.currentData()  # type: ignore[no-any-return]

    def selected_numbers(self) -> list[str] | None:
        """Numbers of the selected rows; None when nothing is selected (the whole batch)."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row(r).number for r in rows] or None

    def _need_batch(self) -> int | None:
        if self._filter.batch_id is None:
            QMessageBox.information(self, self.tr("证书"), self.tr("请先在上方选择一个批次。"))
        return self._filter.batch_id

    # --- issue and void ----------------------------------------------------------------------
    def on_issue(self) -> None:
        if self._need_batch() is None:
            return
        dialog = IssueDialog(self.batch_combo.currentText(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.issue(dialog.issue_date())

    def issue(self, issue_date=None) -> IssueResult | None:  # type: ignore[no-untyped-def]
        batch_id = self._filter.batch_id
        if batch_id is None:
            return None
        task = ProgressTask(
            self, self.tr("发放证书"), self.tr("正在编号发证…"),
            label_for=lambda done, total: self.tr("正在为第 {i} / {n} 人编号发证…").format(
                i=min(done + 1, total), n=total))
        try:
            with task, self._db.session() as s:
                result = issue_certificates(s, self.actor, batch_id, issue_date, progress=task)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return None
        text = self.tr("批次 {batch}：本次发放 {n} 本，此前已发 {before} 本，尚余 {left} 人未发。").format(
            batch=result.batch_code, n=len(result.issued), before=result.skipped,
            left=result.remaining)
        if result.cancelled:
            text = self.tr("已取消。") + text + self.tr("再次点击“发放证书”可继续。")
        if result.blocked:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("发放证书"), text, parent=self)
            box.setInformativeText(self.tr("以下考生未发放：\n") + "\n".join(result.blocked))
            box.exec()
        else:
            QMessageBox.information(self, self.tr("发放证书"), text)
        self._fill_batches()
        self.refresh()
        return result

    def on_void(self) -> None:
        numbers = self.selected_numbers() or []
        if len(numbers) != 1:
            QMessageBox.information(self, self.tr("作废证书"), self.tr("请先选中要作废的一本证书。"))
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("作废证书"),
            self.tr("作废证书 {number}。编号保留、不再使用。\n作废理由（必填，记入审计日志）：").format(
                number=numbers[0]))
        if ok:
            self.void(numbers[0], reason)

    def void(self, number: str, reason: str) -> bool:
        try:
            with self._db.session() as s:
                void_certificate(s, self.actor, number, reason)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return False
        self.refresh()
        return True

    def on_reissue(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if len(rows) != 1:
            QMessageBox.information(self, self.tr("换发证书"),
                                    self.tr("请先选中一本已作废的证书。"))
            return
        row = self.model.row(rows[0])
        if row.status != "voided":
            QMessageBox.information(self, self.tr("换发证书"), self.tr(
                "证书 {number} 仍然有效：换发前须先将其作废（编号保留、不再使用）。"
                "如只是重新打印同一本证书，请用“打印”补打。").format(number=row.number))
            return
        dialog = ReissueDialog(row.number, row.name, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reissue(row.number, dialog.reason_text(), dialog.issue_date())

    def reissue(self, number: str, reason: str, issue_date=None) -> str | None:  # type: ignore[no-untyped-def]
        """Replace the voided certificate; the new number, or None (the reason is shown)."""
        try:
            with busy_cursor(), self._db.session() as s:
                new = reissue_certificate(s, self.actor, number, reason, issue_date)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return None
        QMessageBox.information(self, self.tr("换发证书"), self.tr(
            "已为 {name} 换发新证 {new}（原证书 {old} 已作废）。请打印新证书。").format(
            name=new.name, new=new.number, old=number))
        self.refresh()
        return new.number

    # --- preview and print -------------------------------------------------------------------
    def render(self, out: Path, numbers: Sequence[str] | None, mode: Mode = "full",
               printer: str = "") -> print_bridge.RenderedPdf:
        """The certificates as one PDF, with a progress bar and 取消 (RenderCancelled)."""
        batch_id = self._filter.batch_id
        if batch_id is None:
            raise ValidationError(self.tr("请先在上方选择一个批次。"))
        try:
            with ProgressTask(self, self.tr("生成证书"), self.tr("正在核对并生成证书 PDF…")) as task:
                rendered = print_bridge.render_certificates(
                    self._db, self.actor, batch_id, out, numbers=numbers, mode=mode,
                    printer=printer, progress=task)
        except RenderCancelled:
            out.unlink(missing_ok=True)  # the (empty) temporary file made for it
            raise
        if rendered.problems:
            QMessageBox.warning(self, self.tr("部分证书未生成"), "\n".join(rendered.problems))
        return rendered

    def on_preview(self) -> None:
        if self._need_batch() is None:
            return
        try:
            rendered = self.render(print_bridge.temp_pdf(), self.selected_numbers(), self.mode())
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        except RenderCancelled:
            return
        PdfPreviewDialog(rendered.path, self.tr("证书预览（{n} 本）").format(n=rendered.pages),
                         self).exec()

    def on_print(self) -> None:
        if self._need_batch() is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印证书"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer, self.selected_numbers(), self.mode())

    def ask_reprint_reason(self, reprinted: list[str]) -> str | None:
        shown = "、".join(reprinted[:5]) + (self.tr(" 等 {n} 本").format(n=len(reprinted))
                                           if len(reprinted) > 5 else "")
        reason, ok = QInputDialog.getText(
            self, self.tr("补打证书"),
            self.tr("证书 {numbers} 已打印过。补打须填写理由（记入审计日志）：").format(numbers=shown))
        return reason if ok else None

    def print_to(self, printer: QPrinter, numbers: Sequence[str] | None, mode: Mode = "full",
                 reason: str | None = None) -> print_bridge.PrintOutcome | None:
        """Render, print page by page (progress, cancel) and log the printed certificates.

        A reprint needs a reason: asked for when `reason` is None, refused when empty.
        """
        if self._filter.batch_id is None:
            return None
        if not allowed(self.actor, Perm.PRINT_CERTIFICATES):
            show_user_error(ValidationError(self.tr("您的角色不能打印证书。")), self)
            return None
        reprinted = print_bridge.reprints(self._db, self.actor, self._filter.batch_id, numbers)
        if reprinted:
            if reason is None:
                reason = self.ask_reprint_reason(reprinted)
                if reason is None:
                    return None
            if not reason.strip():
                show_user_error(ValidationError(self.tr("证书 {n} 已打印过，补打须填写理由。未打印。")
                                                .format(n="、".join(reprinted[:5]))), self)
                return None
        name = print_bridge.printer_label(printer)
        try:
            rendered = self.render(print_bridge.temp_pdf(), numbers, mode, printer.printerName())
            with ProgressTask(
                self, self.tr("打印证书"), self.tr("正在打印证书…"), show_after_ms=0,
                label_for=lambda done, total: self.tr("正在打印第 {i} / {n} 本…").format(
                    i=min(done + 1, total), n=total),
            ) as task:
                outcome = print_bridge.print_pdf(rendered.path, printer, task)
            printed = rendered.certificate_ids[: outcome.pages]
            if printed:
                with self._db.session() as s:
                    record_print(s, self.actor, printed, name, printer.copyCount(), mode,
                                 reason or "")
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return None
        except RenderCancelled:
            return None
        if outcome.cancelled:
            QMessageBox.information(self, self.tr("打印证书"), self.tr(
                "打印已取消：已送出 {done} / {total} 本，已送出的已记入打印记录。").format(
                done=outcome.pages, total=outcome.total))
        self.refresh()
        return outcome

    # --- electronic, offsets, keys, verify ---------------------------------------------------
    def on_export_electronic(self) -> None:
        if self._need_batch() is None:
            return
        dialog = ElectronicExportDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.export_electronic(dialog.out_dir(), dialog.seal_bytes())

    def export_electronic(self, out_dir: Path, seal: bytes | None = None) -> list[Path]:
        assert self._filter.batch_id is not None
        task = ProgressTask(
            self, self.tr("导出电子证书"), self.tr("正在生成电子证书…"),
            label_for=lambda done, total: self.tr("正在生成第 {i} / {n} 份电子证书…").format(
                i=min(done + 1, total), n=total))
        try:
            with task:
                paths, problems = print_bridge.export_electronic(
                    self._db, self.actor, self._filter.batch_id, out_dir,
                    numbers=self.selected_numbers(), seal=seal, progress=task)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return []
        except RenderCancelled as stop:
            QMessageBox.information(self, self.tr("导出电子证书"), self.tr(
                "已取消：取消前已生成的 {n} 份电子证书保留在 {dir}。").format(
                dir=out_dir, n=len(stop.written)))
            return stop.written
        text = self.tr("已生成 {n} 份电子证书，保存在 {dir}").format(n=len(paths), dir=out_dir)
        if problems:
            text += "\n\n" + "\n".join(problems)
        QMessageBox.information(self, self.tr("导出电子证书"), text)
        return paths

    def on_printer_offset(self) -> None:
        PrinterOffsetDialog(self._db, self.actor, self).exec()

    def on_export_key(self) -> None:
        path = choose_save_file(
            self, self.tr("导出证书签名公钥"), "public-key.pem", suffix=".pem", kind=self.tr("公钥")
        )
        if path is not None:
            self.export_key(path)

    def export_key(self, out: Path) -> str | None:
        try:
            with self._db.session() as s:
                fp = export_public_key(s, out)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return None
        except OSError as exc:
            show_user_error(SkillSiteError(self.tr("无法写入文件：{e}").format(e=exc)), self)
            return None
        QMessageBox.information(self, self.tr("导出公钥"), self.tr(
            "公钥已导出到 {path}\n指纹：{fp}\n请把公钥文件交给需要核验证书的单位，并通过电话等其他途径核对指纹。"
        ).format(path=out, fp=fp))
        return fp

    def open_verify(self) -> None:
        VerifyCertificateDialog(self._db, self).exec()

    def refresh(self) -> None:
        super().refresh()
        if self._ready:  # not yet during TablePage.__init__
            self.buttons["issue"].setEnabled(
                self._filter.batch_id is not None and allowed(self.actor, Perm.ISSUE_CERTIFICATES))
