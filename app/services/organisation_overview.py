"""The organisation at a glance, as `skillsite org show` and the 机构与备案 page show it: the
record, the filing code explained segment by segment, the validity, and the filed scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.rules.levels import check_scope_region
from app.rules.profile_model import ORG_FORM_BASICS, Profile
from app.services.actor import Actor
from app.services.filed_scope import ScopeRow, filed_pairs, list_scope, scope_conflicts
from app.services.organisation import check_nature, get_organisation, org_scope_key
from app.services.permissions import Perm, require


@dataclass
class OrgOverview:
    name: str
    org_type: str
    org_type_name: str
    credit_code: str | None
    address: str
    registration_authority: str  # 注册登记机构
    nature: str  # 机构性质
    legal_representative: str
    registered_capital: Decimal | None  # 注册资金, 万元
    contact_person: str
    contact_title: str  # 联系人职务
    phone: str
    mobile: str  # 联系人手机 (001 附件1 一)
    email: str
    website: str  # 网站 (001 附件1 一)
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
    # valid / renew_soon / expired / auto_renewed (Guizhou) / unknown; renew_soon stays until the
    # expiry, also once the renewal deadline has passed (validity_urgency is then "overdue")
    validity_status: str
    validity_text: str  # what the dashboard says too (dashboard.filing_validity)
    validity_urgency: str | None  # the dashboard item's level: overdue / soon / later
    validity_estimated: bool  # no 备案有效期至: the end is computed from 备案日期
    effective_valid_until: dt.date | None  # registered, or estimated from 备案日期
    renewal_deadline: dt.date | None  # latest day to apply for renewal, where the profile sets one
    work_type_count: int
    work_type_limit: int | None
    scope: list[ScopeRow]
    scope_problems: list[str]  # filed scope that breaks the profile (e.g. saved before the check)
    # the record itself against the profile's rules, stored before a check existed (机构级别 vs
    # the code's district, 机构性质 outside the form's boxes): fixed at the next save
    record_problems: list[str] = field(default_factory=list)

    def form_values(self) -> dict[str, str]:
        """Each field of the 基本情况表's 一、基本信息 (keys of `ORG_FORM_BASICS`) as text, ""
        when not filled."""
        capital = f"{self.registered_capital:f}" if self.registered_capital is not None else ""
        values = {key: getattr(self, key) or "" for key in ORG_FORM_BASICS}
        values["registered_capital"] = capital
        return values

    def form_lines(self) -> list[tuple[str, str]]:
        """Every field of the 基本情况表 with the app's labels (`org show`): (label, text)."""
        values = self.form_values()
        return [(label, values[key]) for key, label in ORG_FORM_BASICS.items()]

    def as_dict(self) -> dict[str, object]:
        from dataclasses import asdict

        out = asdict(self)
        for key in ("filed_on", "filing_valid_until", "effective_valid_until", "renewal_deadline"):
            out[key] = out[key].isoformat() if out[key] else None
        if out["registered_capital"] is not None:
            out["registered_capital"] = f"{out['registered_capital']:f}"
        for row in out["scope"]:
            row["started_on"] = row["started_on"].isoformat() if row["started_on"] else None
        return out


NOT_REGISTERED = (
    "尚未登记评价机构信息：机构基本情况和备案信息在图形界面的“机构与备案”页面填写"
    "（首次启动时的向导也会要求填写）。"
)


def organisation_overview(
    session: Session, today: dt.date | None = None, *, actor: Actor | None = None
) -> OrgOverview:
    """Everything `org show` prints: the record, the filing code segment by segment, validity, scope."""
    from app.rules.codes import ORG_TYPES, parse_filing_code
    from app.rules.profiles import load_profile
    from app.services.dashboard import filing_validity

    if actor is not None:
        require(session, actor, Perm.READ, what="查看机构信息")
    org = get_organisation(session)
    if org is None:  # a read command: say where the record is filled in, not what to do next
        raise ValidationError(NOT_REGISTERED)
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
    validity = filing_validity(session, org, profile, today)
    return OrgOverview(
        name=org.name,
        org_type=org.org_type,
        org_type_name=ORG_TYPES.get(org.org_type, org.org_type),
        credit_code=org.credit_code,
        address=org.address,
        registration_authority=org.registration_authority,
        nature=org.nature,
        legal_representative=org.legal_representative,
        registered_capital=org.registered_capital,
        contact_person=org.contact_person,
        contact_title=org.contact_title,
        phone=org.phone,
        mobile=org.mobile,
        email=org.email,
        website=org.website,
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
        validity_status=validity.status,
        validity_text=validity.text,
        validity_urgency=validity.urgency,
        validity_estimated=validity.estimated,
        effective_valid_until=validity.valid_until,
        renewal_deadline=validity.renewal_deadline,
        work_type_count=len(filed_pairs(session, org.id)),
        work_type_limit=profile.work_types.max_work_types,
        scope=list_scope(session),
        scope_problems=scope_conflicts(session, profile, key),
        record_problems=_record_problems(profile, key, code if problem is None else None, org.nature),
    )


def _record_problems(profile: Profile, scope_key: str, code: str | None, nature: str) -> list[str]:
    """What a save would now refuse in the stored record (each rule's own message)."""
    checks = [lambda: check_nature(profile, nature)]
    if code and profile.filing_code.has_region:
        checks.append(lambda: check_scope_region(profile, scope_key, code[7:9]))
    problems = []
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            problems.append(exc.message)
    return problems
