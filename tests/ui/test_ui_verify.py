"""核验证书: a genuine payload shows 有效; one changed character shows 无效."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Batch, Organisation
from app.services.certificate_printing import iter_certificate_data, render_env
from app.ui.dialogs import verify_certificate
from app.ui.dialogs.verify_certificate import VerifyCertificateDialog
from tests.ui import test_ui_cert_fixtures as fx

# fixtures shared with the other certificate GUI tests
demo, page = fx.demo, fx.page


def _payload(db, actor) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The QR payload of the first 2026-01 certificate, as the service signs it for printing."""
    with db.session() as s:
        batch = s.scalars(select(Batch).where(Batch.code == "2026-01")).one()
        org = s.get(Organisation, batch.organisation_id)
        env = render_env(s, actor, org)
        cert, data = next(iter_certificate_data(s, batch.id, env))
        return data.qr_payload, cert.number


def test_genuine_payload_is_valid_and_one_change_is_not(qtbot: QtBot, demo) -> None:  # type: ignore[no-untyped-def]
    db, admin = demo
    payload, number = _payload(db, admin)
    dialog = VerifyCertificateDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "公钥指纹" in dialog.key_label.text()

    dialog.input.setText(payload)  # what the scanner types; Enter submits
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert dialog.verdict.text() == "有效"
    assert dialog.isVisible()  # Enter from the scanner never closes the dialog or clicks a button
    assert "#1e8e3e" in dialog.verdict.styleSheet()
    assert dialog.values["number"].text() == number
    assert dialog.values["filing_code"].text() == number[:13]
    assert "*" in dialog.values["id_masked"].text()
    assert dialog.input.selectedText() == payload  # the next scan replaces it

    i = payload.index(number) + len(number) - 1
    changed = payload[:i] + ("0" if payload[i] != "0" else "1") + payload[i + 1 :]
    dialog.input.setText(changed)
    assert dialog.submit() is False
    assert dialog.verdict.text() == "无效"
    assert "#c5221f" in dialog.verdict.styleSheet()
    assert "签名不符" in dialog.reason.text()

    dialog.input.setText("不是证书")
    assert dialog.submit() is False
    assert dialog.verdict.text() == "无效" and "格式不符" in dialog.reason.text()


def test_no_key_yet_and_key_file(qtbot: QtBot, demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, admin = demo
    dialog = VerifyCertificateDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.public_key is None and "还没有证书公钥" in dialog.key_label.text()
    payload, _ = _payload(db, admin)  # creates the organisation's key
    assert dialog.verify_text(payload) is False and dialog.verdict.text() == "无法核验"
    from app.services.signing import export_public_key

    with db.session() as s:
        export_public_key(s, tmp_path / "org.pem")
    dialog.set_public_key_file(tmp_path / "org.pem")
    assert dialog.verify_text(payload) is True and dialog.verdict.text() == "有效"


def test_ctrl_shift_v_on_the_page_opens_it(qtbot: QtBot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[VerifyCertificateDialog] = []
    monkeypatch.setattr(verify_certificate.VerifyCertificateDialog, "exec",
                        lambda self: opened.append(self) or 0)
    page.window().activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.keyClick(page.table, Qt.Key.Key_V,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(opened) == 1
    # Let go of Ctrl+Shift: Qt keeps the last key event's modifiers as "held", and a held Ctrl
    # would turn the next test's selectRow() into a toggle.
    qtbot.keyClick(page.table, Qt.Key.Key_Shift)
    page.buttons["verify"].click()
    assert len(opened) == 2


def test_a_voided_certificate_is_not_valid_at_its_own_site(qtbot: QtBot, demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The signature is still right, but the register says the certificate was voided."""
    from app.services.certificates import reissue_certificate, void_certificate
    from app.services.signing import export_public_key

    db, admin = demo
    payload, number = _payload(db, admin)
    with db.session() as s:
        void_certificate(s, admin, number, "姓名有误")
    with db.session() as s:
        new = reissue_certificate(s, admin, number, "更正后换发")
    dialog = VerifyCertificateDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.verify_text(payload) is False
    assert dialog.verdict.text() == "无效" and "#c5221f" in dialog.verdict.styleSheet()
    assert "作废" in dialog.reason.text() and "姓名有误" in dialog.reason.text()
    assert f"已换发为 {new.number}" in dialog.reason.text()
    assert dialog.values["number"].text() == number  # what the certificate says is still shown
    # Another site holding only the public key cannot know of the void: the signature is valid.
    with db.session() as s:
        export_public_key(s, tmp_path / "org.pem")
    from app.db import open_database

    other = open_database(tmp_path / "other-site")
    try:
        elsewhere = VerifyCertificateDialog(other)
        qtbot.addWidget(elsewhere)
        elsewhere.set_public_key_file(tmp_path / "org.pem")
        assert elsewhere.verify_text(payload) is True
    finally:
        other.dispose()
