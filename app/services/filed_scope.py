"""备案范围: the filed (occupation, work type, level) entries, checked against the province rule
(levels of the 机构级别, number of work types), and the conflicts an older version let in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Occupation, ScopeEntry, WorkType
from app.rules.profile_model import Profile
from app.services.actor import Actor
from app.services.audit import record
from app.services.organisation import (
    effective_scope,
    get_organisation,
    org_scope_key,
    require_organisation,
)
from app.services.permissions import Perm, require
from app.services.text_limits import field_label


def filed_pairs(session: Session, org_id: int) -> set[tuple[int, int | None]]:

    rows = session.execute(
        select(ScopeEntry.occupation_id, ScopeEntry.work_type_id).where(
            ScopeEntry.organisation_id == org_id
        )
    )
    return {(o, w) for o, w in rows}


def add_scope_entry(
    session: Session,
    actor: Actor,
    occupation_id: int,
    level: int,
    work_type_id: int | None = None,
    *,
    started_on: dt.date | None = None,
    assessed_count: int = 0,
    standard: str = "",
    subsidised_training: str = "",
    reason: str = "",
) -> ScopeEntry:
    """File one (occupation, work type, level), within the profile's level and work-type limits."""
    from app.rules.levels import check_level_allowed, level_name
    from app.rules.profiles import load_profile

    require(session, actor, Perm.EDIT_ORGANISATION, what="维护备案范围")
    org = require_organisation(session)
    profile = load_profile(org.profile_name)
    occ = session.get(Occupation, occupation_id)
    if occ is None:
        raise ValidationError(f"职业目录中没有编号为 {occupation_id} 的职业。", field="occupation")
    if work_type_id is not None:
        wt = session.get(WorkType, work_type_id)
        if wt is None or wt.occupation_id != occ.id:
            raise ValidationError(f"所选工种不属于职业“{occ.name}”。", field="work_type")
    check_level_allowed(profile, level, org_scope_key(org))
    filed = filed_pairs(session, org.id)
    limit = profile.work_types.max_work_types
    if (occ.id, work_type_id) not in filed and limit is not None and len(filed) >= limit:
        raise ValidationError(
            f"{profile.display_name}规定每个评价机构评价职业（工种）不得超过{limit}个"
            f"（依据：{profile.work_types.source}），已备案{len(filed)}个，不能再添加"
            f"“{_pair_text(occ, work_type_id, session)}”：如需更换，请先移除一个已备案的职业（工种）。",
            field="work_types",
        )
    started_on, assessed_count = check_history(started_on, assessed_count)
    standard, subsidised_training = check_scope_texts(standard, subsidised_training)
    duplicate = session.scalar(
        select(ScopeEntry).where(
            ScopeEntry.organisation_id == org.id,
            ScopeEntry.occupation_id == occ.id,
            ScopeEntry.work_type_id.is_(None)
            if work_type_id is None
            else ScopeEntry.work_type_id == work_type_id,
            ScopeEntry.level == int(level),
        )
    )
    if duplicate is not None:
        raise ValidationError(
            f"备案范围中已有“{_pair_text(occ, work_type_id, session)}”{level_name(int(level))}，"
            "不必重复添加。",
            field="level",
        )
    entry = ScopeEntry(
        organisation_id=org.id,
        occupation_id=occ.id,
        work_type_id=work_type_id,
        level=int(level),
        started_on=started_on,
        assessed_count=assessed_count,
        standard=standard,
        subsidised_training=subsidised_training,
    )
    session.add(entry)
    record(
        session, actor, "scope.add", entry,
        summary={
            "occupation": occ.code, "work_type_id": work_type_id, "level": int(level),
            "started_on": started_on, "assessed_count": assessed_count,
            "standard": standard, "subsidised_training": subsidised_training,
        },
        reason=reason,
    )
    return entry


# The scope table's free-text columns, as the forms name them: 职业标准或评价规范 (001 附件1 二,
# 002 附件1 二) and 开展补贴性培训情况 (003 附件1).
SCOPE_TEXTS: dict[str, str] = {
    key: field_label("scope_entry", key) for key in ("standard", "subsidised_training")
}


def check_scope_texts(standard: str, subsidised_training: str) -> tuple[str, str]:
    """A scope entry's 职业标准或评价规范 and 开展补贴性培训情况: one line each, control
    characters refused, full-width letters and digits stored half-width (Chinese punctuation
    as typed: 《焊工国家职业技能标准》（2018年版））."""
    from app.rules._text import fold_prose
    from app.services.free_text import check_controls

    out = []
    for key, value in (("standard", standard), ("subsidised_training", subsidised_training)):
        label = f"备案范围的“{SCOPE_TEXTS[key]}”"
        out.append(fold_prose(check_controls((value or "").strip(), label=label, field=key)).strip())
    return out[0], out[1]


MAX_ASSESSED = 9_999_999  # 已培训评价人数: far above any organisation's, within any integer column


