"""统计 tab: enrolled / present / passed / pass rate of one batch, a bar chart, export."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services import statistics
from app.services.actor import Actor
from app.services.statistics import GROUP_NAMES, StatRow
from app.ui.file_choice import choose_save_file
from app.ui.pages.score_common import BatchInfo, run_service
from app.ui.pages.table_page import note
from app.ui.widgets.bar_chart import BarChart

HEADERS = ("分组", "项目", "报名人数", "实考人数", "合格人数", "合格率")


def fill_stat_table(table: QTableWidget, rows: list[StatRow]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        values = (GROUP_NAMES[row.group], row.label, row.enrolled, row.present, row.passed, row.pass_rate_text)
        for c, v in enumerate(values):
            item = QTableWidgetItem(str(v))
            if c >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def stat_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(HEADERS), parent)
    table.setObjectName("statistics")
    table.setHorizontalHeaderLabels([parent.tr(h) for h in HEADERS])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    for col, width in enumerate((60, 240, 80, 80, 80)):
        table.setColumnWidth(col, width)
    return table


class StatisticsPanel(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.batch: BatchInfo | None = None
        self.rows: list[StatRow] = []
        self.table = stat_table(self)
        self.chart = BarChart(self)
        self.export_button = QPushButton(self.tr("导出统计表(&T)…"))
        self.export_button.setObjectName("export_statistics")
        self.export_button.clicked.connect(self.export)
        self.result = QLabel()
        self.result.setObjectName("statistics_result")
        self.result.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(
            note(self.tr("实考：未缺考；合格率 = 合格人数 ÷ 实考人数。科目合格：成绩不低于合格线。")), 1
        )
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.chart)
        layout.addWidget(self.result)

    def set_batch(self, batch: BatchInfo | None) -> None:
        self.batch = batch
        self.result.clear()
        self.rows = []
        if batch is not None:
            self.rows = run_service(self, self.db, lambda s: statistics.batch_statistics(s, self.actor, batch.id)) or []
        fill_stat_table(self.table, self.rows)
        self.chart.set_data(
            self.tr("合格率"), [(r.label, r.pass_rate) for r in self.rows if r.group != "total"]
        )
        self.export_button.setEnabled(bool(self.rows))

    def export(self) -> None:
        b = self.batch
        if b is None or not self.rows:
            return
        path = choose_save_file(self, self.tr("保存统计表"), f"{b.code}_统计.xlsx")
        if path is None:
            return
        rows, title = self.rows, self.tr("批次 {code} 统计").format(code=b.code)
        out = run_service(self, self.db, lambda s: statistics.export_statistics(s, self.actor, path, rows, title))
        if out:
            self.result.setText(self.tr("已导出：{f}").format(f=out))
