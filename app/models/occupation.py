"""The occupation catalogue (职业分类大典 codes such as 4-12-01-01) and work types (工种)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base


class Occupation(Base):
    __tablename__ = "occupation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str]
    is_new: Mapped[bool] = mapped_column(default=False)  # 新职业

    work_types: Mapped[list[WorkType]] = relationship(
        back_populates="occupation", cascade="all, delete-orphan", order_by="WorkType.name"
    )


class WorkType(Base):
    __tablename__ = "work_type"
    __table_args__ = (UniqueConstraint("occupation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occupation_id: Mapped[int] = mapped_column(ForeignKey("occupation.id", ondelete="CASCADE"))
    name: Mapped[str]
    code: Mapped[str] = mapped_column(String(20), default="")

    occupation: Mapped[Occupation] = relationship(back_populates="work_types")
