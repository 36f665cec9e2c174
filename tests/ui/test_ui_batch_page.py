"""The 认定批次 page: list, 新建批次 / 打开 open the editor, 考点与考场 adds venues and rooms."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Room, RoomStations, Venue
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.users import authenticate, create_user
from app.ui.pages.batches import BatchesPage
from tests.services.test_batch_support import build_world, make_batch


def test_new_and_open_batch(qtbot: QtBot, db: Database, admin: Actor) -> None:
    world = build_world(db, admin)
    make_batch(world, code="2026-10")
    page = BatchesPage(db, admin)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 1 and page.new_button.isEnabled()
    page.new_button.click()
    assert page.editor is not None and page.editor.info is None
    editor = page.editor
    editor.general.name.setText("新批次")
    editor.general.code.setText("2026-11")
    assert editor.general.save()
    assert page.model.rowCount() == 2  # the list refreshed after the change
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.open_current()
    assert page.editor is not None and page.editor.info is not None
    assert page.editor.info.code == "2026-11"

    # a real double-click on the second row opens that batch (once)
    page.editor.close()
    page.show()
    qtbot.waitExposed(page)
    opened: list[int | None] = []
    original = page.open_batch
    page.open_batch = lambda bid: (opened.append(bid), original(bid))[1]  # type: ignore[method-assign]
    rect = page.table.visualRect(page.model.index(1, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1
    assert page.editor.info is not None and page.editor.info.code == "2026-10"


def test_scorer_sees_batches_read_only(qtbot: QtBot, db: Database, admin: Actor) -> None:
    world = build_world(db, admin)
    bid = make_batch(world)
    page = BatchesPage(db, world.scorer)
    qtbot.addWidget(page)
    assert not page.new_button.isEnabled()
    editor = page.open_batch(bid)
    assert not editor.can_edit
    assert not editor.general.save_button.isEnabled()
    assert not editor.sessions.add_button.isEnabled()
    assert not editor.filing.file_button.isEnabled()
    assert "只能查看" in editor.state.text()


def test_venues_dialog_creates_venue_and_room(qtbot: QtBot, db: Database, admin: Actor) -> None:
    world = build_world(db, admin)
    with db.session() as s:
        create_user(s, admin, "clerk2", "clerk", "Clerk#2026", "考务员乙")
    with db.session() as s:
        clerk = authenticate(s, "clerk2", "Clerk#2026")
    page = BatchesPage(db, clerk)
    qtbot.addWidget(page)
    dialog = page.open_venues()
    assert dialog.tree.topLevelItemCount() == 1
    from app.ui.dialogs.venue_dialog import RoomInputDialog, VenueInputDialog

    vd = VenueInputDialog(dialog)
    vd.name.setText("江北考点")
    vd.address.setText("重庆市江北区")
    assert dialog.create_venue(vd.value())
    assert dialog.tree.topLevelItemCount() == 2
    with db.session() as s:
        venue_id = s.scalar(select(Venue.id).where(Venue.name == "江北考点"))
        occupations = dialog.occupations(s)
    rd = RoomInputDialog(occupations, dialog)
    rd.name.setText("实操室A")
    rd.capacity.setValue(20)
    rd.video.setChecked(True)
    row = next(i for i, (occ_id, _n) in enumerate(occupations) if occ_id == world.electrician)
    rd.stations.item(row, 1).setText("6")
    assert dialog.add_room(venue_id, rd.value())
    with db.session() as s:
        room = s.scalar(select(Room).where(Room.name == "实操室A"))
        assert room is not None and room.capacity == 20 and room.has_video
        stations = s.scalar(select(RoomStations).where(RoomStations.room_id == room.id))
        assert stations is not None and stations.stations == 6
        assert verify_audit(s).ok
    # 修改考场: the dialog is prefilled from the stored room, a new capacity is saved
    top = next(dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())
               if dialog.tree.topLevelItem(i).text(0) == "江北考点")
    dialog.tree.setCurrentItem(top.child(0))
    chosen = dialog.selected_room()
    assert chosen is not None and chosen.name == "实操室A"
    rd2 = RoomInputDialog(occupations, dialog)
    rd2.set_value(chosen)
    assert rd2.capacity.value() == 20 and rd2.stations.item(row, 1).text() == "6"
    rd2.capacity.setValue(24)
    assert dialog.update_room(chosen.id, rd2.value())
    with db.session() as s:
        assert s.get(Room, chosen.id).capacity == 24
    # 删除考场: a room no session uses can be deleted; the deletion is audited
    assert dialog.delete_room(chosen.id, "场地退租")
    with db.session() as s:
        assert s.scalar(select(Room).where(Room.name == "实操室A")) is None
        assert verify_audit(s).ok
