"""Reading the audit log (督导员 and administrators): filters, pages, export."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.services.actor import Actor
from app.services.audit import record, write_pending
from app.services.permissions import Perm, require

# Every action the services record, in Chinese (the audit page and its export show these; a test
# checks that no recorded action is missing).
ACTION_NAMES = {
    # 登录与用户
    "auth.login": "登录", "auth.logout": "退出登录", "auth.lock": "闲置锁屏",
    "auth.failure": "登录失败", "auth.lockout": "账号锁定", "permission.denied": "权限拒绝",
    "user.create": "新增用户", "user.disable": "停用用户", "user.enable": "启用用户",
    "user.role": "修改角色", "user.password": "修改密码",
    # 机构、目录、设置
    "organisation.create": "创建机构", "organisation.update": "修改机构信息",
    "organisation.profile": "更换省份规则", "scope.add": "新增备案职业范围",
    "scope.remove": "删除备案职业范围", "scope.update": "修改备案范围条目",
    "organisation.export": "导出机构基本情况表",
    "occupation.create": "新增职业",
    "occupation.update": "修改职业", "occupation.delete": "删除职业", "work_type.create": "新增工种",
    "work_type.delete": "删除工种", "catalogue.import": "导入职业目录", "setting.set": "修改设置",
    "setting.admission_pattern": "修改准考证号规则", "calendar.import": "导入节假日",
    "calendar.set": "设置节假日", "calendar.remove": "删除节假日",
    "keys.create": "生成证书签名密钥", "keys.register": "登记证书签名密钥",
    "venue.create": "新增考场地点", "venue.update": "修改考场地点", "venue.delete": "删除考场地点",
    "room.create": "新增考场", "room.update": "修改考场", "room.delete": "删除考场",
    "room.stations": "设置工位", "room.stations_remove": "删除工位",
    # 人员
    "person.create": "新增人员", "person.update": "修改人员", "person.reveal_id": "查看完整证件号码",
    "staff_role.add": "新增人员角色", "staff_role.update": "修改人员角色",
    "staff_role.remove": "删除人员角色", "qualification.add": "新增考评资格",
    "qualification.update": "修改考评资格", "qualification.remove": "删除考评资格",
    "photo.import": "导入照片", "photo.replace": "更换照片", "import.people": "导入人员",
    "import.staff": "导入工作人员", "roster.export": "导出人员名册",
    # 批次与考务
    "batch.create": "创建批次", "batch.update": "修改批次", "batch.status": "批次状态变更",
    "batch.status_back": "批次状态回退", "check.acknowledge": "确认检查提示",
    "session.add": "新增场次", "session.update": "修改场次", "session.remove": "删除场次",
    "staff.assign": "分派考务人员", "staff.unassign": "取消分派考务人员",
    "enrolment.add": "考生报名", "enrolment.remove": "取消报名", "enrolment.seat": "编排座位",
    "plan.file": "计划报备", "plan.export": "导出计划报备材料",
    # 成绩、公示、结果
    "score.enter": "录入成绩", "score.correct": "更正成绩", "score.resolve": "裁定双录不一致",
    "batch.pass_mark": "修改合格线", "result.compute": "计算结果", "result.recompute": "重算结果",
    "batch.needs_republicity": "须重新公示", "publicity.start": "开始公示",
    "publicity.restart": "重新公示", "objection.add": "登记异议", "objection.handle": "处理异议",
    "export.publicity": "导出公示材料", "export.results": "导出结果报备材料",
    "export.statistics": "导出统计",
    # 证书
    "certificate.issue": "发放证书", "certificate.void": "作废证书", "certificate.reissue": "换发证书",
    "certificate.print": "打印证书", "certificate.reprint": "补打证书",
    # 审计
    "audit.export": "导出审计日志", "audit.verify": "校验审计链",
}  # fmt: skip


def action_name(action: str) -> str:
    return ACTION_NAMES.get(action, action)


@dataclass
class AuditFilter:
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    username: str | None = None
    action: str | None = None  # prefix, e.g. "auth." or "score.enter"
    batch_id: int | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    username: str
    action: str
    action_name: str
    entity: str
    entity_id: int | None
    batch_id: int | None
    person_id: int | None
    summary: str
    reason: str


def _filtered(f: AuditFilter) -> Select:  # type: ignore[type-arg]
    stmt = select(AuditEntry)  # callers first write_pending(): the log includes this transaction
    if f.since:
        stmt = stmt.where(AuditEntry.at >= f.since)
    if f.until:
        stmt = stmt.where(AuditEntry.at < f.until)
    if f.username:
        stmt = stmt.where(AuditEntry.username == f.username)
    if f.action:
        stmt = stmt.where(AuditEntry.action.startswith(f.action))
    if f.batch_id is not None:
        stmt = stmt.where(AuditEntry.batch_id == f.batch_id)
    if f.person_id is not None:
        stmt = stmt.where(AuditEntry.person_id == f.person_id)
    return stmt


def _row(e: AuditEntry) -> AuditRow:
    summary = e.summary
    if summary:
        try:
            summary = "，".join(f"{k}={v}" for k, v in json.loads(summary).items())
        except ValueError:
            pass
    return AuditRow(e.id, e.at, e.username, e.action, action_name(e.action), e.entity, e.entity_id,
                    e.batch_id, e.person_id, summary, e.reason)


def audit_count(session: Session, actor: Actor, f: AuditFilter) -> int:
    require(session, actor, Perm.VIEW_AUDIT)
    write_pending(session)
    return session.scalar(select(func.count()).select_from(_filtered(f).subquery())) or 0


def audit_page(session: Session, actor: Actor, f: AuditFilter, offset: int, limit: int) -> list[AuditRow]:
    """Newest first, one page."""
    require(session, actor, Perm.VIEW_AUDIT)
    write_pending(session)
    stmt = _filtered(f).order_by(AuditEntry.id.desc()).offset(offset).limit(limit)
    return [_row(e) for e in session.scalars(stmt)]


def audit_usernames(session: Session) -> list[str]:
    return [u for (u,) in session.execute(select(AuditEntry.username).distinct().order_by(AuditEntry.username))]


def export_audit(session: Session, actor: Actor, f: AuditFilter, path: Path) -> int:
    """Write the filtered log to xlsx (ID numbers are already masked in summaries); audited."""
    from app.reports.xlsx import Column, Sheet, write_workbook

    require(session, actor, Perm.VIEW_AUDIT, what="导出审计日志")
    write_pending(session)
    stmt = _filtered(f).order_by(AuditEntry.id).execution_options(yield_per=2000)
    count = 0

    def rows():  # type: ignore[no-untyped-def]
        nonlocal count
        for e in session.scalars(stmt):
            r = _row(e)
            count += 1
            yield [r.id, r.at.strftime("%Y-%m-%d %H:%M:%S"), r.username, r.action_name, r.action,
                   f"{r.entity} #{r.entity_id}" if r.entity_id else r.entity, r.summary, r.reason]

    cols = [Column("序号", 8), Column("时间（UTC）", 20), Column("用户", 12), Column("操作", 16),
            Column("操作代码", 18), Column("对象", 22), Column("摘要", 60), Column("理由", 30)]
    write_workbook(path, [Sheet("审计日志", cols, rows())])
    record(session, actor, "audit.export", summary={"file": Path(path).name, "rows": count})
    return count
