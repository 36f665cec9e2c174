"""Score entry (成绩录入), the pass rule, result computation and the post-publicity lock.

Scores are entered per batch and component (theory 理论知识 / skill 技能操作 / review 综合评审),
0–100 with at most one decimal, or marked 缺考 (absent) / 违纪 (disqualified).

Entry is open while the batch is 实施中 (in_progress) or 成绩录入 (scoring): an assessment
runs over several days and the theory scores are usually ready before the skill assessment
ends, so clerks may start entering as soon as a sitting is marked. Results are computed only
in 成绩录入, when every sitting is over.

Which stored entry counts (the *effective* value of an enrolment + component):
- a FINAL_ROUND (0) entry when there is one — a double-entry decision or an administrator's
  correction after the lock; the original entries stay as they were (traceable);
- otherwise, single entry: the round-1 entry; double entry: the round-1 value when round 2
  agrees with it, a *mismatch* when they differ, *missing* while either round is absent.

From the start of publicity the scores are locked: a change needs an administrator
(Perm.OVERRIDE) and a reason, is audited, recomputes the candidate's result and sets
Batch.needs_republicity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import Batch, Enrolment
from app.models.enums import BatchStatus, Result
from app.models.score import FINAL_ROUND, SINGLE_ROUND
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_workflow import get_batch, status_name
from app.services.permissions import Perm, require
from app.services.score_entries import (
    batch_enrolments,
    entries_by_enrolment,
    entries_of_enrolment,
    load_enrolment,
    rounds_of,
    write_entry,
)
from app.services.score_rules import (
    DEFAULT_FULL_MARK,
    ENTRY_STATUSES,
    LOCKED_STATUSES,
    RESULT_NAMES,
    SECOND_ROUND,
    Cell,
    CellState,
    check_component,
    component_name,
    display_value,
    effective_cell,
    evaluate,
    normalise_entry,
    required_components,
)


@dataclass(frozen=True)
class SheetRow:
    """One line of a score sheet (one component, one entry round)."""

    enrolment_id: int
    admission_no: str
    seat: str
    name: str
    id_number: str  # masked
    score: Decimal | None
    mark: str | None  # None: not entered in this round yet
    editable: bool
    note: str = ""

    @property
    def text(self) -> str:
        return display_value(self.score, self.mark)


@dataclass(frozen=True)
class EnteredScore:
    entry_id: int
    enrolment_id: int
    component: str
    entry_round: int
    score: Decimal | None
    mark: str
    changed: bool  # False when the same value was entered again (nothing written)
    previous_score: Decimal | None = None
    previous_mark: str | None = None
    result: str | None = None  # the candidate's result after a locked correction


@dataclass(frozen=True)
class CandidateScores:
    enrolment_id: int
    admission_no: str
    name: str
    id_number: str  # masked
    cells: Mapping[str, Cell]
    result: str

    def as_dict(self) -> dict[str, object]:
        return {
            "enrolment_id": self.enrolment_id,
            "admission_no": self.admission_no,
            "name": self.name,
            "id_number": self.id_number,
            "scores": {
                comp: {
                    "score": format(c.score, "f") if c.score is not None else None,
                    "mark": c.mark,
                    "state": c.state,
                    "text": c.text,
                }
                for comp, c in self.cells.items()
            },
            "result": self.result,
            "result_name": RESULT_NAMES[self.result],
        }


@dataclass(frozen=True)
class ComputeSummary:
    batch_id: int
    enrolled: int
    passed: int
    failed: int
    changed: int
    pass_mark: int
    components: tuple[str, ...]


@dataclass(frozen=True)
class ResultProblem:
    enrolment_id: int
    admission_no: str
    component: str
    state: CellState


def full_mark_for(session: Session, batch: Batch) -> int:
    return min(profile_for(session, batch).scoring.full_mark, DEFAULT_FULL_MARK)


def profile_for(session: Session, batch: Batch):  # type: ignore[no-untyped-def]
    """The province profile of the batch's organisation."""
    from app.models import Organisation
    from app.rules.profiles import load_profile

    org = session.get(Organisation, batch.organisation_id)
    return load_profile(org.profile_name if org else "national")


# --- effective values -------------------------------------------------------------------------
def effective_cells(session: Session, batch: Batch) -> dict[int, dict[str, Cell]]:
    """enrolment id → component → effective Cell, for every enrolment and required component."""
    entries = entries_by_enrolment(session, batch.id)
    comps = required_components(batch)
    ids = session.scalars(select(Enrolment.id).where(Enrolment.batch_id == batch.id))
    return {
        eid: {c: effective_cell(entries.get(eid, {}).get(c, {}), batch.double_entry) for c in comps}
        for eid in ids
    }


