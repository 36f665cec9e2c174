"""Shared bits of the score pages: the batch list, running a service call, asking for text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QInputDialog, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import SkillSiteError
from app.models import Batch, ScorerAssignment
from app.models.enums import UserRole
from app.services.actor import Actor
from app.services.batch_workflow import get_batch, status_name
from app.services.score_rules import LOCKED_STATUSES, component_name, required_components
from app.ui.busy import busy_cursor
from app.ui.errors import show_user_error

T = TypeVar("T")


@dataclass(frozen=True)
class BatchInfo:
    id: int
    code: str
    name: str
    status: str
    status_name: str
    double_entry: bool
    components: tuple[tuple[str, str], ...]  # (component, 中文名)
    locked: bool
    needs_republicity: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}（{self.status_name}）"


def batch_info(session: Session, batch_id: int | str) -> BatchInfo:
    b = get_batch(session, batch_id)
    return BatchInfo(
        b.id,
        b.code,
        b.name,
        b.status,
        status_name(b.status),
        bool(b.double_entry),
        tuple((c, component_name(c)) for c in required_components(b)),
        b.status in LOCKED_STATUSES,
        bool(b.needs_republicity),
    )


def list_batches(db: Database, actor: Actor) -> list[BatchInfo]:
    """Newest first; a score clerk sees only the batches assigned to them."""
    with db.session() as s:
        stmt = select(Batch.id).order_by(Batch.code.desc())
        if actor.role is UserRole.SCORER:
            stmt = stmt.join(ScorerAssignment, ScorerAssignment.batch_id == Batch.id).where(
                ScorerAssignment.user_id == actor.user_id
            )
        return [batch_info(s, bid) for bid in s.scalars(stmt)]


def fill_batch_combo(combo: QComboBox, batches: list[BatchInfo], keep: int | None = None) -> None:
    combo.blockSignals(True)
    combo.clear()
    for b in batches:
        combo.addItem(b.label, b.id)
    if keep is not None and (i := combo.findData(keep)) >= 0:
        combo.setCurrentIndex(i)
    combo.blockSignals(False)


def run_service(parent: QWidget, db: Database, call: Callable[[Session], T]) -> T | None:
    """One transaction; a SkillSiteError is shown as its message and gives None."""
    try:
        with busy_cursor(), db.session() as s:
            return call(s)
    except SkillSiteError as exc:
        show_user_error(exc, parent)
        return None


def to_date(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def to_qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def date_edit(parent: QWidget | None = None, day: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(to_qdate(day or dt.date.today()))
    return edit


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value.strip() if ok and value.strip() else None


def files_text(paths: list[Path]) -> str:
    return "\n".join(str(p) for p in paths)
