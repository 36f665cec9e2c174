"""人员: the roster, lazily paged, with filters, warnings, the person dialogs and the imports."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import SkillSiteError
from app.models.enums import STAFF_ROLE_NAMES, StaffRole
from app.services import listing
from app.services.actor import Actor
from app.services.catalogue import list_occupations
from app.services.importing import write_template
from app.services.permissions import Perm, allowed
from app.services.roster_export import export_roster
from app.services.roster_queries import roster_warnings
from app.ui.busy import busy_cursor
from app.ui.errors import show_user_error
from app.ui.file_choice import choose_save_file
from app.ui.models import Column
from app.ui.pages.table_page import TablePage, database_model
from app.ui.widgets.fit_columns import ColumnFitter
from app.ui.widgets.kept_row import kept_row

C = "Column"
PEOPLE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "姓名"), lambda r: r.name, width=110),
    Column(QT_TRANSLATE_NOOP(C, "证件类型"), lambda r: r.id_type_name),
    Column(QT_TRANSLATE_NOOP(C, "证件号码"), lambda r: r.id_number_masked, width=190),
    Column(QT_TRANSLATE_NOOP(C, "性别"), lambda r: r.gender, width=50),
    Column(QT_TRANSLATE_NOOP(C, "出生日期"), lambda r: r.birth_date, width=100),
    Column(QT_TRANSLATE_NOOP(C, "单位"), lambda r: r.employer, width=240),
    Column(QT_TRANSLATE_NOOP(C, "角色"), lambda r: r.role_names),
)
SEARCH_BOX_MARGIN = 24  # px beside the placeholder: the frame and the line edit's text margins
# 单位: the one long text, elided first so that 角色 stays in view at 1024 px; at most its
# column's width before it is (its tooltip has it whole)
EMPLOYER_COLUMN = next(i for i, c in enumerate(PEOPLE_COLUMNS) if c.title == "单位")
EMPLOYER_WIDTH: int = PEOPLE_COLUMNS[EMPLOYER_COLUMN].width or 240
KIND_TITLES = {"people": "导入人员", "staff": "导入工作人员"}


@dataclass
class _Filters:
    role: str | None = None
    occupation_id: int | None = None

    @property
    def active(self) -> bool:
        return self.role is not None or self.occupation_id is not None


def filtered_page(
    session: Session, actor: Actor, f: _Filters, offset: int, limit: int, search: str | None
) -> Sequence[listing.PersonRow]:
    """One page of people: the search box's match, narrowed by the role/occupation filter."""
    return listing.people_page(
        session, offset, limit, search, role=f.role, occupation_id=f.occupation_id, actor=actor
    )


def filtered_count(session: Session, actor: Actor, f: _Filters, search: str | None) -> int:
    return listing.people_count(
        session, search, role=f.role, occupation_id=f.occupation_id, actor=actor
    )


