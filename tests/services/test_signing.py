"""Signed QR payloads and the signing key: created once in the secret store, audited, exportable."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import keyring
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from keyring.backends.fail import Keyring as FailKeyring
from sqlalchemy import select

from app.errors import SecretStoreError
from app.models import AuditEntry, Setting
from app.services.signing import (
    KEY_NAME,
    SETTING_KEY,
    QrFields,
    export_public_key,
    fingerprint,
    load_public_key_pem,
    load_signer,
    sign_payload,
    stored_public_key,
    verify_payload,
)

FIELDS = QrFields("S000050000017263000046", "王𠇔", 3, "中式烹调师", "", dt.date(2026, 11, 20),
                  "500101**********37")


def test_payload_round_trip_and_every_changed_character_is_invalid() -> None:
    key = Ed25519PrivateKey.generate()
    text = sign_payload(FIELDS, key)
    assert text.startswith("SKC1|S000050000017263000046|王𠇔|3|中式烹调师||20261120|500101**********37|")
    ok = verify_payload(text, key.public_key())
    assert ok.valid and ok.fields == FIELDS and ok.reason == ""
    for i, ch in enumerate(text):
        for repl in {"A", "0", "|", "张"} - {ch}:
            bad = text[:i] + repl + text[i + 1 :]
            assert not verify_payload(bad, key.public_key()).valid, (i, repl)
    assert not verify_payload(text + "A", key.public_key()).valid
    assert not verify_payload(text[:-1], key.public_key()).valid
    other = Ed25519PrivateKey.generate().public_key()
    wrong = verify_payload(text, other)
    assert not wrong.valid and wrong.fields == FIELDS and "签名不符" in wrong.reason


def test_non_canonical_signature_spelling_is_rejected() -> None:
    key = Ed25519PrivateKey.generate()
    text = sign_payload(FIELDS, key)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(text[-1])
    # the last of 86 characters carries 2 bits and 4 spare bits: flip a spare bit
    twin = text[:-1] + alphabet[last ^ 1]
    assert twin != text and not verify_payload(twin, key.public_key()).valid


def test_id_number_is_never_in_the_payload_unmasked() -> None:
    with pytest.raises(Exception, match="不允许的字符"):
        sign_payload(QrFields("S000050000017263000046", "a|b", 3, "x", "", dt.date(2026, 1, 1),
                              "1"), Ed25519PrivateKey.generate())


def test_key_created_once_audited_and_exported(db, admin, tmp_path: Path) -> None:
    with db.session() as s:
        signer = load_signer(s, admin)
    with db.session() as s:
        again = load_signer(s, admin)
        assert again.fingerprint == signer.fingerprint
        assert stored_public_key(s) is not None
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "keys.create")).all()
        assert len(entries) == 1 and signer.fingerprint in entries[0].summary
        assert s.get(Setting, SETTING_KEY).value.startswith("ed25519:")
        out = tmp_path / "pub.pem"
        fp = export_public_key(s, out)
    assert re.fullmatch(r"[0-9A-F]{4}( [0-9A-F]{4}){3}", fp) and fp == signer.fingerprint
    assert fingerprint(load_public_key_pem(out.read_bytes())) == fp
    assert out.read_text().startswith("-----BEGIN PUBLIC KEY-----")


def test_without_a_secret_store_signing_refuses_and_says_why(db, admin, monkeypatch) -> None:
    monkeypatch.delenv("SKILLSITE_KEY_PASSPHRASE", raising=False)
    keyring.set_keyring(FailKeyring())
    with pytest.raises(SecretStoreError, match="安全密钥库"), db.session() as s:
        load_signer(s, admin)


def test_database_key_without_private_key_is_not_replaced(db, admin, _isolated_environment) -> None:
    with db.session() as s:
        first = load_signer(s, admin)
    _isolated_environment.store.clear()  # the private key is gone from this PC's store
    with pytest.raises(SecretStoreError, match="不会自动生成新密钥"), db.session() as s:
        load_signer(s, admin)
    _isolated_environment.set_password("SkillSite", KEY_NAME, "A" * 43 + "=")  # some other key
    with pytest.raises(SecretStoreError, match="不一致"), db.session() as s:
        load_signer(s, admin)
    assert first.fingerprint


def test_keyfile_store_with_a_passphrase(db, admin, monkeypatch) -> None:
    keyring.set_keyring(FailKeyring())
    monkeypatch.setenv("SKILLSITE_KEY_PASSPHRASE", "correct horse battery")
    with db.session() as s:
        a = load_signer(s, admin)
    with db.session() as s:
        assert load_signer(s, admin).fingerprint == a.fingerprint
    assert (db.data_dir / "secrets.enc.json").exists()
    assert KEY_NAME in (db.data_dir / "secrets.enc.json").read_text()
