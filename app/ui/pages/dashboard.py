"""工作台: who we are and where things stand — counts of people, batches by status, certificates."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services.actor import Actor
from app.services.listing import DashboardSummary, dashboard_summary, user_display_name
from app.ui.pages.table_page import heading, note


class DashboardPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        layout = QVBoxLayout(self)
        self.title = heading("")
        layout.addWidget(self.title)
        self.greeting = note("")
        layout.addWidget(self.greeting)

        row = QHBoxLayout()
        counts = QGroupBox(self.tr("概况"))
        self.counts_form = QFormLayout(counts)
        row.addWidget(counts, 1)
        batches = QGroupBox(self.tr("认定批次（按状态）"))
        self.batches_form = QFormLayout(batches)
        row.addWidget(batches, 1)
        layout.addLayout(row)

        upcoming = QGroupBox(self.tr("即将到期事项"))
        upcoming_layout = QVBoxLayout(upcoming)
        self.upcoming = QListWidget()
        self.upcoming.setObjectName("upcoming")
        self.upcoming.addItem(
            self.tr("（计划报备、成绩公示、结果报备和备案有效期等到期提醒将在后续版本显示在这里）")
        )
        upcoming_layout.addWidget(self.upcoming)
        layout.addWidget(upcoming, 1)
        self.refresh()

    def refresh(self) -> None:
        with self._db.session() as s:
            summary = dashboard_summary(s)
            self._name = user_display_name(s, self._actor.user_id) or self._actor.username
        self.show_summary(summary)

    def show_summary(self, summary: DashboardSummary) -> None:
        self.title.setText(summary.organisation_name or self.tr("尚未填写机构信息"))
        self.greeting.setText(
            self.tr("欢迎，{user}（{role}）。").format(user=self._name, role=self._actor.role_name)
        )
        _fill(
            self.counts_form,
            [
                (self.tr("人员"), self.tr("{n} 人").format(n=summary.people)),
                (
                    self.tr("认定批次"),
                    self.tr("{n} 个").format(n=sum(n for _name, n in summary.batches_by_status)),
                ),
                (self.tr("有效证书"), self.tr("{n} 本").format(n=summary.certificates)),
                (self.tr("已作废证书"), self.tr("{n} 本").format(n=summary.certificates_voided)),
            ],
        )
        _fill(self.batches_form, [(name, str(n)) for name, n in summary.batches_by_status])


def _fill(form: QFormLayout, rows: list[tuple[str, str]]) -> None:
    while form.rowCount():
        form.removeRow(0)
    for label, value in rows:
        form.addRow(label + "：", QLabel(value))
