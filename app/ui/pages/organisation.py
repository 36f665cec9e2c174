"""机构与备案: the 基本情况表 form, the filing code explained, validity, filed scope, catalogue import."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError, ValidationError
from app.services.actor import Actor
from app.services.catalogue import list_occupations
from app.services.organisation import (
    OrgInput,
    check_organisation,
    check_registered_capital,
    get_organisation,
    org_scope_key,
    rename_impact,
    save_organisation,
)
from app.services.organisation_overview import organisation_overview
from app.services.permissions import Perm, allowed
from app.ui.date_text import parse_date
from app.ui.errors import show_user_error
from app.ui.models.paged import display_text
from app.ui.pages.organisation_scope import ScopeBox
from app.ui.pages.table_page import heading, note
from app.ui.widgets.scroll_body import ScrollBody, scrolled
from app.ui.widgets.text_width import fit_text

ORG_TYPE_NAMES = {"Y": "Y — 用人单位", "S": "S — 社会培训评价组织"}
VALIDITY_COLOURS = {
    "valid": "#2e7d32", "auto_renewed": "#2e7d32", "renew_soon": "#b26a00", "expired": "#c62828",
}  # fmt: skip
# The dashboard's urgency wins: a renewal deadline passed is red, as on the dashboard.
URGENCY_COLOURS = {"overdue": "#c62828", "soon": "#b26a00"}
TEXT_FIELDS = (
    ("name", "机构名称"),
    ("address", "地址"),
    ("registration_authority", "注册登记机构"),
    ("nature", "机构性质"),
    ("credit_code", "统一社会信用代码"),
    ("legal_representative", "法定代表人"),
    ("registered_capital", "注册资金（万元）"),
    ("contact_person", "联系人"),
    ("contact_title", "联系人职务"),
    ("phone", "联系电话"),
    ("mobile", "联系人手机"),
    ("email", "电子邮箱"),
    ("website", "网站"),
    ("filing_code", "备案编码"),
    ("filed_on", "备案日期"),
    ("filing_valid_until", "备案有效期至"),
)
DATE_FIELDS = ("filed_on", "filing_valid_until")


class OrganisationPage(QWidget):
    saved = Signal()  # the organisation's 基本情况 were saved (its name may have changed)

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.can_edit = allowed(actor, Perm.EDIT_ORGANISATION)
        self._profile_name = "national"
        self._scope_level = "city"
        self._loaded: dict[str, object] | None = None  # the form as last loaded or saved
        outer = QVBoxLayout(self)
        outer.addWidget(heading(self.tr("机构与备案")))
        outer.addWidget(
            note(
                self.tr("评价机构基本情况表、备案编码、备案有效期和备案范围（职业/工种/等级）。")
                if self.can_edit
                else self.tr("机构基本情况和备案信息（只读：您的角色不能修改）。")
            )
        )
        body = ScrollBody()
        col = QVBoxLayout(body)
        col.addWidget(self._build_form())
        col.addWidget(self._build_filing())
        self.scope = ScopeBox(db, actor, self.can_edit)
        self.scope.changed.connect(self.refresh)
        col.addWidget(self.scope)
        col.addStretch()
        outer.addWidget(scrolled(body), 1)
        self.refresh()

    # --- building -------------------------------------------------------------------------------
    def _build_form(self) -> QGroupBox:
        box = QGroupBox(self.tr("基本情况"))
        grid = QGridLayout(box)
        self.fields: dict[str, QLineEdit] = {}
        self.org_type = QComboBox()
        for code, name in ORG_TYPE_NAMES.items():
            self.org_type.addItem(self.tr(name), code)
        # 机构级别: only where the profile has more than one level scope (Chongqing 全市/区县,
        # 000 一(二)3); filled from the profile in refresh().
        self.scope_level = QComboBox()
        self.scope_level.setObjectName("scope_level")
        self.scope_level_label = QLabel(self.tr("机构级别") + "：")
        self.scope_level_label.setBuddy(self.scope_level)
        forms = (QFormLayout(), QFormLayout())
        for form in forms:
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        # 机构性质: the boxes of the province's 基本情况表, in a list that also takes typed text
        # (free text where the profile has none); its line edit is the field like any other.
        self.nature = QComboBox()
        self.nature.setEditable(True)
        self.nature.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.nature.setEnabled(self.can_edit)
        for i, (key, label) in enumerate(TEXT_FIELDS):
            edit = QLineEdit() if key != "nature" else self.nature.lineEdit()
            edit.setObjectName(key)
            edit.setReadOnly(not self.can_edit)
            if key in DATE_FIELDS:
                edit.setPlaceholderText(self.tr("年-月-日，如 2026-03-01"))
            self.fields[key] = edit
            form = forms[0] if i < 9 else forms[1]
            form.addRow(self.tr(label) + "：", edit if key != "nature" else self.nature)
            if key == "website":
                form.addRow(self.tr("机构类型") + "：", self.org_type)
                form.addRow(self.scope_level_label, self.scope_level)
        self.org_type.setEnabled(self.can_edit)
        self.scope_level.setEnabled(self.can_edit)
        grid.addLayout(forms[0], 0, 0)
        grid.addLayout(forms[1], 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        bar = QHBoxLayout()
        self.form_error = QLabel()
        self.form_error.setObjectName("form_error")
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet("color: #c62828;")
        bar.addWidget(self.form_error, 1)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("修改说明（记入审计日志）"))
        self.reason.setToolTip(self.tr("为什么修改，如：延续备案后按新回执更新有效期"))
        fit_text(self.reason)
        self.reason.setVisible(self.can_edit)
        bar.addWidget(self.reason, 1)  # half the room the error message leaves
        self.save_button = QPushButton(self.tr("保存机构信息(&S)"))
        self.save_button.clicked.connect(self.save)
        self.save_button.setVisible(self.can_edit)
        bar.addWidget(self.save_button)
        grid.addLayout(bar, 1, 0, 1, 2)
        self.fields["filing_code"].textChanged.connect(self._explain_code)
        self.org_type.currentIndexChanged.connect(lambda _i: self._explain_code())
        return box

    def _build_filing(self) -> QGroupBox:
        box = QGroupBox(self.tr("备案编码与有效期"))
        col = QVBoxLayout(box)
        self.code_explained = QLabel()
        self.code_explained.setObjectName("code_explained")
        self.code_explained.setWordWrap(True)
        self.code_explained.setTextFormat(Qt.TextFormat.RichText)
        col.addWidget(self.code_explained)
        self.validity = QLabel()
        self.validity.setObjectName("validity")
        self.validity.setWordWrap(True)
        col.addWidget(self.validity)
        return box

    # --- showing --------------------------------------------------------------------------------
    def _form_state(self) -> dict[str, object]:
        """Each field's value as shown: the text fields, 机构类型 and 机构级别."""
        state: dict[str, object] = {key: edit.text() for key, edit in self.fields.items()}
        state["org_type"] = self.org_type.currentData()
        state["scope_level"] = self.scope_level.currentData()
        return state

    def _edited(self) -> set[str]:
        """The fields the user changed since the form was loaded or saved."""
        if self._loaded is None:
            return set()
        return {k for k, v in self._form_state().items() if self._loaded.get(k) != v}

    def has_unsaved_changes(self) -> bool:
        """The form differs from what was last loaded or saved (typed but not saved)."""
        return bool(self._edited())

    def refresh(self) -> None:
        """Reload from the database. Fields the user has changed and not saved keep what was
        typed (coming back to the page after looking something up elsewhere must not lose it);
        every other field shows what is stored now, saved elsewhere meanwhile or not."""
        edited = self._edited()
        typed = self._form_state()
        with self._db.session() as s:
            org = get_organisation(s)
            values: dict[str, str] = {}
            if org is not None:
                self._profile_name = org.profile_name
                self._scope_level = org_scope_key(org)
                for key, _label in TEXT_FIELDS:
                    values[key] = display_text(getattr(org, key))
                org_type = org.org_type
                overview = organisation_overview(s)
            else:
                org_type, overview = "S", None
            occupations = [
                (o.id, f"{o.code} {o.name}", [(w.id, w.name) for w in o.work_types])
                for o in list_occupations(s)
            ]
        for key, edit in self.fields.items():
            edit.setText(values.get(key, ""))
        self.org_type.setCurrentIndex(max(0, self.org_type.findData(org_type)))
        self._fill_scope_levels()
        self._fill_natures()
        self._loaded = self._form_state()  # as stored
        for key in edited:  # then what the user typed over it
            if key == "org_type":
                self.org_type.setCurrentIndex(max(0, self.org_type.findData(typed[key])))
            elif key == "scope_level":
                self.scope_level.setCurrentIndex(max(0, self.scope_level.findData(typed[key])))
            else:
                self.fields[key].setText(str(typed[key]))
        if self.has_unsaved_changes():
            self.form_error.setText(
                self.tr("基本情况中有尚未保存的修改（已保留）：请核对后点“保存机构信息”。")
            )
        elif overview is not None and overview.record_problems:  # stored before a rule existed
            self.form_error.setText(
                self.tr("机构信息与现行规则不符：") + "；".join(overview.record_problems)
            )
        else:
            self.form_error.clear()
        self._show_validity(overview)
        self.scope.show_scope(overview, occupations)
        self._explain_code()

    def _fill_natures(self) -> None:
        """The profile's 机构性质 choices; the text in the field is kept."""
        rule = self._profile().organisation_form
        edit = self.fields["nature"]
        text = edit.text()
        self.nature.clear()
        self.nature.addItems(list(rule.natures))
        edit.setText(text)
        edit.setPlaceholderText(
            self.tr("请选择：{choices}").format(choices="、".join(rule.natures))
            if rule.natures
            else self.tr("如 社会组织")
        )
        self.nature.setToolTip(self.tr("依据：{source}").format(source=rule.source))

    def _fill_scope_levels(self) -> None:
        """The profile's level scopes (label and levels); hidden when there is nothing to choose."""
        from app.ui.widgets.scope_level import fill_scope_levels

        rule = self._profile().levels
        fill_scope_levels(self.scope_level, self.scope_level_label, rule, self._scope_level)
        self.scope_level.setToolTip(
            self.tr("依据：{source}。改为级别更低的范围前，须先移除备案范围中超出的等级。").format(
                source=rule.source
            )
        )

    def _profile(self):  # type: ignore[no-untyped-def]
        from app.rules.profiles import load_profile

        return load_profile(self._profile_name)

    def _explain_code(self) -> None:
        from app.rules.codes import parse_filing_code

        code = self.fields["filing_code"].text().strip().upper()
        if not code:
            self.code_explained.setText(self.tr("未填写备案编码。"))
            return
        try:
            segments = parse_filing_code(code, self._profile()).segments
        except SkillSiteError as exc:
            self.code_explained.setText(
                f"<span style='color:#c62828'>{html.escape(exc.message)}</span>"
            )
            return
        rows = "".join(
            f"<tr><td>{html.escape(seg.positions)}</td><td>{html.escape(seg.label)}</td>"
            f"<td><b>{html.escape(seg.value)}</b></td><td>{html.escape(seg.meaning)}</td></tr>"
            for seg in segments
        )
        head = "".join(
            f"<th align='left'>{t}</th>"
            for t in (self.tr("位"), self.tr("含义"), self.tr("值"), self.tr("说明"))
        )
        self.code_explained.setText(
            f"<table cellspacing='0' cellpadding='3'><tr>{head}</tr>{rows}</table>"
        )

    def _show_validity(self, overview) -> None:  # type: ignore[no-untyped-def]
        if overview is None:
            self.validity.setText(self.tr("尚未填写机构信息：请先填写并保存基本情况。"))
            self.validity.setStyleSheet("")
            return
        colour = URGENCY_COLOURS.get(overview.validity_urgency or "") or VALIDITY_COLOURS.get(
            overview.validity_status, "#555"
        )
        self.validity.setStyleSheet(f"color: {colour}; font-weight: bold;")
        text = overview.validity_text
        if overview.validity_status in ("renew_soon", "expired"):
            text = self.tr("提醒：") + text
        self.validity.setText(text)

    # --- actions --------------------------------------------------------------------------------

    def gather(self) -> OrgInput:
        text = {k: e.text().strip() for k, e in self.fields.items()}
        if not text["name"]:  # refused here, before any question about a rename
            raise ValidationError(
                self.tr("机构名称不能为空：请填写与备案一致的全称。"), field="name"
            )
        capital = check_registered_capital(text["registered_capital"])
        return OrgInput(
            name=text["name"],
            org_type=self.org_type.currentData(),
            profile_name=self._profile_name,
            scope_level=self.scope_level.currentData() or self._scope_level,
            filing_code=text["filing_code"] or None,
            credit_code=text["credit_code"] or None,
            address=text["address"],
            registration_authority=text["registration_authority"],
            nature=text["nature"],
            legal_representative=text["legal_representative"],
            registered_capital=capital,
            contact_person=text["contact_person"],
            contact_title=text["contact_title"],
            phone=text["phone"],
            mobile=text["mobile"],
            email=text["email"],
            website=text["website"],
            filed_on=parse_date(text["filed_on"], self.tr("备案日期"), "filed_on", "2026-03-01"),
            filing_valid_until=parse_date(
                text["filing_valid_until"],
                self.tr("备案有效期至"),
                "filing_valid_until",
                "2026-03-01",
            ),
        )

    def _confirm_rename(self, new_name: str) -> str | None:
        """The audit reason of a save (None: the user cancelled a rename). A rename with issued
        certificates is confirmed first: their reprints will not match
        the content fixed at issue (certificate_printing.check_content)."""
        with self._db.session() as s:
            impact = rename_impact(s, new_name)
        if impact is None:
            return ""
        old, count = impact
        answer = QMessageBox.question(
            self,
            self.tr("修改机构名称"),
            self.tr(
                "机构名称将由“{old}”改为“{new}”。\n\n已发放的 {n} 本证书上印的是改名前的名称：改名后补打"
                "这些证书，内容将与发证时不一致（补打前的内容核对不会通过）。证书上的机构名称应与"
                "备案公布的名称一致，请确认已办理备案变更。\n\n确定修改机构名称吗？"
            ).format(old=old, new=new_name, n=count),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return self.tr("已在“机构与备案”页面确认改名")

    def _profile_changed_elsewhere(self) -> bool:
        """True (and the 机构级别 choices re-read, the typing kept) when the province profile was
        changed since this page was filled (settings, another PC): saving the page's older
        profile would change it back, and a clerk would be refused for changing it."""
        with self._db.session() as s:
            org = get_organisation(s)
            if org is None or org.profile_name == self._profile_name:
                return False
            self._profile_name, self._scope_level = org.profile_name, org_scope_key(org)
        self._fill_scope_levels()
        self._fill_natures()
        self._explain_code()
        message = self.tr(
            "省份规则已在别处改为“{profile}”：本页已按新规则更新机构级别和备案编码说明，"
            "您填写的内容保留，尚未保存。请核对后再点“保存机构信息”。"
        ).format(profile=self._profile().display_name)
        self.form_error.setText(message)
        QMessageBox.information(self, self.tr("省份规则已更改"), message)
        return True

    def save(self) -> bool:
        if self._profile_changed_elsewhere():
            return False
        # what another PC saved meanwhile stays, in the fields this user did not change
        self.refresh()
        try:
            data = self.gather()
            check_organisation(data)  # a bad field is refused before any question
            renamed = self._confirm_rename(data.name)
            if renamed is None:
                self.form_error.setText(self.tr("未保存：已取消修改机构名称。"))
                self.fields["name"].setFocus()
                return False
            reason = "；".join(t for t in (self.reason.text().strip(), renamed) if t)
            with self._db.session() as s:
                save_organisation(s, self._actor, data, reason)
        except SkillSiteError as exc:
            self.form_error.setText(exc.message)
            field = getattr(exc, "field", None)
            if field in self.fields:
                self.fields[field].setFocus()
            elif field == "scope_level":
                self.scope_level.setFocus()
            show_user_error(exc, self)
            return False
        self._loaded = None  # saved: reload the form as stored (normalised)
        self.reason.clear()
        self.refresh()
        self.form_error.setText("")
        self.saved.emit()
        return True
