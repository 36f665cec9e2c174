"""场次: the batch's sessions (date, start, end, subject, room); add, edit, remove."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import COMPONENT_NAMES, Component
from app.services.batches import (
    SessionInfo,
    SessionInput,
    add_session,
    list_sessions,
    remove_session,
    update_session,
)
from app.services.venues import RoomInfo, list_rooms
from app.ui.dialogs.batch_common import ask_reason, fill_table, make_table, selected_key

if TYPE_CHECKING:
    from app.ui.dialogs.batch_editor import BatchEditor


class SessionDialog(QDialog):
    """Input of one session; `value()` is the SessionInput."""

    def __init__(
        self,
        subjects: list[str],
        rooms: list[RoomInfo],
        parent: QWidget | None = None,
        current: SessionInfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改场次") if current else self.tr("添加场次"))
        form = QFormLayout(self)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.start = QTimeEdit()
        self.end = QTimeEdit()
        for t in (self.start, self.end):
            t.setDisplayFormat("HH:mm")
        self.subject = QComboBox()
        for subject in subjects:
            self.subject.addItem(COMPONENT_NAMES[Component(subject)], subject)
        self.room = QComboBox()
        self.room.addItem(self.tr("（未指定）"), None)
        for r in rooms:
            video = self.tr("，有视频监控") if r.has_video else ""
            self.room.addItem(
                self.tr("{venue} / {room}（{n} 座{video}）").format(
                    venue=r.venue, room=r.name, n=r.capacity, video=video
                ),
                r.id,
            )
        form.addRow(self.tr("日期(&D)："), self.day)
        form.addRow(self.tr("开始(&S)："), self.start)
        form.addRow(self.tr("结束(&E)："), self.end)
        form.addRow(self.tr("科目(&K)："), self.subject)
        form.addRow(self.tr("考场(&R)："), self.room)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        if current is not None:
            self.set_value(
                SessionInput(
                    current.day,
                    current.start_time,
                    current.end_time,
                    current.subject,
                    current.room_id,
                )
            )
        else:
            self.day.setDate(QDate.currentDate().addDays(30))
            self.start.setTime(QTime(9, 0))
            self.end.setTime(QTime(10, 30))

    def set_value(self, data: SessionInput) -> None:
        self.day.setDate(QDate(data.day.year, data.day.month, data.day.day))
        self.start.setTime(QTime(data.start_time.hour, data.start_time.minute))
        self.end.setTime(QTime(data.end_time.hour, data.end_time.minute))
        self.subject.setCurrentIndex(max(0, self.subject.findData(data.subject)))
        self.room.setCurrentIndex(max(0, self.room.findData(data.room_id)))

    def value(self) -> SessionInput:
        d, s, e = self.day.date(), self.start.time(), self.end.time()
        return SessionInput(
            day=dt.date(d.year(), d.month(), d.day()),
            start_time=dt.time(s.hour(), s.minute()),
            end_time=dt.time(e.hour(), e.minute()),
            subject=self.subject.currentData() or "",
            room_id=self.room.currentData(),
        )


class SessionsTab(QWidget):
    def __init__(self, editor: BatchEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.rows: list[SessionInfo] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加场次(&A)…"))
        self.edit_button = QPushButton(self.tr("修改(&E)…"))
        self.remove_button = QPushButton(self.tr("删除(&D)…"))
        self.add_button.clicked.connect(self.on_add)
        self.edit_button.clicked.connect(self.on_edit)
        self.remove_button.clicked.connect(self.on_remove)
        for b in (self.add_button, self.edit_button, self.remove_button):
            bar.addWidget(b)
        bar.addStretch()
        layout.addLayout(bar)
        self.table = make_table(
            [self.tr("日期"), self.tr("时间"), self.tr("科目"), self.tr("考场")], self
        )
        self.table.doubleClicked.connect(lambda _i: self.on_edit())
        layout.addWidget(self.table, 1)

    def load(self) -> None:
        batch_id = self.editor.batch_id
        self.rows = []
        if batch_id is not None:
            with self.editor.db.session() as s:
                self.rows = list_sessions(s, batch_id)
        fill_table(
            self.table,
            [
                [
                    r.day.isoformat(),
                    f"{r.start_time:%H:%M}–{r.end_time:%H:%M}",
                    r.subject_name,
                    r.room or self.tr("（未指定）"),
                ]
                for r in self.rows
            ],
            [r.id for r in self.rows],
        )
        for b in (self.add_button, self.edit_button, self.remove_button):
            b.setEnabled(self.editor.can_edit and batch_id is not None)

    def dialog(self, current: SessionInfo | None = None) -> SessionDialog:
        info = self.editor.info
        subjects = [c.value for c in Component if info and getattr(info, f"method_{c.value}")]
        with self.editor.db.session() as s:
            rooms = list_rooms(s)
        return SessionDialog(subjects, rooms, self, current)

    # --- actions (the dialogs only gather input) -----------------------------------------
    def add(self, data: SessionInput) -> bool:
        editor, batch_id = self.editor, self.editor.batch_id
        return editor.run(lambda s: add_session(s, editor.actor, batch_id, data))[0]

    def update(self, session_id: int, data: SessionInput) -> bool:
        editor = self.editor
        return editor.run(lambda s: update_session(s, editor.actor, session_id, data))[0]

    def remove(self, session_id: int, reason: str) -> bool:
        editor = self.editor
        return editor.run(lambda s: remove_session(s, editor.actor, session_id, reason))[0]

    def on_add(self) -> None:
        dialog = self.dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add(dialog.value())

    def on_edit(self) -> None:
        key = selected_key(self.table)
        current = next((r for r in self.rows if r.id == key), None)
        if current is None or not self.editor.can_edit:
            return
        dialog = self.dialog(current)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.update(current.id, dialog.value())

    def on_remove(self) -> None:
        key = selected_key(self.table)
        if key is None:
            return
        reason = ask_reason(
            self,
            self.tr("删除场次"),
            self.tr("删除该场次及其人员安排。理由（可不填）："),
            required=False,
        )
        if reason is not None:
            self.remove(key, reason)