def check_history(
    started_on: dt.date | None, assessed_count: object, today: dt.date | None = None
) -> tuple[dt.date | None, int]:
    """培训评价起始日期 and 已培训评价人数 of a scope entry (000 附件1 二, 003 附件1): the date not
    after today, the count a whole number of people, 0 or more."""
    today = today or dt.date.today()
    if started_on is not None and started_on > today:
        raise ValidationError(
            f"培训评价起始日期 {started_on.isoformat()} 晚于今天（{today.isoformat()}）："
            "应填写已经开始培训评价的日期；尚未开始的可留空。",
            field="started_on",
        )
    count = assessed_count
    if isinstance(count, str):
        from app.rules._text import to_halfwidth

        text = to_halfwidth(count).strip()
        count = int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else count
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValidationError(
            f"已培训评价人数“{assessed_count}”不是整数：请填写人数，如 120；没有的填 0。",
            field="assessed_count",
        )
    if count < 0:
        raise ValidationError(
            f"已培训评价人数不能为负数（填写的是 {count}）：没有的填 0。", field="assessed_count"
        )
    if count > MAX_ASSESSED:
        raise ValidationError(
            f"已培训评价人数 {count} 超出可登记的范围（最多 {MAX_ASSESSED} 人）：请核对人数。",
            field="assessed_count",
        )
    return started_on, count


def update_scope_history(
    session: Session,
    actor: Actor,
    entry_id: int,
    *,
    started_on: dt.date | None,
    assessed_count: int,
    standard: str | None = None,
    subsidised_training: str | None = None,
    reason: str = "",
) -> ScopeEntry:
    """Set an entry's 培训评价起始日期, 已培训评价人数 and (when given; None keeps them) its
    职业标准或评价规范 and 开展补贴性培训情况 — audited with the old and new values."""
    from app.errors import NotFoundError

    require(session, actor, Perm.EDIT_ORGANISATION, what="维护备案范围")
    entry = session.get(ScopeEntry, entry_id)
    if entry is None:
        raise NotFoundError(f"找不到编号为 {entry_id} 的备案范围条目：可能已被移除，请刷新后重试。")
    started_on, assessed_count = check_history(started_on, assessed_count)
    standard, subsidised_training = check_scope_texts(
        entry.standard if standard is None else standard,
        entry.subsidised_training if subsidised_training is None else subsidised_training,
    )
    new = {
        "started_on": started_on, "assessed_count": assessed_count,
        "standard": standard, "subsidised_training": subsidised_training,
    }  # fmt: skip
    old = {key: getattr(entry, key) for key in new}
    if old == new:
        return entry  # nothing changed, nothing audited
    for key, value in new.items():
        setattr(entry, key, value)
    record(
        session, actor, "scope.update", entry,
        summary={
            "scope_entry": entry.id, "occupation_id": entry.occupation_id,
            "work_type_id": entry.work_type_id, "level": entry.level,
            "changed": {k: {"from": old[k], "to": new[k]} for k in old if old[k] != new[k]},
        },
        reason=reason,
    )
    return entry


def _pair_text(occ: Occupation, work_type_id: int | None, session: Session) -> str:
    """电工（维修电工）, or 电工（不分工种）."""
    wt = session.get(WorkType, work_type_id) if work_type_id is not None else None
    return f"{occ.name}（{wt.name if wt else '不分工种'}）"


def batches_using(session: Session, entry_id: int) -> list[str]:
    """Codes (with status) of the unfinished batches — draft until the scores are in — planned
    for this entry's occupation, work type and level: removing the entry puts them outside the
    filed scope (their plan check then reports it as an error)."""
    from app.models import Batch
    from app.models.enums import BATCH_STATUS_NAMES, BatchStatus
    from app.services.roster import UNFINISHED_BATCH_STATUSES

    entry = session.get(ScopeEntry, entry_id)
    if entry is None:
        return []
    stmt = (
        select(Batch.code, Batch.status)
        .where(
            Batch.occupation_id == entry.occupation_id,
            Batch.level == entry.level,
            Batch.work_type_id.is_(None)
            if entry.work_type_id is None
            else Batch.work_type_id == entry.work_type_id,
            Batch.status.in_(UNFINISHED_BATCH_STATUSES),
        )
        .order_by(Batch.code)
    )
    return [
        f"{code}（{BATCH_STATUS_NAMES[BatchStatus(status)]}）"
        for code, status in session.execute(stmt)
    ]


def remove_scope_entry(session: Session, actor: Actor, entry_id: int, reason: str = "") -> None:
    """Take an entry out of the filed scope (a 备案范围变更). When unfinished batches are planned
    for it, the removal needs a reason (their plans fall outside the scope) and the audit entry
    names them."""
    from app.errors import NotFoundError
    from app.rules.levels import level_name

    require(session, actor, Perm.EDIT_ORGANISATION, what="维护备案范围")
    entry = session.get(ScopeEntry, entry_id)
    if entry is None:
        raise NotFoundError(f"找不到编号为 {entry_id} 的备案范围条目。")
    occ = session.get(Occupation, entry.occupation_id)
    what = f"“{_pair_text(occ, entry.work_type_id, session)}”{level_name(entry.level)}"
    batches = batches_using(session, entry_id)
    if batches and not reason.strip():
        raise ValidationError(
            f"批次 {'、'.join(batches)} 按{what}安排：移除后这些批次将超出备案范围（计划检查报错，"
            "不能报备和实施）。如确需移除（如备案范围已变更），请填写移除原因。未做任何修改。",
            field="reason",
        )
    summary: dict[str, object] = {
        "occupation": occ.code if occ else entry.occupation_id,
        "work_type_id": entry.work_type_id, "level": entry.level,
    }  # fmt: skip
    if batches:
        summary["batches"] = "、".join(batches)
    session.delete(entry)
    session.flush()
    record(session, actor, "scope.remove", entry, deleted=True, summary=summary, reason=reason)


