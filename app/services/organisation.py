"""The organisation's filing record (机构与备案). Issue #5 extends this with scope and catalogue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Organisation
from app.services.actor import Actor
from app.services.audit import record
from app.services.permissions import Perm, require


@dataclass
class OrgInput:
    name: str
    org_type: str = "S"
    profile_name: str = "national"
    scope_level: str = "city"
    filing_code: str | None = None
    credit_code: str | None = None
    address: str = ""
    registration_authority: str = ""
    nature: str = ""
    legal_representative: str = ""
    registered_capital: Decimal | None = None
    contact_person: str = ""
    contact_title: str = ""
    phone: str = ""
    email: str = ""
    filed_on: dt.date | None = None
    filing_valid_until: dt.date | None = None


def get_organisation(session: Session) -> Organisation | None:
    """The organisation this installation serves (one per database)."""
    return session.scalar(select(Organisation).order_by(Organisation.id).limit(1))


def _validated(data: OrgInput) -> OrgInput:
    from app.rules.codes import parse_filing_code
    from app.rules.profiles import load_profile
    from app.rules.uscc import validate_uscc

    name = data.name.strip()
    if not name:
        raise ValidationError("机构名称不能为空：请填写与备案一致的全称。", field="name")
    if data.org_type not in ("Y", "S"):
        raise ValidationError(
            "机构类型只能是 Y（用人单位）或 S（社会培训评价组织）。", field="org_type"
        )
    profile = load_profile(data.profile_name)
    data.name = name
    if data.credit_code:
        data.credit_code = validate_uscc(data.credit_code)
    if data.filing_code:
        code = data.filing_code.strip().upper()
        parse_filing_code(code, profile)
        if code[0] != data.org_type:
            raise ValidationError(
                f"备案编码第 1 位为「{code[0]}」，与机构类型「{data.org_type}」不一致。",
                field="filing_code",
            )
        data.filing_code = code
    return data


def save_organisation(
    session: Session, actor: Actor, data: OrgInput, reason: str = ""
) -> Organisation:
    """Create the organisation, or update it (every change audited)."""
    require(session, actor, Perm.EDIT_ORGANISATION, what="保存机构信息")
    data = _validated(data)
    org = get_organisation(session)
    created = org is None
    if org is None:
        org = Organisation(name=data.name, org_type=data.org_type)
        session.add(org)
    changed = {}
    for f in fields(OrgInput):
        value = getattr(data, f.name)
        if getattr(org, f.name, None) != value:
            changed[f.name] = value
            setattr(org, f.name, value)
    record(
        session,
        actor,
        "organisation.create" if created else "organisation.update",
        org,
        summary={"changed": sorted(changed)},
        reason=reason,
    )
    return org


# --- Issue #5: filed scope (备案范围) and the overview shown by `skillsite org show` ----------------
from app.models import Occupation, ScopeEntry, WorkType  # noqa: E402  (section added by issue #5)


def _require_org(session: Session) -> Organisation:
    org = get_organisation(session)
    if org is None:
        raise ValidationError("尚未登记评价机构信息：请先填写机构信息（名称、类型、省份规则），再维护备案范围。")
    return org


def org_scope_key(org: Organisation) -> str:
    """The organisation's level-scope key in its profile (000 一(二)3: 全市 city / 区县 district).

    Organisations keep the model default "city" until someone sets it; a profile without that
    key (national "all", Shandong "pilot") then applies its own default scope.
    """
    from app.rules.profiles import load_profile

    rule = load_profile(org.profile_name).levels
    return org.scope_level if rule.scope(org.scope_level) is not None else rule.default_scope


def _scope_pairs(session: Session, org_id: int) -> set[tuple[int, int | None]]:

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
    reason: str = "",
) -> ScopeEntry:
    """File one (occupation, work type, level), within the profile's level and work-type limits."""
    from app.rules.levels import check_level_allowed, check_work_type_count
    from app.rules.profiles import load_profile

    require(session, actor, Perm.EDIT_ORGANISATION, what="维护备案范围")
    org = _require_org(session)
    profile = load_profile(org.profile_name)
    occ = session.get(Occupation, occupation_id)
    if occ is None:
        raise ValidationError(f"职业目录中没有编号为 {occupation_id} 的职业。", field="occupation")
    if work_type_id is not None:
        wt = session.get(WorkType, work_type_id)
        if wt is None or wt.occupation_id != occ.id:
            raise ValidationError(f"所选工种不属于职业“{occ.name}”。", field="work_type")
    check_level_allowed(profile, level, org_scope_key(org))
    pairs = _scope_pairs(session, org.id) | {(occ.id, work_type_id)}
    check_work_type_count(profile, len(pairs))
    if assessed_count < 0:
        raise ValidationError("已培训评价人数不能为负数。", field="assessed_count")
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
        raise ValidationError(f"备案范围中已有“{occ.name}”该工种的{int(level)}级。", field="level")
    entry = ScopeEntry(
        organisation_id=org.id,
        occupation_id=occ.id,
        work_type_id=work_type_id,
        level=int(level),
        started_on=started_on,
        assessed_count=assessed_count,
    )
    session.add(entry)
    record(
        session, actor, "scope.add", entry,
        summary={"occupation": occ.code, "work_type_id": work_type_id, "level": int(level)},
        reason=reason,
    )
    return entry


