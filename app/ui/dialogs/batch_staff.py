"""人员安排: examiners and proctors per session, supervisors for the whole batch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Duty
from app.services.batches import (
    DUTY_NAMES,
    AssignmentInfo,
    SessionInfo,
    assign_staff,
    list_sessions,
    list_staff,
    unassign_staff,
)
from app.services.roster_queries import search_roster
from app.ui.dialogs.batch_common import ask_reason, fill_table, make_table, selected_key
from app.ui.pages.table_page import note

if TYPE_CHECKING:
    from app.ui.dialogs.batch_editor import BatchEditor


class StaffTab(QWidget):
    def __init__(self, editor: BatchEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.rows: list[AssignmentInfo] = []
        self.sessions: list[SessionInfo] = []
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                self.tr(
                    "考评员、监考员按场次安排，内部质量督导员按批次安排。人员须已在“人员”中登记相应角色；"
                    "资格、时间冲突和回避问题在“检查”中列出。"
                )
            )
        )
        form = QFormLayout()
        self.duty = QComboBox()
        self.duty.setObjectName("duty")
        for d in Duty:
            self.duty.addItem(DUTY_NAMES[d], d.value)
        self.session = QComboBox()
        self.session.setObjectName("session")
        self.person = QComboBox()
        self.person.setObjectName("person")
        self.person.setMinimumWidth(320)
        form.addRow(self.tr("职责(&U)："), self.duty)
        form.addRow(self.tr("场次(&C)："), self.session)
        form.addRow(self.tr("人员(&P)："), self.person)
        layout.addLayout(form)
        bar = QHBoxLayout()
        self.assign_button = QPushButton(self.tr("安排(&A)"))
        self.unassign_button = QPushButton(self.tr("取消安排(&R)…"))
        self.assign_button.clicked.connect(self.on_assign)
        self.unassign_button.clicked.connect(self.on_unassign)
        bar.addWidget(self.assign_button)
        bar.addWidget(self.unassign_button)
        bar.addStretch()
        layout.addLayout(bar)
        self.table = make_table([self.tr("职责"), self.tr("场次"), self.tr("姓名")], self)
        layout.addWidget(self.table, 1)
        self.duty.currentIndexChanged.connect(self._duty_changed)

    def load(self) -> None:
        batch_id = self.editor.batch_id
        self.rows, self.sessions = [], []
        if batch_id is not None:
            with self.editor.db.session() as s:
                self.rows = list_staff(s, batch_id)
                self.sessions = list_sessions(s, batch_id)
        self.session.clear()
        for x in self.sessions:
            self.session.addItem(x.label, x.id)
        self._duty_changed()
        fill_table(
            self.table,
            [[r.duty_name, r.session_label or self.tr("全批次"), r.name] for r in self.rows],
            [r.id for r in self.rows],
        )
        for b in (self.assign_button, self.unassign_button):
            b.setEnabled(self.editor.can_edit and batch_id is not None)

    def _duty_changed(self, *_args: object) -> None:
        duty = self.duty.currentData()
        self.session.setEnabled(duty != Duty.SUPERVISOR)
        self.person.clear()
        if self.editor.batch_id is None:
            return
        with self.editor.db.session() as s:
            people = search_roster(s, role=duty)
        for p in people:
            extra = f"  {p.title}" if p.title else ""
            self.person.addItem(f"{p.name}（{p.employer or '—'}）{extra}", p.id)

    # --- actions -------------------------------------------------------------------------
    def assign(self, person_id: int, duty: str, session_id: int | None) -> bool:
        editor, batch_id = self.editor, self.editor.batch_id
        if duty == Duty.SUPERVISOR:
            session_id = None
        return editor.run(
            lambda s: assign_staff(s, editor.actor, batch_id, person_id, duty, session_id)
        )[0]

    def unassign(self, assignment_id: int, reason: str) -> bool:
        editor = self.editor
        return editor.run(lambda s: unassign_staff(s, editor.actor, assignment_id, reason))[0]

    def on_assign(self) -> None:
        person_id = self.person.currentData()
        if person_id is None:
            return
        duty = self.duty.currentData()
        keep = (self.duty.currentIndex(), self.session.currentIndex())
        if self.assign(person_id, duty, self.session.currentData()):
            self.duty.setCurrentIndex(keep[0])
            self.session.setCurrentIndex(keep[1])

    def on_unassign(self) -> None:
        key = selected_key(self.table)
        if key is None:
            return
        reason = ask_reason(self, self.tr("取消安排"), self.tr("理由（可不填）："), required=False)
        if reason is not None:
            self.unassign(key, reason)
