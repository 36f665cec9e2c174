"""结果报备 tab: the due date, recording the filing, and 附件4/附件5."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services import results_filing
from app.services.actor import Actor
from app.services.permissions import Perm, allowed
from app.ui.file_choice import choose_folder
from app.ui.pages.score_common import (
    BatchInfo,
    date_edit,
    files_text,
    run_service,
    to_date,
)
from app.ui.pages.table_page import note


class ResultsPanel(QWidget):
    changed = Signal()

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.batch: BatchInfo | None = None
        self.due = QLabel()
        self.due.setObjectName("results_due")
        self.due.setWordWrap(True)
        self.filed_on = date_edit()
        self.filed_on.setObjectName("filed_on")
        self.reason = QLineEdit()
        self.reason.setObjectName("late_reason")
        self.reason.setPlaceholderText(self.tr("逾期报备时由管理员填写理由"))
        self.reason.setEnabled(allowed(actor, Perm.OVERRIDE))
        self.file_button = QPushButton(self.tr("结果报备(&F)"))
        self.file_button.setObjectName("file_results")
        self.export_button = QPushButton(self.tr("导出附件4 / 附件5(&X)…"))
        self.export_button.setObjectName("export_results")
        self.result = QLabel()
        self.result.setObjectName("results_result")
        self.result.setWordWrap(True)
        grid = QGridLayout()
        date_label, reason_label = QLabel(self.tr("报备日期(&D)：")), QLabel(self.tr("逾期理由(&R)："))
        date_label.setBuddy(self.filed_on)
        reason_label.setBuddy(self.reason)
        grid.addWidget(date_label, 0, 0)
        grid.addWidget(self.filed_on, 0, 1)
        grid.addWidget(reason_label, 0, 2)
        grid.addWidget(self.reason, 0, 3)
        grid.addWidget(self.file_button, 0, 4)
        grid.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.due)
        layout.addLayout(grid)
        layout.addWidget(
            note(
                self.tr(
                    "附件4：职业技能等级认定结果汇总表；附件5：合格人员证书信息表（含完整证件号码，导出记入审计日志）。"
                )
            )
        )
        export_row = QHBoxLayout()
        export_row.addWidget(self.export_button)
        export_row.addStretch()
        layout.addLayout(export_row)
        layout.addWidget(self.result)
        layout.addStretch()
        self.file_button.clicked.connect(self.file_results)
        self.export_button.clicked.connect(self.export)

    def set_batch(self, batch: BatchInfo | None) -> None:
        self.batch = batch
        self.result.clear()
        self.setEnabled(batch is not None)
        if batch is None:
            self.due.clear()
            return
        deadline = run_service(self, self.db, lambda s: results_filing.results_due(s, batch.id))
        status = self.tr("批次状态：{s}。").format(s=batch.status_name)
        if deadline is None:
            self.due.setText(status + self.tr("本省未规定结果报备期限，或尚无考核日期/公示期。"))
        else:
            self.due.setText(
                status
                + self.tr("结果报备期限：{label} {date}（依据：{source}）。").format(
                    label=deadline.label, date=deadline.date.isoformat(), source=deadline.source
                )
            )

    def file_results(self) -> None:
        b = self.batch
        if b is None:
            return
        day, reason = to_date(self.filed_on.date()), self.reason.text()
        done = run_service(
            self, self.db, lambda s: results_filing.file_results(s, self.actor, b.id, day, reason=reason)
        )
        if done is None:
            return
        self.result.setText(
            self.tr("已记录结果报备：{d}{late}。").format(
                d=done.filed_on.isoformat(), late=self.tr("（逾期）") if done.late else ""
            )
        )
        self.changed.emit()

    def export(self) -> None:
        b = self.batch
        if b is None or (folder := choose_folder(self, self.tr("选择保存结果报备表的文件夹"))) is None:
            return
        paths = run_service(self, self.db, lambda s: results_filing.export_results(s, self.actor, b.id, folder))
        if paths:
            self.result.setText(self.tr("已导出：\n{files}").format(files=files_text(paths)))