class PeoplePage(TablePage):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        filters = _Filters()
        model = database_model(
            db,
            PEOPLE_COLUMNS,
            lambda s, offset, limit, search: filtered_page(
                s, actor, filters, offset, limit, search
            ),
            lambda s, search: filtered_count(s, actor, filters, search),
        )
        by_id = listing.sees_full_ids(actor)
        super().__init__(
            self.tr("人员"),
            model,
            search_placeholder=self.tr("姓名或完整证件号码") if by_id else self.tr("姓名"),
            explanation=self.tr(
                "考生和工作人员。证件号码已部分隐藏。双击一行或选中后按回车查看详情。"
            ),
            parent=parent,
        )
        self.filters = filters
        self.db = db
        self.actor = actor
        self.can_edit = allowed(actor, Perm.EDIT_ROSTER)
        self._fit_search_box(by_id)
        # every column in view at 1024 px: 单位 gives way (elided, tooltip whole), not 角色
        self._columns = ColumnFitter(
            self.table, (EMPLOYER_COLUMN,), EMPLOYER_WIDTH, shrink_to_fit=True
        )
        self._columns.fit()
        self._add_filters()
        self._add_search_note()
        self._add_toolbar()
        self._add_warnings()
        self._set_tab_order()
        # `activated` comes with Enter/Return and with a double click (or a single click where
        # the platform opens items that way): connecting doubleClicked too would open it twice
        self.table.activated.connect(self.open_row)
        self._opening = False

    # --- building -------------------------------------------------------------------------------
    def _fit_search_box(self, by_id: bool) -> None:
        """A short placeholder, wholly visible beside the filters in a 1024-px window; the
        tooltip says the whole rule (a number only whole: `listing.people_search_note`)."""
        assert self.search is not None
        self.search.setToolTip(
            self.tr(
                "按姓名（任意部分）或完整证件号码查找。\n"
                "为保护个人信息，证件号码只能按完整号码查找，不按其中几位查找。"
            )
            if by_id
            else self.tr("按姓名（任意部分）查找。\n按证件号码查找需要“查看完整证件号码”的权限。")
        )
        room = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
        self.search.setMinimumWidth(room + SEARCH_BOX_MARGIN)

    def _search_bar(self) -> QHBoxLayout:
        layout = self.layout()
        for i in range(layout.count()):
            item = layout.itemAt(i).layout()
            if isinstance(item, QHBoxLayout) and item.indexOf(self.search) >= 0:
                return item
        raise RuntimeError("search bar not found")

    def _add_search_note(self) -> None:
        """Under the search bar: why a search finds nobody, or matches names only
        (`listing.people_search_note`: a masked number copied from the list, a few digits)."""
        self.search_note = QLabel()
        self.search_note.setObjectName("search_note")
        self.search_note.setWordWrap(True)
        self.search_note.setStyleSheet("color: #a15c00;")
        self.search_note.hide()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.table), self.search_note)

    def apply_search(self) -> None:
        super().apply_search()
        self._fit_columns()
        self._update_search_note()

    def _update_search_note(self) -> None:
        """The note for the search as it stands, once the list is loaded: digits that found
        someone were a whole number after all, not a part of one (`people_search_note`)."""
        text = self.search.text() if self.search is not None else ""
        note = listing.people_search_note(text, self.actor, found=self.model.total)
        self.search_note.setText(note)
        self.search_note.setVisible(bool(note))

    def _add_filters(self) -> None:
        bar = self._search_bar()
        self.role_filter = QComboBox()
        self.role_filter.setObjectName("role_filter")
        self.role_filter.addItem(self.tr("全部角色"), None)
        for role in StaffRole:
            self.role_filter.addItem(self.tr(STAFF_ROLE_NAMES[role]), role.value)
        self.occupation_filter = QComboBox()
        self.occupation_filter.setObjectName("occupation_filter")
        self._fill_occupation_filter()
        self.role_filter.currentIndexChanged.connect(self.apply_filters)
        self.occupation_filter.currentIndexChanged.connect(self.apply_filters)
        bar.insertWidget(1, QLabel(self.tr("角色：")))
        bar.insertWidget(2, self.role_filter)
        bar.insertWidget(3, QLabel(self.tr("考评职业：")))
        bar.insertWidget(4, self.occupation_filter)

    def _fill_occupation_filter(self) -> None:
        """(Re)list the catalogue's occupations, keeping the current choice if it still exists."""
        combo = self.occupation_filter
        current = combo.currentData()
        with self.db.session() as s:
            items = [(f"{occ.code} {occ.name}", occ.id) for occ in list_occupations(s)]
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(self.tr("全部考评职业"), None)
            for text, occ_id in items:
                combo.addItem(text, occ_id)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
        finally:
            combo.blockSignals(False)
        self.filters.occupation_id = combo.currentData()

    def _set_tab_order(self) -> None:
        """Tab: search → filters → toolbar buttons → table → warnings (the filters and buttons are
        made after the table, so by default Tab would skip from the search box to the table)."""
        assert self.search is not None
        chain: list[QWidget] = [self.search, self.role_filter, self.occupation_filter]
        chain += list(self.buttons.values())
        chain += [self.table, self.warnings]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _add_toolbar(self) -> None:
        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        specs = (
            ("new", self.tr("新增人员(&N)…"), self.new_person, self.can_edit),
            ("edit", self.tr("编辑(&E)…"), self.edit_selected, self.can_edit),
            (
                "import_people",
                self.tr("导入人员…"),
                lambda: self.run_import("people"),
                self.can_edit,
            ),
            (
                "import_staff",
                self.tr("导入工作人员…"),
                lambda: self.run_import("staff"),
                self.can_edit,
            ),
            ("import_photos", self.tr("导入照片…"), self.import_photos, self.can_edit),
            ("template", self.tr("下载模板…"), self.download_template, True),
            (
                "export",
                self.tr("导出名册…"),
                self.export,
                allowed(self.actor, Perm.EXPORT) and allowed(self.actor, Perm.VIEW_FULL_ID),
            ),
        )
        for key, text, slot, visible in specs:
            button = QPushButton(text)
            button.setObjectName(key)
            button.clicked.connect(lambda _c=False, slot=slot: slot())
            button.setVisible(visible)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(layout.indexOf(self.table), bar)

    def _add_warnings(self) -> None:
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("warnings_label")
        self.warnings = QListWidget()
        self.warnings.setObjectName("warnings")
        self.warnings.setMaximumHeight(110)
        self.warnings.itemActivated.connect(
            lambda item: self.open_person(item.data(Qt.ItemDataRole.UserRole))
        )
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.warnings)
        self.refresh_warnings()

    # --- data -----------------------------------------------------------------------------------
    def apply_filters(self, *_args: object) -> None:
        self.filters.role = self.role_filter.currentData()
        self.filters.occupation_id = self.occupation_filter.currentData()
        self.model.refresh()
        self._fit_columns()
        self._update_search_note()

    def refresh(self) -> None:
        """Reload (coming back to the page, after an edit): the selected person stays selected
        and in view, where the list still has them."""
        if hasattr(self, "occupation_filter"):  # TablePage.__init__ refreshes before it exists
            self._fill_occupation_filter()  # an import or the catalogue may have added some
        with kept_row(self.table, self.model):
            super().refresh()
        self._fit_columns()
        if hasattr(self, "warnings"):
            self.refresh_warnings()

    def _fit_columns(self) -> None:
        """Column widths for the rows now loaded (the fitter also refits on a resize)."""
        if hasattr(self, "_columns"):  # (TablePage.__init__ refreshes before it exists)
            self._columns.fit()

    def refresh_warnings(self) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        with self.db.session() as s:
            items = roster_warnings(s, dt.date.today())
        self.warnings.clear()
        for w in items:
            item = QListWidgetItem(w.message)
            item.setData(Qt.ItemDataRole.UserRole, w.person_id)
            self.warnings.addItem(item)
        self.warnings_label.setText(
            self.tr("人员提醒（资格过期/60天内到期、非本单位人员无协议）：{n} 条").format(
                n=len(items)
            )
            if items
            else self.tr("人员提醒：无")
        )
        self.warnings.setVisible(bool(items))

    def selected_person_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row(index.row()).id

    # --- actions --------------------------------------------------------------------------------
    def open_row(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_person(self.model.row(index.row()).id)

    def open_person(self, person_id: int) -> None:
        from app.ui.pages.person_detail import PersonDetailDialog

        if self._opening:  # a second activation while the dialog is open
            return
        self._opening = True
        try:
            dialog = PersonDetailDialog(self.db, self.actor, person_id, self)
            dialog.exec()
        finally:
            self._opening = False
        if dialog.changed:
            self.refresh()

    def new_person(self) -> None:
        self._edit(None)

    def edit_selected(self) -> None:
        person_id = self.selected_person_id()
        if person_id is None:
            QMessageBox.information(self, self.tr("编辑人员"), self.tr("请先在表格中选中一人。"))
            return
        self._edit(person_id)

    def _edit(self, person_id: int | None) -> None:
        from app.ui.pages.people_dialogs import PersonEditDialog

        dialog = PersonEditDialog(self.db, self.actor, person_id, self)
        if dialog.exec():
            self.refresh()

    def run_import(self, kind: str) -> None:
        from app.ui.import_wizard import ImportDialog

        dialog = ImportDialog(self.db, self.actor, kind, self)
        dialog.exec()
        if dialog.imported:  # (result_info is withdrawn when the file is checked again after)
            self.refresh()

    def import_photos(self) -> None:
        from app.ui.import_wizard import run_photo_import

        folder = QFileDialog.getExistingDirectory(self, self.tr("选择照片文件夹"))
        if folder and run_photo_import(self.db, self.actor, folder, self) is not None:
            self.refresh()

    def download_template(self) -> None:
        kinds = [self.tr("人员（考生）导入模板"), self.tr("工作人员导入模板")]
        from PySide6.QtWidgets import QInputDialog

        choice, ok = QInputDialog.getItem(
            self, self.tr("下载模板"), self.tr("模板："), kinds, 0, False
        )
        if not ok:
            return
        kind = "people" if choice == kinds[0] else "staff"
        default = (
            self.tr("人员导入模板.xlsx") if kind == "people" else self.tr("工作人员导入模板.xlsx")
        )
        path = choose_save_file(self, self.tr("保存模板"), default)
        if path is None:
            return
        try:
            write_template(kind, path)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        QMessageBox.information(
            self, self.tr("下载模板"), self.tr("模板已保存到：\n{p}").format(p=path)
        )

    def export(self) -> None:
        path = choose_save_file(self, self.tr("导出人员名册"), self.tr("人员名册.xlsx"))
        if path is None:
            return
        try:
            with busy_cursor(), self.db.session() as s:
                result = export_roster(s, self.actor, path)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        QMessageBox.information(
            self,
            self.tr("导出人员名册"),
            self.tr(
                "名册已导出（含完整证件号码，请妥善保管）：\n{p}\n"
                "专职工作人员 {a} 人，专家 {b} 人，考评员 {c} 人，督导员 {d} 人。"
            ).format(
                p=result.path,
                a=result.fulltime,
                b=result.experts,
                c=result.examiners,
                d=result.supervisors,
            )
            + ("\n\n" + result.qualification_note if result.qualification_note else ""),
        )
