"""考点与考场: venues with their rooms (capacity, video monitoring, stations per occupation)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import SkillSiteError
from app.services.actor import Actor
from app.services.catalogue import list_occupations
from app.services.permissions import Perm, allowed
from app.services.venues import (
    RoomInfo,
    RoomInput,
    VenueInfo,
    VenueInput,
    add_room,
    create_venue,
    delete_room,
    list_venues,
    update_room,
)
from app.ui.errors import show_user_error
from app.ui.pages.table_page import heading
from app.ui.widgets.count_box import CountBox


def _ok_cancel(dialog: QDialog, layout: Any) -> None:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(dialog.tr("确定"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("取消"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addRow(buttons)


class VenueInputDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新增考点"))
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.address = QLineEdit()
        self.address.setMinimumWidth(360)
        self.area = CountBox()
        self.area.setRange(0, 1_000_000)
        self.area.setSuffix(" m²")
        form.addRow(self.tr("考点名称(&N)："), self.name)
        form.addRow(self.tr("地址(&A)："), self.address)
        form.addRow(self.tr("面积："), self.area)
        _ok_cancel(self, form)

    def value(self) -> VenueInput:
        return VenueInput(self.name.text(), self.address.text(), self.area.value() or None)


class RoomInputDialog(QDialog):
    def __init__(self, occupations: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新增考场"))
        self.resize(460, 420)
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.capacity = CountBox()
        self.capacity.setRange(0, 10_000)
        self.capacity.setSuffix(self.tr(" 座"))
        self.video = QCheckBox(self.tr("有视频监控"))
        self.stations = QTableWidget(len(occupations), 2)
        self.stations.setHorizontalHeaderLabels([self.tr("职业"), self.tr("工位数")])
        self.stations.verticalHeader().setVisible(False)
        self.stations.horizontalHeader().setStretchLastSection(True)
        self.occupation_ids = [occ_id for occ_id, _n in occupations]
        for r, (_occ_id, name) in enumerate(occupations):
            item = QTableWidgetItem(name)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.stations.setItem(r, 0, item)
            self.stations.setItem(r, 1, QTableWidgetItem("0"))
        self.stations.setColumnWidth(0, 240)
        form.addRow(self.tr("考场名称(&N)："), self.name)
        form.addRow(self.tr("容量(&C)："), self.capacity)
        form.addRow("", self.video)
        form.addRow(self.tr("技能工位："), self.stations)
        _ok_cancel(self, form)

    def set_value(self, room: RoomInfo) -> None:
        """Prefill from a stored room (修改考场)."""
        self.setWindowTitle(self.tr("修改考场"))
        self.name.setText(room.name)
        self.capacity.setValue(room.capacity)
        self.video.setChecked(room.has_video)
        for r, occ_id in enumerate(self.occupation_ids):
            self.stations.item(r, 1).setText(str(room.stations.get(occ_id, 0)))

    def value(self) -> RoomInput:
        stations = {}
        for r, occ_id in enumerate(self.occupation_ids):
            text = (self.stations.item(r, 1).text() or "0").strip()
            stations[occ_id] = int(text) if text.isdigit() else 0
        return RoomInput(
            self.name.text(),
            self.capacity.value(),
            self.video.isChecked(),
            stations={k: v for k, v in stations.items() if v},
        )


class VenuesDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.venues: list[VenueInfo] = []
        self.setWindowTitle(self.tr("考点与考场"))
        self.resize(960, 500)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("考点与考场")))
        bar = QHBoxLayout()
        self.venue_button = QPushButton(self.tr("新增考点(&V)…"))
        self.room_button = QPushButton(self.tr("新增考场(&R)…"))
        self.edit_room_button = QPushButton(self.tr("修改考场(&E)…"))
        self.delete_room_button = QPushButton(self.tr("删除考场(&D)…"))
        self.venue_button.clicked.connect(self.on_venue)
        self.room_button.clicked.connect(self.on_room)
        self.edit_room_button.clicked.connect(self.on_edit_room)
        self.delete_room_button.clicked.connect(self.on_delete_room)
        for b in (self.venue_button, self.room_button, self.edit_room_button, self.delete_room_button):
            bar.addWidget(b)
        bar.addStretch()
        layout.addLayout(bar)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                self.tr("考点 / 考场"),
                self.tr("容量"),
                self.tr("视频监控"),
                self.tr("技能工位"),
                self.tr("地址"),
            ]
        )
        layout.addWidget(self.tree, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        editable = allowed(actor, Perm.EDIT_BATCH)
        for b in (self.venue_button, self.room_button, self.edit_room_button, self.delete_room_button):
            b.setEnabled(editable)
        self.load()

    def load(self) -> None:
        with self.db.session() as s:
            self.venues = list_venues(s)
        self.tree.clear()
        for v in self.venues:
            top = QTreeWidgetItem([v.name, "", "", "", v.address])
            top.setData(0, Qt.ItemDataRole.UserRole, v.id)
            for r in v.rooms:
                stations = "、".join(f"{name} {n}" for name, n in r.station_names.items())
                child = QTreeWidgetItem(
                    [r.name, str(r.capacity), self.tr("有") if r.has_video else "", stations, ""]
                )
                child.setToolTip(3, stations)
                child.setData(0, Qt.ItemDataRole.UserRole + 1, r.id)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        for c, w in enumerate((220, 60, 70, 360)):
            self.tree.setColumnWidth(c, w)

    def selected_venue(self) -> int | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def selected_room(self) -> RoomInfo | None:
        item = self.tree.currentItem()
        room_id = item.data(0, Qt.ItemDataRole.UserRole + 1) if item else None
        return next((r for v in self.venues for r in v.rooms if r.id == room_id), None)

    def update_room(self, room_id: int, data: RoomInput) -> bool:
        return self._run(lambda s: update_room(s, self.actor, room_id, data))

    def delete_room(self, room_id: int, reason: str) -> bool:
        return self._run(lambda s: delete_room(s, self.actor, room_id, reason))

    def on_edit_room(self) -> None:
        room = self.selected_room()
        if room is None:
            show_user_error(SkillSiteError(self.tr("请先在列表中选择要修改的考场。")), self)
            return
        with self.db.session() as s:
            occupations = self.occupations(s)
        dialog = RoomInputDialog(occupations, self)
        dialog.set_value(room)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.update_room(room.id, dialog.value())

    def on_delete_room(self) -> None:
        room = self.selected_room()
        if room is None:
            show_user_error(SkillSiteError(self.tr("请先在列表中选择要删除的考场。")), self)
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("删除考场"), self.tr("删除“{n}”的理由（将记入审计日志）：").format(n=room.name)
        )
        if ok:
            self.delete_room(room.id, reason)

    def _run(self, fn: Any) -> bool:
        try:
            with self.db.session() as s:
                fn(s)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return False
        self.load()
        return True

    def create_venue(self, data: VenueInput) -> bool:
        return self._run(lambda s: create_venue(s, self.actor, data))

    def add_room(self, venue_id: int, data: RoomInput) -> bool:
        return self._run(lambda s: add_room(s, self.actor, venue_id, data))

    def occupations(self, s: Session) -> list[tuple[int, str]]:
        return [(o.id, f"{o.name}（{o.code}）") for o in list_occupations(s)]

    def on_venue(self) -> None:
        dialog = VenueInputDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.create_venue(dialog.value())

    def on_room(self) -> None:
        venue_id = self.selected_venue()
        if venue_id is None and len(self.venues) == 1:
            venue_id = self.venues[0].id
        if venue_id is None:
            show_user_error(SkillSiteError(self.tr("请先在列表中选择考场所属的考点。")), self)
            return
        with self.db.session() as s:
            occupations = self.occupations(s)
        dialog = RoomInputDialog(occupations, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_room(venue_id, dialog.value())
