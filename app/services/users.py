"""Users: first-run set-up, login with lockout, and user management (administrators only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import AuthenticationError, NotFoundError, ValidationError
from app.models import User
from app.models.base import utcnow
from app.models.enums import USER_ROLE_NAMES, UserRole
from app.services.actor import SYSTEM, Actor
from app.services.audit import record
from app.services.passwords import check_policy, hash_password, verify_password
from app.services.permissions import Perm, require

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    role_name: str
    active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None


def _info(u: User) -> UserInfo:
    return UserInfo(
        u.id,
        u.username,
        u.display_name,
        u.role,
        USER_ROLE_NAMES[UserRole(u.role)],
        u.active,
        u.locked_until,
        u.last_login_at,
    )


def needs_first_run(session: Session) -> bool:
    return (session.scalar(select(func.count(User.id))) or 0) == 0


def _parse_role(role: str) -> UserRole:
    try:
        return UserRole(role)
    except ValueError:
        keys = "、".join(f"{r.value}（{n}）" for r, n in USER_ROLE_NAMES.items())
        raise ValidationError(f"未知角色「{role}」：可选 {keys}。", field="role") from None


def _check_username(session: Session, username: str) -> str:
    username = username.strip()
    if not username or len(username) > 60 or any(c.isspace() for c in username):
        raise ValidationError("用户名不能为空、不能含空格，且不超过 60 个字符。", field="username")
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise ValidationError(f"用户名「{username}」已存在，请换一个。", field="username")
    return username


def _create(
    session: Session, actor: Actor, username: str, role: UserRole, password: str, display_name: str
) -> User:
    username = _check_username(session, username)
    check_policy(password)
    user = User(
        username=username,
        display_name=display_name or username,
        role=role.value,
        password_hash=hash_password(password),
    )
    session.add(user)
    record(session, actor, "user.create", user, summary={"username": username, "role": role.value})
    return user


def create_first_admin(
    session: Session, username: str, password: str, display_name: str = ""
) -> UserInfo:
    """The first-run wizard's administrator. Refused once any user exists."""
    if not needs_first_run(session):
        raise ValidationError("系统已有用户，不能再次初始化管理员。请用已有管理员账号登录。")
    return _info(_create(session, SYSTEM, username, UserRole.ADMIN, password, display_name))


def create_user(
    session: Session, actor: Actor, username: str, role: str, password: str, display_name: str = ""
) -> UserInfo:
    require(session, actor, Perm.MANAGE_USERS, what=f"新增用户 {username}")
    return _info(_create(session, actor, username, _parse_role(role), password, display_name))


def _get(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(f"找不到用户「{username}」。")
    return user


def set_active(session: Session, actor: Actor, username: str, active: bool) -> UserInfo:
    require(
        session, actor, Perm.MANAGE_USERS, what=("启用" if active else "停用") + f"用户 {username}"
    )
    user = _get(session, username)
    if not active and user.id == actor.user_id:
        raise ValidationError("不能停用自己正在使用的账号。")
    if not active and user.role == UserRole.ADMIN and _active_admins(session) <= 1 and user.active:
        raise ValidationError("这是最后一个可用的管理员账号，不能停用。请先设置另一名管理员。")
    user.active = active
    record(
        session,
        actor,
        "user.enable" if active else "user.disable",
        user,
        summary={"username": username},
    )
    return _info(user)


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count(User.id)).where(User.role == "admin", User.active)) or 0


def set_role(session: Session, actor: Actor, username: str, role: str) -> UserInfo:
    require(session, actor, Perm.MANAGE_USERS, what=f"修改用户 {username} 的角色")
    new_role = _parse_role(role)
    user = _get(session, username)
    if (
        user.role == UserRole.ADMIN
        and new_role is not UserRole.ADMIN
        and _active_admins(session) <= 1
    ):
        raise ValidationError("这是最后一个管理员账号，不能改为其他角色。")
    old = user.role
    user.role = new_role.value
    record(
        session,
        actor,
        "user.role",
        user,
        summary={"username": username, "from": old, "to": new_role.value},
    )
    return _info(user)


def reset_password(session: Session, actor: Actor, username: str, new_password: str) -> UserInfo:
    """Administrators reset anyone's password; every user may change their own."""
    user = _get(session, username)
    if user.id != actor.user_id:
        require(session, actor, Perm.MANAGE_USERS, what=f"重置用户 {username} 的密码")
    check_policy(new_password)
    user.password_hash = hash_password(new_password)
    user.failed_attempts = 0
    user.locked_until = None
    record(session, actor, "user.password", user, summary={"username": username})
    return _info(user)


def list_users(session: Session, actor: Actor) -> list[UserInfo]:
    require(session, actor, Perm.READ)
    return [_info(u) for u in session.scalars(select(User).order_by(User.username))]


def authenticate(
    session: Session, username: str, password: str, now: dt.datetime | None = None
) -> Actor:
    """Check a login. Failures are counted and audited in this transaction and committed by the
    caller's session even though AuthenticationError is raised (see `LoginFailed`)."""
    now = now or utcnow()
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise _failed("用户名或密码不正确。", None, username, "unknown_user")
    if not user.active:
        raise _failed("该账号已停用，请联系管理员。", user, username, "disabled")
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise _failed(
            f"连续输错密码次数过多，账号已锁定，请约 {minutes} 分钟后再试。",
            user,
            username,
            "locked",
        )
    if not verify_password(password, user.password_hash):
        user.failed_attempts += 1
        left = MAX_FAILURES - user.failed_attempts
        if left <= 0:
            user.locked_until = now + LOCKOUT
            user.failed_attempts = 0
            record(session, SYSTEM, "auth.lockout", user, summary={"username": user.username})
            session.commit()
            raise AuthenticationError(f"密码连续错误 {MAX_FAILURES} 次，账号已锁定 15 分钟。")
        record(session, SYSTEM, "auth.failure", user, summary={"username": user.username})
        session.commit()
        raise AuthenticationError(f"用户名或密码不正确。再错 {left} 次账号将被锁定 15 分钟。")
    user.failed_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    actor = Actor.from_user(user)
    record(session, actor, "auth.login", user, summary={"username": user.username})
    return actor


def _failed(message: str, user: User | None, username: str, why: str) -> AuthenticationError:
    exc = AuthenticationError(message)
    exc.audit = {  # type: ignore[attr-defined]
        "action": "auth.failure",
        "summary": {"username": username, "why": why},
        "actor": SYSTEM,
    }
    return exc


def logout(session: Session, actor: Actor) -> None:
    record(session, actor, "auth.logout", entity="app_user", entity_id=actor.user_id)


def lock_session(session: Session, actor: Actor, idle_minutes: int) -> None:
    """The window was locked after `idle_minutes` without input (the trace shows the gap)."""
    record(session, actor, "auth.lock", entity="app_user", entity_id=actor.user_id,
           summary={"idle_minutes": idle_minutes})