def remove_scope_entry(session: Session, actor: Actor, entry_id: int, reason: str = "") -> None:
    from app.errors import NotFoundError

    require(session, actor, Perm.EDIT_ORGANISATION, what="维护备案范围")
    entry = session.get(ScopeEntry, entry_id)
    if entry is None:
        raise NotFoundError(f"找不到编号为 {entry_id} 的备案范围条目。")
    summary = {"occupation_id": entry.occupation_id, "level": entry.level}
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
                 level_name(e.level), e.started_on, e.assessed_count)
        for e, occ, wt in session.execute(stmt)
    ]


@dataclass
class OrgOverview:
    name: str
    org_type: str
    org_type_name: str
    credit_code: str | None
    address: str
    contact_person: str
    phone: str
    profile_name: str
    profile_display_name: str
    scope_level: str
    scope_label: str
    allowed_levels: list[int]
    filing_code: str | None
    filing_segments: list[dict[str, str]]
    filing_code_problem: str | None
    filed_on: dt.date | None
    filing_valid_until: dt.date | None
    validity_status: str  # valid / renew_soon / expired / unknown
    validity_text: str
    work_type_count: int
    work_type_limit: int | None
    scope: list[ScopeRow]

    def as_dict(self) -> dict[str, object]:
        from dataclasses import asdict

        out = asdict(self)
        for key in ("filed_on", "filing_valid_until"):
            out[key] = out[key].isoformat() if out[key] else None
        for row in out["scope"]:
            row["started_on"] = row["started_on"].isoformat() if row["started_on"] else None
        return out


def _validity(profile, valid_until: dt.date | None, today: dt.date) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    rule = profile.filing_validity
    if valid_until is None:
        return "unknown", f"未登记备案有效期（{profile.display_name}：有效期 {rule.years} 年）"
    days = (valid_until - today).days
    if days < 0:
        return "expired", f"备案已于 {valid_until.isoformat()} 到期（已过 {-days} 天），到期后不得开展认定"
    notice = rule.renewal_notice_days
    if notice is not None and days <= notice:
        return "renew_soon", (
            f"备案将于 {valid_until.isoformat()} 到期（还有 {days} 天）：应在到期 {notice} 日前申请延续"
            f"（依据：{rule.source}）"
        )
    return "valid", f"备案有效至 {valid_until.isoformat()}（还有 {days} 天）"


def organisation_overview(
    session: Session, today: dt.date | None = None, *, actor: Actor | None = None
) -> OrgOverview:
    """Everything `org show` prints: the record, the filing code segment by segment, validity, scope."""
    from app.rules.codes import ORG_TYPES, parse_filing_code
    from app.rules.profiles import load_profile

    if actor is not None:
        require(session, actor, Perm.READ, what="查看机构信息")
    org = _require_org(session)
    today = today or dt.date.today()
    profile = load_profile(org.profile_name)
    key = org_scope_key(org)
    scope_rule = profile.levels.scope(key)
    segments: list[dict[str, str]] = []
    problem = None
    if org.filing_code:
        try:
            fc = parse_filing_code(org.filing_code, profile)
            segments = [s._asdict() for s in fc.segments]
        except ValidationError as exc:
            problem = exc.message
    status, text = _validity(profile, org.filing_valid_until, today)
    return OrgOverview(
        name=org.name,
        org_type=org.org_type,
        org_type_name=ORG_TYPES.get(org.org_type, org.org_type),
        credit_code=org.credit_code,
        address=org.address,
        contact_person=org.contact_person,
        phone=org.phone,
        profile_name=profile.name,
        profile_display_name=profile.display_name,
        scope_level=key,
        scope_label=scope_rule.label if scope_rule else key,
        allowed_levels=list(scope_rule.levels) if scope_rule else [],
        filing_code=org.filing_code,
        filing_segments=segments,
        filing_code_problem=problem,
        filed_on=org.filed_on,
        filing_valid_until=org.filing_valid_until,
        validity_status=status,
        validity_text=text,
        work_type_count=len(_scope_pairs(session, org.id)),
        work_type_limit=profile.work_types.max_work_types,
        scope=list_scope(session),
    )
