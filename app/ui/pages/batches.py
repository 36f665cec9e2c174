"""认定批次: the lazy batch list, with 新建批次 / 打开 (the batch editor) and 考点与考场."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QPushButton, QWidget

from app.db import Database
from app.services import listing
from app.services.actor import Actor
from app.services.permissions import Perm, allowed
from app.ui.dialogs.batch_editor import BatchEditor
from app.ui.dialogs.venue_dialog import VenuesDialog
from app.ui.models import ROW_ROLE, Column
from app.ui.pages.table_page import TablePage, database_model

C = "Column"  # translation context shared with PagedQueryModel

BATCH_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "批次编号"), lambda r: r.code, width=90),
    Column(QT_TRANSLATE_NOOP(C, "名称"), lambda r: r.name, width=280),
    Column(QT_TRANSLATE_NOOP(C, "职业"), lambda r: r.occupation, width=120),
    Column(QT_TRANSLATE_NOOP(C, "工种"), lambda r: r.work_type, width=90),
    Column(QT_TRANSLATE_NOOP(C, "等级"), lambda r: r.level_name, width=110),
    Column(QT_TRANSLATE_NOOP(C, "状态"), lambda r: r.status_name, width=90),
    Column(QT_TRANSLATE_NOOP(C, "考生人数"), lambda r: r.candidates, align_right=True),
)


class BatchesPage(TablePage):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        model = database_model(db, BATCH_COLUMNS, listing.batches_page, listing.batches_count)
        super().__init__(
            self.tr("认定批次"),
            model,
            search_placeholder=self.tr("按批次编号开头或名称查找"),
            explanation=self.tr(
                "双击或按回车打开批次；计划（场次、考生、人员）在草稿状态下编辑，检查通过后报备。"
            ),
            parent=parent,
        )
        self._db, self._actor = db, actor
        self.editor: BatchEditor | None = None
        self.new_button = QPushButton(self.tr("新建批次(&N)…"))
        self.new_button.setObjectName("new_batch")
        self.open_button = QPushButton(self.tr("打开(&O)"))
        self.venues_button = QPushButton(self.tr("考点与考场(&V)…"))
        self.new_button.setEnabled(allowed(actor, Perm.EDIT_BATCH))
        self.new_button.clicked.connect(lambda: self.open_batch(None))
        self.open_button.clicked.connect(self.open_current)
        self.venues_button.clicked.connect(self.open_venues)
        row = self.layout().itemAt(self.layout().count() - 2).layout()  # the search bar
        for i, b in enumerate((self.new_button, self.open_button, self.venues_button)):
            row.insertWidget(1 + i if self.search is not None else i, b)
        # activated: a double-click or Enter (one signal, so a double-click opens once)
        self.table.activated.connect(lambda _i: self.open_current())

    def current_batch_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.model.index(index.row(), 0).data(ROW_ROLE)
        return row.id if row is not None else None

    def open_current(self) -> None:
        batch_id = self.current_batch_id()
        if batch_id is not None:
            self.open_batch(batch_id)

    def open_batch(self, batch_id: int | None) -> BatchEditor:
        """The editor opens window-modal without blocking; the list refreshes after changes."""
        if self.editor is not None:
            self.editor.close()
            self.editor.deleteLater()
        self.editor = BatchEditor(self._db, self._actor, batch_id, self)
        self.editor.changed.connect(self.refresh)
        self.editor.open()
        return self.editor

    def open_venues(self) -> VenuesDialog:
        dialog = VenuesDialog(self._db, self._actor, self)
        dialog.open()
        return dialog
