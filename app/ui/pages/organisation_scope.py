"""备案范围 on the 机构与备案 page: the filed (occupation, work type, level) table, and the
button to the occupation catalogue (app.ui.dialogs.catalogue)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError
from app.services.actor import Actor
from app.services.filed_scope import add_scope_entry, remove_scope_entry
from app.ui.errors import show_user_error
from app.ui.pages.table_page import note


class ScopeBox(QGroupBox):
    """Shows an OrgOverview's scope; emits `changed` after a successful add or remove, or after
    the catalogue was changed."""

    changed = Signal()

    def __init__(
        self, db: Database, actor: Actor, can_edit: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._actor, self.can_edit = db, actor, can_edit
        self.setTitle(self.tr("备案范围"))
        self._occupations: list = []  # type: ignore[type-arg]
        self.scope_rows: list = []  # type: ignore[type-arg]
        col = QVBoxLayout(self)
        self.scope_note = note("")
        col.addWidget(self.scope_note)
        # Filed entries the profile / 机构级别 in force forbids (kept from before the check).
        self.scope_problems = QLabel()
        self.scope_problems.setObjectName("scope_problems")
        self.scope_problems.setWordWrap(True)
        self.scope_problems.setStyleSheet("color: #c62828; font-weight: bold;")
        self.scope_problems.hide()
        col.addWidget(self.scope_problems)
        self.scope_table = QTableWidget(0, 4)
        self.scope_table.setObjectName("scope_table")
        self.scope_table.setHorizontalHeaderLabels(
            [self.tr("职业编码"), self.tr("职业"), self.tr("工种"), self.tr("等级")]
        )
        self.scope_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scope_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.scope_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.scope_table.verticalHeader().setVisible(False)
        self.scope_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.scope_table.setMinimumHeight(180)
        col.addWidget(self.scope_table)
        add = QHBoxLayout()
        self.occupation = QComboBox()
        self.occupation.setMinimumContentsLength(16)
        self.work_type = QComboBox()
        self.work_type.setMinimumContentsLength(10)
        self.level = QComboBox()
        self.level.setMinimumContentsLength(10)
        self.occupation.currentIndexChanged.connect(self._fill_work_types)
        self.add_scope_button = QPushButton(self.tr("添加到备案范围(&A)"))
        self.add_scope_button.clicked.connect(self.add_scope)
        self.remove_scope_button = QPushButton(self.tr("移除所选(&R)"))
        self.remove_scope_button.clicked.connect(self.remove_scope)
        # The catalogue the occupation list comes from: add, edit, delete, import, export.
        self.catalogue_button = QPushButton(self.tr("职业目录(&C)…"))
        self.catalogue_button.setObjectName("catalogue_button")
        self.catalogue_button.clicked.connect(self.open_catalogue)
        for label, widget in (
            (self.tr("职业"), self.occupation),
            (self.tr("工种"), self.work_type),
            (self.tr("等级"), self.level),
        ):
            add.addWidget(QLabel(label + "："))
            add.addWidget(widget)
        for button in (self.add_scope_button, self.remove_scope_button):
            add.addWidget(button)
        editing = QWidget()  # adding and removing need the right to edit; the catalogue is for all
        editing.setLayout(add)
        editing.setVisible(self.can_edit)
        add.setContentsMargins(0, 0, 0, 0)
        bottom = QHBoxLayout()
        bottom.addWidget(editing)
        bottom.addStretch()
        bottom.addWidget(self.catalogue_button)
        col.addLayout(bottom)

    def show_scope(self, overview, occupations) -> None:  # type: ignore[no-untyped-def]
        from app.rules.levels import level_name

        self.scope_rows = list(overview.scope) if overview else []
        self.scope_table.setRowCount(len(self.scope_rows))
        for r, row in enumerate(self.scope_rows):
            for c, text in enumerate(
                (row.occupation_code, row.occupation_name, row.work_type or "—", row.level_name)
            ):
                self.scope_table.setItem(r, c, QTableWidgetItem(text))
        if overview is None:
            self.scope_note.setText(self.tr("请先保存机构信息，再维护备案范围。"))
            levels: list[int] = []
        else:
            limit = overview.work_type_limit
            self.scope_note.setText(
                self.tr(
                    "{profile}，{scope}：可备案等级 {levels}；已备案职业（工种）{n} 个{limit}。"
                ).format(
                    profile=overview.profile_display_name,
                    scope=overview.scope_label,
                    levels="、".join(level_name(x, short=True) for x in overview.allowed_levels)
                    or self.tr("无"),
                    n=overview.work_type_count,
                    limit=self.tr("（上限 {m} 个）").format(m=limit) if limit else "",
                )
            )
            levels = overview.allowed_levels
        problems = overview.scope_problems if overview else []
        self.scope_problems.setText(
            self.tr("备案范围与现行规则不符：{problems}。请在下表中选中这些条目并移除。").format(
                problems="；".join(problems)
            )
            if problems
            else ""
        )
        self.scope_problems.setVisible(bool(problems))
        self._occupations = occupations
        self.occupation.clear()
        for occ_id, text, _wts in occupations:
            self.occupation.addItem(text, occ_id)
        self.level.clear()
        for lv in levels:
            self.level.addItem(level_name(lv), lv)
        self._fill_work_types()
        ready = overview is not None
        self.add_scope_button.setEnabled(ready and bool(occupations) and bool(levels))
        self.remove_scope_button.setEnabled(ready and bool(self.scope_rows))

    def _fill_work_types(self, *_args: object) -> None:
        self.work_type.clear()
        self.work_type.addItem(self.tr("（不分工种）"), None)
        i = self.occupation.currentIndex()
        if 0 <= i < len(self._occupations):
            for wt_id, name in self._occupations[i][2]:
                self.work_type.addItem(name, wt_id)

    def add_scope(self) -> None:
        occ_id, level = self.occupation.currentData(), self.level.currentData()
        if occ_id is None or level is None:
            return
        try:
            with self._db.session() as s:
                add_scope_entry(s, self._actor, occ_id, level, self.work_type.currentData())
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self.changed.emit()

    def remove_scope(self) -> None:
        row = self.scope_table.currentRow()
        if not 0 <= row < len(self.scope_rows):
            QMessageBox.information(
                self, self.tr("移除备案范围"), self.tr("请先在表格中选中一行。")
            )
            return
        entry = self.scope_rows[row]
        answer = QMessageBox.question(
            self,
            self.tr("移除备案范围"),
            self.tr("从备案范围中移除“{occ}{wt}”{level}？").format(
                occ=entry.occupation_name,
                wt=f"（{entry.work_type}）" if entry.work_type else "",
                level=entry.level_name,
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._db.session() as s:
                remove_scope_entry(s, self._actor, entry.id)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self.changed.emit()

    def open_catalogue(self) -> None:
        """The 职业目录 dialog; the scope box is refreshed when anything in it was saved."""
        from app.ui.dialogs.catalogue import CatalogueDialog

        dialog = CatalogueDialog(self._db, self._actor, self)
        dialog.exec()
        if dialog.changed:
            self.changed.emit()
