"""Certificates, their print log, and the serial counters they are numbered from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow


class Certificate(Base):
    __tablename__ = "certificate"
    __table_args__ = (
        CheckConstraint("status IN ('issued','voided')", name="status"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(22), unique=True)  # never two with one number
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"))
    level: Mapped[int]
    issue_date: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(10), default="issued")
    void_reason: Mapped[str] = mapped_column(Text, default="")
    content_sha256: Mapped[str] = mapped_column(String(64), default="")
    # A replacement (换发) names the voided certificate it replaces; each is replaced at most once.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    prints: Mapped[list[CertificatePrint]] = relationship(back_populates="certificate")


class CertificatePrint(Base):
    """The print log: who printed which certificate, when, where, how many copies and why."""

    __tablename__ = "certificate_print"
    __table_args__ = (
        CheckConstraint("kind IN ('full','overlay','electronic')", name="kind"),
        CheckConstraint("copies >= 1", name="copies"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"))
    printed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    printer: Mapped[str] = mapped_column(default="")
    copies: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(12), default="full")
    reason: Mapped[str] = mapped_column(Text, default="")  # required for a reprint

    certificate: Mapped[Certificate] = relationship(back_populates="prints")


class SerialCounter(Base):
    """The next certificate serial of one scope (organisation / year / year+level, by profile)."""

    __tablename__ = "serial_counter"
    __table_args__ = (CheckConstraint("next_value >= 1", name="next_value"),)

    scope_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    next_value: Mapped[int] = mapped_column(default=1)
