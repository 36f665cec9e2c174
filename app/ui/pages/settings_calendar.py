"""设置 › 法定节假日: the holiday table staff maintain, and which years the calendar covers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError
from app.services.actor import Actor
from app.services.calendar import import_calendar, list_days, load_calendar, remove_day, set_day
from app.services.permissions import Perm, allowed
from app.ui.busy import busy_cursor
from app.ui.errors import show_user_error
from app.ui.pages.table_page import note
from app.ui.widgets.count_box import CountBox

KINDS = ("休", "班")


def year_ranges(years: list[int]) -> str:
    """[2004, 2005, 2006, 2009] → "2004–2006、2009"."""
    parts: list[str] = []
    for y in sorted(years):
        if parts and parts[-1].split("–")[-1] == str(y - 1):
            parts[-1] = parts[-1].split("–")[0] + f"–{y}"
        else:
            parts.append(str(y))
    return "、".join(parts)


class CalendarTab(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.can_edit = allowed(actor, Perm.EDIT_CALENDAR)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                self.tr(
                    "工作日按国务院公布的放假安排计算（休＝放假，班＝调休上班）。每年底国务院公布次年安排后，"
                    "请在此导入或逐日录入；未覆盖的年份无法计算报备时限。"
                )
            )
        )
        self.coverage = QLabel()
        self.coverage.setObjectName("coverage")
        self.coverage.setWordWrap(True)
        layout.addWidget(self.coverage)

        top = QHBoxLayout()
        year_label = QLabel(self.tr("年份(&Y)："))
        self.year = CountBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        year_label.setBuddy(self.year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addStretch()
        self.import_button = QPushButton(self.tr("从文件导入(&I)…"))
        self.import_button.setObjectName("import_calendar")
        self.import_button.clicked.connect(self.import_file)
        top.addWidget(self.import_button)
        layout.addLayout(top)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("days")
        self.table.setHorizontalHeaderLabels([self.tr("日期"), self.tr("类型"), self.tr("名称")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().resizeSection(0, 120)
        self.table.horizontalHeader().resizeSection(1, 70)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected_to_form)
        layout.addWidget(self.table, 1)

        edit = QHBoxLayout()
        self.day = QDateEdit(QDate.currentDate())
        self.day.setObjectName("day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        self.kind.addItem(self.tr("休（放假）"), "休")
        self.kind.addItem(self.tr("班（调休上班）"), "班")
        self.name = QLineEdit()
        self.name.setObjectName("day_name")
        self.name.setPlaceholderText(self.tr("名称，如 春节"))
        self.save_button = QPushButton(self.tr("保存此日(&S)"))
        self.save_button.clicked.connect(self.save_day)
        self.remove_button = QPushButton(self.tr("删除所选(&D)"))
        self.remove_button.clicked.connect(self.remove_selected)
        day_label = QLabel(self.tr("日期："))
        day_label.setBuddy(self.day)
        for w in (day_label, self.day, self.kind, self.name, self.save_button, self.remove_button):
            edit.addWidget(w)
        edit.setStretchFactor(self.name, 1)
        layout.addLayout(edit)
        if not self.can_edit:
            for w in (self.import_button, self.save_button, self.remove_button):
                w.setEnabled(False)
            layout.addWidget(note(self.tr("您的角色不能修改节假日表，只能查看。")))
        self.refresh()

    # --- view ------------------------------------------------------------------------------

    def refresh(self) -> None:
        with self._db.session() as s:
            covered = load_calendar(s).covered_years()
            days = [(d.day, d.kind, d.name) for d in list_days(s, self.year.value())]
        self.covered_years = covered
        self.coverage.setText(self.coverage_text(covered))
        self.table.setRowCount(len(days))
        for r, (day, kind, name) in enumerate(days):
            for c, value in enumerate((day.isoformat(), kind, name)):
                self.table.setItem(r, c, QTableWidgetItem(value))

    def coverage_text(self, covered: list[int]) -> str:
        this_year = dt.date.today().year
        listed = year_ranges(covered) or self.tr("（无）")
        text = self.tr("已有放假安排的年份：{years}。").format(years=listed)
        missing = [y for y in (this_year, this_year + 1) if y not in covered]
        if missing:
            text += (
                " "
                + "；".join(self.tr("尚无{year}年安排，请导入").format(year=y) for y in missing)
                + "。"
            )
            self.coverage.setStyleSheet("color: #b00020;")
        else:
            self.coverage.setStyleSheet("")
        return text

    def _selected_to_form(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        r = rows[0].row()
        self.day.setDate(QDate.fromString(self.table.item(r, 0).text(), "yyyy-MM-dd"))
        self.kind.setCurrentIndex(max(0, self.kind.findData(self.table.item(r, 1).text())))
        self.name.setText(self.table.item(r, 2).text())

    # --- actions ---------------------------------------------------------------------------

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("导入法定节假日安排"), "", self.tr("表格文件 (*.csv *.xlsx)")
        )
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> None:
        try:
            with busy_cursor(), self._db.session() as s:
                result = import_calendar(s, self._actor, path)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        if result.years:
            self.year.setValue(result.years[-1])
        self.refresh()
        QMessageBox.information(
            self,
            self.tr("导入完成"),
            self.tr("新增 {a} 天，修改 {c} 天，未变 {u} 天；年份：{y}。").format(
                a=result.added,
                c=result.changed,
                u=result.unchanged,
                y="、".join(str(y) for y in result.years),
            ),
        )

    def save_day(self) -> None:
        day = self.day.date().toPython()
        try:
            with self._db.session() as s:
                set_day(s, self._actor, day, self.kind.currentData(), self.name.text().strip())
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self.year.setValue(day.year)
        self.refresh()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            QMessageBox.information(self, self.tr("删除"), self.tr("请先在表中选中要删除的日期。"))
            return
        days = [dt.date.fromisoformat(self.table.item(r, 0).text()) for r in rows]
        answer = QMessageBox.question(
            self,
            self.tr("删除"),
            self.tr("从节假日表中删除 {n} 天（{first} 等）？").format(n=len(days), first=days[0]),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._db.session() as s:
                for day in days:
                    remove_day(s, self._actor, day)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self.refresh()
