"""The batch life cycle: 草稿 → 已报备 → 实施中 → 成绩录入 → 公示中 → 结果已报备 → 已发证 → 已归档.

Forward moves go one step at a time. The steps that carry their own checks happen only through
their use case (plan filing, publicity, results filing, certificate issue, archiving), which call
`set_status` after checking; the plain steps go through `advance`. Moving backwards needs an
administrator and a reason. Every move is audited.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import Batch
from app.models.enums import BATCH_STATUS_NAMES, BATCH_STATUS_ORDER, BatchStatus
from app.services.actor import Actor
from app.services.audit import record
from app.services.permissions import Perm, require

# Steps that only their own use case may take (they check the step's conditions first).
GUARDED_STEPS: dict[BatchStatus, str] = {
    BatchStatus.PLAN_FILED: "计划报备",
    BatchStatus.PUBLICITY: "开始公示",
    BatchStatus.RESULTS_FILED: "结果报备",
    BatchStatus.CERTIFIED: "发放证书",
    BatchStatus.ARCHIVED: "归档",
}
# Who may take a plain forward step.
_PLAIN_STEP_PERM: dict[BatchStatus, Perm] = {
    BatchStatus.IN_PROGRESS: Perm.EDIT_BATCH,
    BatchStatus.SCORING: Perm.EDIT_BATCH,
}


def status_name(status: str) -> str:
    return BATCH_STATUS_NAMES[BatchStatus(status)]


def get_batch(session: Session, ref: int | str) -> Batch:
    """A batch by id or by its code (e.g. 2026-02)."""
    from sqlalchemy import select

    batch = None
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        batch = session.get(Batch, int(ref))
    if batch is None:
        batch = session.scalar(select(Batch).where(Batch.code == str(ref)))
    if batch is None:
        raise NotFoundError(f"找不到认定批次「{ref}」：请用批次编号（如 2026-02）或序号。")
    return batch


def _index(status: str | BatchStatus) -> int:
    return BATCH_STATUS_ORDER.index(BatchStatus(status))


def set_status(session: Session, actor: Actor, batch: Batch, target: BatchStatus, *, reason: str = "") -> None:
    """Move one step forward (callers have checked the step's conditions) — audited."""
    if _index(target) != _index(batch.status) + 1:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”，不能直接变为“{status_name(target)}”："
            "状态只能按顺序逐步推进。"
        )
    old = batch.status
    batch.status = target.value
    record(session, actor, "batch.status", batch, summary={"from": old, "to": target.value}, reason=reason)


def advance(session: Session, actor: Actor, batch_ref: int | str, target: str, reason: str = "") -> Batch:
    """A plain forward step (已报备 → 实施中 → 成绩录入)."""
    batch = get_batch(session, batch_ref)
    step = BatchStatus(target)
    if step in GUARDED_STEPS:
        raise ValidationError(f"“{status_name(step)}”须通过“{GUARDED_STEPS[step]}”功能办理，以便先完成相应检查。")
    require(session, actor, _PLAIN_STEP_PERM.get(step, Perm.EDIT_BATCH), batch_id=batch.id, what="推进批次状态")
    set_status(session, actor, batch, step, reason=reason)
    return batch


def move_back(session: Session, actor: Actor, batch_ref: int | str, target: str, reason: str) -> Batch:
    """Return a batch to an earlier state: administrators only, with a recorded reason."""
    batch = get_batch(session, batch_ref)
    require(session, actor, Perm.OVERRIDE, batch_id=batch.id, what="退回批次状态")
    step = BatchStatus(target)
    if _index(step) >= _index(batch.status):
        raise ValidationError("退回的目标状态必须早于当前状态。")
    if not reason.strip():
        raise ValidationError("退回批次状态必须填写理由（将记入审计日志）。", field="reason")
    old = batch.status
    batch.status = step.value
    record(session, actor, "batch.status_back", batch, summary={"from": old, "to": step.value}, reason=reason.strip())
    return batch
