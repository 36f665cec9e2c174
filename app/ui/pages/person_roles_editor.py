"""The staff-role editor of the person edit dialog, and the optional-date helpers it shares.

`RolesEditor` holds one line per staff role (tick, 工作职责/专业方向, 本单位, agreement) and gives
the complete new role list for `app.services.roster.add_person` / `update_person`; a bad value
raises a ValidationError whose `field` names the widget (`focus_field` puts the cursor there).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.models.enums import STAFF_ROLE_NAMES, StaffRole
from app.services.roster import RoleInput
from app.ui.date_text import optional_date_edit, parse_date
from app.ui.models.paged import display_text

# (occupation id, "code name", [(work type id, name), …]) as listed for the combos
OccupationChoice = tuple[int, str, list[tuple[int, str]]]

# The free-text detail each role is filed with (000 附件1 四): attribute, label, placeholder.
DETAIL_FIELDS: dict[str, tuple[str, str, str]] = {
    StaffRole.FULLTIME.value: ("duties", "工作职责", "工作职责，如 考务组织、报名审核"),
    StaffRole.EXPERT.value: ("specialty", "专业方向", "专业方向，如 电气自动化"),
}


@dataclass
class RoleRow:
    role: str
    check: QCheckBox
    detail: QLineEdit | None  # 工作职责 (fulltime) or 专业方向 (expert); None for other roles
    in_house: QCheckBox
    agreement: QCheckBox
    until: QLineEdit


class RolesEditor(QGroupBox):
    """One line per staff role: tick it, its duties/specialty, in-house, agreement on file."""

    examiner_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("工作人员角色（不选即为考生）"), parent)
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        headers = (
            self.tr("角色"),
            self.tr("工作职责 / 专业方向"),
            self.tr("是否本单位人员"),
            self.tr("承诺书/合作协议"),
            self.tr("协议有效期至"),
        )
        for c, text in enumerate(headers):
            label = QLabel(text)
            label.setStyleSheet("color: #555;")
            grid.addWidget(label, 0, c)
        self.rows: dict[str, RoleRow] = {}
        self._stored: dict[str, RoleInput] = {}
        for i, role in enumerate(StaffRole, start=1):
            check = QCheckBox(self.tr(STAFF_ROLE_NAMES[role]))
            check.setObjectName(f"role_{role.value}")
            grid.addWidget(check, i, 0)  # first: Tab goes tick → detail → 本单位 → …
            detail: QLineEdit | None = None
            if role.value in DETAIL_FIELDS:
                attr, _label, placeholder = DETAIL_FIELDS[role.value]
                detail = QLineEdit()
                detail.setObjectName(f"{attr}_{role.value}")
                detail.setPlaceholderText(self.tr(placeholder))
                detail.setMaxLength(200)
                grid.addWidget(detail, i, 1)
            else:
                dash = QLabel("—")
                dash.setStyleSheet("color: #999;")
                dash.setToolTip(self.tr("该角色无需填写工作职责或专业方向"))
                grid.addWidget(dash, i, 1)
            in_house = QCheckBox(self.tr("本单位"))
            in_house.setChecked(True)
            agreement = QCheckBox(self.tr("已签订"))
            agreement.setToolTip(self.tr("非本单位人员须有承诺书或合作协议在档"))
            until = optional_date_edit(self.tr("如 2027-12-31"))
            row = RoleRow(role.value, check, detail, in_house, agreement, until)
            self.rows[role.value] = row
            grid.addWidget(in_house, i, 2)
            grid.addWidget(agreement, i, 3)
            grid.addWidget(until, i, 4)
            check.toggled.connect(lambda on, r=role.value: self._role_toggled(r, on))
            in_house.toggled.connect(lambda _on, r=role.value: self._update(r))
            agreement.toggled.connect(lambda _on, r=role.value: self._update(r))
            self._update(role.value)
        grid.setColumnStretch(1, 1)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """Tab along each line (tick → 工作职责/专业方向 → 本单位 → 已签订 → 协议有效期至), then to
        the next role; the greyed fields are skipped until the role is ticked."""
        chain: list[QWidget] = []
        for row in self.rows.values():
            chain.append(row.check)
            if row.detail is not None:
                chain.append(row.detail)
            chain += [row.in_house, row.agreement, row.until]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    @property
    def checks(self) -> dict[str, QCheckBox]:
        return {role: row.check for role, row in self.rows.items()}

    def _role_toggled(self, role: str, on: bool) -> None:
        if on and role not in self._stored:
            # a newly given role starts as the person's other roles are: in-house or not, agreement
            other = next(
                (r for r in self.rows.values() if r.role != role and r.check.isChecked()), None
            )
            if other is not None:
                row = self.rows[role]
                row.in_house.setChecked(other.in_house.isChecked())
                row.agreement.setChecked(other.agreement.isChecked())
                row.until.setText(other.until.text())
        self._update(role)
        if role == StaffRole.EXAMINER.value:
            self.examiner_toggled.emit(on)

    def _update(self, role: str) -> None:
        row = self.rows[role]
        on = row.check.isChecked()
        external = on and not row.in_house.isChecked()
        if row.detail is not None:
            row.detail.setEnabled(on)
        row.in_house.setEnabled(on)
        row.agreement.setEnabled(external)
        # the end date belongs to an agreement on file: greyed (and not read) without one
        row.until.setEnabled(external and row.agreement.isChecked())

    def set_roles(self, roles: Sequence[RoleInput]) -> None:
        """Show the stored roles (ticked, with their details)."""
        self._stored = {r.role: r for r in roles}
        for role, row in self.rows.items():
            stored = self._stored.get(role)
            if stored is not None:
                if row.detail is not None:
                    row.detail.setText(getattr(stored, DETAIL_FIELDS[role][0]))
                row.in_house.setChecked(stored.in_house)
                row.agreement.setChecked(stored.agreement_on_file)
                row.until.setText(display_text(stored.agreement_until))
            row.check.setChecked(stored is not None)
            self._update(role)

    def is_checked(self, role: str) -> bool:
        return self.rows[role].check.isChecked()

    def roles(self) -> list[RoleInput]:
        """The complete new set of roles; a detail the form does not show is kept as stored.

        The greyed agreement fields are not read: an in-house role has no agreement (a value
        typed before ticking 本单位 is dropped), and without an agreement there is no end date."""
        out = []
        for role, row in self.rows.items():
            if not row.check.isChecked():
                continue
            old = self._stored.get(role, RoleInput(role))
            name = STAFF_ROLE_NAMES[StaffRole(role)]
            in_house = row.in_house.isChecked()
            on_file = not in_house and row.agreement.isChecked()
            until = (
                parse_date(
                    row.until.text(),
                    self.tr("{role}的协议有效期至").format(role=name),
                    f"role.{role}.until",
                )
                if on_file
                else None
            )
            duties, specialty = old.duties, old.specialty
            if row.detail is not None:
                if DETAIL_FIELDS[role][0] == "duties":
                    duties = row.detail.text().strip()
                else:
                    specialty = row.detail.text().strip()
            out.append(
                RoleInput(
                    role,
                    duties,
                    specialty,
                    in_house,
                    on_file,
                    until,
                )
            )
        return out

    def state(self) -> tuple[tuple[object, ...], ...]:
        """What the rows show, to tell whether anything was changed."""
        return tuple(
            (
                row.check.isChecked(),
                row.detail.text() if row.detail is not None else "",
                row.in_house.isChecked(),
                row.agreement.isChecked(),
                row.until.text(),
            )
            for row in self.rows.values()
        )

    def focus_field(self, field: str | None) -> bool:
        parts = (field or "").split(".")
        if len(parts) == 3 and parts[0] == "role" and parts[1] in self.rows:
            widget = getattr(self.rows[parts[1]], parts[2], None)
            if isinstance(widget, QWidget):
                widget.setFocus()
                return True
        return False
