"""上报导出 (a hub of the report exports) and 档案 (the archive items kept so far)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.db import Database
from app.services import listing
from app.services.actor import Actor
from app.services.org_form_export import export_org_form
from app.services.permissions import Perm, allowed
from app.services.plan_filing import export_plan
from app.services.publicity import export_publicity
from app.services.results_filing import export_results
from app.services.roster_export import export_roster
from app.services.statistics import export_statistics, period_statistics
from app.ui.file_choice import choose_folder, choose_save_file
from app.ui.models import Column
from app.ui.pages.score_common import (
    BatchInfo,
    date_edit,
    fill_batch_combo,
    list_batches,
    run_service,
    to_date,
)
from app.ui.pages.table_page import TablePage, database_model, heading, note

# The exports that carry full ID numbers (the authority's copies): they also need Perm.VIEW_FULL_ID.
FULL_ID_EXPORTS = ("plan", "results", "roster")
C = "Column"

ARCHIVE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "批次编号"), lambda r: r.batch_code, width=90),
    Column(QT_TRANSLATE_NOOP(C, "类别"), lambda r: r.kind_name, width=60),
    Column(QT_TRANSLATE_NOOP(C, "名称"), lambda r: r.title, width=280),
    Column(QT_TRANSLATE_NOOP(C, "存放位置"), lambda r: r.location, width=200),
    Column(QT_TRANSLATE_NOOP(C, "归档日期"), lambda r: r.archived_on, width=100),
    Column(QT_TRANSLATE_NOOP(C, "保管期满"), lambda r: r.retention_end, width=100),
    Column(QT_TRANSLATE_NOOP(C, "销毁日期"), lambda r: r.destroyed_on),
)


class ExportsPage(QWidget):
    """上报导出: one place for every report the site files with the authority."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.batches: list[BatchInfo] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("上报导出")))
        layout.addWidget(
            note(
                self.tr(
                    "按所选省份配置生成向人社部门报备、上报的 Excel 表格和 PDF。"
                    "含完整证件号码的材料（名册、证书信息表、计划报备表）每次导出都记入审计日志。"
                )
            )
        )
        self.batch_combo = QComboBox()
        self.batch_combo.setObjectName("batch")
        self.batch_combo.setMinimumContentsLength(36)
        year = dt.date.today().year
        self.stat_start = date_edit(self, dt.date(year, 1, 1))
        self.stat_start.setObjectName("stat_start")
        self.stat_end = date_edit(self, dt.date(year, 12, 31))
        self.stat_end.setObjectName("stat_end")
        self.buttons: dict[str, QPushButton] = {}

        batch_box = QGroupBox(self.tr("按批次"))
        grid = QGridLayout(batch_box)
        label = QLabel(self.tr("批次(&P)："))
        label.setBuddy(self.batch_combo)
        grid.addWidget(label, 0, 0)
        grid.addWidget(self.batch_combo, 0, 1, 1, 2)
        self._button(grid, 1, "plan", self.tr("认定计划报备表(&1)…"),
                     self.tr("时间地点场次、考生名册、考评员和督导员名单（xlsx + PDF）"), self.export_plan)
        self._button(grid, 2, "publicity", self.tr("公示名单(&2)…"),
                     self.tr("成绩公示名单，证件号码按规定隐藏（xlsx + PDF）"), self.export_publicity)
        self._button(grid, 3, "results", self.tr("结果汇总表 + 证书信息表(&3)…"),
                     self.tr("附件4 认定结果汇总表、附件5 合格人员证书信息表"), self.export_results)
        grid.setColumnStretch(2, 1)
        layout.addWidget(batch_box)

        other = QGroupBox(self.tr("全机构"))
        grid2 = QGridLayout(other)
        self._button(grid2, 0, "roster", self.tr("人员名册(&4)…"),
                     self.tr("专职工作人员、专家、考评员、督导员名册（xlsx）"), self.export_roster)
        self._button(grid2, 3, "org_form", self.tr("机构基本情况表(&6)…"),
                     self.tr("按本省表样：基本信息、拟开展的职业（工种）情况和承诺，备案或延续备案时填报（xlsx）"),
                     self.export_org_form)
        period = QHBoxLayout()
        period.addWidget(QLabel(self.tr("统计期间：")))
        period.addWidget(self.stat_start)
        period.addWidget(QLabel(self.tr("至")))
        period.addWidget(self.stat_end)
        period.addStretch()
        grid2.addLayout(period, 1, 1, 1, 2)
        self._button(grid2, 2, "statistics", self.tr("认定情况统计表(&5)…"),
                     self.tr("所选期间内结束考核的批次：报名、实考、合格人数和合格率（xlsx）"),
                     self.export_statistics)
        grid2.setColumnStretch(2, 1)
        layout.addWidget(other)
        self.result = QLabel()
        self.result.setObjectName("export_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result)
        layout.addStretch()
        if not allowed(actor, Perm.EXPORT):
            layout.insertWidget(
                2, note(self.tr("您的角色（{role}）不能导出上报材料。").format(role=actor.role_name))
            )
            for button in self.buttons.values():
                button.setEnabled(False)
        elif not allowed(actor, Perm.VIEW_FULL_ID):
            layout.insertWidget(2, note(self.tr(
                "您的角色（{role}）不能查看完整证件号码，因此不能导出含完整号码的"
                "认定计划报备表、结果报备表和人员名册。"
            ).format(role=actor.role_name)))
            for key in FULL_ID_EXPORTS:
                self.buttons[key].setEnabled(False)
        self.refresh()

    def _button(
        self, grid: QGridLayout, row: int, key: str, text: str, explanation: str,
        slot: Callable[[], None],
    ) -> None:
        button = QPushButton(text)
        button.setObjectName(f"export_{key}")
        button.clicked.connect(slot)
        self.buttons[key] = button
        grid.addWidget(button, row, 1)
        grid.addWidget(note(explanation), row, 2)

    def refresh(self) -> None:
        keep = self.batch_combo.currentData()
        self.batches = list_batches(self.db, self.actor)
        fill_batch_combo(self.batch_combo, self.batches, keep)

    def batch_id(self) -> int | None:
        data = self.batch_combo.currentData()
        return int(data) if data is not None else None

    def _done(self, paths: Sequence[Path | str] | None) -> None:
        if paths:
            files = "\n".join(str(p) for p in paths)
            self.result.setText(self.tr("已导出：\n{files}").format(files=files))

    def _to_folder(self, title: str, call: Callable[[Session, int, Path], Sequence[Path]]) -> None:
        bid = self.batch_id()
        if bid is None or (folder := choose_folder(self, title)) is None:
            return
        self._done(run_service(self, self.db, lambda s: call(s, bid, folder)))

    def export_plan(self) -> None:
        def call(s: Session, bid: int, folder: Path) -> list[Path]:
            done = export_plan(s, self.actor, bid, folder)
            return [done.xlsx, done.pdf]

        self._to_folder(self.tr("选择保存认定计划报备表的文件夹"), call)

    def export_publicity(self) -> None:
        self._to_folder(
            self.tr("选择保存公示名单的文件夹"),
            lambda s, bid, folder: export_publicity(s, self.actor, bid, folder),
        )

    def export_results(self) -> None:
        self._to_folder(
            self.tr("选择保存结果报备表的文件夹"),
            lambda s, bid, folder: export_results(s, self.actor, bid, folder),
        )

    def export_roster(self) -> None:
        path = choose_save_file(self, self.tr("保存人员名册"), self.tr("人员名册.xlsx"))
        if path is None:
            return
        done = run_service(self, self.db, lambda s: export_roster(s, self.actor, path))
        self._done([done.path] if done else None)
        if done and done.qualification_note:
            self.result.setText(self.result.text() + "\n" + done.qualification_note)

    def export_org_form(self) -> None:
        path = choose_save_file(self, self.tr("保存机构基本情况表"), self.tr("机构基本情况表.xlsx"))
        if path is None:
            return
        out = run_service(self, self.db, lambda s: export_org_form(s, self.actor, path))
        self._done([out] if out else None)

    def export_statistics(self) -> None:
        start, end = to_date(self.stat_start.date()), to_date(self.stat_end.date())
        path = choose_save_file(self, self.tr("保存统计表"), f"统计_{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
        if path is None:
            return
        title = self.tr("{a}至{b} 职业技能等级认定情况统计").format(a=start.isoformat(), b=end.isoformat())

        def call(s: Session) -> Path:
            rows = period_statistics(s, self.actor, start, end)
            return export_statistics(s, self.actor, path, rows, title)

        out = run_service(self, self.db, call)
        self._done([out] if out else None)


class ArchivePage(TablePage):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        model = database_model(db, ARCHIVE_COLUMNS, listing.archive_page, listing.archive_count)
        super().__init__(
            self.tr("档案"),
            model,
            search_placeholder=self.tr("按名称查找"),
            explanation=self.tr(
                "认定过程材料的归档清单，按保管期满日期排列。纸质材料至少保存 3 年，"
                "电子材料至少保存 5 年；期满前不得销毁。归档登记和销毁审批将在后续版本提供。"
            ),
            parent=parent,
        )
