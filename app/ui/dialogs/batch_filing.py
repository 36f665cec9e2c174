"""报备: the latest filing date, filing the plan, exporting the filing document, status moves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import SkillSiteError
from app.models.enums import BATCH_STATUS_NAMES, BATCH_STATUS_ORDER, BatchStatus
from app.services.batch_workflow import GUARDED_STEPS, advance, move_back
from app.services.permissions import Perm, allowed
from app.services.plan_filing import export_plan, file_plan, plan_deadline
from app.ui.dialogs.batch_common import ask_reason

if TYPE_CHECKING:
    from app.ui.dialogs.batch_editor import BatchEditor


class FileDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("标记已报备"))
        form = QFormLayout(self)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("逾期报备时必填（仅管理员可逾期报备）"))
        self.reason.setMinimumWidth(320)
        form.addRow(self.tr("报备日期(&D)："), self.day)
        form.addRow(self.tr("理由(&R)："), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("报备"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self) -> tuple[dt.date, str]:
        d = self.day.date()
        return dt.date(d.year(), d.month(), d.day()), self.reason.text().strip()


class FilingTab(QWidget):
    def __init__(self, editor: BatchEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.status = QLabel()
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)
        self.filed = QLabel()
        form.addRow(self.tr("当前状态："), self.status)
        form.addRow(self.tr("最迟报备日："), self.deadline)
        form.addRow(self.tr("报备日期："), self.filed)
        layout.addLayout(form)
        bar = QHBoxLayout()
        self.file_button = QPushButton(self.tr("标记已报备(&F)…"))
        self.export_button = QPushButton(self.tr("导出报备材料(&X)…"))
        self.advance_button = QPushButton(self.tr("推进状态(&N)"))
        self.back_button = QPushButton(self.tr("退回状态(&B)…"))
        self.back_button.setToolTip(self.tr("仅管理员，须填写理由"))
        self.file_button.clicked.connect(self.on_file)
        self.export_button.clicked.connect(self.on_export)
        self.advance_button.clicked.connect(self.advance)
        self.back_button.clicked.connect(self.on_back)
        for b in (self.file_button, self.export_button, self.advance_button, self.back_button):
            bar.addWidget(b)
        bar.addStretch()
        layout.addLayout(bar)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch()

    def next_status(self) -> BatchStatus | None:
        info = self.editor.info
        if info is None:
            return None
        i = BATCH_STATUS_ORDER.index(BatchStatus(info.status))
        return BATCH_STATUS_ORDER[i + 1] if i + 1 < len(BATCH_STATUS_ORDER) else None

    def load(self) -> None:
        info, actor = self.editor.info, self.editor.actor
        if info is None:
            return
        self.status.setText(info.status_name)
        self.filed.setText(
            info.plan_filed_on.isoformat() if info.plan_filed_on else self.tr("未报备")
        )
        try:
            with self.editor.db.session() as s:
                d = plan_deadline(s, info.id)
        except SkillSiteError as exc:
            self.deadline.setStyleSheet("color: #c0392b;")
            self.deadline.setText(exc.message)
        else:
            self.deadline.setStyleSheet("")
            self.deadline.setText(
                self.tr("尚未安排场次：安排第一个场次后自动计算。")
                if d is None
                else self.tr("{date}（{label}；依据：{source}）").format(
                    date=d.date.isoformat(), label=d.label, source=d.source
                )
            )
        draft = info.status == BatchStatus.DRAFT
        self.file_button.setEnabled(draft and allowed(actor, Perm.FILE_PLAN))
        self.export_button.setEnabled(  # the filing copy carries full ID numbers
            allowed(actor, Perm.EXPORT) and allowed(actor, Perm.VIEW_FULL_ID)
        )
        step = self.next_status()
        plain = step is not None and step not in GUARDED_STEPS
        self.advance_button.setEnabled(plain and allowed(actor, Perm.EDIT_BATCH))
        self.advance_button.setText(
            self.tr("推进到“{s}”(&N)").format(s=BATCH_STATUS_NAMES[step])
            if plain and step
            else self.tr("推进状态(&N)")
        )
        self.back_button.setEnabled(not draft and allowed(actor, Perm.OVERRIDE))

    # --- actions -------------------------------------------------------------------------
    def file(self, filed_on: dt.date, reason: str = "") -> bool:
        editor, batch_id = self.editor, self.editor.batch_id
        ok, r = editor.run(lambda s: file_plan(s, editor.actor, batch_id, filed_on, reason))
        if ok:
            late = self.tr("（逾期报备，理由已记入审计日志）") if r.late else ""
            self.message.setText(
                self.tr("计划已于 {d} 报备{late}。").format(d=r.filed_on.isoformat(), late=late)
            )
        return ok

    def export(self, folder: Path) -> bool:
        editor, batch_id = self.editor, self.editor.batch_id
        ok, r = editor.run(lambda s: export_plan(s, editor.actor, batch_id, folder), reload=False)
        if ok:
            self.message.setText(self.tr("已导出：{x}；{p}").format(x=r.xlsx, p=r.pdf))
        return ok

    def advance(self) -> bool:
        editor, batch_id, step = self.editor, self.editor.batch_id, self.next_status()
        if step is None:
            return False
        return editor.run(lambda s: advance(s, editor.actor, batch_id, step.value))[0]

    def move_back(self, target: str, reason: str) -> bool:
        editor, batch_id = self.editor, self.editor.batch_id
        return editor.run(lambda s: move_back(s, editor.actor, batch_id, target, reason))[0]

    def on_file(self) -> None:
        dialog = FileDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.file(*dialog.value())

    def on_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择导出文件夹"))
        if folder:
            self.export(Path(folder))

    def on_back(self) -> None:
        info = self.editor.info
        if info is None:
            return
        earlier = BATCH_STATUS_ORDER[: BATCH_STATUS_ORDER.index(BatchStatus(info.status))]
        names = [BATCH_STATUS_NAMES[x] for x in earlier]
        name, ok = QInputDialog.getItem(
            self, self.tr("退回状态"), self.tr("退回到："), names, len(names) - 1, False
        )
        if not ok:
            return
        reason = ask_reason(
            self, self.tr("退回状态"), self.tr("退回理由（必填，将记入审计日志）："), required=True
        )
        if reason:
            self.move_back(earlier[names.index(name)].value, reason)
