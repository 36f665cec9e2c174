"""Archive items of a batch, their retention end, and the destruction record."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class ArchiveItem(Base):
    __tablename__ = "archive_item"
    __table_args__ = (CheckConstraint("kind IN ('paper','electronic')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"))
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str]
    location: Mapped[str] = mapped_column(default="")  # 柜号/盒号 or file path
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    archived_on: Mapped[dt.date]
    retention_end: Mapped[dt.date]
    destruction_approved_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    destroyed_on: Mapped[dt.date | None]
    destruction_reason: Mapped[str] = mapped_column(Text, default="")
