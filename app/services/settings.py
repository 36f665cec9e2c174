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


def choose_profile(session: Session, actor: Actor, name: str, reason: str = "") -> str:
    """Put a province profile in force for the organisation (its deadlines and number rules)."""
    from app.rules.profiles import load_profile
    from app.services.organisation import get_organisation

    require(session, actor, Perm.MANAGE_SETTINGS, what="更换省份规则")
    profile = load_profile(name)
    org = get_organisation(session)
    if org is None:
        raise ValidationError("尚未建立机构信息：请先在“机构与备案”中填写机构。")
    if org.filing_code:
        from app.rules.codes import parse_filing_code

        try:
            parse_filing_code(org.filing_code, profile)
        except ValidationError as exc:
            raise ValidationError(
                f"机构备案编码 {org.filing_code} 不符合{profile.display_name}规则：{exc.message} 请先修改备案编码。"
            ) from None
    old = org.profile_name
    org.profile_name = profile.name
    record(session, actor, "organisation.profile", org, summary={"from": old, "to": profile.name}, reason=reason)
    return profile.name
