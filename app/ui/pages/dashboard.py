"""工作台: who we are and where things stand — counts of people, batches by status, certificates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services.actor import Actor
from app.services.dashboard import DashboardItem, upcoming_deadlines
from app.services.listing import DashboardSummary, dashboard_summary, user_display_name
from app.ui.dialogs.batch_common import ORANGE, RED, fill_table, make_table
from app.ui.pages.table_page import heading, note

# DashboardItem.target_page -> the main window's NAV key
TARGET_PAGES = {
    "batch": "batches",
    "organisation": "organisation",
    "person": "people",
    "archive": "archive",
    "calendar": "settings",
}


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
        upcoming_layout.addWidget(
            note(
                self.tr(
                    "红色：已逾期；橙色：即将到期（一般为 3 个工作日内；机构备案按省份规则提前提醒）。"
                    "双击或按回车打开相应页面。"
                )
            )
        )
        self.upcoming = make_table(
            [self.tr("期限"), self.tr("剩余"), self.tr("事项"), self.tr("说明")], self
        )
        self.upcoming.setObjectName("upcoming")
        # activated: a double-click or Enter
        self.upcoming.activated.connect(lambda index: self.open_item(index.row()))
        self.deadlines: list[DashboardItem] = []
        upcoming_layout.addWidget(self.upcoming)
        layout.addWidget(upcoming, 1)
        self.refresh()

    def refresh(self) -> None:
        with self._db.session() as s:
            summary = dashboard_summary(s)
            deadlines = upcoming_deadlines(s, dt.date.today())
            self._name = user_display_name(s, self._actor.user_id) or self._actor.username
        self.show_summary(summary)
        self.show_deadlines(deadlines)

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

    def show_deadlines(self, items: list[DashboardItem]) -> None:
        self.deadlines = list(items)
        rows, colours = [], []
        for item in self.deadlines:
            if item.days_left is None:
                left = ""
            elif item.days_left < 0:
                left = self.tr("逾期 {n} 天").format(n=-item.days_left)
            elif item.days_left == 0:
                left = self.tr("今天")
            else:
                left = self.tr("{n} 天").format(n=item.days_left)
            if item.due is not None:
                due = item.due.isoformat()
            elif item.level == "overdue":
                due = self.tr("立即处理")
            else:
                due = self.tr("（无法确定）")
            rows.append([due, left, item.title, item.detail])
            colours.append({"overdue": RED, "soon": ORANGE}.get(item.level))
        if not rows:
            rows, colours = [["", "", self.tr("暂无到期事项"), ""]], [None]
        fill_table(self.upcoming, rows, list(range(len(rows))), colours)

    def open_item(self, row: int) -> bool:
        """Go to the page of a deadline (and open the batch); False if there is none."""
        if not 0 <= row < len(self.deadlines):
            return False
        item = self.deadlines[row]
        key = TARGET_PAGES.get(item.target_page, item.target_page)
        window = self.window()
        nav = getattr(window, "nav", None)
        if nav is None:
            return False
        from app.ui.main_window import NAV

        index = next((i for i, e in enumerate(NAV) if e.key == key), None)
        if index is None:
            return False
        window.go_to(index)  # type: ignore[attr-defined]
        page = window.page_by_key(key)  # type: ignore[attr-defined]
        opener = getattr(page, "open_batch", None)
        if item.target_page == "batch" and item.target_id is not None and callable(opener):
            opener(item.target_id)
        return True


def _fill(form: QFormLayout, rows: list[tuple[str, str]]) -> None:
    while form.rowCount():
        form.removeRow(0)
    for label, value in rows:
        form.addRow(label + "：", QLabel(value))
