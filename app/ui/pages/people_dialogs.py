"""The person detail dialog (fields, roles, qualifications, photo, audited full ID) and the edit form.

The edit form's role and qualification editors live in `person_roles_editor` and
`person_quals_editor`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import SkillSiteError, ValidationError
from app.models import ExaminerQualification, Occupation, Person, StaffRoleEntry, WorkType
from app.models.enums import STAFF_ROLE_NAMES, StaffRole
from app.rules.id_types import ID_TYPES
from app.rules.idcard import mask_id
from app.rules.levels import level_name
from app.services.actor import Actor
from app.services.catalogue import list_occupations
from app.services.listing import birth_date_shown
from app.services.people import reveal_id_number
from app.services.permissions import Perm, allowed
from app.services.photo_image import read_photo_file
from app.services.photos import (
    GONE_REASON,
    UNREADABLE_REASON,
    get_photo,
    masked_file_name,
    set_photo,
)
from app.services.roster import (
    EXPIRY_NOTICE_DAYS,
    PersonInput,
    QualificationInput,
    RoleInput,
    add_person,
    update_person,
)
from app.services.roster_export import qualification_not_current  # 已过期 / 未生效
from app.ui.date_text import parse_date
from app.ui.errors import show_user_error
from app.ui.models.paged import display_text
from app.ui.pages.person_quals_editor import QualificationsEditor
from app.ui.pages.person_roles_editor import RolesEditor
from app.ui.widgets.scroll_body import ScrollBody, scrolled

PHOTO_SIZE = (132, 176)  # 2-inch photo shown at about 1:1 on screen


class PersonDetailDialog(QDialog):
    def __init__(
        self, db: Database, actor: Actor, person_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.actor, self.person_id = db, actor, person_id
        self.changed = False
        self.setWindowTitle(self.tr("人员详情"))
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.photo = QLabel()
        self.photo.setObjectName("photo")
        self.photo.setFixedSize(*PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet("border: 1px solid #bbb; color: #777;")
        top.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        self.form = QFormLayout()
        top.addLayout(self.form, 1)
        layout.addLayout(top)
        self.roles = QLabel()
        self.roles.setObjectName("roles")
        self.roles.setWordWrap(True)
        self.roles.setTextFormat(Qt.TextFormat.PlainText)
        self.quals = QLabel()
        self.quals.setObjectName("qualifications")
        self.quals.setWordWrap(True)
        self.quals.setTextFormat(Qt.TextFormat.PlainText)
        for title, label in (
            (self.tr("工作人员角色"), self.roles),
            (self.tr("考评资格"), self.quals),
        ):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(label)
            layout.addWidget(box)
        layout.addStretch()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        self.reveal_button = QPushButton(self.tr("显示完整证件号码(&V)"))
        self.reveal_button.setObjectName("reveal")
        self.reveal_button.clicked.connect(self.reveal)
        self.edit_button = QPushButton(self.tr("编辑(&E)…"))
        self.photo_button = QPushButton(self.tr("上传照片(&P)…"))
        self.edit_button.clicked.connect(self.edit)
        self.photo_button.clicked.connect(self.upload_photo)
        for button in (self.reveal_button, self.edit_button, self.photo_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        # after addButton (which shows the button): hide what the role cannot do
        self.reveal_button.setVisible(allowed(actor, Perm.VIEW_FULL_ID))
        for button in (self.edit_button, self.photo_button):
            button.setVisible(allowed(actor, Perm.EDIT_ROSTER))
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        with self.db.session() as s:
            p = s.get(Person, self.person_id)
            if p is None:
                raise ValidationError(self.tr("该人员已不存在。"))
            occ = dict(s.execute(select(Occupation.id, Occupation.name)).tuples().all())
            wts = dict(s.execute(select(WorkType.id, WorkType.name)).tuples().all())
            rows = [
                (self.tr("姓名"), p.name),
                (self.tr("证件类型"), ID_TYPES.get(p.id_type, p.id_type)),
                (self.tr("证件号码"), mask_id(p.id_number)),
                (self.tr("性别"), p.gender),
                # digits 7–14 of a resident ID number, the very digits the mask hides
                *([(self.tr("出生日期"), p.birth_date)] if birth_date_shown(self.actor) else []),
                (self.tr("联系电话"), p.phone),
                (self.tr("工作单位"), p.employer),
                (self.tr("学历"), p.education),
                (self.tr("所在地市"), p.city),
                (self.tr("职称/职务"), p.title),
                (self.tr("备注"), p.notes),
            ]
            order = list(StaffRole)
            roles = [self._role_text(r) for r in sorted(p.roles, key=lambda r: order.index(r.role))]
            quals = [
                self._qual_text(q, occ, wts) for q in sorted(p.qualifications, key=lambda q: q.id)
            ]
            photo = get_photo(s, p.id)
            data = bytes(photo.data) if photo else None
        while self.form.rowCount():
            self.form.removeRow(0)
        self.id_label = QLabel()
        for label, value in rows:
            field = QLabel(display_text(value) or "—")
            field.setTextFormat(Qt.TextFormat.PlainText)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            # long 工作单位/备注 (up to 200 characters) wrap instead of widening the dialog
            field.setWordWrap(True)
            if label == self.tr("证件号码"):
                self.id_label = field
                field.setObjectName("id_number")
            self.form.addRow(label + "：", field)
        # the number is shown masked again (after 编辑 or 上传照片): it may be revealed again
        self.reveal_button.setEnabled(True)
        self.roles.setText("\n".join(roles) or self.tr("（无：考生）"))
        self.quals.setText("\n".join(quals) or self.tr("（无）"))
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.photo.setPixmap(
                pixmap.scaled(
                    self.photo.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.photo.setText(self.tr("无照片"))
        self.has_photo = bool(data) and not pixmap.isNull()
        self._fit_height()

    def _fit_height(self) -> None:
        """Tall enough for the wrapped texts at the current width (a top-level dialog does not
        grow by itself for word-wrapped labels), but no taller than the screen."""
        layout = self.layout()
        layout.activate()
        need = self.heightForWidth(self.width())
        screen = self.screen().availableGeometry().height() if self.screen() else need
        if need > self.height():
            self.resize(self.width(), max(self.height(), min(need, screen - 40)))

    def _role_text(self, r: StaffRoleEntry) -> str:
        """One line per role: 专家（专业方向：电气自动化；非本单位，协议已签，至 2027-12-31）."""
        parts = []
        if r.duties:
            parts.append(self.tr("工作职责：{t}").format(t=r.duties))
        if r.specialty:
            parts.append(self.tr("专业方向：{t}").format(t=r.specialty))
        if not r.in_house:
            agreement = self.tr("协议已签") if r.agreement_on_file else self.tr("无协议")
            if r.agreement_on_file and r.agreement_until:  # an end date needs an agreement
                agreement += self.tr("，至 {d}").format(d=r.agreement_until.isoformat())
            parts.append(self.tr("非本单位，{a}").format(a=agreement))
        name = self.tr(STAFF_ROLE_NAMES[StaffRole(r.role)])
        return name + (f"（{'；'.join(parts)}）" if parts else "")

    def _qual_status(self, q: ExaminerQualification, today: dt.date) -> str:
        """The status shown before a qualification: 已过期 or 未生效 as the exported roster marks
        it, "60 天内到期：还有 N 天" within the roster warnings' notice period; "" while valid."""
        status, _when = qualification_not_current(q, today)
        if status:
            return status
        if q.valid_until is None:
            return ""
        days = (q.valid_until - today).days
        if days == 0:
            return self.tr("今天到期")
        if days <= EXPIRY_NOTICE_DAYS:
            return self.tr("{n} 天内到期：还有 {d} 天").format(n=EXPIRY_NOTICE_DAYS, d=days)
        return ""

    def _qual_text(self, q: ExaminerQualification, occ: dict[int, str], wts: dict[int, str]) -> str:
        """电工（维修电工）：最高 三级/高级工，证书 K123，有效期 2024-01-01 至 2029-12-31, with
        its status first when it is not plainly valid: 【已过期】电工…"""
        status = self._qual_status(q, dt.date.today())
        text = f"【{status}】" if status else ""
        text += occ.get(q.occupation_id, "")
        if q.work_type_id:
            text += f"（{wts.get(q.work_type_id, '')}）"
        text += self.tr("：最高 {level}").format(level=level_name(q.max_level))
        if q.certificate_no:
            text += self.tr("，证书 {no}").format(no=q.certificate_no)
        if q.valid_from and q.valid_until:
            text += self.tr("，有效期 {a} 至 {b}").format(
                a=q.valid_from.isoformat(), b=q.valid_until.isoformat()
            )
        elif q.valid_until:
            text += self.tr("，有效期至 {b}").format(b=q.valid_until.isoformat())
        elif q.valid_from:
            text += self.tr("，自 {a} 起有效").format(a=q.valid_from.isoformat())
        return text

    def reveal(self) -> None:
        try:
            with self.db.session() as s:
                number = reveal_id_number(s, self.actor, self.person_id, purpose="人员详情查看")
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self.id_label.setText(number)
        self.reveal_button.setEnabled(False)

    def edit(self) -> None:
        dialog = PersonEditDialog(self.db, self.actor, self.person_id, self)
        if dialog.exec():
            self.changed = True
            self.load()

    def upload_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择照片"), "", self.tr("照片 (*.jpg *.jpeg *.png)")
        )
        if not path:
            return
        try:
            data = self._read_photo_file(Path(path))
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        if self.has_photo and not self._confirm_replace_photo():
            return
        try:
            with self.db.session() as s:
                set_photo(s, self.actor, self.person_id, data, Path(path).name)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        self.changed = True
        self.load()

    def _confirm_replace_photo(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("替换照片"),
            self.tr("此人已有照片，确定用新照片替换吗？\n点“否”保留原照片。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _read_photo_file(self, path: Path) -> bytes:
        """The chosen file's bytes; a ValidationError in Chinese when it cannot be read, naming
        the file with its ID-like part masked (the name is usually the person's ID number)."""
        shown = masked_file_name(path.name)
        if path.is_dir():  # a folder typed or pasted into the file dialog
            raise ValidationError(
                self.tr(
                    "“{f}”是文件夹，不是照片文件：请选择一张 JPG 或 PNG 照片后重新上传。"
                ).format(f=shown)
            )
        try:
            return read_photo_file(path)  # (its size checked before it is read)
        except ValidationError as exc:
            raise ValidationError(
                self.tr("照片“{f}”不合格：{r}。").format(f=shown, r=exc.message)
            ) from None
        except OSError as exc:
            reason = GONE_REASON if isinstance(exc, FileNotFoundError) else UNREADABLE_REASON
            raise ValidationError(
                self.tr("照片文件“{f}”：{r}。").format(f=shown, r=reason)
            ) from None


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
