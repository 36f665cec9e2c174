"""The stored score entries (ScoreEntry rows): loading them, and writing one entry round audited.

The building blocks shared by score entry and corrections (app/services/scores.py) and double
entry (app/services/double_entry.py). No permission or status checks here: the callers decide
whether a write is allowed, these functions only read and write the rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError
from app.models import Batch, Enrolment, Person, ScoreEntry
from app.services.actor import Actor
from app.services.audit import record

Rounds = dict[int, ScoreEntry]  # entry round -> entry, for one enrolment + component
ByComponent = dict[str, Rounds]  # component -> its rounds, for one enrolment


class WrittenEntry(NamedTuple):
    """What `write_entry` did: the entry as it now stands, whether anything was written, and
    the value the round held before (both None when the round had no entry)."""

    entry: ScoreEntry
    changed: bool
    previous_score: Decimal | None
    previous_mark: str | None


# --- loading ----------------------------------------------------------------------------------
def load_enrolment(session: Session, enrolment_id: int) -> tuple[Enrolment, Batch]:
    """The enrolment and its batch; NotFoundError when there is no such enrolment."""
    e = session.get(Enrolment, enrolment_id)
    if e is None:
        raise NotFoundError(f"找不到报名记录 #{enrolment_id}。")
    return e, e.batch


def batch_enrolments(session: Session, batch_id: int) -> list[tuple[Enrolment, Person]]:
    """Every enrolment of the batch with its person, in admission-number order."""
    stmt = (
        select(Enrolment, Person)
        .join(Person, Enrolment.person_id == Person.id)
        .where(Enrolment.batch_id == batch_id)
        .order_by(Enrolment.admission_no, Enrolment.id)
    )
    return [(e, p) for e, p in session.execute(stmt)]


def entries_by_enrolment(session: Session, batch_id: int) -> dict[int, ByComponent]:
    """Every entry of the batch: enrolment id → component → entry round → entry."""
    stmt = (
        select(ScoreEntry)
        .join(Enrolment, ScoreEntry.enrolment_id == Enrolment.id)
        .where(Enrolment.batch_id == batch_id)
    )
    out: dict[int, ByComponent] = {}
    for e in session.scalars(stmt):
        out.setdefault(e.enrolment_id, {}).setdefault(e.component, {})[e.entry_round] = e
    return out


def entries_of_enrolment(session: Session, enrolment_id: int) -> ByComponent:
    """Every entry of one enrolment: component → entry round → entry."""
    out: ByComponent = {}
    for e in session.scalars(select(ScoreEntry).where(ScoreEntry.enrolment_id == enrolment_id)):
        out.setdefault(e.component, {})[e.entry_round] = e
    return out


def rounds_of(session: Session, enrolment_id: int, component: str) -> Rounds:
    """The entries of one enrolment + component: entry round → entry."""
    return {
        r.entry_round: r
        for r in session.scalars(
            select(ScoreEntry).where(
                ScoreEntry.enrolment_id == enrolment_id, ScoreEntry.component == component
            )
        )
    }


# --- writing ----------------------------------------------------------------------------------
def write_entry(
    session: Session,
    actor: Actor,
    enrolment: Enrolment,
    component: str,
    entry_round: int,
    rounds: Rounds,
    score: Decimal | None,
    mark: str,
    action: str,
    reason: str,
) -> WrittenEntry:
    """Store `score`/`mark` (already normalised) as `entry_round` of the enrolment + component,
    entered by `actor`, and audit it as `action` with `reason`.

    `rounds` are the component's current entries (`rounds_of`). Entering the value the round
    already holds writes nothing and is not audited (`changed` False).
    """
    existing = rounds.get(entry_round)
    old_score = Decimal(existing.score) if existing and existing.score is not None else None
    old_mark = existing.mark if existing else None
    if existing is not None and existing.mark == mark and old_score == score:
        return WrittenEntry(existing, False, old_score, old_mark)
    from app.models.base import utcnow

    if existing is None:
        existing = ScoreEntry(
            enrolment_id=enrolment.id,
            component=component,
            entry_round=entry_round,
            score=score,
            mark=mark,
            entered_by=actor.user_id,
        )
        session.add(existing)
    else:
        existing.score, existing.mark = score, mark
        existing.entered_by, existing.entered_at = actor.user_id, utcnow()
    summary: dict[str, object] = {
        "admission_no": enrolment.admission_no,
        "component": component,
        "round": entry_round,
        "score": score,
        "mark": mark,
    }
    if old_mark is not None:
        summary |= {"old_score": old_score, "old_mark": old_mark}
    record(
        session, actor, action, existing, summary=summary, reason=reason, batch_id=enrolment.batch_id
    )
    return WrittenEntry(existing, True, old_score, old_mark)
