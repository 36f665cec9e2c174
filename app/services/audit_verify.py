"""`skillsite audit verify`: walk the hash chain, then compare every audited row with its digest."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Base
from app.services.audit import DELETED, GENESIS, digest_of_row, entry_hash, write_pending

# Tables whose rows are compared with the digest of their latest audit entry.
AUDITED_TABLES = (
    "organisation",
    "scope_entry",
    "occupation",
    "work_type",
    "person",
    "staff_role",
    "examiner_qualification",
    "photo",
    "venue",
    "room",
    "room_stations",
    "batch",
    "exam_session",
    "staff_assignment",
    "enrolment",
    "objection",
    "check_ack",
    "score_entry",
    "certificate",
    "certificate_print",
    "archive_item",
    "app_user",
    "scorer_assignment",
)
_PK = {"photo": "person_id"}

# Columns a migration added to an audited table, with the value every existing row got. An entry
# written before the migration digested the row without the column, so a row whose added column
# still holds that value also matches the digest of the row without it (the value says nothing
# the old entry did not). Entries written afterwards digest the whole row, as always.
ADDED_COLUMNS: dict[str, dict[str, object]] = {
    "certificate": {"replaces_id": None},  # 0003
    "organisation": {"mobile": "", "website": ""},  # 0004
    "scope_entry": {"standard": "", "subsidised_training": ""},  # 0004
}


def _matches(table: str, row: dict[str, object], digest: str) -> bool:
    """The row as stored matches ``digest``: as a whole, or as written before a migration added
    columns that still hold the value they were added with."""
    if digest == digest_of_row(row):
        return True
    added = ADDED_COLUMNS.get(table, {})
    older = {k: v for k, v in row.items() if k not in added or v != added[k]}
    return len(older) < len(row) and digest == digest_of_row(older)

TABLE_NAMES = {
    "organisation": "机构",
    "scope_entry": "备案范围",
    "occupation": "职业",
    "work_type": "工种",
    "person": "人员",
    "staff_role": "人员角色",
    "examiner_qualification": "考评资格",
    "photo": "照片",
    "venue": "考点",
    "room": "考场",
    "room_stations": "工位",
    "batch": "认定批次",
    "exam_session": "场次",
    "staff_assignment": "人员安排",
    "enrolment": "报名",
    "objection": "异议",
    "check_ack": "警告确认",
    "score_entry": "成绩",
    "certificate": "证书",
    "certificate_print": "打印记录",
    "archive_item": "档案",
    "app_user": "用户",
    "scorer_assignment": "录分分配",
}


@dataclass
class Problem:
    kind: str  # chain_altered / chain_gap / chain_order / row_changed / row_unaudited / row_deleted
    message: str
    entry_id: int | None = None
    entity: str = ""
    entity_id: int | None = None


@dataclass
class VerifyReport:
    entries: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session, report: VerifyReport) -> None:
    """Report the first entry that was altered, removed or re-ordered (the chain is then broken)."""
    prev_hash, expected_id = GENESIS, 1
    stmt = select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=2000)
    for e in session.scalars(stmt):
        report.entries += 1
        if e.id != expected_id:
            kind, what = (
                ("chain_gap", "被删除")
                if e.id > expected_id
                else ("chain_order", "编号重复或被调换")
            )
            report.problems.append(
                Problem(kind, f"审计日志第 {expected_id} 条{what}（下一条为第 {e.id} 条）", e.id)
            )
            return
        if e.prev_hash != prev_hash:
            report.problems.append(
                Problem(
                    "chain_order",
                    f"审计日志第 {e.id} 条与前一条的链接不符：之前的条目被删除、替换或调换了顺序",
                    e.id,
                )
            )
            return
        if entry_hash(e) != e.hash:
            report.problems.append(
                Problem("chain_altered", f"审计日志第 {e.id} 条的内容被改动（{e.action}）", e.id)
            )
            return
        prev_hash, expected_id = e.hash, expected_id + 1


def verify_rows(session: Session, report: VerifyReport) -> None:
    """Every audited row must match the digest of its latest audit entry."""
    tables = Base.metadata.tables
    for name in AUDITED_TABLES:
        latest_ids = (
            select(func.max(AuditEntry.id).label("id"))
            .where(
                AuditEntry.entity == name,
                AuditEntry.entity_id.is_not(None),
                AuditEntry.row_digest.is_not(None),
            )
            .group_by(AuditEntry.entity_id)
            .subquery()
        )
        latest = {
            eid: (aid, digest)
            for eid, aid, digest in session.execute(
                select(AuditEntry.entity_id, AuditEntry.id, AuditEntry.row_digest).join(
                    latest_ids, AuditEntry.id == latest_ids.c.id
                )
            )
        }
        table = tables[name]
        pk = table.c[_PK.get(name, "id")]
        label = TABLE_NAMES[name]
        seen: set[int] = set()
        for row in session.execute(
            select(table).order_by(pk).execution_options(yield_per=5000)
        ).mappings():
            report.rows += 1
            rid = row[pk.name]
            seen.add(rid)
            if rid not in latest:
                report.problems.append(
                    Problem(
                        "row_unaudited",
                        f"{label}（{name} #{rid}）没有任何审计记录：可能是绕过软件直接写入数据库",
                        None,
                        name,
                        rid,
                    )
                )
                continue
            aid, digest = latest[rid]
            if not _matches(name, dict(row), digest):
                report.problems.append(
                    Problem(
                        "row_changed",
                        f"{label}（{name} #{rid}）与其最近一条审计记录（第 {aid} 条）不符：数据在软件之外被改动",
                        aid,
                        name,
                        rid,
                    )
                )
        for rid, (aid, digest) in latest.items():
            if rid not in seen and digest != DELETED:
                report.problems.append(
                    Problem(
                        "row_deleted",
                        f"{label}（{name} #{rid}）已不存在，但审计记录（第 {aid} 条）中没有删除操作：数据在软件之外被删除",
                        aid,
                        name,
                        rid,
                    )
                )


def _one_snapshot(session: Session) -> None:
    """PostgreSQL: read the log and the rows in one snapshot. Under its default READ COMMITTED
    each statement sees its own, so a change another PC commits between reading the log and
    reading the rows would look like a change made outside the software. (SQLite: every
    transaction is BEGIN IMMEDIATE, one snapshot already.) Only before the transaction's first
    statement; a caller that has already used the session keeps its own isolation."""
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def verify_audit(session: Session) -> VerifyReport:
    _one_snapshot(session)
    write_pending(session)  # what this transaction recorded is part of the log it checks
    report = VerifyReport()
    verify_chain(session, report)
    verify_rows(session, report)
    return report
