"""机构与备案: the organisation's filing record, read-only for now."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.db import Database
from app.models import Organisation
from app.services.actor import Actor
from app.services.organisation import get_organisation
from app.ui.models.paged import display_text
from app.ui.pages.table_page import heading, note

ORG_TYPE_NAMES = {"Y": "Y — 用人单位", "S": "S — 社会培训评价组织"}
SCOPE_LEVEL_NAMES = {"city": "市级（全市范围）", "district": "区县级"}


def _profile_name(name: str) -> str:
    try:
        from app.rules.profiles import load_profile

        return load_profile(name).display_name
    except Exception:
        return name


class OrganisationPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        outer = QVBoxLayout(self)
        outer.addWidget(heading(self.tr("机构与备案")))
        outer.addWidget(
            note(self.tr("机构基本情况和备案信息（只读）。编辑和备案范围维护将在后续版本提供。"))
        )
        self.empty = note(self.tr("尚未填写机构信息。"))
        outer.addWidget(self.empty)
        box = QGroupBox(self.tr("基本情况"))
        self.form = QFormLayout(box)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(box)
        outer.addWidget(scroll, 1)
        self.refresh()

    def _rows(self, org: Organisation) -> list[tuple[str, object]]:
        capital = (
            self.tr("{n} 万元").format(n=display_text(org.registered_capital))
            if org.registered_capital is not None
            else None
        )
        return [
            (self.tr("机构名称"), org.name),
            (self.tr("机构类型"), ORG_TYPE_NAMES.get(org.org_type, org.org_type)),
            (self.tr("统一社会信用代码"), org.credit_code),
            (self.tr("备案编码"), org.filing_code),
            (self.tr("省份配置"), _profile_name(org.profile_name)),
            (self.tr("备案层级"), SCOPE_LEVEL_NAMES.get(org.scope_level, org.scope_level)),
            (self.tr("备案日期"), org.filed_on),
            (self.tr("备案有效期至"), org.filing_valid_until),
            (self.tr("地址"), org.address),
            (self.tr("注册登记机构"), org.registration_authority),
            (self.tr("机构性质"), org.nature),
            (self.tr("法定代表人"), org.legal_representative),
            (self.tr("注册资金"), capital),
            (self.tr("联系人"), org.contact_person),
            (self.tr("联系人职务"), org.contact_title),
            (self.tr("联系电话"), org.phone),
            (self.tr("电子邮箱"), org.email),
        ]

    def refresh(self) -> None:
        with self._db.session() as s:
            org = get_organisation(s)
            rows = self._rows(org) if org else []
        while self.form.rowCount():
            self.form.removeRow(0)
        self.empty.setVisible(not rows)
        for label, value in rows:
            field = QLabel(display_text(value) or self.tr("（未填写）"))
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setWordWrap(True)
            self.form.addRow(label + "：", field)
