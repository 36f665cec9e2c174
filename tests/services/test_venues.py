"""Venues and rooms: CRUD, stations per occupation, video monitoring; audited."""

from __future__ import annotations

import pytest

from app.errors import PermissionDenied, ValidationError
from app.services.venues import (
    RoomInput,
    VenueInput,
    add_room,
    create_venue,
    delete_room,
    delete_venue,
    list_rooms,
    list_venues,
    update_room,
    update_venue,
)
from tests.services.test_batch_support import World, assert_audit_ok, make_batch, world

__all__ = ["world"]


def test_venue_and_room_crud(world: World) -> None:
    with world.db.session() as s:
        v = create_venue(s, world.clerk, VenueInput("  江北考点 ", "重庆市江北区 1 号", 500))
        r = add_room(s, world.clerk, v.id, RoomInput("机房", 40, True, stations={world.electrician: 12}))
    assert v.name == "江北考点" and r.station_names == {"电工": 12} and r.has_video
    with world.db.session() as s:
        r = update_room(s, world.clerk, r.id, RoomInput("机房A", 45, False,
                                                        stations={world.turner: 6}))
        update_venue(s, world.clerk, v.id, VenueInput("江北考点", "重庆市江北区 2 号"))
    assert r.name == "机房A" and r.capacity == 45 and r.stations == {world.turner: 6} and not r.has_video
    with world.db.session() as s:
        venue = next(x for x in list_venues(s) if x.id == v.id)
        assert venue.address == "重庆市江北区 2 号" and [x.name for x in venue.rooms] == ["机房A"]
        delete_room(s, world.clerk, r.id, reason="改作办公室")
    with world.db.session() as s:
        delete_venue(s, world.clerk, v.id)
        assert all(x.venue_id != v.id for x in list_rooms(s))
    assert_audit_ok(world.db)


def test_venue_validation(world: World) -> None:
    with world.db.session() as s:
        with pytest.raises(ValidationError, match="已有名为「大学城考点」的考点"):
            create_venue(s, world.clerk, VenueInput("大学城考点"))
        with pytest.raises(ValidationError, match="已有名为「实操车间」的考场"):
            add_room(s, world.clerk, world.venue_id, RoomInput("实操车间", 10))
        with pytest.raises(ValidationError, match="不能为负数"):
            add_room(s, world.clerk, world.venue_id, RoomInput("负数", -1))
        with pytest.raises(ValidationError, match="工位数不能为负数"):
            add_room(s, world.clerk, world.venue_id, RoomInput("车间2", 5, stations={world.electrician: -2}))
    with world.db.session() as s, pytest.raises(PermissionDenied):
        create_venue(s, world.scorer, VenueInput("无权考点"))


def test_rooms_in_use_cannot_be_deleted(world: World) -> None:
    make_batch(world)
    with world.db.session() as s, pytest.raises(ValidationError, match="已被认定场次使用"):
        delete_room(s, world.clerk, world.theory_room)
    with world.db.session() as s, pytest.raises(ValidationError, match="不能删除考点"):
        delete_venue(s, world.clerk, world.venue_id)
