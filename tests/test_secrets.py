"""The secret store: OS keyring when secure, else a passphrase-encrypted file, else a refusal."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.errors import SecretStoreError
from app.services.secrets import ENV_PASSPHRASE, KEYFILE_NAME, open_secret_store


def test_memory_keyring_is_used(tmp_path: Path, _isolated_environment) -> None:
    store = open_secret_store(tmp_path)
    assert store.kind == "keyring"
    store.set("signing-key", "s3cret")
    assert store.get("signing-key") == "s3cret"
    assert _isolated_environment.store[("SkillSite", "signing-key")] == "s3cret"
    assert not (tmp_path / KEYFILE_NAME).exists()


def test_oversized_secret_refused(tmp_path: Path) -> None:
    with pytest.raises(SecretStoreError, match="过长"):
        open_secret_store(tmp_path).set("big", "x" * 1300)


@pytest.fixture
def no_keyring(monkeypatch):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)


def test_fail_backend_without_passphrase_refuses(tmp_path: Path, no_keyring) -> None:
    with pytest.raises(SecretStoreError, match="没有可用的安全密钥库"):
        open_secret_store(tmp_path)


def test_fail_backend_with_passphrase_uses_encrypted_file(tmp_path: Path, no_keyring, monkeypatch) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, "correct horse battery")
    store = open_secret_store(tmp_path)
    assert store.kind == "keyfile" and "口令" in store.description
    store.set("signing-key", "PRIVATE-KEY-MATERIAL")
    raw = (tmp_path / KEYFILE_NAME).read_text(encoding="utf-8")
    assert "PRIVATE-KEY-MATERIAL" not in raw  # never plaintext
    assert json.loads(raw)["entries"]["signing-key"]
    assert open_secret_store(tmp_path).get("signing-key") == "PRIVATE-KEY-MATERIAL"
    with pytest.raises(SecretStoreError, match="口令不正确"):
        open_secret_store(tmp_path, passphrase="wrong passphrase").get("signing-key")


def test_passphrase_typed_by_the_user_is_used_for_this_run(tmp_path: Path, no_keyring) -> None:
    from app.services.secrets import set_session_passphrase

    with pytest.raises(SecretStoreError, match="8 个字符"):
        set_session_passphrase("short")
    set_session_passphrase("typed by the clerk")
    try:
        store = open_secret_store(tmp_path)
        assert store.kind == "keyfile"
        store.set("k", "v")
        assert open_secret_store(tmp_path).get("k") == "v"
    finally:
        set_session_passphrase(None)
    with pytest.raises(SecretStoreError, match="没有可用的安全密钥库"):
        open_secret_store(tmp_path)
