"""The person edit form (new or existing person: fields, staff roles, examiner qualifications,
a reason for the audit). Its role and qualification editors live in `person_roles_editor` and
`person_quals_editor`; the detail dialog is `person_detail`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import SkillSiteError, ValidationError
from app.models import Person
from app.models.enums import StaffRole
from app.rules.id_types import ID_TYPES
from app.rules.idcard import mask_id
from app.services.actor import Actor
from app.services.catalogue import list_occupations
from app.services.roster import (
    PersonInput,
    QualificationInput,
    RoleInput,
    add_person,
    update_person,
)
from app.ui.date_text import parse_date
from app.ui.errors import show_user_error
from app.ui.models.paged import display_text
from app.ui.pages.person_quals_editor import QualificationsEditor
from app.ui.pages.person_roles_editor import RolesEditor
from app.ui.widgets.scroll_body import ScrollBody, scrolled


class PersonEditDialog(QDialog):
    """新增人员 (person_id None) or 编辑: the person's fields, staff roles and 考评资格."""

    TEXT = (
        ("name", "姓名"), ("id_number", "证件号码"), ("birth_date", "出生日期"), ("phone", "联系电话"),
        ("employer", "工作单位"), ("education", "学历"), ("city", "所在地市"), ("title", "职称/职务"),
        ("notes", "备注"),
    )  # fmt: skip
    RIGHT_COLUMN = ("employer", "education", "city", "title", "notes")

    def __init__(
        self, db: Database, actor: Actor, person_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.actor, self.person_id = db, actor, person_id
        self.setWindowTitle(self.tr("新增人员") if person_id is None else self.tr("编辑人员"))
        self._default_size()
        layout = QVBoxLayout(self)
        # the fields scroll, the 修改说明, the error and 保存/取消 stay in view on a low screen
        body = ScrollBody()
        fields = QVBoxLayout(body)
        fields.setContentsMargins(0, 0, 0, 0)
        self.scroll = scrolled(body)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from 取消 to 姓名, not to it
        layout.addWidget(self.scroll, 1)
        basic = QGroupBox(self.tr("基本信息"))
        columns = QHBoxLayout(basic)
        left, right = QFormLayout(), QFormLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        self.fields: dict[str, QLineEdit] = {}
        self.id_type = QComboBox()
        for code, name in ID_TYPES.items():
            self.id_type.addItem(f"{code} {name}", code)
        self.gender = QComboBox()
        self.gender.addItem(self.tr("（按证件号码）"), None)
        self.gender.addItem(self.tr("男"), "男")
        self.gender.addItem(self.tr("女"), "女")
        for key, label in self.TEXT:
            edit = QLineEdit()
            edit.setObjectName(key)
            self.fields[key] = edit
            form = right if key in self.RIGHT_COLUMN else left
            if key == "id_number":
                form.addRow(self.tr("证件类型") + "：", self.id_type)
            form.addRow(self.tr(label) + "：", edit)
            if key == "id_number":
                form.addRow(self.tr("性别") + "：", self.gender)
        self.fields["birth_date"].setPlaceholderText(self.tr("居民身份证可不填，如 1990-01-31"))
        fields.addWidget(basic)
        with db.session() as s:
            occupations = [
                (o.id, f"{o.code} {o.name}", [(w.id, w.name) for w in o.work_types])
                for o in list_occupations(s)
            ]
        self.roles_editor = RolesEditor(self)
        self.role_boxes = self.roles_editor.checks
        self.quals_editor = QualificationsEditor(occupations, self)
        self.roles_editor.examiner_toggled.connect(self.quals_editor.set_active)
        self.quals_editor.set_active(False)
        fields.addWidget(self.roles_editor)
        fields.addWidget(self.quals_editor, 1)
        why = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(
            self.tr("记入操作日志，如：2026年考评员名单更新（移除角色或考评资格时必填）")
        )
        why.addRow(self.tr("修改说明(&W)："), self.reason)
        layout.addLayout(why)
        self._loaded: tuple[set[str], set[tuple[int, int | None]]] = (set(), set())
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.setText(self.tr("保存(&S)"))
        self.cancel_button.setText(self.tr("取消"))
        # Enter in a field must not save: no default button, and keyPressEvent drops Enter
        for button in buttons.buttons():
            button.setDefault(False)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.cancel)
        layout.addWidget(buttons)
        self._stored_id: tuple[str, str] | None = None  # (type code, masked number) as stored
        if person_id is not None:
            self._load()
        self._clean = self._state()
        # it scrolls down, not sideways: as wide as the fields need, with room for the scroll bar
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        self.scroll.setMinimumWidth(body.minimumSizeHint().width() + bar)

    def _default_size(self) -> None:
        """900×680, lower on a screen that has not the room (1366×768 with a taskbar)."""
        height = 680
        if self.screen() is not None:
            height = min(height, self.screen().availableGeometry().height() - 80)
        self.resize(900, max(height, 480))

    # --- unsaved changes, Enter and Esc ---------------------------------------------------------
    def _state(self) -> tuple[object, ...]:
        """Everything the form shows, to tell whether the user changed anything."""
        return (
            tuple(edit.text() for edit in self.fields.values()),
            self.id_type.currentIndex(),
            self.gender.currentIndex(),
            self.reason.text(),
            self.roles_editor.state(),
            self.quals_editor.state(),
        )

    def _may_discard(self) -> bool:
        if self._state() == self._clean:
            return True
        answer = QMessageBox.question(
            self,
            self.windowTitle(),
            self.tr(
                "放弃未保存的修改？\n点“是”放弃修改并关闭；点“否”回到表单，再点“保存”保存修改。"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        """取消 or Esc: close, after asking if there are unsaved changes."""
        if self._may_discard():
            self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter in a field (a phone number half typed…) must not save and close; a focused
            # button handles Enter itself before this
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Cancel):
            event.accept()
            self.cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # the window's close button (spontaneous) asks too; closing from code does not
        if event.spontaneous() and not self._may_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def _load(self) -> None:
        with self.db.session() as s:
            p = s.get(Person, self.person_id)
            if p is None:
                raise ValidationError(self.tr("该人员已不存在。"))
            for key, _label in self.TEXT:
                if key != "id_number":
                    self.fields[key].setText(display_text(getattr(p, key)))
            self.fields["id_number"].setPlaceholderText(
                self.tr("{m}（不改请留空）").format(m=mask_id(p.id_number))
            )
            self.id_type.setCurrentIndex(max(0, self.id_type.findData(p.id_type)))
            self._stored_id = (p.id_type, mask_id(p.id_number))
            self.gender.setCurrentIndex(max(0, self.gender.findData(p.gender)))
            roles = [
                RoleInput(
                    r.role,
                    r.duties,
                    r.specialty,
                    r.in_house,
                    r.agreement_on_file,
                    r.agreement_until,
                )
                for r in p.roles
            ]
            quals = [
                QualificationInput(
                    q.occupation_id,
                    q.max_level,
                    q.work_type_id,
                    q.certificate_no,
                    q.valid_from,
                    q.valid_until,
                )
                for q in sorted(p.qualifications, key=lambda q: q.id)
            ]
        self._loaded = (
            {r.role for r in roles},
            {(q.occupation_id, q.work_type_id) for q in quals},
        )
        self.roles_editor.set_roles(roles)
        self.quals_editor.set_qualifications(quals)
        self.quals_editor.set_active(self.roles_editor.is_checked(StaffRole.EXAMINER.value))

    def gather(
        self, session: Session, stored_number: str | None = None
    ) -> tuple[PersonInput, list[RoleInput], list[QualificationInput]]:
        t = {k: e.text().strip() for k, e in self.fields.items()}
        number = t["id_number"] or stored_number
        if not number:
            raise ValidationError(self.tr("请填写证件号码。"), field="id_number")
        if not t["name"]:
            raise ValidationError(self.tr("请填写姓名。"), field="name")
        data = PersonInput(
            name=t["name"], id_number=number, id_type=self.id_type.currentData(),
            gender=self.gender.currentData(),
            birth_date=parse_date(t["birth_date"], self.tr("出生日期"), "birth_date"),
            phone=t["phone"], employer=t["employer"], education=t["education"], city=t["city"],
            title=t["title"], notes=t["notes"],
        )  # fmt: skip
        roles = self.roles_editor.roles()
        # only examiners hold qualifications: without the role the rows are not saved (and the
        # stored ones are removed, after `_confirm_removed_qualifications`)
        examiner = self.roles_editor.is_checked(StaffRole.EXAMINER.value)
        quals = self.quals_editor.qualifications(session) if examiner else []
        return data, roles, quals

    def _check_reason(
        self, roles: list[RoleInput], quals: list[QualificationInput], reason: str
    ) -> None:
        """Removing a role or a qualification needs a reason, as every removal does."""
        old_roles, old_quals = self._loaded
        removed = old_roles - {r.role for r in roles} or old_quals - {
            (q.occupation_id, q.work_type_id) for q in quals
        }
        if removed and not reason:
            raise ValidationError(
                self.tr("本次保存将移除角色或考评资格：请在“修改说明”中写明原因。"),
                field="reason",
            )

    def _confirm_removed_qualifications(self) -> bool:
        """Unticking 考评员 removes the stored qualifications: say how many, and ask."""
        stored = self._loaded[1]
        if not stored or self.roles_editor.is_checked(StaffRole.EXAMINER.value):
            return True
        answer = QMessageBox.question(
            self,
            self.tr("移除考评资格"),
            self.tr(
                "未勾选“考评员”角色：保存后，此人已登记的 {n} 条考评资格将被删除（记入操作日志）。"
                "\n确定保存吗？要保留这些资格，请点“否”，再勾选“考评员”。"
            ).format(n=len(stored)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _explain_id_error(self, exc: SkillSiteError) -> SkillSiteError:
        """Only the 证件类型 was changed: the number checked is the stored one, not typed here."""
        if (
            self._stored_id is None
            or self.fields["id_number"].text().strip()
            or getattr(exc, "field", None) != "id_number"
        ):
            return exc
        old_type, masked = self._stored_id
        new_type = self.id_type.currentData()
        if new_type == old_type:
            return exc
        new_name, old_name = ID_TYPES.get(new_type, new_type), ID_TYPES.get(old_type, old_type)
        return ValidationError(
            self.tr(
                "证件类型已改为“{new}”，但证件号码未重新填写，仍是原来的{old}号码 {masked}：{e}\n"
                "请在“证件号码”中重新填写{new}号码，或把证件类型改回“{old}”。"
            ).format(new=new_name, old=old_name, masked=masked, e=exc.message),
            field="id_number",
        )

    def save(self) -> None:
        """Write the person, the complete role set and the complete qualification set in one
        transaction; any error leaves everything as it was and keeps the dialog open."""
        reason = self.reason.text().strip()
        try:
            with self.db.session() as s:  # read and check (no question asked inside a session)
                stored = None
                if self.person_id is not None:
                    person = s.get(Person, self.person_id)
                    stored = person.id_number if person else None
                data, roles, quals = self.gather(s, stored)
                if self.person_id is not None:
                    self._check_reason(roles, quals, reason)
            if not self._confirm_removed_qualifications():
                return
            with self.db.session() as s:
                if self.person_id is None:
                    add_person(s, self.actor, data, roles, quals, reason=reason)
                else:
                    update_person(s, self.actor, self.person_id, data, roles, quals, reason=reason)
        except SkillSiteError as exc:
            exc = self._explain_id_error(exc)
            self.error.setText(exc.message)
            self._focus(getattr(exc, "field", None))
            show_user_error(exc, self)
            return
        self.accept()

    def _focus(self, field: str | None) -> None:
        if field == "reason":
            self.reason.setFocus()
        elif field in self.fields:
            self.fields[field].setFocus()
        elif not self.roles_editor.focus_field(field):
            self.quals_editor.focus_field(field)
        focused = self.focusWidget()  # scrolled out of view on a low screen: bring it in
        if focused is not None and self.scroll.isAncestorOf(focused):
            self.scroll.ensureWidgetVisible(focused)
