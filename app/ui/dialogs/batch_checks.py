"""检查: the plan checks — errors red, warnings orange (确认 with a reason), acknowledged grey."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.batch_checks import CheckItem, CheckReport, acknowledge, check_batch
from app.services.permissions import Perm, allowed
from app.ui.dialogs.batch_common import (
    GREY,
    ORANGE,
    RED,
    ask_reason,
    fill_table,
    make_table,
    selected_key,
)

if TYPE_CHECKING:
    from app.ui.dialogs.batch_editor import BatchEditor


class ChecksTab(QWidget):
    def __init__(self, editor: BatchEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.report: CheckReport | None = None
        self.items: list[CheckItem] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.run_button = QPushButton(self.tr("重新检查(&R)"))
        self.ack_button = QPushButton(self.tr("确认(&A)…"))
        self.ack_button.setToolTip(self.tr("确认所选警告并填写理由；错误不能确认，须修正计划"))
        self.run_button.clicked.connect(self.load)
        self.ack_button.clicked.connect(self.on_acknowledge)
        bar.addWidget(self.run_button)
        bar.addWidget(self.ack_button)
        bar.addStretch()
        layout.addLayout(bar)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = make_table([self.tr("类别"), self.tr("说明"), self.tr("确认理由")], self)
        self.table.setWordWrap(True)
        self.table.doubleClicked.connect(lambda _i: self.on_acknowledge())
        layout.addWidget(self.table, 1)

    def shown(self) -> None:
        self.load()

    def load(self) -> None:
        batch_id = self.editor.batch_id
        self.report, self.items = None, []
        if batch_id is not None:
            with self.editor.db.session() as s:
                self.report = check_batch(s, batch_id)
            self.items = self.report.items
        labels = {"error": self.tr("错误"), "warning": self.tr("警告")}
        rows, colours = [], []
        for item in self.items:
            if item.ack_reason is not None:
                rows.append([self.tr("已确认"), item.message, item.ack_reason])
                colours.append(GREY)
            else:
                rows.append([labels[item.level], item.message, ""])
                colours.append(RED if item.level == "error" else ORANGE)
        fill_table(self.table, rows, [i.key for i in self.items], colours)
        self.table.setColumnWidth(0, 70)
        self.table.setColumnWidth(1, 640)
        self.table.resizeRowsToContents()
        self._summarise()
        self.ack_button.setEnabled(
            allowed(self.editor.actor, Perm.ACK_WARNING)
            and bool(self.report and self.report.warnings)
        )

    def _summarise(self) -> None:
        r = self.report
        if r is None:
            self.summary.setText("")
        elif r.can_file:
            self.summary.setStyleSheet("color: #1e8449;")
            self.summary.setText(
                self.tr("检查通过：没有错误，警告均已确认（{n} 条），可以报备计划。").format(
                    n=len(r.acknowledged)
                )
            )
        else:
            self.summary.setStyleSheet("color: #c0392b;")
            self.summary.setText(
                self.tr("还不能报备：{e} 项错误须修正，{w} 项警告须逐条确认并填写理由。").format(
                    e=len(r.errors), w=len(r.warnings)
                )
            )

    # --- actions -------------------------------------------------------------------------
    def acknowledge(self, key: str, reason: str) -> bool:
        editor, batch_id = self.editor, self.editor.batch_id
        return editor.run(lambda s: acknowledge(s, editor.actor, batch_id, key, reason))[0]

    def on_acknowledge(self) -> None:
        key = selected_key(self.table)
        item = next((i for i in self.items if i.key == key), None)
        if item is None or item.level == "error" or not self.ack_button.isEnabled():
            return
        reason = ask_reason(
            self,
            self.tr("确认警告"),
            self.tr("{message}\n\n确认理由（必填，将记入审计日志并随计划留档）：").format(
                message=item.message
            ),
            required=True,
        )
        if reason:
            self.acknowledge(item.key, reason)
