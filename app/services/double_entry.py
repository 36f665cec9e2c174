"""Double entry (双人录入), optional per batch (Batch.double_entry).

Two different clerks enter the same component independently (entry rounds 1 and 2; the
second sheet never shows the first entry — see `scores.score_sheet`). Where the two
disagree, a third person — neither of the two clerks — records a decision (FINAL_ROUND),
with a reason. No result is computed while a mismatch remains (`scores.compute_results`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Enrolment, ScoreEntry, User
from app.models.score import FINAL_ROUND, SINGLE_ROUND
from app.services.actor import Actor
from app.services.batch_workflow import get_batch, status_name
from app.services.permissions import Perm, require
from app.services.score_entries import (
    batch_enrolments,
    entries_by_enrolment,
    load_enrolment,
    rounds_of,
    write_entry,
)
from app.services.score_rules import (
    ENTRY_STATUSES,
    LOCKED_STATUSES,
    SECOND_ROUND,
    check_component,
    component_name,
    display_value,
    normalise_entry,
    required_components,
    same_entry,
)
from app.services.scores import EnteredScore, full_mark_for


@dataclass(frozen=True)
class Mismatch:
    """Round 1 and round 2 of one enrolment + component, side by side."""

    enrolment_id: int
    admission_no: str
    name: str
    id_number: str  # masked
    component: str
    first_score: Decimal | None
    first_mark: str
    first_by: str  # username
    second_score: Decimal | None
    second_mark: str
    second_by: str

    @property
    def first_text(self) -> str:
        return display_value(self.first_score, self.first_mark)

    @property
    def second_text(self) -> str:
        return display_value(self.second_score, self.second_mark)


def _dec(v: object) -> Decimal | None:
    return Decimal(v).quantize(Decimal("0.1")) if v is not None else None  # type: ignore[arg-type]


def mismatches(session: Session, batch_id: int | str, component: str | None = None) -> list[Mismatch]:
    """Every enrolment + component whose two entries differ and that has no decision yet."""
    from app.rules.idcard import mask_id

    batch = get_batch(session, batch_id)
    if not batch.double_entry:
        return []
    comps = [component] if component else list(required_components(batch))
    entries = entries_by_enrolment(session, batch.id)
    users = {uid: name for uid, name in session.execute(select(User.id, User.username))}
    people = {
        e.id: (e.admission_no, p.name, p.id_number) for e, p in batch_enrolments(session, batch.id)
    }
    out = []
    for eid, by_comp in entries.items():
        for comp in comps:
            rounds = by_comp.get(comp, {})
            first, second = rounds.get(SINGLE_ROUND), rounds.get(SECOND_ROUND)
            if FINAL_ROUND in rounds or first is None or second is None or same_entry(first, second):
                continue
            adm, name, idno = people[eid]
            out.append(
                Mismatch(
                    eid, adm, name, mask_id(idno), comp,
                    _dec(first.score), first.mark, users.get(first.entered_by, ""),
                    _dec(second.score), second.mark, users.get(second.entered_by, ""),
                )
            )
    out.sort(key=lambda m: (m.admission_no, comps.index(m.component)))
    return out


def resolve(
    session: Session,
    actor: Actor,
    enrolment_id: int,
    component: str,
    score: object = None,
    mark: str | None = None,
    reason: str = "",
) -> EnteredScore:
    """Record the decision on a mismatch (FINAL_ROUND), by a third person: neither the round-1
    nor the round-2 clerk. Reason required; audited."""
    enrolment, batch = load_enrolment(session, enrolment_id)
    require(session, actor, Perm.ENTER_SCORES, batch_id=batch.id, what="裁定双人录入不一致的成绩")
    if not batch.double_entry:
        raise ValidationError(f"批次「{batch.code}」未启用双人录入，无需裁定。")
    if batch.status in LOCKED_STATUSES:
        raise ValidationError(
            f"批次「{batch.code}」已开始公示，成绩已锁定：如需更改，须由管理员更正并说明理由。"
        )
    if batch.status not in ENTRY_STATUSES:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”，不能裁定成绩。"
        )
    check_component(batch, component)
    if not reason or not reason.strip():
        raise ValidationError("裁定成绩必须填写理由（如：核对原始评分表）。", field="reason")
    rounds = rounds_of(session, enrolment.id, component)
    first, second = rounds.get(SINGLE_ROUND), rounds.get(SECOND_ROUND)
    if first is None or second is None:
        raise ValidationError(
            f"准考证号 {enrolment.admission_no} 的{component_name(component)}成绩尚未完成两遍录入，无需裁定。"
        )
    if FINAL_ROUND not in rounds and same_entry(first, second):
        raise ValidationError(
            f"准考证号 {enrolment.admission_no} 的{component_name(component)}成绩两遍录入一致，无需裁定。"
        )
    clerks = {first.entered_by, second.entered_by}
    if actor.user_id in clerks:
        raise ValidationError(
            "裁定须由第三人办理：您录入过该成绩（第一遍或第二遍），不能裁定。", field="actor"
        )
    value, m = normalise_entry(score, mark, full_mark_for(session, batch))
    entry, changed, old_score, old_mark = write_entry(
        session, actor, enrolment, component, FINAL_ROUND, rounds, value, m,
        "score.resolve", reason.strip(),
    )
    return EnteredScore(
        entry.id, enrolment.id, component, FINAL_ROUND, value, m, changed, old_score, old_mark
    )


def decisions(session: Session, batch_id: int | str) -> list[ScoreEntry]:
    """The FINAL_ROUND entries of a batch (decisions and locked corrections)."""
    batch = get_batch(session, batch_id)
    return list(
        session.scalars(
            select(ScoreEntry)
            .join(Enrolment, ScoreEntry.enrolment_id == Enrolment.id)
            .where(Enrolment.batch_id == batch.id, ScoreEntry.entry_round == FINAL_ROUND)
        )
    )
