"""核验证书: a USB QR scanner types the payload into the box (Enter submits); the decoded fields
and a big 有效 / 无效 are shown, checked offline with the organisation's public key."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError
from app.rules.levels import level_name
from app.services.certificate_register import register_entry
from app.services.signing import (
    Verification,
    fingerprint,
    load_public_key_pem,
    raw_public,
    stored_public_key,
    verify_payload,
)
from app.ui.errors import show_user_error

VALID_STYLE = "font-size: 28pt; font-weight: bold; color: white; background: #1e8e3e; padding: 8px;"
INVALID_STYLE = (
    "font-size: 28pt; font-weight: bold; color: white; background: #c5221f; padding: 8px;"
)
IDLE_STYLE = "font-size: 16pt; color: #555; padding: 8px;"


class VerifyCertificateDialog(QDialog):
    FIELDS = (
        "number",
        "name",
        "level",
        "occupation",
        "work_type",
        "issue_date",
        "id_masked",
        "filing_code",
    )

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("核验证书"))
        self.setMinimumWidth(560)
        self._db = db
        with db.session() as s:
            self.public_key: Ed25519PublicKey | None = stored_public_key(s)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "用扫码枪扫描证书上的二维码（或粘贴二维码中的文字）后按回车。离线核验，不联网。"
                )
            )
        )
        self.input = QLineEdit()
        self.input.setObjectName("payload")
        self.input.setPlaceholderText(self.tr("二维码内容（以 SKC1| 开头）"))
        self.input.returnPressed.connect(self.submit)
        layout.addWidget(self.input)

        self.verdict = QLabel(self.tr("等待扫描"))
        self.verdict.setObjectName("verdict")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setStyleSheet(IDLE_STYLE)
        layout.addWidget(self.verdict)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)

        form = QFormLayout()
        titles = (
            self.tr("证书编号"),
            self.tr("姓名"),
            self.tr("职业技能等级"),
            self.tr("职业名称"),
            self.tr("工种名称"),
            self.tr("发证日期"),
            self.tr("证件号码"),
            self.tr("机构备案编码"),
        )
        self.values: dict[str, QLabel] = {}
        for key, title in zip(self.FIELDS, titles, strict=True):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(title + self.tr("："), value)
        layout.addLayout(form)

        bottom = QHBoxLayout()
        self.key_label = QLabel()
        self.key_label.setWordWrap(True)
        bottom.addWidget(self.key_label, 1)
        self.key_button = QPushButton(self.tr("使用公钥文件(&K)…"))
        self.key_button.setAutoDefault(False)
        self.key_button.clicked.connect(self.choose_key_file)
        bottom.addWidget(self.key_button)
        layout.addLayout(bottom)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("关闭"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_key()
        self.input.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """The scanner ends every code with Enter: it submits, never presses a button."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def _show_key(self) -> None:
        if self.public_key is None:
            self.key_label.setText(
                self.tr(
                    "本数据中还没有证书公钥（首次发证时创建）。核验其他机构的证书请选择其公钥文件。"
                )
            )
        else:
            self.key_label.setText(
                self.tr("公钥指纹：{fp}").format(fp=fingerprint(self.public_key))
            )

    def set_public_key_file(self, path: Path) -> None:
        self.public_key = load_public_key_pem(path.read_bytes())
        self._show_key()

    def choose_key_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择发证机构的公钥文件"), "", self.tr("公钥 (*.pem);;所有文件 (*)")
        )
        if not name:
            return
        try:
            self.set_public_key_file(Path(name))
        except SkillSiteError as exc:
            show_user_error(exc, self)
        except OSError as exc:
            show_user_error(SkillSiteError(self.tr("无法读取公钥文件：{e}").format(e=exc)), self)

    def _is_own_key(self) -> bool:
        """Verifying with this site's own key: its register also knows which were voided."""
        with self._db.session() as s:
            own = stored_public_key(s)
        key = self.public_key
        return own is not None and key is not None and raw_public(own) == raw_public(key)

    def submit(self) -> bool:
        """Verify what is in the box; True when valid. The text stays selected for the next scan."""
        valid = self.verify_text(self.input.text())
        self.input.selectAll()
        return valid

    def verify_text(self, text: str) -> bool:
        for label in self.values.values():
            label.clear()
        if not text.strip():
            self.verdict.setText(self.tr("等待扫描"))
            self.verdict.setStyleSheet(IDLE_STYLE)
            self.reason.clear()
            return False
        if self.public_key is None:
            self.verdict.setText(self.tr("无法核验"))
            self.verdict.setStyleSheet(IDLE_STYLE)
            self.reason.setText(self.tr("没有公钥：请先选择发证机构的公钥文件。"))
            return False
        result = verify_payload(text, self.public_key)
        f = result.fields
        if result.valid and f is not None and self._is_own_key():
            with self._db.session() as s:
                entry = register_entry(s, f.number)
            if entry is not None and entry.voided:
                result = Verification(False, f, entry.voided_message())
        if f is not None:
            shown = {
                "number": f.number,
                "name": f.name,
                "level": level_name(f.level) if 1 <= f.level <= 5 else str(f.level),
                "occupation": f.occupation,
                "work_type": f.work_type or "——",
                "issue_date": f"{f.issue_date.year}年{f.issue_date.month}月{f.issue_date.day}日",
                "id_masked": f.id_masked,
                "filing_code": f.filing_code,
            }
            for key, value in shown.items():
                self.values[key].setText(value)
        if result.valid:
            self.verdict.setText(self.tr("有效"))
            self.verdict.setStyleSheet(VALID_STYLE)
            self.reason.setText(
                self.tr("签名正确：内容与发证机构签发时一致。请核对姓名与持证人证件。")
            )
        else:
            self.verdict.setText(self.tr("无效"))
            self.verdict.setStyleSheet(INVALID_STYLE)
            self.reason.setText(result.reason)
        return result.valid
