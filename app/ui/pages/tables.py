"""The list pages: people, batches, scores, certificates and the audit log."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.db import Database
from app.services import listing
from app.services.actor import Actor
from app.services.permissions import Perm, allowed
from app.ui.models import Column, PagedQueryModel
from app.ui.pages.table_page import TablePage, database_model, heading, note

C = "Column"  # translation context shared with PagedQueryModel


def local_time(at: dt.datetime | None) -> str:
    """Stored UTC (naive) shown in the computer's local time."""
    if at is None:
        return ""
    return at.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


PEOPLE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "姓名"), lambda r: r.name, width=110),
    Column(QT_TRANSLATE_NOOP(C, "证件类型"), lambda r: r.id_type_name),
    Column(QT_TRANSLATE_NOOP(C, "证件号码"), lambda r: r.id_number_masked, width=190),
    Column(QT_TRANSLATE_NOOP(C, "性别"), lambda r: r.gender, width=50),
    Column(QT_TRANSLATE_NOOP(C, "出生日期"), lambda r: r.birth_date, width=100),
    Column(QT_TRANSLATE_NOOP(C, "单位"), lambda r: r.employer, width=240),
    Column(QT_TRANSLATE_NOOP(C, "角色"), lambda r: r.role_names),
)

BATCH_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "批次编号"), lambda r: r.code, width=90),
    Column(QT_TRANSLATE_NOOP(C, "名称"), lambda r: r.name, width=280),
    Column(QT_TRANSLATE_NOOP(C, "职业"), lambda r: r.occupation, width=120),
    Column(QT_TRANSLATE_NOOP(C, "工种"), lambda r: r.work_type, width=90),
    Column(QT_TRANSLATE_NOOP(C, "等级"), lambda r: r.level_name, width=110),
    Column(QT_TRANSLATE_NOOP(C, "状态"), lambda r: r.status_name, width=90),
    Column(QT_TRANSLATE_NOOP(C, "考生人数"), lambda r: r.candidates, align_right=True),
)

SCORE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "批次编号"), lambda r: r.code, width=90),
    Column(QT_TRANSLATE_NOOP(C, "名称"), lambda r: r.name, width=280),
    Column(QT_TRANSLATE_NOOP(C, "状态"), lambda r: r.status_name, width=90),
    Column(QT_TRANSLATE_NOOP(C, "考生人数"), lambda r: r.candidates, align_right=True, width=80),
    Column(QT_TRANSLATE_NOOP(C, "成绩记录数"), lambda r: r.score_entries, align_right=True),
)

CERTIFICATE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "证书编号"), lambda r: r.number, width=220),
    Column(QT_TRANSLATE_NOOP(C, "姓名"), lambda r: r.person_name, width=110),
    Column(QT_TRANSLATE_NOOP(C, "等级"), lambda r: r.level_name, width=120),
    Column(QT_TRANSLATE_NOOP(C, "发证日期"), lambda r: r.issue_date, width=100),
    Column(QT_TRANSLATE_NOOP(C, "状态"), lambda r: r.status_name),
)

AUDIT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "时间"), lambda r: local_time(r.at), width=150),
    Column(QT_TRANSLATE_NOOP(C, "用户"), lambda r: r.username, width=90),
    Column(QT_TRANSLATE_NOOP(C, "操作"), lambda r: r.action_name, width=120),
    Column(
        QT_TRANSLATE_NOOP(C, "对象"),
        lambda r: f"{r.entity} #{r.entity_id}" if r.entity_id is not None else r.entity,
        width=130,
    ),
    Column(QT_TRANSLATE_NOOP(C, "摘要"), lambda r: r.summary, width=380),
    Column(QT_TRANSLATE_NOOP(C, "理由"), lambda r: r.reason),
)


class PeoplePage(TablePage):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        model = database_model(db, PEOPLE_COLUMNS, listing.people_page, listing.people_count)
        super().__init__(
            self.tr("人员"),
            model,
            search_placeholder=self.tr("按姓名或证件号码开头查找"),
            explanation=self.tr("考生和工作人员。证件号码已部分隐藏。"),
            parent=parent,
        )


class BatchesPage(TablePage):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        model = database_model(db, BATCH_COLUMNS, listing.batches_page, listing.batches_count)
        super().__init__(
            self.tr("认定批次"),
            model,
            search_placeholder=self.tr("按批次编号开头或名称查找"),
            parent=parent,
        )


class ScoresPage(TablePage):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        scores_page = partial(listing.batches_page, with_scores=True)
        model = database_model(db, SCORE_COLUMNS, scores_page, listing.batches_count)
        super().__init__(
            self.tr("成绩"),
            model,
            search_placeholder=self.tr("按批次编号开头或名称查找"),
            explanation=self.tr(
                "各批次已录入的成绩记录数（只读）。成绩录入、双人录入核对将在后续版本提供。"
            ),
            parent=parent,
        )


class CertificatesPage(TablePage):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        model = database_model(
            db, CERTIFICATE_COLUMNS, listing.certificates_page, listing.certificates_count
        )
        super().__init__(
            self.tr("证书"),
            model,
            search_placeholder=self.tr("按证书编号或姓名开头查找"),
            parent=parent,
        )


def audit_model(db: Database, actor: Actor) -> PagedQueryModel:
    return database_model(
        db,
        AUDIT_COLUMNS,
        lambda s, offset, limit, search: listing.audit_page(s, actor, offset, limit, search),
        lambda s, search: listing.audit_count(s, actor, search),
    )


class AuditPage(QWidget):
    """The audit log for roles that may read it; a short explanation for everyone else."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table_page: TablePage | None = None
        if allowed(actor, Perm.VIEW_AUDIT):
            self.table_page = TablePage(
                self.tr("审计日志"),
                audit_model(db, actor),
                search_placeholder=self.tr("按用户名筛选（完整用户名）"),
                explanation=self.tr("全程留痕：每项操作一条记录，最新的在前。时间为本机时间。"),
                parent=self,
            )
            layout.addWidget(self.table_page)
        else:
            inner = QVBoxLayout()
            inner.addWidget(heading(self.tr("审计日志")))
            inner.addWidget(
                note(
                    self.tr(
                        "您的角色（{role}）不能查看审计日志。需要时请联系管理员或督导员。"
                    ).format(role=actor.role_name)
                )
            )
            inner.addStretch()
            layout.addLayout(inner)

    def refresh(self) -> None:
        if self.table_page is not None:
            self.table_page.refresh()
