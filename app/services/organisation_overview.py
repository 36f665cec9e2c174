"""The organisation at a glance, as `skillsite org show` and the 机构与备案 page show it: the
record, the filing code explained segment by segment, the validity, and the filed scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.services.actor import Actor
from app.services.filed_scope import ScopeRow, filed_pairs, list_scope, scope_conflicts
from app.services.organisation import org_scope_key, require_organisation
from app.services.permissions import Perm, require


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
    scope_problems: list[str]  # filed scope that breaks the profile (e.g. saved before the check)

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
    org = require_organisation(session)
    today = today or dt.date.today()
    profile = load_profile(org.profile_name)
    key = org_scope_key(org)
    scope_rule = profile.levels.scope(key)
    segments: list[dict[str, str]] = []
    problem = None
    code = org.filing_code
    if org.filing_code:
        try:
            fc = parse_filing_code(org.filing_code, profile)
            segments = [s._asdict() for s in fc.segments]
            code = fc.code  # an older version stored it as typed (full-width digits)
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
        filing_code=code,
        filing_segments=segments,
        filing_code_problem=problem,
        filed_on=org.filed_on,
        filing_valid_until=org.filing_valid_until,
        validity_status=status,
        validity_text=text,
        work_type_count=len(filed_pairs(session, org.id)),
        work_type_limit=profile.work_types.max_work_types,
        scope=list_scope(session),
        scope_problems=scope_conflicts(session, profile, key),
    )
