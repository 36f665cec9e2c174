"""Assessment batches (认定批次): sessions, staff assignments, enrolments, publicity objections."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin

_STATUSES = "'draft','plan_filed','in_progress','scoring','publicity','results_filed','certified','archived'"


class Batch(TimestampMixin, Base):
    __tablename__ = "batch"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
        CheckConstraint(f"status IN ({_STATUSES})", name="status"),
        CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name="pass_mark"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # e.g. 2026-05
    name: Mapped[str]
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    occupation_id: Mapped[int] = mapped_column(ForeignKey("occupation.id"))
    work_type_id: Mapped[int | None] = mapped_column(ForeignKey("work_type.id"))
    level: Mapped[int]
    method_theory: Mapped[bool] = mapped_column(default=True)
    method_skill: Mapped[bool] = mapped_column(default=True)
    method_review: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    double_entry: Mapped[bool] = mapped_column(default=False)
    pass_mark: Mapped[int] = mapped_column(default=60)
    candidate_source: Mapped[str] = mapped_column(default="")  # 考生来源
    plan_filed_on: Mapped[dt.date | None]
    publicity_start: Mapped[dt.date | None]
    publicity_end: Mapped[dt.date | None]
    results_filed_on: Mapped[dt.date | None]
    closed_on: Mapped[dt.date | None]
    needs_republicity: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    sessions: Mapped[list[ExamSession]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ExamSession.day"
    )
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="batch", cascade="all, delete-orphan"
    )


class ExamSession(Base):
    """One sitting (场次): a date, a time span, a room and a subject."""

    __tablename__ = "exam_session"
    __table_args__ = (
        CheckConstraint("end_time > start_time", name="time_order"),
        CheckConstraint("subject IN ('theory','skill','review')", name="subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"))
    day: Mapped[dt.date]
    start_time: Mapped[dt.time]
    end_time: Mapped[dt.time]
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    subject: Mapped[str] = mapped_column(String(10))

    batch: Mapped[Batch] = relationship(back_populates="sessions")
    assignments: Mapped[list[StaffAssignment]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )


class StaffAssignment(Base):
    """A person assigned to a session (examiner, proctor) or to the whole batch (supervisor)."""

    __tablename__ = "staff_assignment"
    __table_args__ = (
        UniqueConstraint("batch_id", "session_id", "person_id", "duty"),
        CheckConstraint("duty IN ('examiner','proctor','supervisor')", name="duty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("exam_session.id", ondelete="CASCADE")
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    duty: Mapped[str] = mapped_column(String(12))

    session: Mapped[ExamSession | None] = relationship(back_populates="assignments")


class Enrolment(TimestampMixin, Base):
    """A candidate in a batch: admission number, seat, and the computed result."""

    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("batch_id", "person_id"),
        UniqueConstraint("batch_id", "admission_no"),
        CheckConstraint("result IN ('pending','pass','fail')", name="result"),
        Index("ix_enrolment_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    admission_no: Mapped[str] = mapped_column(String(40))
    seat: Mapped[str] = mapped_column(String(20), default="")
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    employer: Mapped[str] = mapped_column(default="")  # 所在单位 at enrolment time
    city: Mapped[str] = mapped_column(String(60), default="")  # 考生所在地市
    result: Mapped[str] = mapped_column(String(10), default="pending")

    batch: Mapped[Batch] = relationship(back_populates="enrolments")


class Objection(Base):
    """An objection (异议) raised during publicity, and how it was handled."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolment.id"))
    received_on: Mapped[dt.date]
    content: Mapped[str] = mapped_column(Text)
    handling: Mapped[str] = mapped_column(Text, default="")
    handled_on: Mapped[dt.date | None]


class CheckAcknowledgement(Base):
    """A plan-check warning acknowledged with a reason (errors cannot be acknowledged)."""

    __tablename__ = "check_ack"
    __table_args__ = (UniqueConstraint("batch_id", "check_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"))
    check_key: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[dt.datetime]
