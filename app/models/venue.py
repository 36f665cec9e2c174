"""Venues (考点) and their rooms, with capacity, stations per occupation and video monitoring."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base


class Venue(Base):
    __tablename__ = "venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    address: Mapped[str] = mapped_column(default="")
    area_m2: Mapped[int | None]

    rooms: Mapped[list[Room]] = relationship(back_populates="venue", cascade="all, delete-orphan")


class Room(Base):
    __tablename__ = "room"
    __table_args__ = (
        UniqueConstraint("venue_id", "name"),
        CheckConstraint("capacity >= 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"))
    name: Mapped[str]
    capacity: Mapped[int] = mapped_column(default=0)
    has_video: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(default="")

    venue: Mapped[Venue] = relationship(back_populates="rooms")
    stations: Mapped[list[RoomStations]] = relationship(
        back_populates="room", cascade="all, delete-orphan"
    )


class RoomStations(Base):
    """How many skill-operation stations (工位) a room has for one occupation."""

    __tablename__ = "room_stations"
    __table_args__ = (
        UniqueConstraint("room_id", "occupation_id"),
        CheckConstraint("stations >= 0", name="stations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"))
    occupation_id: Mapped[int] = mapped_column(ForeignKey("occupation.id"))
    stations: Mapped[int]

    room: Mapped[Room] = relationship(back_populates="stations")
