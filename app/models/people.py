"""People: one table for staff and candidates, their staff roles, qualifications and photos."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin

# The ID-type codes of the seeds (003: 201 居民身份证 … 299 其他个人证件).
ID_TYPE_CODES = ("201", "227", "210", "237", "213", "238", "208", "233", "239", "240", "241", "299")
ID_TYPE_CHECK = "id_type IN (" + ",".join(f"'{c}'" for c in ID_TYPE_CODES) + ")"


class Person(TimestampMixin, Base):
    """A natural person, identified by ID type + normalised number (personal data: never logged)."""

    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("id_type", "id_number"),
        CheckConstraint("gender IS NULL OR gender IN ('男','女')", name="gender"),
        CheckConstraint(ID_TYPE_CHECK, name="id_type"),  # added by migration 0002
        Index("ix_person_name", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_type: Mapped[str] = mapped_column(String(3), default="201")
    id_number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[dt.date | None]
    phone: Mapped[str] = mapped_column(String(40), default="")
    employer: Mapped[str] = mapped_column(default="")  # 所在单位
    education: Mapped[str] = mapped_column(String(40), default="")
    city: Mapped[str] = mapped_column(String(60), default="")  # 所在地市
    title: Mapped[str] = mapped_column(String(100), default="")  # 职称/职务/技能等级
    notes: Mapped[str] = mapped_column(default="")

    roles: Mapped[list[StaffRoleEntry]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )
    qualifications: Mapped[list[ExaminerQualification]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )


class StaffRoleEntry(Base):
    """One role a person holds in the organisation (a person may hold several)."""

    __tablename__ = "staff_role"
    __table_args__ = (
        UniqueConstraint("person_id", "role"),
        CheckConstraint(
            "role IN ('fulltime','expert','examiner','supervisor','proctor')", name="role"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    duties: Mapped[str] = mapped_column(default="")  # 工作职责 (full-time staff)
    specialty: Mapped[str] = mapped_column(default="")  # 专业方向 (experts)
    in_house: Mapped[bool] = mapped_column(default=True)  # 是否本单位人员
    agreement_on_file: Mapped[bool] = mapped_column(default=False)  # 承诺书/合作协议
    agreement_until: Mapped[dt.date | None]

    person: Mapped[Person] = relationship(back_populates="roles")


class ExaminerQualification(Base):
    """What an examiner may assess: an occupation (optionally one work type) up to a level."""

    __tablename__ = "examiner_qualification"
    __table_args__ = (
        UniqueConstraint("person_id", "occupation_id", "work_type_id"),
        CheckConstraint("max_level BETWEEN 1 AND 5", name="max_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    occupation_id: Mapped[int] = mapped_column(ForeignKey("occupation.id"))
    work_type_id: Mapped[int | None] = mapped_column(ForeignKey("work_type.id"))
    max_level: Mapped[int]  # the highest level (smallest code) this examiner may assess
    certificate_no: Mapped[str] = mapped_column(String(60), default="")  # 考评员证书号
    valid_from: Mapped[dt.date | None]
    valid_until: Mapped[dt.date | None]

    person: Mapped[Person] = relationship(back_populates="qualifications")


class Photo(Base):
    """A person's 2-inch photo, kept apart from the person row so lists stay light."""

    __tablename__ = "photo"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
    mime: Mapped[str] = mapped_column(String(20), default="image/jpeg")
    width: Mapped[int]
    height: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
