"""Score entries: one per enrolment, component and entry round (1; 2 for double entry; 0 = decision)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow

FINAL_ROUND = 0  # double entry: the recorded decision that resolves a round-1/round-2 mismatch
SINGLE_ROUND = 1  # single entry (and the first clerk of a double entry)


class ScoreEntry(Base):
    __tablename__ = "score_entry"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "component", "entry_round"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
        CheckConstraint("component IN ('theory','skill','review')", name="component"),
        CheckConstraint("mark IN ('normal','absent','disqualified')", name="mark"),
        CheckConstraint("entry_round IN (0, 1, 2)", name="entry_round"),
        CheckConstraint("mark <> 'normal' OR score IS NOT NULL", name="normal_has_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"))
    component: Mapped[str] = mapped_column(String(10))
    entry_round: Mapped[int] = mapped_column(default=1)
    score: Mapped[Decimal | None]
    mark: Mapped[str] = mapped_column(String(14), default="normal")
    entered_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