def in_scope(session: Session, occupation_id: int, work_type_id: int | None, level: int) -> bool:
    """Whether the organisation has filed this occupation (work type) at this level."""

    org = get_organisation(session)
    if org is None:
        return False
    stmt = select(ScopeEntry.id).where(
        ScopeEntry.organisation_id == org.id,
        ScopeEntry.occupation_id == occupation_id,
        ScopeEntry.level == int(level),
    )
    stmt = stmt.where(
        ScopeEntry.work_type_id.is_(None)
        if work_type_id is None
        else ScopeEntry.work_type_id == work_type_id
    )
    return session.scalar(stmt.limit(1)) is not None


@dataclass
class ScopeRow:
    id: int
    occupation_id: int
    occupation_code: str
    occupation_name: str
    is_new: bool
    work_type_id: int | None
    work_type: str | None
    level: int
    level_name: str
    started_on: dt.date | None
    assessed_count: int
    standard: str = ""  # 职业标准或评价规范
    subsidised_training: str = ""  # 开展补贴性培训情况


def list_scope(session: Session) -> list[ScopeRow]:
    from app.rules.levels import level_name

    org = get_organisation(session)
    if org is None:
        return []
    stmt = (
        select(ScopeEntry, Occupation, WorkType.name)
        .join(Occupation, Occupation.id == ScopeEntry.occupation_id)
        .outerjoin(WorkType, WorkType.id == ScopeEntry.work_type_id)
        .where(ScopeEntry.organisation_id == org.id)
        .order_by(Occupation.code, WorkType.name, ScopeEntry.level)
    )
    return [
        ScopeRow(e.id, occ.id, occ.code, occ.name, occ.is_new, e.work_type_id, wt, e.level,
                 level_name(e.level), e.started_on, e.assessed_count, e.standard,
                 e.subsidised_training)
        for e, occ, wt in session.execute(stmt)
    ]


def _entry_text(row: ScopeRow) -> str:
    work_type = f"（{row.work_type}）" if row.work_type else ""
    return f"{row.occupation_code} {row.occupation_name}{work_type} {row.level_name}"


def scope_conflicts(session: Session, profile: Profile, scope_level: str) -> list[str]:
    """What of the filed scope breaks ``profile`` for an organisation of ``scope_level``: levels
    outside its scope (000 一(二)3, 002 二) and more work types than allowed (002 二)."""
    from app.rules.levels import LEVELS, scope_holder

    rows = list_scope(session)
    scope = effective_scope(profile, scope_level)
    problems = []
    outside = [r for r in rows if r.level not in scope.levels]
    if outside:
        allowed = "、".join(LEVELS[c].name for c in scope.levels)
        problems.append(
            f"{profile.display_name}规定{scope_holder(scope)}只能认定{allowed}"
            f"（依据：{profile.levels.source}），备案范围中有 {len(outside)} 项超出："
            + "、".join(_entry_text(r) for r in outside)
        )
    limit = profile.work_types.max_work_types
    pairs: dict[tuple[int, int | None], str] = {}
    for r in rows:
        pairs.setdefault(
            (r.occupation_id, r.work_type_id),
            f"{r.occupation_name}（{r.work_type}）" if r.work_type else r.occupation_name,
        )
    if limit is not None and len(pairs) > limit:
        problems.append(
            f"{profile.display_name}规定每个评价机构评价职业（工种）不得超过{limit}个"
            f"（依据：{profile.work_types.source}），备案范围中有{len(pairs)}个："
            + "、".join(pairs.values())
            + f"，需减少{len(pairs) - limit}个"
        )
    return problems


def refuse_scope_conflicts(
    session: Session, profile: Profile, scope_level: str, *, profile_changed: bool, action: str
) -> None:
    """Refuse a new profile / 机构级别 while the filed scope breaks it, naming the entries."""
    problems = scope_conflicts(session, profile, scope_level)
    if not problems:
        return
    change = (
        f"改用{profile.display_name}规则"
        if profile_changed
        else f"把机构级别改为“{effective_scope(profile, scope_level).label}”"
    )
    raise ValidationError(
        f"不能{change}：现有备案范围不符合该规定。{'；'.join(problems)}。"
        "请先在“机构与备案 › 备案范围”中移除这些条目（需要时改按允许的等级重新添加），"
        f"再{action}。",
        field="scope_level",
    )
