"""The person detail dialog: fields, roles, qualifications with their status, the photo (upload
asks before replacing one), and the full ID number revealed on demand (audited)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.db import Database
from app.errors import SkillSiteError, ValidationError
from app.models import ExaminerQualification, Occupation, Person, StaffRoleEntry, WorkType
from app.models.enums import STAFF_ROLE_NAMES, StaffRole
from app.rules.id_types import ID_TYPES
from app.rules.idcard import mask_id
from app.rules.levels import level_name
from app.services.actor import Actor
from app.services.listing import sees_full_ids
from app.services.people import reveal_id_number
from app.services.permissions import Perm, allowed
from app.services.photo_image import check_photo, read_photo_file
from app.services.photos import (
    GONE_REASON,
    UNREADABLE_REASON,
    get_photo,
    masked_file_name,
    set_photo,
    upload_name_warning,
)
from app.services.roster import (
    EXPIRY_NOTICE_DAYS,
)
from app.services.roster_export import qualification_not_current  # 已过期 / 未生效
from app.ui.errors import show_user_error
from app.ui.models.paged import display_text
from app.ui.pages.people_dialogs import PersonEditDialog

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
                *([(self.tr("出生日期"), p.birth_date)] if sees_full_ids(self.actor) else []),
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
        try:  # a photo that would be refused is refused before any question about replacing
            data = self._read_photo_file(Path(path))
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        if not self._name_fits(Path(path).name):
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

    def _name_fits(self, file_name: str) -> bool:
        """A file whose name says it is somebody else's photo is uploaded only when confirmed."""
        try:
            with self.db.session() as s:
                warning = upload_name_warning(s, self.actor, self.person_id, file_name)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return False
        if warning is None:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("核对照片"),
            warning + self.tr("\n\n请确认选择的是本人的照片。仍要上传吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

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
        """The chosen file's bytes, checked as set_photo will check them (check_photo: format,
        portrait, size); a ValidationError in Chinese when it cannot be read or is unfit, naming
        the file with its ID-like part masked (the name is usually the person's ID number)."""
        shown = masked_file_name(path.name)
        if path.is_dir():  # a folder typed or pasted into the file dialog
            raise ValidationError(
                self.tr(
                    "“{f}”是文件夹，不是照片文件：请选择一张 JPG 或 PNG 照片后重新上传。"
                ).format(f=shown)
            )
        try:
            data = read_photo_file(path)  # (its size checked before it is read)
            check_photo(data)
            return data
        except ValidationError as exc:
            raise ValidationError(
                self.tr("照片“{f}”不合格：{r}。").format(f=shown, r=exc.message)
            ) from None
        except OSError as exc:
            reason = GONE_REASON if isinstance(exc, FileNotFoundError) else UNREADABLE_REASON
            raise ValidationError(
                self.tr("照片文件“{f}”：{r}。").format(f=shown, r=reason)
            ) from None
