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
