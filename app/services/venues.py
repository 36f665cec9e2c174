"""Venues (考点) and rooms (考场): address, capacity, stations per occupation, video monitoring."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import Enrolment, ExamSession, Occupation, Room, RoomStations, Venue
from app.services.actor import Actor
from app.services.audit import record
from app.services.permissions import Perm, require


@dataclass
class VenueInput:
    name: str
    address: str = ""
    area_m2: int | None = None


@dataclass
class RoomInput:
    name: str
    capacity: int = 0
    has_video: bool = False
    notes: str = ""
    stations: dict[int, int] = field(default_factory=dict)  # occupation id -> stations


@dataclass(frozen=True)
class RoomInfo:
    id: int
    venue_id: int
    venue: str
    name: str
    capacity: int
    has_video: bool
    notes: str
    stations: dict[int, int]  # occupation id -> stations
    station_names: dict[str, int]  # occupation name -> stations


@dataclass(frozen=True)
class VenueInfo:
    id: int
    name: str
    address: str
    area_m2: int | None
    rooms: list[RoomInfo]


def _room_info(session: Session, room: Room) -> RoomInfo:
    stations = {rs.occupation_id: rs.stations for rs in room.stations}
    names = {}
    for occ_id, n in stations.items():
        occ = session.get(Occupation, occ_id)
        names[occ.name if occ else str(occ_id)] = n
    return RoomInfo(room.id, room.venue_id, room.venue.name, room.name, room.capacity, room.has_video,
                    room.notes, stations, names)


def _venue_info(session: Session, venue: Venue) -> VenueInfo:
    rooms = sorted(venue.rooms, key=lambda r: r.name)
    return VenueInfo(venue.id, venue.name, venue.address, venue.area_m2, [_room_info(session, r) for r in rooms])


def list_venues(session: Session) -> list[VenueInfo]:
    return [_venue_info(session, v) for v in session.scalars(select(Venue).order_by(Venue.name))]


def list_rooms(session: Session) -> list[RoomInfo]:
    return [r for v in list_venues(session) for r in v.rooms]


def _venue(session: Session, venue_id: int) -> Venue:
    v = session.get(Venue, venue_id)
    if v is None:
        raise NotFoundError(f"找不到序号为 {venue_id} 的考点。")
    return v


def _room(session: Session, room_id: int) -> Room:
    r = session.get(Room, room_id)
    if r is None:
        raise NotFoundError(f"找不到序号为 {room_id} 的考场。")
    return r


def _check_venue(session: Session, data: VenueInput, venue_id: int | None) -> VenueInput:
    data.name = (data.name or "").strip()
    if not data.name:
        raise ValidationError("考点名称不能为空。", field="name")
    other = session.scalar(select(Venue.id).where(Venue.name == data.name))
    if other is not None and other != venue_id:
        raise ValidationError(f"已有名为「{data.name}」的考点：请换一个名称。", field="name")
    if data.area_m2 is not None and data.area_m2 < 0:
        raise ValidationError("考点面积不能为负数。", field="area_m2")
    data.address = (data.address or "").strip()
    return data


def create_venue(session: Session, actor: Actor, data: VenueInput) -> VenueInfo:
    require(session, actor, Perm.EDIT_BATCH, what="新增考点")
    data = _check_venue(session, data, None)
    v = Venue(name=data.name, address=data.address, area_m2=data.area_m2)
    session.add(v)
    record(session, actor, "venue.create", v, summary={"name": v.name})
    return _venue_info(session, v)


def update_venue(session: Session, actor: Actor, venue_id: int, data: VenueInput) -> VenueInfo:
    require(session, actor, Perm.EDIT_BATCH, what="修改考点")
    v = _venue(session, venue_id)
    data = _check_venue(session, data, v.id)
    v.name, v.address, v.area_m2 = data.name, data.address, data.area_m2
    record(session, actor, "venue.update", v, summary={"name": v.name})
    return _venue_info(session, v)


def _room_in_use(session: Session, room: Room) -> str | None:
    s = session.scalar(select(ExamSession).where(ExamSession.room_id == room.id).limit(1))
    if s is not None:
        return "已被认定场次使用"
    if session.scalar(select(Enrolment.id).where(Enrolment.room_id == room.id).limit(1)) is not None:
        return "已编排考生座位"
    return None


def delete_venue(session: Session, actor: Actor, venue_id: int, reason: str = "") -> None:
    require(session, actor, Perm.EDIT_BATCH, what="删除考点")
    v = _venue(session, venue_id)
    for room in list(v.rooms):
        why = _room_in_use(session, room)
        if why:
            raise ValidationError(f"考点「{v.name}」的考场「{room.name}」{why}，不能删除考点：历史安排须可追溯。")
    for room in list(v.rooms):
        _delete_room(session, actor, room, reason)
    session.delete(v)
    session.flush()
    record(session, actor, "venue.delete", v, deleted=True, summary={"name": v.name}, reason=reason)


def _check_room(session: Session, venue: Venue, data: RoomInput, room_id: int | None) -> RoomInput:
    data.name = (data.name or "").strip()
    if not data.name:
        raise ValidationError("考场名称不能为空。", field="name")
    if any(r.name == data.name and r.id != room_id for r in venue.rooms):
        raise ValidationError(f"考点「{venue.name}」已有名为「{data.name}」的考场：请换一个名称。", field="name")
    if data.capacity is None or int(data.capacity) < 0:
        raise ValidationError("考场容量（座位数）不能为负数。", field="capacity")
    for occ_id, n in data.stations.items():
        if session.get(Occupation, occ_id) is None:
            raise ValidationError(f"找不到序号为 {occ_id} 的职业：工位须对应职业目录中的职业。", field="stations")
        if n is None or int(n) < 0:
            raise ValidationError("工位数不能为负数。", field="stations")
    return data


def _sync_stations(session: Session, actor: Actor, room: Room, stations: dict[int, int]) -> None:
    current = {rs.occupation_id: rs for rs in room.stations}
    for occ_id, rs in current.items():
        if occ_id not in stations or not stations[occ_id]:
            room.stations.remove(rs)
            session.flush()
            record(session, actor, "room.stations_remove", rs, deleted=True, summary={"room": room.name})
    for occ_id, n in stations.items():
        if not n:
            continue
        rs = current.get(occ_id)
        if rs is None:
            rs = RoomStations(room_id=room.id, occupation_id=occ_id, stations=int(n))
            room.stations.append(rs)
        elif rs.stations == int(n):
            continue
        else:
            rs.stations = int(n)
        record(session, actor, "room.stations", rs, summary={"room": room.name, "stations": int(n)})


def add_room(session: Session, actor: Actor, venue_id: int, data: RoomInput) -> RoomInfo:
    require(session, actor, Perm.EDIT_BATCH, what="新增考场")
    venue = _venue(session, venue_id)
    data = _check_room(session, venue, data, None)
    room = Room(venue_id=venue.id, name=data.name, capacity=int(data.capacity), has_video=data.has_video,
                notes=data.notes)
    session.add(room)
    record(session, actor, "room.create", room, summary={"name": room.name, "capacity": room.capacity})
    _sync_stations(session, actor, room, data.stations)
    session.refresh(venue, ["rooms"])
    return _room_info(session, room)


def update_room(session: Session, actor: Actor, room_id: int, data: RoomInput) -> RoomInfo:
    require(session, actor, Perm.EDIT_BATCH, what="修改考场")
    room = _room(session, room_id)
    data = _check_room(session, room.venue, data, room.id)
    room.name, room.capacity, room.has_video, room.notes = data.name, int(data.capacity), data.has_video, data.notes
    record(session, actor, "room.update", room, summary={"name": room.name, "capacity": room.capacity})
    _sync_stations(session, actor, room, data.stations)
    return _room_info(session, room)


def _delete_room(session: Session, actor: Actor, room: Room, reason: str) -> None:
    for rs in list(room.stations):
        room.stations.remove(rs)
        session.flush()
        record(session, actor, "room.stations_remove", rs, deleted=True, summary={"room": room.name})
    venue = room.venue
    venue.rooms.remove(room)
    session.flush()
    record(session, actor, "room.delete", room, deleted=True, summary={"name": room.name}, reason=reason)


def delete_room(session: Session, actor: Actor, room_id: int, reason: str = "") -> None:
    require(session, actor, Perm.EDIT_BATCH, what="删除考场")
    room = _room(session, room_id)
    why = _room_in_use(session, room)
    if why:
        raise ValidationError(f"考场「{room.name}」{why}，不能删除：历史安排须可追溯。可改名或在备注中注明停用。")
    _delete_room(session, actor, room, reason)