def candidate_scores(session: Session, actor: Actor, batch_ref: int | str) -> list[CandidateScores]:
    """Every candidate of the batch with the effective value of each component and the result
    (ID numbers masked). Names and scores are personal data: the actor needs READ."""
    from app.rules.idcard import mask_id

    require(session, actor, Perm.READ)
    batch = get_batch(session, batch_ref)
    entries = entries_by_enrolment(session, batch.id)
    comps = required_components(batch)
    out = []
    for e, p in batch_enrolments(session, batch.id):
        cells = {c: effective_cell(entries.get(e.id, {}).get(c, {}), batch.double_entry) for c in comps}
        out.append(CandidateScores(e.id, e.admission_no, p.name, mask_id(p.id_number), cells, e.result))
    return out


def result_problems(session: Session, batch: Batch) -> list[ResultProblem]:
    """Every required component still missing or in a double-entry mismatch."""
    entries = entries_by_enrolment(session, batch.id)
    comps = required_components(batch)
    out = []
    for e, _p in batch_enrolments(session, batch.id):
        for c in comps:
            cell = effective_cell(entries.get(e.id, {}).get(c, {}), batch.double_entry)
            if cell.state != "ok":
                out.append(ResultProblem(e.id, e.admission_no, c, cell.state))
    return out


def results_up_to_date(session: Session, batch: Batch) -> list[str]:
    """Admission numbers whose stored result is missing or differs from the scores (empty = ok)."""
    cells = effective_cells(session, batch)
    comps = required_components(batch)
    stale = []
    for e, _p in batch_enrolments(session, batch.id):
        expected = evaluate(comps, cells.get(e.id, {}), batch.pass_mark)
        if expected is None or expected != e.result:
            stale.append(e.admission_no)
    return stale


# --- score sheets and entry -------------------------------------------------------------------
def _check_round(batch: Batch, entry_round: int) -> int:
    if batch.double_entry:
        if entry_round not in (SINGLE_ROUND, SECOND_ROUND):
            raise ValidationError(
                "双人录入批次的录入轮次只能是1（第一遍）或2（第二遍）；不一致的成绩请用“裁定”处理。",
                field="entry_round",
            )
    elif entry_round != SINGLE_ROUND:
        raise ValidationError(
            f"批次「{batch.code}」未启用双人录入，录入轮次只能是1。", field="entry_round"
        )
    return entry_round


def score_sheet(
    session: Session, actor: Actor, batch_id: int, component: str, entry_round: int = SINGLE_ROUND
) -> list[SheetRow]:
    """The rows a clerk enters one component into, in admission-number order.

    Only the values of `entry_round` are shown: a second clerk never sees the first entry.
    """
    from app.rules.idcard import mask_id

    batch = get_batch(session, batch_id)
    require(session, actor, Perm.ENTER_SCORES, batch_id=batch.id, what="查看录分表")
    check_component(batch, component)
    _check_round(batch, entry_round)
    entries = entries_by_enrolment(session, batch.id)
    locked = batch.status in LOCKED_STATUSES
    open_ = batch.status in ENTRY_STATUSES
    rows = []
    for e, p in batch_enrolments(session, batch.id):
        rounds = entries.get(e.id, {}).get(component, {})
        mine = rounds.get(entry_round)
        note = ""
        editable = open_
        if locked:
            note = "已锁定（公示开始后修改须管理员更正并说明理由）"
        elif not open_:
            note = f"批次为“{status_name(batch.status)}”，不能录入"
        elif FINAL_ROUND in rounds:
            editable, note = False, "已裁定"
        elif batch.double_entry:
            other = rounds.get(SECOND_ROUND if entry_round == SINGLE_ROUND else SINGLE_ROUND)
            if other is not None and actor.user_id is not None and other.entered_by == actor.user_id:
                editable, note = False, "您已录入另一遍，须由另一人录入"
        rows.append(
            SheetRow(
                e.id,
                e.admission_no,
                e.seat,
                p.name,
                mask_id(p.id_number),
                Decimal(mine.score).quantize(Decimal("0.1")) if mine and mine.score is not None else None,
                mine.mark if mine else None,
                editable,
                note,
            )
        )
    return rows


