"""The batch editor (认定批次): one dialog with a tab per part of the plan.

Each tab gathers input and calls a service through `BatchEditor.run`, which opens one
transaction, shows a refusal's message, and reloads every tab after a change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import SkillSiteError
from app.models.enums import BatchStatus
from app.services.actor import Actor
from app.services.batches import BatchInfo, get_batch_info
from app.services.permissions import Perm, allowed
from app.ui.busy import busy_cursor
from app.ui.errors import show_user_error
from app.ui.pages.table_page import heading, note


class BatchEditor(QDialog):
    changed = Signal()

    def __init__(
        self, db: Database, actor: Actor, batch_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        from app.ui.dialogs.batch_candidates import CandidatesTab
        from app.ui.dialogs.batch_checks import ChecksTab
        from app.ui.dialogs.batch_filing import FilingTab
        from app.ui.dialogs.batch_general import GeneralTab
        from app.ui.dialogs.batch_sessions import SessionsTab
        from app.ui.dialogs.batch_staff import StaffTab

        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.info: BatchInfo | None = None
        self.setObjectName("batch_editor")
        self.resize(1000, 680)
        layout = QVBoxLayout(self)
        self.title = heading("")
        layout.addWidget(self.title)
        self.state = note("")
        layout.addWidget(self.state)
        self.tabs = QTabWidget()
        self.general = GeneralTab(self)
        self.sessions = SessionsTab(self)
        self.candidates = CandidatesTab(self)
        self.staff = StaffTab(self)
        self.checks = ChecksTab(self)
        self.filing = FilingTab(self)
        for tab, title in (
            (self.general, self.tr("概况(&1)")),
            (self.sessions, self.tr("场次(&2)")),
            (self.candidates, self.tr("考生(&3)")),
            (self.staff, self.tr("人员安排(&4)")),
            (self.checks, self.tr("检查(&5)")),
            (self.filing, self.tr("报备(&6)")),
        ):
            self.tabs.addTab(tab, title)
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.tabs.currentChanged.connect(self._tab_shown)
        if batch_id is not None:
            with db.session() as s:
                self.info = get_batch_info(s, batch_id)
        self.reload()

    # --- state ---------------------------------------------------------------------------
    @property
    def batch_id(self) -> int | None:
        return self.info.id if self.info else None

    @property
    def can_edit(self) -> bool:
        """The plan may be changed: the role allows it and the batch is a draft (or new)."""
        if not allowed(self.actor, Perm.EDIT_BATCH):
            return False
        return self.info is None or self.info.status == BatchStatus.DRAFT

    def reload(self) -> None:
        if self.info is not None:
            with self.db.session() as s:
                self.info = get_batch_info(s, self.info.id)
        self._show_state()
        for i in range(self.tabs.count()):
            self.tabs.setTabEnabled(i, i == 0 or self.info is not None)
            tab: Any = self.tabs.widget(i)
            tab.load()

    def _show_state(self) -> None:
        info = self.info
        if info is None:
            self.setWindowTitle(self.tr("新建认定批次"))
            self.title.setText(self.tr("新建认定批次"))
            self.state.setText(
                self.tr("先在“概况”中选择职业、等级和评价方式并保存，再安排场次、考生和人员。")
            )
            return
        self.setWindowTitle(self.tr("认定批次 {code}").format(code=info.code))
        self.title.setText(f"{info.code}  {info.name}")
        text = self.tr("状态：{status} · {occupation} {level} · 考生 {n} 人").format(
            status=info.status_name,
            occupation=info.occupation,
            level=info.level_name,
            n=info.candidates,
        )
        if not allowed(self.actor, Perm.EDIT_BATCH):
            text += self.tr("（您的角色只能查看）")
        elif info.status != BatchStatus.DRAFT:
            text += self.tr("（计划已报备，只读；如需修改请由管理员退回草稿）")
        self.state.setText(text)

    def _tab_shown(self, index: int) -> None:
        tab: Any = self.tabs.widget(index)
        shown = getattr(tab, "shown", None)
        if callable(shown):
            shown()

    # --- running a service ---------------------------------------------------------------
    def run(self, fn: Callable[[Session], Any], *, reload: bool = True) -> tuple[bool, Any]:
        """Call `fn(session)` in one transaction; a refusal shows its message. (ok, result)."""
        try:
            with busy_cursor(), self.db.session() as s:
                result = fn(s)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return False, None
        if reload:
            self.reload()
            self.changed.emit()
        return True, result

    def set_info(self, info: BatchInfo) -> None:
        self.info = info
        self.reload()
        self.changed.emit()
