"""成绩: choose a batch, then 录入 (grid, double entry, results), 公示, 结果报备 and 统计."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.db import Database
from app.services.actor import Actor
from app.ui.pages.publicity_panel import PublicityPanel
from app.ui.pages.results_panel import ResultsPanel
from app.ui.pages.score_common import (
    BatchInfo,
    batch_info,
    fill_batch_combo,
    list_batches,
    run_service,
)
from app.ui.pages.score_entry import ScoreEntryPanel
from app.ui.pages.statistics_panel import StatisticsPanel
from app.ui.pages.table_page import heading, note


class ScoresPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.batches: list[BatchInfo] = []
        self.batch_combo = QComboBox()
        self.batch_combo.setObjectName("batch")
        self.batch_combo.setMinimumContentsLength(36)
        label = QLabel(self.tr("批次(&P)："))
        label.setBuddy(self.batch_combo)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("成绩")))
        top.addSpacing(24)
        top.addWidget(label)
        top.addWidget(self.batch_combo, 1)
        self.empty = note("")
        self.entry = ScoreEntryPanel(db, actor, self)
        self.publicity = PublicityPanel(db, actor, self)
        self.results = ResultsPanel(db, actor, self)
        self.statistics = StatisticsPanel(db, actor, self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("score_tabs")
        self.tabs.addTab(self.entry, self.tr("成绩录入"))
        self.tabs.addTab(self.publicity, self.tr("公示"))
        self.tabs.addTab(self.results, self.tr("结果报备"))
        self.tabs.addTab(self.statistics, self.tr("统计"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.tabs, 1)
        self.batch_combo.currentIndexChanged.connect(self._batch_chosen)
        for panel in (self.entry, self.publicity, self.results):
            panel.changed.connect(self.refresh_batch)
        self.refresh()

    def current_batch(self) -> BatchInfo | None:
        bid = self.batch_combo.currentData()
        return next((b for b in self.batches if b.id == bid), None)

    def select_batch(self, code: str) -> None:
        for i, b in enumerate(self.batches):
            if b.code == code:
                self.batch_combo.setCurrentIndex(i)

    def refresh(self) -> None:
        keep = self.batch_combo.currentData()
        self.batches = list_batches(self.db, self.actor)
        fill_batch_combo(self.batch_combo, self.batches, keep)
        if not self.batches:
            self.empty.setText(self.tr("没有可录入成绩的批次。录分员只能看到分配给自己的批次。"))
        self.empty.setVisible(not self.batches)
        self.tabs.setEnabled(bool(self.batches))
        self._batch_chosen()

    def refresh_batch(self) -> None:
        """After a save that may change the batch status: reload its info and every tab."""
        b = self.current_batch()
        if b is None:
            return
        fresh = run_service(self, self.db, lambda s: batch_info(s, b.id))
        if fresh is None:
            return
        self.batches = [fresh if x.id == fresh.id else x for x in self.batches]
        self.batch_combo.setItemText(self.batch_combo.currentIndex(), fresh.label)
        self._show(fresh)

    def _batch_chosen(self) -> None:
        self._show(self.current_batch())

    def _show(self, b: BatchInfo | None) -> None:
        self.entry.set_batch(b)
        self.publicity.set_batch(b)
        self.results.set_batch(b)
        self.statistics.set_batch(b)
