"""上报导出 and 档案: what the reports will be, and the archive items kept so far."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QListWidget, QVBoxLayout, QWidget

from app.db import Database
from app.services import listing
from app.services.actor import Actor
from app.ui.models import Column
from app.ui.pages.table_page import TablePage, database_model, heading, note

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

REPORTS = (
    QT_TRANSLATE_NOOP(
        "ExportsPage", "认定计划报备材料（时间地点场次、考生名册、考评员和督导员名单）"
    ),
    QT_TRANSLATE_NOOP("ExportsPage", "成绩公示名单（证件号码按规定隐藏）"),
    QT_TRANSLATE_NOOP("ExportsPage", "职业技能等级认定结果汇总表"),
    QT_TRANSLATE_NOOP("ExportsPage", "合格人员证书信息表"),
    QT_TRANSLATE_NOOP("ExportsPage", "上报材料压缩包（含文件清单和校验值）"),
)


class ExportsPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("上报导出")))
        layout.addWidget(
            note(
                self.tr(
                    "按所选省份配置生成向人社部门报备、上报的 Excel 表格和材料包。"
                    "导出功能将在后续版本提供，届时可在此选择批次并导出以下材料："
                )
            )
        )
        self.reports = QListWidget()
        self.reports.setObjectName("reports")
        for text in REPORTS:
            self.reports.addItem(self.tr(text))
        layout.addWidget(self.reports, 1)


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
