"""Where an occupation of the catalogue is used, and so which of its edits are safe.

An occupation's code and name are printed on what the site files and issues: the 备案范围 of
the 基本情况表, each batch's plan (报备), the certificates. So:

- a code is never changed once the occupation is used anywhere (`refuse_recoding_used`): a
  changed code would re-label scope entries, qualifications and batches filed under the old one;
- a name is not changed once certificates carry it or a batch's plan was filed with it
  (`refuse_renaming_filed`);
- a name in the filed scope only may be changed after the user has read what it changes
  (`scope_rename_question`; the catalogue import refuses it, having no such question).

In each case the way out is the same: a new occupation (a new code) for the batches to come.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import (
    Batch,
    Certificate,
    ExaminerQualification,
    Occupation,
    RoomStations,
    ScopeEntry,
)
from app.models.enums import BATCH_STATUS_NAMES, BatchStatus

NEW_OCCUPATION_ADVICE = "如职业确有变更，请新增一个职业（新编码）用于今后的批次。"


def _count(session: Session, column, occ_id: int) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(func.count()).where(column == occ_id)) or 0)


def issued_certificates(session: Session, occ_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Certificate)
            .join(Batch, Batch.id == Certificate.batch_id)
            .where(Batch.occupation_id == occ_id, Certificate.status == "issued")
        )
        or 0
    )


def filed_batches(session: Session, occ_id: int) -> list[str]:
    """The batches of the occupation whose plan was filed (past 草稿), as "2026-04（已报备）"."""
    rows = session.execute(
        select(Batch.code, Batch.status)
        .where(Batch.occupation_id == occ_id, Batch.status != BatchStatus.DRAFT.value)
        .order_by(Batch.code)
    )
    return [f"{code}（{BATCH_STATUS_NAMES.get(BatchStatus(status), status)}）" for code, status in rows]


def occupation_uses(session: Session, occ_id: int) -> list[str]:
    """Every use of the occupation, counted: "备案范围 3 项", "认定批次 2 个", …"""
    uses = [
        (_count(session, ScopeEntry.occupation_id, occ_id), "备案范围 {} 项"),
        (_count(session, ExaminerQualification.occupation_id, occ_id), "考评员资格 {} 条"),
        (_count(session, Batch.occupation_id, occ_id), "认定批次 {} 个"),
        (_count(session, RoomStations.occupation_id, occ_id), "考场工位 {} 处"),
        (issued_certificates(session, occ_id), "已发证书 {} 张"),
    ]
    return [text.format(n) for n, text in uses if n]


def refuse_recoding_used(session: Session, occ: Occupation, new_code: str) -> None:
    if new_code == occ.code:
        return
    uses = occupation_uses(session, occ.id)
    if uses:
        raise ValidationError(
            f"职业“{occ.name}”（{occ.code}）已用于{'、'.join(uses)}，编码不能修改："
            f"已备案、已报备的材料和证书都按编码 {occ.code} 登记。{NEW_OCCUPATION_ADVICE}",
            field="code",
        )


def refuse_renaming_filed(session: Session, occ: Occupation, new_name: str) -> None:
    """No new name once certificates print the name (a reprint must match the issued one,
    `certificate_printing.check_content`) or a batch's plan was filed with it."""
    if new_name == occ.name:
        return
    issued = issued_certificates(session, occ.id)
    if issued:
        raise ValidationError(
            f"职业“{occ.name}”（{occ.code}）已发放证书 {issued} 张，证书上印有此名称："
            f"改为“{new_name}”后，这些证书补打时将与发证时不一致。已发证的职业名称不能修改；"
            + NEW_OCCUPATION_ADVICE,
            field="name",
        )
    batches = filed_batches(session, occ.id)
    if batches:
        shown = "、".join(batches[:5]) + (f" 等 {len(batches)} 个" if len(batches) > 5 else "")
        raise ValidationError(
            f"职业“{occ.name}”（{occ.code}）已用于已报备的认定批次 {shown}：报备材料按此名称，"
            f"改为“{new_name}”后，批次的名册、结果和证书将与报备时不一致，名称不能修改。"
            + NEW_OCCUPATION_ADVICE,
            field="name",
        )


def scope_entries(session: Session, occ_id: int) -> int:
    return _count(session, ScopeEntry.occupation_id, occ_id)


def scope_rename_question(session: Session, occ: Occupation, new_name: str) -> str | None:
    """What renaming an occupation of the filed scope changes, to be confirmed; None when the
    name is unchanged or the occupation is not in the scope."""
    if new_name == occ.name:
        return None
    entries = scope_entries(session, occ.id)
    if not entries:
        return None
    return (
        f"职业“{occ.name}”（{occ.code}）在本机构的备案范围中（{entries} 项）。"
        f"改为“{new_name}”后，备案范围、基本情况表和今后的批次都将显示新名称，"
        "与已向主管部门备案的名称不再一致：请确认职业名称确已变更（如职业分类大典修订），"
        "并同时办理备案变更。\n\n确定改名吗？"
    )
