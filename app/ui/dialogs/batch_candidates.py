"""考生: the roster; add people found by search, remove with a reason, assign seats."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services import listing
from app.services.actor import Actor
from app.services.enrolment import (
    EnrolmentInfo,
    assign_seats,
    enrol_people,
    list_enrolments,
    remove_enrolment,
)
from app.services.venues import list_rooms
from app.ui.dialogs.batch_common import ask_reason, fill_table, make_table, selected_key
from app.ui.models import ROW_ROLE
from app.ui.pages.table_page import database_model, fit_columns
from app.ui.pages.table_page import make_table as make_view

if TYPE_CHECKING:
    from app.ui.dialogs.batch_editor import BatchEditor


class PersonPicker(QDialog):
    """Find people by the start of the name or the whole ID number; pick one or more."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        from app.ui.pages.people import PEOPLE_COLUMNS

        super().__init__(parent)
        self.setWindowTitle(self.tr("添加考生"))
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("按姓名（任意部分）或完整证件号码查找，回车搜索"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.apply_search)
        layout.addWidget(self.search)
        self.model = database_model(
            db,
            PEOPLE_COLUMNS,
            lambda s, offset, limit, search: listing.people_page(s, offset, limit, search, actor=actor),
            lambda s, search: listing.people_count(s, search, actor=actor),
            self,
        )
        self.view = make_view(self.model, self)
        self.view.doubleClicked.connect(lambda _i: self.accept())
        layout.addWidget(self.view, 1)
        layout.addWidget(QLabel(self.tr("可按住 Ctrl 或 Shift 选择多人。")))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("添加所选"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.model.refresh()
        fit_columns(self.view, self.model)

    def apply_search(self) -> None:
        self.model.set_filter(self.search.text())

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.index(r, 0).data(ROW_ROLE).id for r in rows]


class CandidatesTab(QWidget):
    def __init__(self, editor: BatchEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.rows: list[EnrolmentInfo] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加考生(&A)…"))
        self.remove_button = QPushButton(self.tr("移除(&R)…"))
        self.seats_button = QPushButton(self.tr("分配座位(&S)"))
        self.import_button = QPushButton(self.tr("从 Excel 导入(&I)…"))
        self.import_button.clicked.connect(self.on_import)
        self.add_button.clicked.connect(self.on_add)
        self.remove_button.clicked.connect(self.on_remove)
        self.seats_button.clicked.connect(self.seat)
        for b in (self.add_button, self.import_button, self.remove_button, self.seats_button):
            bar.addWidget(b)
        bar.addStretch()
        self.count = QLabel()
        bar.addWidget(self.count)
        layout.addLayout(bar)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d35400;")
        layout.addWidget(self.message)
        self.table = make_table(
            [
                self.tr("准考证号"),
                self.tr("姓名"),
                self.tr("证件号码"),
                self.tr("单位"),
                self.tr("考场"),
                self.tr("座位"),
            ],
            self,
        )
        layout.addWidget(self.table, 1)

    def load(self) -> None:
        batch_id = self.editor.batch_id
        self.rows = []
        rooms: dict[int, str] = {}
        if batch_id is not None:
            with self.editor.db.session() as s:
                self.rows = list_enrolments(s, batch_id)
                rooms = {r.id: r.name for r in list_rooms(s)}
        fill_table(
            self.table,
            [
                [
                    r.admission_no,
                    r.name,
                    r.id_number,
                    r.employer,
                    rooms.get(r.room_id or 0, ""),
                    r.seat,
                ]
                for r in self.rows
            ],
            [r.id for r in self.rows],
        )
        self.count.setText(self.tr("共 {n} 人").format(n=len(self.rows)))
        for b in (self.add_button, self.import_button, self.remove_button, self.seats_button):
            b.setEnabled(self.editor.can_edit and batch_id is not None)

    # --- actions -------------------------------------------------------------------------
    def enrol(self, person_ids: list[int]) -> bool:
        editor, batch_id = self.editor, self.editor.batch_id
        ok, result = editor.run(lambda s: enrol_people(s, editor.actor, batch_id, person_ids))
        if ok:
            text = self.tr("已添加 {n} 名考生。").format(n=len(result.added))
            if result.warnings:
                text += self.tr("请核实：") + "；".join(result.warnings)
            self.message.setText(text)
        return ok

    def remove(self, enrolment_id: int, reason: str) -> bool:
        editor = self.editor
        return editor.run(lambda s: remove_enrolment(s, editor.actor, enrolment_id, reason))[0]

    def seat(self) -> bool:
        editor, batch_id = self.editor, self.editor.batch_id
        ok, seats = editor.run(lambda s: assign_seats(s, editor.actor, batch_id))
        if ok:
            self.message.setText(self.tr("已为 {n} 名考生编排理论考试座位。").format(n=len(seats)))
        return ok

    def on_add(self) -> None:
        picker = PersonPicker(self.editor.db, self.editor.actor, self)
        if picker.exec() == QDialog.DialogCode.Accepted and picker.selected_ids():
            self.enrol(picker.selected_ids())

    def import_dialog(self) -> QDialog:
        from app.ui.batch_import_jobs import candidates_job
        from app.ui.import_wizard import ImportDialog

        editor = self.editor
        return ImportDialog(editor.db, editor.actor, "people", self, job=candidates_job(editor.actor, editor.batch_id))

    def on_import(self) -> None:
        dialog = self.import_dialog()
        dialog.exec()
        if dialog.result_info is not None:
            self.editor.reload()

    def on_remove(self) -> None:
        key = selected_key(self.table)
        if key is None:
            return
        reason = ask_reason(
            self, self.tr("移除考生"), self.tr("移除理由（必填，将记入审计日志）："), required=True
        )
        if reason:
            self.remove(key, reason)
