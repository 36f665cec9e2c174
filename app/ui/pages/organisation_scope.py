"""备案范围 on the 机构与备案 page: the filed (occupation, work type, level) table with each
entry's 培训评价起始日期 and 已培训评价人数 (000 附件1 二, 003 附件1), the standard or evaluation
specification it follows (001 附件1 二, 002 附件1 二) and the subsidised training done (003 附件1),
and the button to the occupation catalogue (app.ui.dialogs.catalogue)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
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
from app.services.filed_scope import (
    MAX_ASSESSED,
    SCOPE_TEXTS,
    ScopeRow,
    add_scope_entry,
    batches_using,
    remove_scope_entry,
    update_scope_history,
)
from app.ui.date_text import parse_date
from app.ui.errors import show_user_error
from app.ui.pages.table_page import note
from app.ui.widgets.count_box import CountBox
from app.ui.widgets.fit_columns import ColumnFitter
from app.ui.widgets.text_width import fit_text

SCOPE_COLUMNS = (
    "职业编码", "职业", "是否新职业", "工种", "等级", "培训评价起始日期", "已培训评价人数（人）",
    SCOPE_TEXTS["standard"], SCOPE_TEXTS["subsidised_training"],
)  # fmt: skip
COUNT_COLUMN = SCOPE_COLUMNS.index("已培训评价人数（人）")
LONG_TEXT_COLUMNS = (1, 3, 7, 8)  # 职业, 工种, 职业标准或评价规范, 补贴性培训情况
LONG_TEXT_WIDTH = 240  # px at most before a long text is elided (its tooltip has it whole)
STANDARD_HINT = "如：国家职业技能标准（2019 年版），或行业企业评价规范的名称"
SUBSIDISED_HINT = "如：2025 年开展补贴性培训 120 人次；没有的留空"


def _count_box() -> CountBox:
    return CountBox(MAX_ASSESSED, " 人")


def _row_cells(row: ScopeRow) -> tuple[str, ...]:
    return (
        row.occupation_code, row.occupation_name, "是" if row.is_new else "否",
        row.work_type or "—", row.level_name,
        row.started_on.isoformat() if row.started_on else "未填写", str(row.assessed_count),
        row.standard or "未填写", row.subsidised_training or "—",
    )  # fmt: skip


def _text_edit(name: str, hint: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(hint)
    return edit


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
        self.scope_table = QTableWidget(0, len(SCOPE_COLUMNS))
        self.scope_table.setObjectName("scope_table")
        self.scope_table.setHorizontalHeaderLabels([self.tr(t) for t in SCOPE_COLUMNS])
        self.scope_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scope_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.scope_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.scope_table.verticalHeader().setVisible(False)
        self.scope_table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move rows
        # 职业 and 职业标准或评价规范 stay readable at 1024 px (the table scrolls sideways)
        self._columns = ColumnFitter(self.scope_table, LONG_TEXT_COLUMNS, LONG_TEXT_WIDTH)
        self.scope_table.setMinimumHeight(180)
        if can_edit:  # a double-click edits the entry's details
            self.scope_table.doubleClicked.connect(lambda _i: self.edit_history())
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
        self.started_on = QLineEdit()
        self.started_on.setObjectName("started_on")
        self.started_on.setPlaceholderText(self.tr("年-月-日，可留空"))
        fit_text(self.started_on, self.started_on.placeholderText(), "2021-05-01")
        self.assessed_count = _count_box()
        self.assessed_count.setObjectName("assessed_count")
        self.standard = _text_edit("standard", self.tr(STANDARD_HINT))
        self.subsidised_training = _text_edit("subsidised_training", self.tr(SUBSIDISED_HINT))
        self.edit_history_button = QPushButton(self.tr("修改所选条目(&E)…"))
        self.edit_history_button.setObjectName("edit_history_button")
        self.edit_history_button.clicked.connect(self.edit_history)
        # The catalogue the occupation list comes from: add, edit, delete, import, export.
        self.catalogue_button = QPushButton(self.tr("职业目录(&C)…"))
        self.catalogue_button.setObjectName("catalogue_button")
        self.catalogue_button.clicked.connect(self.open_catalogue)
        history = QHBoxLayout()
        texts = QHBoxLayout()
        actions = QHBoxLayout()  # a row of their own: beside the fields they need 1024 px
        for layout, widgets in (
            (add, ((self.tr("职业"), self.occupation), (self.tr("工种"), self.work_type),
                   (self.tr("等级"), self.level))),
            (history, ((self.tr("培训评价起始日期"), self.started_on),
                       (self.tr("已培训评价人数"), self.assessed_count))),
            (texts, ((self.tr(SCOPE_TEXTS["standard"]), self.standard),
                     (self.tr("补贴性培训情况"), self.subsidised_training))),
        ):  # fmt: skip
            for label, widget in widgets:
                caption = QLabel(label + "：")
                caption.setBuddy(widget)
                layout.addWidget(caption)
                layout.addWidget(widget)
        for button in (self.add_scope_button, self.remove_scope_button, self.edit_history_button):
            actions.addWidget(button)
        for layout in (add, history, actions):
            layout.addStretch()
        editing = QWidget()  # changing the scope needs the right to edit; the catalogue is for all
        rows = QVBoxLayout(editing)
        rows.setContentsMargins(0, 0, 0, 0)
        for layout in (add, texts, history, actions):
            rows.addLayout(layout)
        editing.setVisible(self.can_edit)
        bottom = QHBoxLayout()
        bottom.addWidget(editing, 1)
        bottom.addWidget(self.catalogue_button, 0, Qt.AlignmentFlag.AlignBottom)
        col.addLayout(bottom)

    def show_scope(self, overview, occupations) -> None:  # type: ignore[no-untyped-def]
        from app.rules.levels import level_name

        self.scope_rows = list(overview.scope) if overview else []
        self.scope_table.setRowCount(len(self.scope_rows))
        for r, row in enumerate(self.scope_rows):
            for c, text in enumerate(_row_cells(row)):
                item = QTableWidgetItem(text)
                if c != COUNT_COLUMN:  # a narrow column elides: the whole text on hover
                    item.setToolTip(text)
                if c == COUNT_COLUMN:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.scope_table.setItem(r, c, item)
        self._columns.fit()
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
        self._refill_choices(occupations, [(level_name(lv), lv) for lv in levels])
        ready = overview is not None
        self.add_scope_button.setEnabled(ready and bool(occupations) and bool(levels))
        self.remove_scope_button.setEnabled(ready and bool(self.scope_rows))
        self.edit_history_button.setEnabled(ready and bool(self.scope_rows))

    def _refill_choices(
        self,
        occupations: list,  # type: ignore[type-arg]
        levels: list[tuple[str, int]],
    ) -> None:
        """Refill 职业, 工种 and 等级, keeping what the user chose when it is still offered. When
        a choice is gone, the typed details (起始日期, 人数, 标准, 补贴性培训) are cleared too: they
        were typed for the entry that can no longer be chosen, and must not be added to another."""
        before = (
            self.occupation.currentData(),
            self.work_type.currentData(),
            self.level.currentData(),
        )
        chosen = self.occupation.count() > 0  # (the first fill has nothing to keep)
        self._occupations = occupations
        for combo in (self.occupation, self.level):
            combo.blockSignals(True)
        try:
            self.occupation.clear()
            for occ_id, text, _wts in occupations:
                self.occupation.addItem(text, occ_id)
            self.level.clear()
            for text, lv in levels:
                self.level.addItem(text, lv)
            kept = True
            for combo, value in ((self.occupation, before[0]), (self.level, before[2])):
                index = combo.findData(value) if value is not None else -1
                kept = kept and index >= 0
                combo.setCurrentIndex(max(index, 0) if combo.count() else -1)
        finally:
            for combo in (self.occupation, self.level):
                combo.blockSignals(False)
        self._fill_work_types()
        index = self.work_type.findData(before[1])
        kept = kept and index >= 0
        self.work_type.setCurrentIndex(max(index, 0))
        if chosen and not kept:
            self._clear_details()

    def _clear_details(self) -> None:
        for edit in (self.started_on, self.standard, self.subsidised_training):
            edit.clear()
        self.assessed_count.setValue(0)

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
            started_on = parse_date(
                self.started_on.text(), self.tr("培训评价起始日期"), "started_on", "2021-05-01"
            )
            with self._db.session() as s:
                add_scope_entry(
                    s,
                    self._actor,
                    occ_id,
                    level,
                    self.work_type.currentData(),
                    started_on=started_on,
                    assessed_count=self.assessed_count.value(),
                    standard=self.standard.text(),
                    subsidised_training=self.subsidised_training.text(),
                )
        except SkillSiteError as exc:
            show_user_error(exc, self)
            field = getattr(exc, "field", None)
            if field in ("started_on", "standard", "subsidised_training"):
                getattr(self, field).setFocus()
            return
        self._clear_details()
        self.changed.emit()

    def _selected(self, title: str) -> ScopeRow | None:
        row = self.scope_table.currentRow()
        if not 0 <= row < len(self.scope_rows):
            QMessageBox.information(self, title, self.tr("请先在表格中选中一行。"))
            return None
        return self.scope_rows[row]

    def edit_history(self) -> bool:
        """The selected entry's 培训评价起始日期, 已培训评价人数, 职业标准或评价规范 and
        补贴性培训情况, in a dialog; True when saved."""
        entry = self._selected(self.tr("修改备案范围条目"))
        if entry is None:
            return False
        dialog = ScopeHistoryDialog(self._db, self._actor, entry, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.changed.emit()
        return True

    def remove_scope(self) -> None:
        entry = self._selected(self.tr("移除备案范围"))
        if entry is None:
            return
        with self._db.session() as s:
            batches = batches_using(s, entry.id)
        question = self.tr("从备案范围中移除“{occ}{wt}”{level}？").format(
            occ=entry.occupation_name,
            wt=f"（{entry.work_type}）" if entry.work_type else "",
            level=entry.level_name,
        )
        if batches:
            question += "\n\n" + self.tr(
                "注意：批次 {batches} 按此职业等级安排，移除后将超出备案范围（计划检查报错，"
                "不能报备和实施）。必须填写移除原因。"
            ).format(batches="、".join(batches))
        reason, ok = QInputDialog.getText(
            self, self.tr("移除备案范围"), question + "\n\n" + self.tr("移除原因（记入审计日志）：")
        )
        if not ok:
            return
        try:
            with self._db.session() as s:
                remove_scope_entry(s, self._actor, entry.id, reason=reason.strip())
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


class ScopeHistoryDialog(QDialog):
    """培训评价起始日期, 已培训评价人数, 职业标准或评价规范, 补贴性培训情况 and a 说明 of one filed
    entry; OK saves (audited) and closes, a refusal is shown and the dialog stays open."""

    def __init__(
        self, db: Database, actor: Actor, entry: ScopeRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._actor, self._entry = db, actor, entry
        self.setWindowTitle(self.tr("修改备案范围条目"))
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        work_type = f"（{entry.work_type}）" if entry.work_type else ""
        form.addRow(
            self.tr("备案范围："),
            QLabel(
                f"{entry.occupation_code} {entry.occupation_name}{work_type} {entry.level_name}"
            ),
        )
        self.started_on = QLineEdit(entry.started_on.isoformat() if entry.started_on else "")
        self.started_on.setObjectName("started_on")
        self.started_on.setPlaceholderText(self.tr("年-月-日，如 2021-05-01；未开始的留空"))
        self.assessed_count = _count_box()
        self.assessed_count.setObjectName("assessed_count")
        self.assessed_count.setValue(min(entry.assessed_count, MAX_ASSESSED))
        self.standard = _text_edit("standard", self.tr(STANDARD_HINT))
        self.standard.setText(entry.standard)
        self.subsidised_training = _text_edit("subsidised_training", self.tr(SUBSIDISED_HINT))
        self.subsidised_training.setText(entry.subsidised_training)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("如：按 2026 年度统计更新（记入审计日志）"))
        form.addRow(self.tr("培训评价起始日期(&D)："), self.started_on)
        form.addRow(self.tr("已培训评价人数(&N)："), self.assessed_count)
        form.addRow(self.tr("职业标准或评价规范(&G)："), self.standard)
        form.addRow(self.tr("补贴性培训情况(&T)："), self.subsidised_training)
        form.addRow(self.tr("修改说明(&R)："), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def submit(self) -> bool:
        try:
            started_on = parse_date(
                self.started_on.text(), self.tr("培训评价起始日期"), "started_on", "2021-05-01"
            )
            with self._db.session() as s:
                update_scope_history(
                    s,
                    self._actor,
                    self._entry.id,
                    started_on=started_on,
                    assessed_count=self.assessed_count.value(),
                    standard=self.standard.text(),
                    subsidised_training=self.subsidised_training.text(),
                    reason=self.reason.text().strip(),
                )
        except SkillSiteError as exc:
            show_user_error(exc, self)
            field = getattr(exc, "field", None)
            focus = {"standard": self.standard, "subsidised_training": self.subsidised_training}
            focus.get(field, self.started_on).setFocus()
            return False
        self.accept()
        return True
