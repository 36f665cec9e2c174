"""The keyboard-first score grid: type a score (or 缺考/违纪, hotkeys Q/W), Enter saves and moves on.

The grid does not save by itself: pressing Enter/Tab in the editor (or Q/W on a row) calls
`submit(row, text)`, which the entry panel connects to the service. Only a successful save
closes the editor and moves to the next candidate; a refused value keeps the editor open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

SCORE_COLUMN = 2
HOTKEYS = {Qt.Key.Key_Q: "缺考", Qt.Key.Key_W: "违纪"}
TYPED_HOTKEYS = {"q": "缺考", "w": "违纪"}

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class GridRow:
    enrolment_id: int
    admission_no: str
    name: str
    text: str
    editable: bool
    note: str = ""


class ScoreSheetModel(QAbstractTableModel):
    HEADERS = ("准考证号", "姓名", "成绩", "说明")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[GridRow] = []
        self.errors: dict[int, str] = {}

    def set_rows(self, rows: Sequence[GridRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.errors = {}
        self.endResetModel()

    def set_text(self, row: int, text: str, note: str | None = None) -> None:
        r = self.rows[row]
        self.rows[row] = replace(r, text=text, note=r.note if note is None else note)
        self.errors.pop(row, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def set_error(self, row: int, message: str) -> None:
        self.errors[row] = message
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == SCORE_COLUMN and self.rows[index.row()].editable:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            note = self.errors.get(index.row(), r.note)
            return (r.admission_no, r.name, r.text, note)[c]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.errors.get(index.row()) or r.note or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.row() in self.errors:
                return QBrush(QColor("#b00020"))
            if not r.editable and c == SCORE_COLUMN:
                return QBrush(QColor("#777"))
        if role == Qt.ItemDataRole.TextAlignmentRole and c == SCORE_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


Submit = Callable[[int, str], bool]


class ScoreDelegate(QStyledItemDelegate):
    """Enter/Tab in the editor submits; the editor closes only when the value was saved."""

    def __init__(self, view: ScoreGrid) -> None:
        super().__init__(view)
        self.view = view

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName("score_editor")
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        if not editor.text():  # the first typed key is already in the editor
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        """Leaving the editor without Enter saves nothing (the grid saves only on Enter/Tab)."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            isinstance(obj, QLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
        ):
            row = self.view.currentIndex().row()
            text = obj.text().strip()
            text = TYPED_HOTKEYS.get(text.lower(), text)
            if self.view.submit is not None and self.view.submit(row, text):
                self.closeEditor.emit(obj, QAbstractItemDelegate.EndEditHint.NoHint)
                self.view.move_down(row)
            else:
                obj.selectAll()
                obj.setFocus()
            return True
        return super().eventFilter(obj, event)


class ScoreGrid(QTableView):
    def __init__(self, model: ScoreSheetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("score_grid")
        self.setModel(model)
        self.submit: Submit | None = None
        self.setItemDelegateForColumn(SCORE_COLUMN, ScoreDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((130, 110, 90)):
            self.setColumnWidth(col, width)

    def sheet(self) -> ScoreSheetModel:
        model = self.model()
        assert isinstance(model, ScoreSheetModel)
        return model

    def start(self) -> None:
        """Put the cursor on the score cell of the first row (after loading a sheet)."""
        if self.sheet().rowCount():
            self.setCurrentIndex(self.sheet().index(0, SCORE_COLUMN))
        self.setFocus()

    def move_down(self, row: int) -> None:
        nxt = min(row + 1, self.sheet().rowCount() - 1)
        self.setCurrentIndex(self.sheet().index(nxt, SCORE_COLUMN))
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if self.state() != QAbstractItemView.State.EditingState and index.isValid():
            key = Qt.Key(event.key())
            editable = bool(self.sheet().flags(index.siblingAtColumn(SCORE_COLUMN)) & Qt.ItemFlag.ItemIsEditable)
            if key in HOTKEYS and editable and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                if self.submit is not None and self.submit(index.row(), HOTKEYS[key]):
                    self.move_down(index.row())
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and editable:
                self.setCurrentIndex(index.siblingAtColumn(SCORE_COLUMN))
                self.edit(self.currentIndex())
                return
            if index.column() != SCORE_COLUMN and event.text().strip() and editable:
                self.setCurrentIndex(index.siblingAtColumn(SCORE_COLUMN))
        super().keyPressEvent(event)
