"""A lazy table model that loads one page of rows at a time through plain callables.

The model never asks for more than `page_size` rows per call: the view's scrolling calls
`fetchMore()` (via `canFetchMore()`), which asks `fetch(offset, limit, filter)` for the next
page. `count(filter)` gives the total, shown beside the table and used to stop fetching.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

log = logging.getLogger(__name__)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole row object of the index's row
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's database id (row.id), if it has one
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # the raw value (dates as dates, numbers as numbers)

DEFAULT_PAGE_SIZE = 200
COLUMN_CONTEXT = "Column"  # translation context of column titles

Fetch = Callable[[int, int, str | None], Sequence[Any]]
Count = Callable[[str | None], int]
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One table column: its (untranslated) title, how to read the value from a row, alignment."""

    title: str
    value: Callable[[Any], object]
    align_right: bool = False
    width: int | None = None  # preferred width in pixels, None = fit to contents

    def translated_title(self) -> str:
        return QCoreApplication.translate(COLUMN_CONTEXT, self.title)


def display_text(value: object) -> str:
    """How a plain value shows in a cell: dates as ISO, booleans as 是/否, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return QCoreApplication.translate(COLUMN_CONTEXT, "是" if value else "否")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class PagedQueryModel(QAbstractTableModel):
    def __init__(
        self,
        columns: Sequence[Column],
        fetch: Fetch,
        count: Count,
        page_size: int = DEFAULT_PAGE_SIZE,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._fetch = fetch
        self._count = count
        self._page_size = page_size
        self._filter: str | None = None
        self._rows: list[Any] = []
        self._total = 0
        self._exhausted = True

    # --- loading ---------------------------------------------------------------------------

    @property
    def page_size(self) -> int:
        return self._page_size

    @property
    def total(self) -> int:
        """How many rows the current filter matches in the database (not how many are loaded)."""
        return self._total

    @property
    def filter_text(self) -> str | None:
        return self._filter

    def set_filter(self, text: str | None) -> None:
        text = (text or "").strip() or None
        if text != self._filter:
            self._filter = text
            self.refresh()

    def refresh(self) -> None:
        """Forget every loaded row, recount, and load the first page."""
        self.beginResetModel()
        self._rows = []
        self._total = self._count(self._filter)
        self._exhausted = self._total == 0
        self.endResetModel()
        if not self._exhausted:
            self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = list(self._fetch(len(self._rows), self._page_size, self._filter))
        if len(page) < self._page_size:
            self._exhausted = True  # rows were deleted meanwhile, or this was the last page
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()
        log.debug("loaded rows %d-%d of %d", first, first + len(page) - 1, self._total)

    # --- table -----------------------------------------------------------------------------

    def row(self, row: int) -> Any:
        return self._rows[row]

    def column(self, column: int) -> Column:
        return self._columns[column]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return display_text(column.value(row))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return column.value(row)
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return getattr(row, "id", None)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].translated_title()
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None
