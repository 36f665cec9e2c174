"""双人录入不一致: the two entries side by side and 裁定… (a third person, with a reason)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError
from app.services import double_entry, score_rules
from app.services.actor import Actor
from app.services.double_entry import Mismatch
from app.ui.errors import show_user_error
from app.ui.pages.score_common import BatchInfo, run_service


class ResolveDialog(QDialog):
    def __init__(self, m: Mismatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("裁定不一致的成绩"))
        form = QFormLayout(self)
        form.addRow(self.tr("考生："), QLabel(f"{m.admission_no} {m.name}"))
        form.addRow(self.tr("科目："), QLabel(score_rules.component_name(m.component)))
        form.addRow(self.tr("第一遍："), QLabel(f"{m.first_text}（{m.first_by}）"))
        form.addRow(self.tr("第二遍："), QLabel(f"{m.second_text}（{m.second_by}）"))
        self.value = QLineEdit()
        self.value.setPlaceholderText(self.tr("如 85.5，或 缺考 / 违纪"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("如：核对原始评分表"))
        form.addRow(self.tr("裁定成绩(&V)："), self.value)
        form.addRow(self.tr("理由(&R)："), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class MismatchPanel(QWidget):
    resolved = Signal()

    HEADERS = ("准考证号", "姓名", "科目", "第一遍", "第二遍")

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.batch: BatchInfo | None = None
        self.items: list[Mismatch] = []
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setObjectName("mismatches")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((100, 70, 70, 90)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(self.resolve_selected)
        self.resolve_button = QPushButton(self.tr("裁定(&D)…"))
        self.resolve_button.setObjectName("resolve")
        self.resolve_button.clicked.connect(self.resolve_selected)
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.resolve_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.set_batch(None)

    def set_batch(self, batch: BatchInfo | None) -> None:
        self.batch = batch
        self.setVisible(batch is not None)
        self.reload()

    def reload(self) -> None:
        b = self.batch
        self.items = (run_service(self, self.db, lambda s: double_entry.mismatches(s, b.id)) or []) if b else []
        self.table.setRowCount(len(self.items))
        for r, m in enumerate(self.items):
            values = (
                m.admission_no,
                m.name,
                score_rules.component_name(m.component),
                f"{m.first_text}（{m.first_by}）",
                f"{m.second_text}（{m.second_by}）",
            )
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.title.setText(self.tr("两遍录入不一致：{n} 项").format(n=len(self.items)))
        self.resolve_button.setEnabled(bool(self.items))

    def ask_resolution(self, m: Mismatch) -> tuple[str, str] | None:
        dialog = ResolveDialog(m, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.value.text(), dialog.reason.text()

    def resolve_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.items):
            return
        m = self.items[row]
        answer = self.ask_resolution(m)
        if answer is None:
            return
        text, reason = answer
        try:
            value, mark = score_rules.parse_entry(text)
            with self.db.session() as s:
                double_entry.resolve(s, self.actor, m.enrolment_id, m.component, value, mark, reason=reason)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self.reload()
        self.resolved.emit()
