"""Small helpers shared by the batch editor's tabs: tables, reasons, running a service."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

RED = QColor("#c0392b")
ORANGE = QColor("#d35400")
GREY = QColor("#7f8c8d")


def _tr(text: str) -> str:
    return QCoreApplication.translate("BatchEditor", text)


def make_table(headers: Sequence[str], parent: QWidget | None = None) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move between rows
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def fill_table(
    table: QTableWidget,
    rows: Sequence[Sequence[object]],
    keys: Sequence[Any],
    colours: Sequence[QColor | None] | None = None,
) -> None:
    """Rows of text; each row's key is stored in its first cell (Qt.UserRole)."""
    table.setRowCount(0)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            text = "" if value is None else str(value)
            item = QTableWidgetItem(text)
            if len(text) > 30:
                item.setToolTip(text)
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            if colours and colours[r] is not None:
                item.setForeground(QBrush(colours[r]))
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for c in range(table.columnCount() - 1):
        header.resizeSection(c, min(header.sectionSize(c) + 12, 420))


def selected_key(table: QTableWidget) -> Any:
    row = table.currentRow()
    if row < 0 or table.item(row, 0) is None or not table.item(row, 0).isSelected():
        return None
    return table.item(row, 0).data(Qt.ItemDataRole.UserRole)


def select_row(table: QTableWidget, row: int) -> None:
    table.setCurrentCell(row, 0)
    table.selectRow(row)


def ask_reason(parent: QWidget, title: str, label: str, *, required: bool) -> str | None:
    """A one-line reason; None when cancelled (or empty while required)."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, "")
    if not ok:
        return None
    text = text.strip()
    if required and not text:
        return None
    return text
