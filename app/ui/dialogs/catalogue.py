"""职业目录: the occupation catalogue (职业分类大典 code, name, 新职业, work types) — list, add,
edit, delete (refused while in use), import from Excel and export in the import's layout."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError
from app.services.actor import Actor
from app.services.catalogue import (
    OccupationInput,
    create_occupation,
    delete_occupation,
    list_occupations,
    rename_question,
    split_work_types,
    update_occupation,
)
from app.services.catalogue_file import export_catalogue, import_catalogue
from app.services.permissions import Perm, allowed
from app.ui.busy import busy_cursor
from app.ui.errors import show_user_error
from app.ui.file_choice import choose_save_file, excel_filter


def _tr(text: str) -> str:
    return QCoreApplication.translate("CatalogueDialog", text)


class OccupationDialog(QDialog):
    """Add (occupation_id None) or edit one occupation; OK saves through the service."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        occupation_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._actor, self.occupation_id = db, actor, occupation_id
        self.setWindowTitle(_tr("新增职业") if occupation_id is None else _tr("修改职业"))
        self.setMinimumWidth(460)
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText(_tr("如 4-12-01-01"))
        self.code.setMaxLength(20)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setMaxLength(100)
        self.is_new = QCheckBox(_tr("新职业（人社部发布的新职业）"))
        self.work_types = QPlainTextEdit()
        self.work_types.setObjectName("work_types")
        self.work_types.setPlaceholderText(_tr("每行一个工种；不分工种则留空"))
        self.work_types.setTabChangesFocus(True)
        self.work_types.setFixedHeight(110)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(_tr("可不填，记入审计日志"))
        form = QFormLayout()
        form.addRow(_tr("职业编码(&C)："), self.code)
        form.addRow(_tr("职业名称(&N)："), self.name)
        form.addRow("", self.is_new)
        form.addRow(_tr("工种(&W)："), self.work_types)
        form.addRow(_tr("说明(&R)："), self.reason)
        hint = QLabel(
            _tr(
                "已用于备案范围、考评员资格或认定批次的工种不能删除；已使用的职业不能改编码，"
                "已报备或已发证的职业不能改名。"
            )
            if occupation_id is not None
            else ""
        )
        hint.setWordWrap(True)
        hint.setVisible(occupation_id is not None)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        if occupation_id is not None:
            self._load(occupation_id)

    def _load(self, occupation_id: int) -> None:
        from app.services.catalogue import get_occupation
        from app.services.occupation_use import occupation_uses

        with self._db.session() as s:
            occ = get_occupation(s, occupation_id)
            uses = occupation_uses(s, occ.id)
            self.code.setText(occ.code)
            if uses:  # (the service refuses a new code too)
                self.code.setReadOnly(True)
                self.code.setStyleSheet("QLineEdit:read-only { background: palette(window); }")
                self.code.setToolTip(
                    _tr("已用于{uses}，编码不能修改：如职业确有变更，请新增一个职业。").format(
                        uses="、".join(uses)
                    )
                )
            self.name.setText(occ.name)
            self.is_new.setChecked(bool(occ.is_new))
            self.work_types.setPlainText("\n".join(w.name for w in occ.work_types))

    def data(self) -> OccupationInput:
        return OccupationInput(
            self.code.text(),
            self.name.text().strip(),
            self.is_new.isChecked(),
            split_work_types(self.work_types.toPlainText()),
        )

    def _rename_confirmed(self, question: str, reason: str) -> bool:
        """Asked before an occupation of the filed scope is renamed; the why is required."""
        answer = QMessageBox.question(
            self,
            _tr("职业改名"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.name.setFocus()
            return False
        if not reason:
            QMessageBox.information(
                self,
                _tr("职业改名"),
                _tr("请在“说明”中写明改名的依据（如职业分类大典修订、备案变更），记入审计日志。"),
            )
            self.reason.setFocus()
            return False
        return True

    def save(self) -> bool:
        data, reason = self.data(), self.reason.text().strip()
        new_id = None
        try:
            question = None
            if self.occupation_id is not None:  # asked outside the saving transaction
                with self._db.session() as s:
                    question = rename_question(s, self._actor, self.occupation_id, data)
                if question and not self._rename_confirmed(question, reason):
                    return False
            with self._db.session() as s:
                if self.occupation_id is None:
                    occ = create_occupation(s, self._actor, data, reason)
                    s.flush()
                    new_id = occ.id
                else:
                    update_occupation(
                        s,
                        self._actor,
                        self.occupation_id,
                        data,
                        reason,
                        rename_confirmed=bool(question),
                    )
        except SkillSiteError as exc:  # the session rolled back: nothing was written
            show_user_error(exc, self)
            fields = {"code": self.code, "name": self.name, "work_types": self.work_types}
            fields["reason"] = self.reason
            fields.get(getattr(exc, "field", None) or "", self.name).setFocus()
            return False
        if new_id is not None:
            self.occupation_id = new_id
        self.accept()
        return True


class CatalogueDialog(QDialog):
    """The catalogue, one occupation a row; `changed` is True once anything was saved."""

    HEADERS = ("职业编码", "职业名称", "新职业", "工种")

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.can_edit = allowed(actor, Perm.EDIT_ORGANISATION)
        self.changed = False
        self.ids: list[int] = []
        self.setWindowTitle(_tr("职业目录"))
        self.resize(760, 480)
        intro = QLabel(
            _tr(
                "职业分类大典中的职业及其工种。备案范围、考评员资格和认定批次都从这里选择职业。"
                "可逐个维护，也可从 Excel 导入（先导出一份作为模板）。"
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setObjectName("catalogue_table")
        self.table.setHorizontalHeaderLabels([_tr(h) for h in self.HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        header = self.table.horizontalHeader()
        for c in range(3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self.edit())  # double-click or Enter
        self.table.installEventFilter(self)  # the Delete key deletes (after asking)
        self.add_button = QPushButton(_tr("新增(&N)…"))
        self.edit_button = QPushButton(_tr("修改(&E)…"))
        self.delete_button = QPushButton(_tr("删除(&D)"))
        self.import_button = QPushButton(_tr("从 Excel 导入(&I)…"))
        self.export_button = QPushButton(_tr("导出 / 模板(&X)…"))
        close = QPushButton(_tr("关闭"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export)
        close.clicked.connect(self.accept)
        for button in (self.add_button, self.edit_button, self.delete_button, self.import_button):
            button.setVisible(self.can_edit)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            row.addWidget(button)
        row.addStretch()
        for button in (self.import_button, self.export_button, close):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        with self._db.session() as s:
            rows = [
                (o.id, o.code, o.name, _tr("是") if o.is_new else "",
                 "、".join(w.name for w in o.work_types))
                for o in list_occupations(s, actor=self._actor)
            ]  # fmt: skip
        self.ids = [r[0] for r in rows]
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values[1:]):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setToolTip(text)
                self.table.setItem(r, c, item)
        if select_id in self.ids:
            self.table.selectRow(self.ids.index(select_id))
        has_rows = bool(rows)
        self.edit_button.setEnabled(has_rows)
        self.delete_button.setEnabled(has_rows)

    def selected_id(self) -> int | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.ids) and self.table.selectionModel().isRowSelected(row):
            return self.ids[row]
        return None

    def _need_selection(self, title: str) -> int | None:
        occ_id = self.selected_id()
        if occ_id is None:
            QMessageBox.information(self, title, _tr("请先在表格中选中一个职业。"))
        return occ_id

    def add(self) -> None:
        dialog = OccupationDialog(self._db, self._actor, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.changed = True
            self.refresh(dialog.occupation_id)

    def edit(self) -> None:
        if not self.can_edit:
            return
        occ_id = self._need_selection(_tr("修改职业"))
        if occ_id is None:
            return
        dialog = OccupationDialog(self._db, self._actor, occ_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.changed = True
            self.refresh(occ_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
            and self.can_edit
        ):
            self.delete()
            return True
        return super().eventFilter(watched, event)

    def delete(self) -> None:
        occ_id = self._need_selection(_tr("删除职业"))
        if occ_id is None:
            return
        row = self.ids.index(occ_id)
        code, name = self.table.item(row, 0).text(), self.table.item(row, 1).text()
        answer = QMessageBox.question(
            self,
            _tr("删除职业"),
            _tr("从职业目录中删除“{name}”（{code}）及其工种？").format(name=name, code=code),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._db.session() as s:
                delete_occupation(s, self._actor, occ_id)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self.changed = True
        self.refresh()

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, _tr("导入职业目录"), "", excel_filter())
        if not path:
            return
        try:
            with busy_cursor(), self._db.session() as s:
                result = import_catalogue(s, self._actor, path)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self.changed = True
        self.refresh()
        QMessageBox.information(self, _tr("导入职业目录"), result.summary_text())

    def export(self) -> None:
        path = choose_save_file(self, _tr("导出职业目录"), _tr("职业目录.xlsx"))
        if path is None:
            return
        try:
            with busy_cursor(), self._db.session() as s:
                written = export_catalogue(s, self._actor, path)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        QMessageBox.information(
            self,
            _tr("导出职业目录"),
            _tr("职业目录已保存到：\n{p}\n\n可在其中增改后从“从 Excel 导入”导回。").format(
                p=written
            ),
        )
