"""A page made of a heading, an optional note, a search box and one lazily-loaded table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.db import Database
from app.ui.models import Column, PagedQueryModel

PageQuery = Callable[[Session, int, int, str | None], Sequence[Any]]
CountQuery = Callable[[Session, str | None], int]
SEARCH_DELAY_MS = 300


def database_model(
    db: Database,
    columns: Sequence[Column],
    page: PageQuery,
    count: CountQuery,
    parent: QWidget | None = None,
    page_size: int = 200,
) -> PagedQueryModel:
    """A PagedQueryModel whose every page and count runs in its own short session."""

    def fetch(offset: int, limit: int, search: str | None) -> Sequence[Any]:
        with db.session() as s:
            return page(s, offset, limit, search)

    def total(search: str | None) -> int:
        with db.session() as s:
            return count(s, search)

    return PagedQueryModel(columns, fetch, total, page_size=page_size, parent=parent)


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("heading")
    label.setStyleSheet("font-size: 14pt; font-weight: bold;")
    return label


def note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def make_table(model: PagedQueryModel, parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move between rows
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view


def fit_columns(view: QTableView, model: PagedQueryModel) -> None:
    """Widths from the columns' preferred width, else from the header and the loaded rows."""
    header = view.horizontalHeader()
    for i in range(model.columnCount()):
        width = model.column(i).width
        if width:
            header.resizeSection(i, width)
        else:
            view.resizeColumnToContents(i)
            header.resizeSection(i, min(header.sectionSize(i) + 16, 360))
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)


class TablePage(QWidget):
    def __init__(
        self,
        title: str,
        model: PagedQueryModel,
        *,
        search_placeholder: str | None = None,
        explanation: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.model.setParent(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title))
        if explanation:
            layout.addWidget(note(explanation))
        bar = QHBoxLayout()
        self.search: QLineEdit | None = None
        if search_placeholder:
            self.search = QLineEdit()
            self.search.setObjectName("search")
            self.search.setPlaceholderText(search_placeholder)
            self.search.setClearButtonEnabled(True)
            self.search.setMaximumWidth(360)
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.setInterval(SEARCH_DELAY_MS)
            self._timer.timeout.connect(self.apply_search)
            self.search.textChanged.connect(lambda _text: self._timer.start())
            self.search.returnPressed.connect(self.apply_search)
            bar.addWidget(self.search)
        bar.addStretch()
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        self.table = make_table(model, self)
        layout.addWidget(self.table, 1)
        model.modelReset.connect(self._update_count)
        model.rowsInserted.connect(self._update_count)
        self._fitted = False
        self.refresh()

    def apply_search(self) -> None:
        if self.search is not None:
            self.model.set_filter(self.search.text())

    def refresh(self) -> None:
        self.model.refresh()
        if not self._fitted:
            fit_columns(self.table, self.model)
            self._fitted = self.model.rowCount() > 0
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        total, loaded = self.model.total, self.model.rowCount()
        if total == loaded:
            text, tip = self.tr("共 {total} 条").format(total=total), ""
        else:  # (short: at 1024 px it shares a line with the search box and the filters)
            text = self.tr("共 {total} 条，已载入 {loaded} 条").format(total=total, loaded=loaded)
            tip = self.tr("列表分批载入：向下滚动可载入更多")
        self.count_label.setText(text)
        self.count_label.setToolTip(tip)
