"""设置 › 系统 › 准考证号格式: how admission numbers are made (`enrolment.admission_pattern`),
with the first number it gives shown as it is typed. Saved by whoever may manage settings."""

from __future__ import annotations

from PySide6.QtWidgets import (
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
from app.errors import SkillSiteError
from app.services.actor import Actor
from app.services.enrolment import admission_example, admission_pattern, set_admission_pattern
from app.services.permissions import Perm, allowed
from app.ui.errors import show_user_error


class AdmissionPatternBox(QGroupBox):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("准考证号格式"), parent)
        self._db, self._actor = db, actor
        self.pattern = QLineEdit()
        self.pattern.setObjectName("admission_pattern")
        self.pattern.setMaxLength(60)
        self.pattern.setToolTip(
            self.tr(
                "可用字段：{code}（批次编号去掉“-”）、{batch_code}、{year}、{level}、"
                "{seq}（序号，补零写作 {seq:04d}）。已发的准考证号不变，新格式用于此后报名的考生。"
            )
        )
        self.example = QLabel()
        self.example.setObjectName("admission_example")
        self.example.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存格式(&A)"))
        self.save_button.setObjectName("save_admission_pattern")
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("格式：")))
        row.addWidget(self.pattern, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.example)
        can = allowed(actor, Perm.MANAGE_SETTINGS)
        self.pattern.setReadOnly(not can)
        self.save_button.setVisible(can)
        self.pattern.textChanged.connect(self._show_example)
        self.refresh()

    def refresh(self) -> None:
        with self._db.session() as s:
            self.pattern.setText(admission_pattern(s))

    def _show_example(self) -> None:
        try:
            first = admission_example(self.pattern.text())
        except SkillSiteError as exc:
            self.example.setText(exc.message)
            self.example.setStyleSheet("color: #b00020;")
            self.save_button.setEnabled(False)
            return
        self.example.setText(self.tr("例：批次 2026-06 的第 1 名考生为 {n}").format(n=first))
        self.example.setStyleSheet("")
        self.save_button.setEnabled(True)

    def save(self) -> None:
        try:
            with self._db.session() as s:
                set_admission_pattern(s, self._actor, self.pattern.text())
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        QMessageBox.information(self, self.tr("准考证号格式"), self.tr("已保存。"))
