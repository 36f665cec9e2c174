"""Settings kept with the data: the province profile in force, the idle-lock time, and the like."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Setting
from app.services.actor import Actor
from app.services.audit import record
from app.services.permissions import Perm, require

IDLE_LOCK_MINUTES = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def set_setting(session: Session, actor: Actor, key: str, value: str) -> None:
    require(session, actor, Perm.MANAGE_SETTINGS, what=f"修改设置 {key}")
    row = session.get(Setting, key)
    old = row.value if row is not None else None
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    record(session, actor, "setting.set", entity="setting", summary={"key": key, "from": old, "to": value})


def idle_lock_minutes(session: Session) -> int:
    try:
        return int(get_setting(session, IDLE_LOCK_MINUTES, str(DEFAULT_IDLE_LOCK_MINUTES)))
    except ValueError:
        return DEFAULT_IDLE_LOCK_MINUTES


def set_idle_lock_minutes(session: Session, actor: Actor, minutes: int) -> None:
    if not 0 <= minutes <= 240:
        raise ValidationError("空闲锁定时间应在 0–240 分钟之间（0 表示不自动锁定）。", field="idle_lock")
    set_setting(session, actor, IDLE_LOCK_MINUTES, str(minutes))


def choose_profile(
    session: Session,
    actor: Actor,
    name: str,
    reason: str = "",
    *,
    filing_code: str | None = None,
    scope_level: str | None = None,
    nature: str | None = None,
) -> str:
    """Put a province profile in force for the organisation (its deadlines and number rules).

    An organisation that moves to another province gets a new filing code from it: pass it as
    ``filing_code`` and both change in one step (blank: keep the current code, which must then fit
    the new profile). ``scope_level`` sets 机构级别 where the new profile has several (Chongqing
    全市/区县); by default the current one is kept when the new profile has it. Refused, naming
    the entries, while the filed scope breaks the new profile's levels or work-type limit.
    ``nature`` sets 机构性质 in the same step, one of the new form's boxes (`check_nature`)."""
    from app.rules.codes import parse_filing_code
    from app.rules.levels import check_scope_region, unknown_scope
    from app.rules.profiles import load_profile
    from app.services.filed_scope import refuse_scope_conflicts
    from app.services.organisation import (
        check_filing_span,
        check_nature,
        get_organisation,
        normalised_filing_code,
        org_scope_key,
    )

    require(session, actor, Perm.MANAGE_SETTINGS, what="更换省份规则")
    profile = load_profile(name)
    org = get_organisation(session)
    if org is None:
        raise ValidationError("尚未建立机构信息：请先在“机构与备案”中填写机构。")
    code = org.filing_code
    if filing_code is not None and filing_code.strip():
        try:
            code = normalised_filing_code(filing_code, profile, org.org_type)
        except ValidationError as exc:
            raise ValidationError(
                f"新备案编码不符合{profile.display_name}规则：{exc.message}"
                "请按备案回执核对新备案编码，或改选与之相符的省份规则。",
                field="filing_code",
            ) from None
    elif code:
        try:
            code = parse_filing_code(code, profile).code  # also normalises an old, unnormalised one
        except ValidationError as exc:
            raise ValidationError(
                f"本机构现有备案编码 {org.filing_code} 不符合{profile.display_name}规则：{exc.message}"
                f"改用{profile.display_name}规则时，请同时给出{profile.display_name}赋予本机构的"
                "新备案编码，与规则一起保存；尚未取得新编码的，可先在“机构与备案”中清空备案编码，"
                "再更换规则。",
                field="filing_code",
            ) from None
    levels = profile.levels
    if scope_level is not None and levels.scope(scope_level) is None:
        raise unknown_scope(profile, scope_level)
    key = scope_level or (
        org.scope_level if levels.scope(org.scope_level) is not None else levels.default_scope
    )
    if code and profile.filing_code.has_region:  # 机构级别 and where the code says it was filed
        check_scope_region(profile, key, code[7:9])
    profile_changed = org.profile_name != profile.name
    if profile_changed or org_scope_key(org) != key:  # the same rule again is not re-checked
        refuse_scope_conflicts(
            session, profile, key, profile_changed=profile_changed, action="更换省份规则"
        )
    if profile_changed:
        try:
            check_filing_span(profile, org.filed_on, org.filing_valid_until)
        except ValidationError as exc:
            raise ValidationError(
                f"不能改用{profile.display_name}规则：{exc.message}"
                "（在“机构与备案”中修改后再更换规则。）",
                field=exc.field,
            ) from None
    if nature is not None and nature.strip():
        nature = nature.strip()
        check_nature(profile, nature)
    else:
        nature = org.nature
    old = {
        "profile_name": org.profile_name,
        "scope_level": org.scope_level,
        "filing_code": org.filing_code,
        "nature": org.nature,
    }
    org.profile_name, org.scope_level, org.filing_code = profile.name, key, code
    org.nature = nature
    changed = {
        k: {"from": v, "to": getattr(org, k)} for k, v in old.items() if getattr(org, k) != v
    }
    record(
        session, actor, "organisation.profile", org,
        summary={"from": old["profile_name"], "to": profile.name, "changed": changed},
        reason=reason,
    )
    return profile.name
