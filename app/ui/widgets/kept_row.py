"""The current row of a lazily paged table kept across a reload of its model.

PagedQueryModel.refresh() forgets every row (a model reset): the view loses its current row and
jumps back to the top. Around the reload, `kept_row` notes the current row and the top visible
row by their database id (ID_ROLE); afterwards it loads as many rows as were loaded before (one
page more, in case the row moved down), scrolls the old top row back to the top and makes the
old current row current and visible again. A row no longer in the list is simply not restored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QTableView

from app.ui.models.paged import ID_ROLE, PagedQueryModel

KEEP_AT_MOST: Final = 1000


def _row_of(model: PagedQueryModel, row_id: object) -> int:
    """The loaded row whose id is `row_id`, or -1."""
    if row_id is None:
        return -1
    for r in range(model.rowCount()):
        if model.data(model.index(r, 0), ID_ROLE) == row_id:
            return r
    return -1


@contextmanager
def kept_row(view: QTableView, model: PagedQueryModel) -> Iterator[None]:
    """Keep `view`'s current row (by id) and scroll position across what runs in the block."""
    current = view.currentIndex()
    current_id = model.data(current, ID_ROLE) if current.isValid() else None
    column = current.column() if current.isValid() else 0
    top = view.rowAt(0)
    top_id = model.data(model.index(top, 0), ID_ROLE) if top >= 0 else None
    loaded = model.rowCount()
    yield
    if current_id is None and top_id is None:
        return
    # Reload at most KEEP_AT_MOST rows (a user who scrolled through 10,000 people is not kept
    # waiting for all of them on every return to the page): beyond, the list starts at the top.
    loaded = min(loaded, KEEP_AT_MOST)
    want = loaded + model.page_size  # (an edit may have moved the row a little further down)
    while model.rowCount() < loaded and model.canFetchMore():
        model.fetchMore(QModelIndex())
    while (
        _row_of(model, current_id) < 0
        and current_id is not None
        and model.rowCount() < want
        and model.canFetchMore()
    ):
        model.fetchMore(QModelIndex())
    if (top_row := _row_of(model, top_id)) >= 0:
        view.scrollTo(model.index(top_row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    if (row := _row_of(model, current_id)) >= 0:
        index = model.index(row, column)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        view.selectionModel().setCurrentIndex(index, flags)
        view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
