"""The 考评资格 editor of the person edit dialog: one table row per qualification.

Each row is (occupation, optional work type, highest level, certificate number, valid from/until);
`qualifications()` gives the complete new set for `app.services.roster.add_person` /
`update_person` (the service audits additions, changes and removals).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.rules.levels import LEVELS
from app.services.roster import QualificationInput, check_qualification
from app.ui.date_text import optional_date_edit, parse_date
from app.ui.models.paged import display_text

# (occupation id, "code name", [(work type id, name), …]) as listed for the combos
OccupationChoice = tuple[int, str, list[tuple[int, str]]]


@dataclass
class QualRow:
    occupation: QComboBox
    work_type: QComboBox
    max_level: QComboBox
    certificate_no: QLineEdit
    valid_from: QLineEdit
    valid_until: QLineEdit

    def widgets(self) -> tuple[QWidget, ...]:
        return (
            self.occupation,
            self.work_type,
            self.max_level,
            self.certificate_no,
            self.valid_from,
            self.valid_until,
        )


class QualificationsEditor(QGroupBox):
    """考评资格: one table row per (occupation, work type) an examiner may assess, up to a level."""

    NO_WORK_TYPE = "（不限工种）"

    def __init__(
        self, occupations: Sequence[OccupationChoice], parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("考评资格"), parent)
        self.occupations = list(occupations)
        self.rows: list[QualRow] = []
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("qualifications")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("职业"),
                self.tr("工种"),
                self.tr("最高等级"),
                self.tr("考评员证书号"),
                self.tr("有效期起"),
                self.tr("有效期至"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab leaves the table (to the next cell widget, then 添加资格…) instead of moving the
        # current cell round and round: the cell widgets are in the focus chain (_set_tab_order)
        self.table.setTabKeyNavigation(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab stops at the cells, not here
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 130), (2, 130), (3, 130), (4, 100), (5, 100)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.setMinimumHeight(100)
        layout.addWidget(self.table)
        bar = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加资格(&Q)"))
        self.add_button.setObjectName("add_qualification")
        self.remove_button = QPushButton(self.tr("删除资格"))
        self.remove_button.setObjectName("remove_qualification")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_current)
        self.hint = QLabel()
        self.hint.setObjectName("qualification_hint")
        self.hint.setStyleSheet("color: #777;")
        self.hint.setWordWrap(True)
        bar.addWidget(self.add_button)
        bar.addWidget(self.remove_button)
        bar.addWidget(self.hint, 1)
        layout.addLayout(bar)
        self.set_active(True)

    # --- state ----------------------------------------------------------------------------------
    def set_active(self, on: bool) -> None:
        """Editable while the person is ticked as 考评员. Otherwise the rows stay on screen (ticking
        考评员 again brings them back) but are not saved: only examiners hold qualifications."""
        self.active = on
        have_catalogue = bool(self.occupations)
        self.table.setEnabled(on)
        self.add_button.setEnabled(on and have_catalogue)
        self.remove_button.setEnabled(on and bool(self.rows))
        if not on:
            self.hint.setText(
                self.tr(
                    "未勾选“考评员”角色：下表中的考评资格不会保存（已登记的将在保存时删除）。"
                    "要保留，请勾选“考评员”。"
                )
                if self.rows
                else self.tr("勾选“考评员”角色后可登记考评资格。")
            )
        elif not have_catalogue:
            self.hint.setText(self.tr("职业目录为空：请先在“机构与备案 › 职业目录”中添加职业。"))
        else:
            self.hint.setText(self.tr("日期可留空；增删改在点“保存”后才生效。"))

    def set_qualifications(self, quals: Sequence[QualificationInput]) -> None:
        self.table.setRowCount(0)
        self.rows.clear()
        for q in quals:
            self.add_row(q)
        self.set_active(self.active)

    # --- rows -----------------------------------------------------------------------------------
    def add_row(self, q: QualificationInput | None = None) -> QualRow:
        occupation = QComboBox()
        occupation.setPlaceholderText(self.tr("请选择职业"))
        occupation.setMinimumContentsLength(12)
        for occ_id, text, _wts in self.occupations:
            occupation.addItem(text, occ_id)
        work_type = QComboBox()
        level = QComboBox()
        level.setPlaceholderText(self.tr("请选择"))
        for code, lv in LEVELS.items():
            level.addItem(self.tr(lv.name), code)
        certificate = QLineEdit()
        certificate.setMaxLength(60)
        row = QualRow(
            occupation,
            work_type,
            level,
            certificate,
            optional_date_edit(self.tr("如 2024-01-01")),
            optional_date_edit(self.tr("如 2029-12-31")),
        )
        occupation.setCurrentIndex(occupation.findData(q.occupation_id) if q else -1)
        self._fill_work_types(row)
        occupation.currentIndexChanged.connect(lambda _i, r=row: self._fill_work_types(r))
        if q is not None:
            work_type.setCurrentIndex(max(0, work_type.findData(q.work_type_id)))
            level.setCurrentIndex(level.findData(q.max_level))
            certificate.setText(q.certificate_no)
            row.valid_from.setText(display_text(q.valid_from))
            row.valid_until.setText(display_text(q.valid_until))
        index = self.table.rowCount()
        self.table.insertRow(index)
        for column, widget in enumerate(row.widgets()):
            if isinstance(widget, QComboBox):
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            # see eventFilter: wheel over the table, and focus selecting the widget's row
            widget.installEventFilter(self)
            self.table.setCellWidget(index, column, widget)
        self.rows.append(row)
        self._set_tab_order()
        if q is None:
            self.table.selectRow(index)
            occupation.setFocus()
        self.remove_button.setEnabled(self.active)
        return row

    def _fill_work_types(self, row: QualRow) -> None:
        row.work_type.clear()
        row.work_type.addItem(self.tr(self.NO_WORK_TYPE), None)
        i = row.occupation.currentIndex()
        if 0 <= i < len(self.occupations):
            for wt_id, name in self.occupations[i][2]:
                row.work_type.addItem(name, wt_id)
        row.work_type.setEnabled(row.work_type.count() > 1)

    def _set_tab_order(self) -> None:
        """Tab: each row's fields, row by row → 添加资格 → 删除资格. Cell widgets made after
        the dialog would otherwise come last in its focus chain, after 保存 and 取消."""
        chain: list[QWidget] = [self.table]
        for row in self.rows:
            chain += row.widgets()
        chain += [self.add_button, self.remove_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QComboBox):
            if not watched.hasFocus():  # scrolling the table must not change a row's choice
                QApplication.sendEvent(self.table.viewport(), event)
                return True
        elif event.type() == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            # the row being edited (reached by Tab or a click) is the one 删除资格 removes
            for i, row in enumerate(self.rows):
                if watched in row.widgets():
                    if self.table.currentRow() != i:
                        self.table.selectRow(i)
                    column = row.widgets().index(watched)
                    self.table.scrollTo(self.table.model().index(i, column))
                    break
        return super().eventFilter(watched, event)

    def remove_current(self) -> None:
        index = self.table.currentRow()
        if not 0 <= index < len(self.rows):
            if len(self.rows) != 1:
                QMessageBox.information(
                    self, self.tr("删除资格"), self.tr("请先点选要删除的资格所在行。")
                )
                return
            index = 0
        self.table.removeRow(index)
        del self.rows[index]
        self.remove_button.setEnabled(self.active and bool(self.rows))

    # --- reading --------------------------------------------------------------------------------
    def state(self) -> tuple[tuple[object, ...], ...]:
        """What the rows show, to tell whether anything was changed."""
        return tuple(
            (
                row.occupation.currentIndex(),
                row.work_type.currentIndex(),
                row.max_level.currentIndex(),
                row.certificate_no.text(),
                row.valid_from.text(),
                row.valid_until.text(),
            )
            for row in self.rows
        )

    def qualifications(self, session: Session | None = None) -> list[QualificationInput]:
        """The complete new set. With a session, each row is also checked against the catalogue
        (the service's own check), so an error names the row it is in."""
        out: list[QualificationInput] = []
        seen: dict[tuple[int, int | None], int] = {}
        for i, row in enumerate(self.rows):
            n = i + 1
            where = self.tr("第 {n} 条考评资格").format(n=n)
            occ_id = row.occupation.currentData()
            if occ_id is None:
                raise ValidationError(
                    self.tr("{w}：请选择职业。").format(w=where), field=f"qual.{i}.occupation"
                )
            level = row.max_level.currentData()
            if level is None:
                raise ValidationError(
                    self.tr("{w}：请选择可考评的最高等级。").format(w=where),
                    field=f"qual.{i}.max_level",
                )
            wt_id = row.work_type.currentData()
            if (occ_id, wt_id) in seen:
                raise ValidationError(
                    self.tr(
                        "{w}与第 {m} 条重复：同一职业（工种）只能登记一条资格，请删除其中一条。"
                    ).format(w=where, m=seen[(occ_id, wt_id)]),
                    field=f"qual.{i}.occupation",
                )
            seen[(occ_id, wt_id)] = n
            q = QualificationInput(
                occupation_id=occ_id,
                max_level=int(level),
                work_type_id=wt_id,
                certificate_no=row.certificate_no.text().strip(),
                valid_from=parse_date(
                    row.valid_from.text(), where + self.tr("的有效期起"), f"qual.{i}.valid_from"
                ),
                valid_until=parse_date(
                    row.valid_until.text(), where + self.tr("的有效期至"), f"qual.{i}.valid_until"
                ),
            )
            if session is not None:
                try:
                    check_qualification(
                        session, occ_id, wt_id, q.max_level, q.valid_from, q.valid_until
                    )
                except ValidationError as exc:
                    raise ValidationError(
                        f"{where}：{exc.message}", field=f"qual.{i}.{exc.field or 'occupation'}"
                    ) from None
            out.append(q)
        return out

    def focus_field(self, field: str | None) -> bool:
        parts = (field or "").split(".")
        if len(parts) != 3 or parts[0] != "qual" or not parts[1].isdigit():
            return False
        i = int(parts[1])
        if not 0 <= i < len(self.rows):
            return False
        widget = getattr(self.rows[i], parts[2], self.rows[i].occupation)
        self.table.selectRow(i)
        self.table.scrollTo(self.table.model().index(i, 0))
        if isinstance(widget, QWidget):
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