def find_enrolment(session: Session, batch_ref: int | str, admission_no: str) -> Enrolment:
    batch = get_batch(session, batch_ref)
    e = session.scalar(
        select(Enrolment).where(Enrolment.batch_id == batch.id, Enrolment.admission_no == admission_no.strip())
    )
    if e is None:
        raise NotFoundError(f"批次「{batch.code}」中没有准考证号为“{admission_no}”的考生。")
    return e


def enter_score(
    session: Session,
    actor: Actor,
    enrolment_id: int,
    component: str,
    score: object = None,
    mark: str | None = None,
    *,
    entry_round: int = SINGLE_ROUND,
    reason: str = "",
) -> EnteredScore:
    """Enter (or change) one score of one enrolment and component — the grid's one call.

    `score` may be text ("85.5"), Decimal or int; `mark` "absent"/"disqualified" (or 缺考/违纪)
    with no score. Once the batch is locked (publicity started) this becomes an administrator's
    correction and needs `reason` (see `correct_score`).
    """
    enrolment, batch = load_enrolment(session, enrolment_id)
    if batch.status in LOCKED_STATUSES:
        return correct_score(session, actor, enrolment_id, component, score, mark, reason=reason)
    require(session, actor, Perm.ENTER_SCORES, batch_id=batch.id, what="录入成绩")
    if batch.status not in ENTRY_STATUSES:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”：只有“实施中”或“成绩录入”状态可以录入成绩。"
        )
    check_component(batch, component)
    _check_round(batch, entry_round)
    value, m = normalise_entry(score, mark, full_mark_for(session, batch))
    rounds = rounds_of(session, enrolment.id, component)
    if FINAL_ROUND in rounds:
        raise ValidationError(
            f"准考证号 {enrolment.admission_no} 的{component_name(component)}成绩已经裁定，"
            "不能再修改录入值；如需更改，请由第三人重新裁定。"
        )
    if batch.double_entry:
        other = rounds.get(SECOND_ROUND if entry_round == SINGLE_ROUND else SINGLE_ROUND)
        if other is not None and other.entered_by == actor.user_id:
            raise ValidationError(
                f"双人录入：准考证号 {enrolment.admission_no} 的{component_name(component)}成绩"
                f"第{other.entry_round}遍是您录入的，第{entry_round}遍必须由另一位录分员录入。"
            )
    entry, changed, old_score, old_mark = write_entry(
        session, actor, enrolment, component, entry_round, rounds, value, m, "score.enter", reason
    )
    return EnteredScore(
        entry.id, enrolment.id, component, entry_round, value, m, changed, old_score, old_mark
    )


def correct_score(
    session: Session,
    actor: Actor,
    enrolment_id: int,
    component: str,
    score: object = None,
    mark: str | None = None,
    *,
    reason: str,
) -> EnteredScore:
    """An administrator's change of a locked score (publicity started): reason required,
    audited, recorded as the FINAL_ROUND value (the original entries stay), the candidate's
    result recomputed, and the batch flagged for a new publicity (needs_republicity)."""
    enrolment, batch = load_enrolment(session, enrolment_id)
    require(session, actor, Perm.OVERRIDE, batch_id=batch.id, what="修改已锁定的成绩")
    if batch.status not in LOCKED_STATUSES:
        raise ValidationError(
            f"批次「{batch.code}」的成绩尚未锁定（{status_name(batch.status)}）：请直接录入成绩。"
        )
    if batch.status != BatchStatus.PUBLICITY.value:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”：结果已报备后不能直接更正成绩，"
            "请先由管理员将批次退回“公示中”并说明理由。"
        )
    if not reason or not reason.strip():
        raise ValidationError(
            "公示开始后成绩已锁定：更正成绩必须填写理由（将记入审计日志），更正后需重新公示。",
            field="reason",
        )
    check_component(batch, component)
    value, m = normalise_entry(score, mark, full_mark_for(session, batch))
    rounds = rounds_of(session, enrolment.id, component)
    entry, changed, old_score, old_mark = write_entry(
        session, actor, enrolment, component, FINAL_ROUND, rounds, value, m, "score.correct",
        reason.strip(),
    )
    if old_mark is None:  # no earlier decision: "old" is what counted before
        before = effective_cell({k: v for k, v in rounds.items() if k != FINAL_ROUND}, batch.double_entry)
        old_score, old_mark = before.score, before.mark
    if not changed:
        return EnteredScore(entry.id, enrolment.id, component, FINAL_ROUND, value, m, False,
                            old_score, old_mark, enrolment.result)
    comps = required_components(batch)
    entries = entries_of_enrolment(session, enrolment.id)
    cells = {c: effective_cell(entries.get(c, {}), batch.double_entry) for c in comps}
    result = evaluate(comps, cells, batch.pass_mark) or Result.PENDING.value
    if result != enrolment.result:
        old = enrolment.result
        enrolment.result = result
        record(session, actor, "result.recompute", enrolment,
               summary={"admission_no": enrolment.admission_no, "from": old, "to": result},
               reason=reason.strip())
    if not batch.needs_republicity:
        batch.needs_republicity = True
        record(session, actor, "batch.needs_republicity", batch,
               summary={"admission_no": enrolment.admission_no, "component": component},
               reason=reason.strip())
    return EnteredScore(entry.id, enrolment.id, component, FINAL_ROUND, value, m, True,
                        old_score, old_mark, result)


