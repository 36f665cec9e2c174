"""The permission matrix — the one place that says which role may do what.

Every data-changing service calls `require()`. A refusal raises PermissionDenied carrying an
audit record; `Database.session()` writes it after the rollback, so refusals are audited too.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import PermissionDenied
from app.models.enums import UserRole
from app.services.actor import Actor


class Perm(StrEnum):
    READ = "read"  # see the data (ID numbers masked)
    VIEW_FULL_ID = "view_full_id"  # reveal a full ID number (audited)
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"  # province profile, idle lock, printers
    EDIT_CALENDAR = "edit_calendar"  # statutory holiday table
    EDIT_ORGANISATION = "edit_organisation"  # filing record, scope, occupation catalogue
    EDIT_ROSTER = "edit_roster"  # people, staff roles, qualifications, photos
    EDIT_BATCH = "edit_batch"  # plan, sessions, rooms, candidates, staff
    FILE_PLAN = "file_plan"
    ACK_WARNING = "ack_warning"
    ENTER_SCORES = "enter_scores"
    PUBLICISE = "publicise"
    FILE_RESULTS = "file_results"
    ISSUE_CERTIFICATES = "issue_certificates"
    PRINT_CERTIFICATES = "print_certificates"
    VOID_CERTIFICATE = "void_certificate"
    EXPORT = "export"  # report packages
    VIEW_AUDIT = "view_audit"
    OVERRIDE = "override"  # backwards moves, late filing, locked score changes (needs a reason)
    APPROVE = "approve"  # approve overrides and archive destruction
    MANAGE_ARCHIVE = "manage_archive"
    LOAD_DEMO = "load_demo"


PERM_NAMES: dict[Perm, str] = {
    Perm.READ: "查看数据",
    Perm.VIEW_FULL_ID: "查看完整证件号码",
    Perm.MANAGE_USERS: "管理用户",
    Perm.MANAGE_SETTINGS: "修改系统设置",
    Perm.EDIT_CALENDAR: "维护法定节假日表",
    Perm.EDIT_ORGANISATION: "维护机构与备案信息",
    Perm.EDIT_ROSTER: "维护人员信息",
    Perm.EDIT_BATCH: "编辑认定批次",
    Perm.FILE_PLAN: "计划报备",
    Perm.ACK_WARNING: "确认检查警告",
    Perm.ENTER_SCORES: "录入成绩",
    Perm.PUBLICISE: "成绩公示",
    Perm.FILE_RESULTS: "结果报备",
    Perm.ISSUE_CERTIFICATES: "发放证书（编号）",
    Perm.PRINT_CERTIFICATES: "打印证书",
    Perm.VOID_CERTIFICATE: "作废证书",
    Perm.EXPORT: "导出上报材料",
    Perm.VIEW_AUDIT: "查看审计日志",
    Perm.OVERRIDE: "特批操作（需说明理由）",
    Perm.APPROVE: "审批特批与档案销毁",
    Perm.MANAGE_ARCHIVE: "管理档案",
    Perm.LOAD_DEMO: "加载演示数据",
}

_ALL = frozenset(Perm)
MATRIX: dict[UserRole, frozenset[Perm]] = {
    UserRole.ADMIN: _ALL,
    UserRole.CLERK: frozenset(
        {
            Perm.READ,
            Perm.VIEW_FULL_ID,
            Perm.EDIT_CALENDAR,
            Perm.EDIT_ORGANISATION,
            Perm.EDIT_ROSTER,
            Perm.EDIT_BATCH,
            Perm.FILE_PLAN,
            Perm.ACK_WARNING,
            Perm.PUBLICISE,
            Perm.FILE_RESULTS,
            Perm.EXPORT,
            Perm.MANAGE_ARCHIVE,
        }
    ),
    UserRole.SCORER: frozenset({Perm.READ, Perm.ENTER_SCORES}),
    UserRole.SUPERVISOR: frozenset({Perm.READ, Perm.VIEW_AUDIT, Perm.APPROVE, Perm.EXPORT}),
    UserRole.CERTIFIER: frozenset(
        {
            Perm.READ,
            Perm.VIEW_FULL_ID,
            Perm.ISSUE_CERTIFICATES,
            Perm.PRINT_CERTIFICATES,
            Perm.VOID_CERTIFICATE,
        }
    ),
}


def allowed(actor: Actor, perm: Perm) -> bool:
    return perm in MATRIX.get(actor.role, frozenset())


def require(
    session: Session, actor: Actor, perm: Perm, *, batch_id: int | None = None, what: str = ""
) -> None:
    """Raise PermissionDenied (audited after rollback) unless the actor may do `perm`.

    The account is read again each time: a user disabled or given another role while logged in
    (the GUI, a long CLI run) acts with the account as it is now, not as it was at login.
    Score clerks may enter scores only for the batches assigned to them.
    """
    actor = _as_now(session, actor, perm, batch_id, what)
    ok = allowed(actor, perm)
    if ok and perm is Perm.ENTER_SCORES and actor.role is UserRole.SCORER:
        from app.models import ScorerAssignment

        ok = batch_id is not None and (
            session.scalar(
                select(ScorerAssignment.id).where(
                    ScorerAssignment.user_id == actor.user_id,
                    ScorerAssignment.batch_id == batch_id,
                )
            )
            is not None
        )
        if not ok:
            raise _refusal(actor, perm, batch_id, what, "该批次未分配给您录分")
    if not ok:
        raise _refusal(actor, perm, batch_id, what, "")


def _as_now(
    session: Session, actor: Actor, perm: Perm, batch_id: int | None, what: str
) -> Actor:
    """The actor with the account's current role; refused when the account was disabled."""
    if actor.user_id is None:  # the application itself (first-run set-up)
        return actor
    from dataclasses import replace

    from app.models import User

    row = session.execute(
        select(User.active, User.role).where(User.id == actor.user_id)
    ).first()
    if row is None or not row.active:
        raise _refusal(
            actor, perm, batch_id, what,
            "该账号已被停用。请联系管理员；如已重新启用，请退出后重新登录",
        )  # fmt: skip
    role = UserRole(row.role)
    return actor if role is actor.role else replace(actor, role=role)


def _refusal(
    actor: Actor, perm: Perm, batch_id: int | None, what: str, extra: str
) -> PermissionDenied:
    action = PERM_NAMES[perm] + (f"（{what}）" if what else "")
    msg = f"权限不足：{actor.role_name}「{actor.username}」不能{action}。"
    msg += extra + "。" if extra else "如需办理，请联系管理员分配相应角色。"
    exc = PermissionDenied(msg)
    exc.audit = {  # type: ignore[attr-defined]
        "action": "permission.denied",
        "summary": {"permission": perm.value, "what": what},
        "batch_id": batch_id,
        "actor": actor,
    }
    return exc
