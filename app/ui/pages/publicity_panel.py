"""公示 tab: the publicity period (earliest allowed end shown), objections, the list export."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services import publicity
from app.services.actor import Actor
from app.services.batch_workflow import get_batch
from app.services.publicity import ObjectionView
from app.ui.file_choice import choose_folder
from app.ui.pages.score_common import (
    BatchInfo,
    ask_text,
    date_edit,
    files_text,
    run_service,
    to_date,
    to_qdate,
)
from app.ui.pages.table_page import note


class PublicityPanel(QWidget):
    changed = Signal()
    HEADERS = ("收到日期", "准考证号", "异议内容", "处理情况", "处理日期")

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.batch: BatchInfo | None = None
        self.objections: list[ObjectionView] = []
        self.state = QLabel()
        self.state.setObjectName("publicity_state")
        self.state.setWordWrap(True)
        self.start = date_edit()
        self.start.setObjectName("publicity_start")
        self.end = date_edit()
        self.end.setObjectName("publicity_end")
        self.min_end = QLabel()
        self.min_end.setObjectName("min_end")
        self.start_button = QPushButton(self.tr("开始公示(&S)"))
        self.start_button.setObjectName("start_publicity")
        self.export_button = QPushButton(self.tr("导出公示名单(&E)…"))
        self.export_button.setObjectName("export_publicity")
        self.result = QLabel()
        self.result.setObjectName("publicity_result")
        self.result.setWordWrap(True)
        grid = QGridLayout()
        start_label, end_label = QLabel(self.tr("开始日期(&B)：")), QLabel(self.tr("结束日期(&N)："))
        start_label.setBuddy(self.start)
        end_label.setBuddy(self.end)
        grid.addWidget(start_label, 0, 0)
        grid.addWidget(self.start, 0, 1)
        grid.addWidget(end_label, 0, 2)
        grid.addWidget(self.end, 0, 3)
        grid.addWidget(self.start_button, 0, 4)
        grid.addWidget(self.export_button, 0, 5)
        grid.addWidget(self.min_end, 1, 0, 1, 6)
        grid.setColumnStretch(6, 1)

        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setObjectName("objections")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((100, 110, 300, 260)):
            self.table.setColumnWidth(col, width)
        self.add_button = QPushButton(self.tr("登记异议(&A)…"))
        self.add_button.setObjectName("add_objection")
        self.handle_button = QPushButton(self.tr("登记处理情况(&H)…"))
        self.handle_button.setObjectName("handle_objection")
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("公示期间收到的异议：")))
        buttons.addStretch()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.handle_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.state)
        layout.addLayout(grid)
        layout.addWidget(self.result)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            note(self.tr("公示名单中的证件号码按规定部分隐藏。公示期满且异议处理完毕后办理结果报备。"))
        )
        self.start.dateChanged.connect(self.update_min_end)
        self.start_button.clicked.connect(self.start_publicity)
        self.export_button.clicked.connect(self.export)
        self.add_button.clicked.connect(self.add_objection)
        self.handle_button.clicked.connect(self.handle_objection)

    def set_batch(self, batch: BatchInfo | None) -> None:
        self.batch = batch
        self.result.clear()
        self.setEnabled(batch is not None)
        if batch is None:
            return
        period = run_service(
            self, self.db, lambda s: (get_batch(s, batch.id).publicity_start, get_batch(s, batch.id).publicity_end)
        )
        start, end = period or (None, None)
        if start and end:
            text = self.tr("公示期：{a} 至 {b}。").format(a=start.isoformat(), b=end.isoformat())
            if batch.needs_republicity:
                text += self.tr("公示后更正过成绩，须重新公示。")
            self.start.setDate(to_qdate(start))
            self.end.setDate(to_qdate(end))
        else:
            text = self.tr("尚未公示。计算认定结果后，选择公示期并开始公示。")
        self.state.setText(self.tr("批次状态：{s}。").format(s=batch.status_name) + text)
        self.update_min_end()
        self.reload_objections()

    def earliest_end(self) -> dt.date | None:
        b = self.batch
        if b is None:
            return None
        start = to_date(self.start.date())
        return run_service(self, self.db, lambda s: publicity.publicity_min_end(s, get_batch(s, b.id), start))

    def update_min_end(self) -> None:
        day = self.earliest_end()
        self.min_end.setText(
            self.tr("按本省规定，自所选开始日公示，最早可于 {d} 结束。").format(d=day.isoformat()) if day else ""
        )

    def start_publicity(self) -> None:
        b = self.batch
        if b is None:
            return
        start, end = to_date(self.start.date()), to_date(self.end.date())
        done = run_service(self, self.db, lambda s: publicity.start_publicity(s, self.actor, b.id, start, end))
        if done is None:
            return
        self.changed.emit()
        self.result.setText(
            self.tr("已开始公示：{a} 至 {b}。").format(a=done.start.isoformat(), b=done.end.isoformat())
        )

    def export(self) -> None:
        b = self.batch
        if b is None or (folder := choose_folder(self, self.tr("选择保存公示名单的文件夹"))) is None:
            return
        paths = run_service(self, self.db, lambda s: publicity.export_publicity(s, self.actor, b.id, folder))
        if paths:
            self.result.setText(self.tr("已导出：\n{files}").format(files=files_text(paths)))

    def reload_objections(self) -> None:
        b = self.batch
        self.objections = (run_service(self, self.db, lambda s: publicity.list_objections(s, b.id)) or []) if b else []
        self.table.setRowCount(len(self.objections))
        for r, o in enumerate(self.objections):
            values = (
                o.received_on.isoformat(),
                o.admission_no or "",
                o.content,
                o.handling or self.tr("（未处理）"),
                o.handled_on.isoformat() if o.handled_on else "",
            )
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))

    def ask_objection(self) -> tuple[str, str] | None:
        content = ask_text(self, self.tr("登记异议"), self.tr("异议内容（今天收到）："))
        if content is None:
            return None
        admission = ask_text(self, self.tr("登记异议"), self.tr("涉及考生的准考证号（可不填）：")) or ""
        return content, admission

    def add_objection(self) -> None:
        b = self.batch
        if b is None or (answer := self.ask_objection()) is None:
            return
        content, admission = answer
        today = dt.date.today()
        if run_service(
            self, self.db, lambda s: publicity.add_objection(s, self.actor, b.id, today, content, admission or None)
        ):
            self.reload_objections()

    def ask_handling(self, o: ObjectionView) -> str | None:
        return ask_text(self, self.tr("登记处理情况"), self.tr("异议 #{n} 的处理情况（今天办结）：").format(n=o.id))

    def handle_objection(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.objections):
            return
        o = self.objections[row]
        if (handling := self.ask_handling(o)) is None:
            return
        today = dt.date.today()
        if run_service(self, self.db, lambda s: publicity.handle_objection(s, self.actor, o.id, handling, today)):
            self.reload_objections()
