"""The occupation catalogue (职业分类大典 codes such as 4-12-01-01) and its work types (工种):
create, update, delete (refused while in use). What may change in an occupation that is used
(filed scope, batches, certificates) is decided in `occupation_use`; two occupations never share
a name. Import and export as an Excel file: `catalogue_file`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.errors import NotFoundError, ValidationError
from app.models import (
    Batch,
    ExaminerQualification,
    Occupation,
    ScopeEntry,
    WorkType,
)
from app.rules._text import fold_prose, to_halfwidth, width_key
from app.services.actor import Actor
from app.services.audit import record
from app.services.free_text import check_controls
from app.services.occupation_use import (
    occupation_uses,
    refuse_recoding_used,
    refuse_renaming_filed,
    scope_rename_question,
)
from app.services.permissions import Perm, require

CODE_RE: Final = re.compile(r"\d-\d{2}-\d{2}-\d{2}")
NAME_MAX: Final = 100  # an occupation's or a work type's name (the longest in the 大典 is ~20)
# dashes typed or autocorrected in place of "-": em, en, figure, hyphen, non-breaking, minus
_DASHES: Final = str.maketrans(dict.fromkeys("—–‒‐‑−－", "-"))
_WORK_TYPE_SPLIT: Final = re.compile(r"[、,，;；\r\n]+")


@dataclass
class OccupationInput:
    code: str
    name: str
    is_new: bool = False
    work_types: list[str] = field(default_factory=list)


def normalise_code(raw: str) -> str:
    """A 职业编码 in the form d-dd-dd-dd (full-width digits and dashes accepted)."""
    code = re.sub(r"\s+", "", to_halfwidth(str(raw or ""))).translate(_DASHES)
    if not code:
        raise ValidationError("职业编码为空：请填写如 4-12-01-01 的职业编码。", field="code")
    if not CODE_RE.fullmatch(code):
        raise ValidationError(
            f"职业编码“{raw}”格式不对：应为“大类-中类-小类-细类”，如 4-12-01-01（1位-2位-2位-2位数字）。",
            field="code",
        )
    return code


def split_work_types(text: str) -> list[str]:
    """Work types written in one text (a dialog's box, an Excel cell): separated by 、 , ， ; ；
    or line breaks (not by spaces or slashes: names have them); blanks dropped, order kept, no
    repeats."""
    out: list[str] = []
    for part in _WORK_TYPE_SPLIT.split(text or ""):
        name = part.strip()
        if name and name not in out:
            out.append(name)
    return out


def _checked_name(raw: str, label: str, field: str) -> str:
    name = check_controls(fold_prose(raw or "").strip(), label=label, field=field, no_breaks=True)
    if len(name) > NAME_MAX:
        raise ValidationError(
            f"{label}“{name[:20]}…”过长：{len(name)} 字，最多 {NAME_MAX} 字。请核对后重新录入。",
            field=field,
        )
    return name


def _clean_work_types(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        n = _checked_name(n, f"工种“{fold_prose(n).strip()[:20]}”", "work_types")
        if not n or n in ("无", "——", "-", "—"):
            continue
        if width_key(n) not in map(width_key, out):  # 中式热菜(初级) is 中式热菜（初级）
            out.append(n)
    return out


def validated(data: OccupationInput) -> OccupationInput:
    name = _checked_name(data.name, "职业名称", "name")
    if not name:
        raise ValidationError("职业名称不能为空。", field="name")
    return OccupationInput(
        normalise_code(data.code), name, bool(data.is_new), _clean_work_types(list(data.work_types))
    )


def list_occupations(session: Session, *, actor: Actor | None = None) -> list[Occupation]:
    if actor is not None:
        require(session, actor, Perm.READ, what="查看职业目录")
    return list(
        session.scalars(
            select(Occupation)
            .options(selectinload(Occupation.work_types))
            .order_by(Occupation.code)
        )
    )


def get_occupation(session: Session, occupation_id: int) -> Occupation:
    occ = session.get(Occupation, occupation_id)
    if occ is None:
        raise NotFoundError(f"找不到编号为 {occupation_id} 的职业。")
    return occ


def find_occupation(session: Session, code: str) -> Occupation | None:
    return session.scalar(select(Occupation).where(Occupation.code == normalise_code(code)))


def _work_type_in_use(session: Session, wt_id: int) -> str | None:
    checks = (
        (ScopeEntry.work_type_id, "备案范围"),
        (ExaminerQualification.work_type_id, "考评员资格"),
        (Batch.work_type_id, "认定批次"),
    )
    for column, label in checks:
        if session.scalar(select(func.count()).where(column == wt_id)):
            return label
    return None


def _same_name(session: Session, name: str, other_than: int | None = None) -> Occupation | None:
    """Another occupation with this name (`width_key`): a staff file's 考评职业 names one."""
    key = width_key(name)
    for occ in session.scalars(select(Occupation).where(Occupation.id != (other_than or -1))):
        if width_key(occ.name) == key:
            return occ
    return None


def _refuse_same_name(session: Session, name: str, other_than: int | None = None) -> None:
    other = _same_name(session, name, other_than)
    if other is not None:
        raise ValidationError(
            f"职业名称“{name}”已用于职业编码 {other.code}：同名的两个职业在导入考评员、"
            "选择职业时无法区分。请核对编码；如确是另一职业，请在名称中写明区别。",
            field="name",
        )


def sync_work_types(
    session: Session, actor: Actor, occ: Occupation, names: list[str], *, remove: bool, reason: str
) -> int:
    # Adding (a file, a new occupation), a name is matched by width_key: a work type stored as
    # 中式热菜(初级) is the file's 中式热菜（初级）. Setting the list exactly (the dialog), a name
    # typed anew is a rename, as any other edit of it.
    key = (lambda name: name) if remove else width_key
    have = {key(wt.name): wt for wt in occ.work_types}
    wanted = {key(name) for name in names}
    added = 0
    for name in names:
        if key(name) not in have:
            wt = WorkType(occupation_id=occ.id, name=name)
            occ.work_types.append(wt)
            record(
                session,
                actor,
                "work_type.create",
                wt,
                summary={"occupation": occ.code, "name": name},
                reason=reason,
            )
            added += 1
    if remove:
        for name, wt in have.items():
            if name in wanted:
                continue
            used = _work_type_in_use(session, wt.id)
            if used:
                raise ValidationError(
                    f"工种“{name}”已用于{used}，不能删除，也不能改名（已登记的记录按原名）："
                    f"请在工种中保留“{name}”。",
                    field="work_types",
                )
            occ.work_types.remove(wt)
            session.delete(wt)
            session.flush()
            record(
                session,
                actor,
                "work_type.delete",
                wt,
                deleted=True,
                summary={"occupation": occ.code, "name": name},
                reason=reason,
            )
    return added


def create_occupation(
    session: Session, actor: Actor, data: OccupationInput, reason: str = ""
) -> Occupation:
    require(session, actor, Perm.EDIT_ORGANISATION, what="新增职业")
    data = validated(data)
    existing = session.scalar(select(Occupation).where(Occupation.code == data.code))
    if existing is not None:
        raise ValidationError(f"职业编码 {data.code} 已存在（{existing.name}）。", field="code")
    _refuse_same_name(session, data.name)
    return insert_occupations(session, actor, [data], reason)[0]


def insert_occupations(
    session: Session, actor: Actor, items: list[OccupationInput], reason: str
) -> list[Occupation]:
    """New occupations and their work types, audited; each item validated and its code and
    name checked free by the caller (`create_occupation`, or the import for all its rows). All
    are written in one flush before the audit entries (a catalogue of 1,600 occupations)."""
    added = []
    for data in items:
        occ = Occupation(code=data.code, name=data.name, is_new=data.is_new)
        names: dict[str, str] = {}
        for name in data.work_types:  # (rows of one code may write a name in either width)
            names.setdefault(width_key(name), name)
        occ.work_types = [WorkType(name=name) for name in names.values()]
        added.append(occ)
    session.add_all(added)
    session.flush()
    for occ in added:
        summary = {"code": occ.code, "name": occ.name}
        record(session, actor, "occupation.create", occ, summary=summary, reason=reason)
        for wt in occ.work_types:
            summary = {"occupation": occ.code, "name": wt.name}
            record(session, actor, "work_type.create", wt, summary=summary, reason=reason)
    return added


def update_occupation(
    session: Session,
    actor: Actor,
    occupation_id: int,
    data: OccupationInput,
    reason: str = "",
    *,
    rename_confirmed: bool = False,
) -> Occupation:
    """Change code/name/新职业 and set the work types exactly (a work type in use is not removed).

    A used occupation keeps its code, a filed or certified one its name (`occupation_use`); a
    name in the filed scope changes only with `rename_confirmed` (the user answered
    `scope_rename_question`)."""
    occ, data = _checked_edit(session, actor, occupation_id, data)
    if data.name != occ.name:
        if scope_rename_question(session, occ, data.name):
            if not rename_confirmed:
                raise ValidationError(
                    f"职业“{occ.name}”（{occ.code}）在本机构的备案范围中，改名须先确认"
                    "（在“职业目录 › 修改”中保存时会询问）。",
                    field="name",
                )
            if not reason.strip():
                raise ValidationError(
                    f"职业“{occ.name}”在本机构的备案范围中：改名请在“说明”中写明依据"
                    "（如职业分类大典修订、备案变更），记入审计日志。",
                    field="reason",
                )
    apply_changes(session, actor, occ, data, ("code", "name", "is_new"), reason)
    sync_work_types(session, actor, occ, data.work_types, remove=True, reason=reason)
    return occ


def apply_changes(
    session: Session,
    actor: Actor,
    occ: Occupation,
    data: OccupationInput,
    fields: tuple[str, ...],
    reason: str,
) -> list[str]:
    """Set `fields` of `occ` from `data`; the change audited with each field's old and new value
    (a rename is traced by what it was and became, not only by the row's digest)."""
    changed = {k: [getattr(occ, k), getattr(data, k)] for k in fields}
    changed = {k: v for k, v in changed.items() if v[0] != v[1]}
    for k, (_old, new) in changed.items():
        setattr(occ, k, new)
    if changed:
        record(
            session,
            actor,
            "occupation.update",
            occ,
            summary={"code": occ.code, "changed": sorted(changed), "values": changed},
            reason=reason,
        )
    return list(changed)


def rename_question(
    session: Session, actor: Actor, occupation_id: int, data: OccupationInput
) -> str | None:
    """The question to ask before `update_occupation` renames an occupation of the filed scope
    (`scope_rename_question`), or None; a rename the save would refuse (filed, certified, a
    name another code has, a new code for a used one) is refused here, before any question."""
    occ, data = _checked_edit(session, actor, occupation_id, data)
    return scope_rename_question(session, occ, data.name)


def _checked_edit(
    session: Session, actor: Actor, occupation_id: int, data: OccupationInput
) -> tuple[Occupation, OccupationInput]:
    """The occupation and the validated edit, every refusal of `update_occupation` but the
    scope question checked: a code another occupation has, a new code for a used one, a new
    name for a filed or certified one or one another code has."""
    require(session, actor, Perm.EDIT_ORGANISATION, what="修改职业")
    data = validated(data)
    occ = get_occupation(session, occupation_id)
    other = session.scalar(
        select(Occupation).where(Occupation.code == data.code, Occupation.id != occ.id)
    )
    if other is not None:
        raise ValidationError(f"职业编码 {data.code} 已属于“{other.name}”。", field="code")
    refuse_recoding_used(session, occ, data.code)
    refuse_renaming_filed(session, occ, data.name)
    if data.name != occ.name:
        _refuse_same_name(session, data.name, occ.id)
    return occ, data


def delete_occupation(session: Session, actor: Actor, occupation_id: int, reason: str = "") -> None:
    require(session, actor, Perm.EDIT_ORGANISATION, what="删除职业")
    occ = get_occupation(session, occupation_id)
    uses = occupation_uses(session, occ.id)
    if uses:
        raise ValidationError(
            f"职业“{occ.name}”（{occ.code}）已用于{'、'.join(uses)}，不能删除：已使用的职业须保留，"
            "已报备的材料、证书和档案都按它追溯。今后不再认定此职业时，请从备案范围中移除即可。"
        )
    for wt in list(occ.work_types):
        occ.work_types.remove(wt)
        session.delete(wt)
        session.flush()
        record(
            session,
            actor,
            "work_type.delete",
            wt,
            deleted=True,
            summary={"occupation": occ.code, "name": wt.name},
            reason=reason,
        )
    session.delete(occ)
    session.flush()
    record(
        session,
        actor,
        "occupation.delete",
        occ,
        deleted=True,
        summary={"code": occ.code, "name": occ.name},
        reason=reason,
    )
