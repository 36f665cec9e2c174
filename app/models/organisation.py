"""The evaluation organisation (评价机构), its filing record and its filed scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin


class Organisation(TimestampMixin, Base):
    """Every field of the seeds' 基本情况表 (000 附件1 一) plus the filing record."""

    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint("org_type IN ('Y','S')", name="org_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    address: Mapped[str] = mapped_column(default="")
    registration_authority: Mapped[str] = mapped_column(default="")  # 注册登记机构
    nature: Mapped[str] = mapped_column(default="")  # 机构性质: 企事业单位/院校/社会组织
    credit_code: Mapped[str | None] = mapped_column(String(18))  # 统一社会信用代码
    legal_representative: Mapped[str] = mapped_column(default="")
    registered_capital: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # 万元
    contact_person: Mapped[str] = mapped_column(default="")
    contact_title: Mapped[str] = mapped_column(default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    mobile: Mapped[str] = mapped_column(String(40), default="")  # 联系人手机 (001 附件1 一)
    email: Mapped[str] = mapped_column(default="")
    website: Mapped[str] = mapped_column(default="")  # 网站 (001 附件1 一)
    org_type: Mapped[str] = mapped_column(String(1))  # Y / S
    filing_code: Mapped[str | None] = mapped_column(String(13), unique=True)  # positions 1-13
    profile_name: Mapped[str] = mapped_column(String(40), default="national")
    scope_level: Mapped[str] = mapped_column(String(20), default="city")  # city / district
    filed_on: Mapped[dt.date | None]
    filing_valid_until: Mapped[dt.date | None]
    seal_image: Mapped[bytes | None] = mapped_column(deferred=True)

    scope: Mapped[list[ScopeEntry]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


class ScopeEntry(Base):
    """One filed (occupation, work type, level) the organisation may assess."""

    __tablename__ = "scope_entry"
    __table_args__ = (
        UniqueConstraint("organisation_id", "occupation_id", "work_type_id", "level"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    occupation_id: Mapped[int] = mapped_column(ForeignKey("occupation.id"))
    work_type_id: Mapped[int | None] = mapped_column(ForeignKey("work_type.id"))
    level: Mapped[int]
    started_on: Mapped[dt.date | None]  # 培训评价起始日期
    assessed_count: Mapped[int] = mapped_column(default=0)  # 已培训评价人数
    # 国家职业标准或行业企业评价规范 (001 附件1 二; 002 附件1 二 "有无职业标准或评价规范")
    standard: Mapped[str] = mapped_column(default="")
    subsidised_training: Mapped[str] = mapped_column(default="")  # 开展补贴性培训情况 (003 附件1)

    organisation: Mapped[Organisation] = relationship(back_populates="scope")


class Setting(Base):
    """Small key/value settings kept with the data (profile choice, idle lock, admission pattern...)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class CalendarOverride(Base):
    """A staff-maintained statutory calendar entry: 休 (day off) or 班 (adjusted working day)."""

    __tablename__ = "calendar_override"
    __table_args__ = (CheckConstraint("kind IN ('休','班')", name="kind"),)

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(1))
    name: Mapped[str] = mapped_column(default="")