# --- results ----------------------------------------------------------------------------------
def describe_problems(problems: Iterable[ResultProblem], limit: int = 8) -> str:
    items = list(problems)
    shown = "；".join(
        f"{p.admission_no} {component_name(p.component)}"
        f"{'两遍录入不一致' if p.state == 'mismatch' else '未录入'}"
        for p in items[:limit]
    )
    more = f"……共{len(items)}项" if len(items) > limit else ""
    return shown + more


def compute_results(session: Session, actor: Actor, batch_id: int | str) -> ComputeSummary:
    """Set every enrolment's result from the effective scores (audited per changed enrolment).

    Refused while any required score is missing or a double-entry mismatch remains.
    """
    batch = get_batch(session, batch_id)
    require(session, actor, Perm.ENTER_SCORES, batch_id=batch.id, what="计算认定结果")
    if batch.status != BatchStatus.SCORING.value:
        if batch.status in LOCKED_STATUSES:
            msg = "公示开始后结果已锁定：更正成绩时结果会自动重算。"
        else:
            msg = "请在全部考核结束、批次进入“成绩录入”状态后再计算结果。"
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”，不能计算结果：{msg}"
        )
    problems = result_problems(session, batch)
    if problems:
        mism = sum(1 for p in problems if p.state == "mismatch")
        head = f"还有{len(problems) - mism}项成绩未录入" + (f"、{mism}项双人录入不一致待裁定" if mism else "")
        raise ValidationError(f"批次「{batch.code}」{head}，不能计算结果：{describe_problems(problems)}。")
    comps = required_components(batch)
    cells = effective_cells(session, batch)
    passed = failed = changed = 0
    enrolled = 0
    for e, _p in batch_enrolments(session, batch.id):
        enrolled += 1
        result = evaluate(comps, cells[e.id], batch.pass_mark)
        assert result is not None  # problems were checked above
        if result == Result.PASS.value:
            passed += 1
        else:
            failed += 1
        if e.result != result:
            old = e.result
            e.result = result
            changed += 1
            record(session, actor, "result.compute", e,
                   summary={"admission_no": e.admission_no, "from": old, "to": result})
    return ComputeSummary(batch.id, enrolled, passed, failed, changed, batch.pass_mark, comps)


def set_pass_mark(
    session: Session, actor: Actor, batch_id: int | str, pass_mark: int, reason: str = ""
) -> int:
    """Adjust the batch's pass mark (default: the profile's scoring.pass_mark). Only before
    publicity; results must be computed again afterwards."""
    batch = get_batch(session, batch_id)
    require(session, actor, Perm.EDIT_BATCH, batch_id=batch.id, what="调整合格分数线")
    if batch.status in LOCKED_STATUSES:
        raise ValidationError("公示开始后不能调整合格分数线。")
    full = full_mark_for(session, batch)
    if not isinstance(pass_mark, int) or isinstance(pass_mark, bool) or not 0 <= pass_mark <= full:
        raise ValidationError(f"合格分数线应为0–{full}的整数。", field="pass_mark")
    if batch.pass_mark != pass_mark:
        old = batch.pass_mark
        batch.pass_mark = pass_mark
        record(session, actor, "batch.pass_mark", batch, summary={"from": old, "to": pass_mark}, reason=reason)
    return batch.pass_mark


def default_pass_mark(session: Session, batch: Batch) -> int:
    """The profile's pass mark (60 in every shipped profile)."""
    return profile_for(session, batch).scoring.pass_mark
