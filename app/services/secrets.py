"""Secrets (e.g. the certificate signing key) in the OS keyring — every keyring call is here.

Order: a secure OS keyring (Windows Credential Manager, macOS Keychain, Secret Service); where
there is none (keyring's fail backend, a plaintext backend, a headless server) an encrypted key
file whose key is derived by scrypt from a passphrase the user enters or
SKILLSITE_KEY_PASSPHRASE supplies; with neither, features that need a secret refuse and say why.
A secret is never stored in plaintext.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

import keyring
from keyring.errors import KeyringError

from app.errors import SecretStoreError

SERVICE = "SkillSite"
ENV_PASSPHRASE = "SKILLSITE_KEY_PASSPHRASE"
KEYFILE_NAME = "secrets.enc.json"
# Windows Credential Manager holds about 1,280 characters per secret: stay well below.
MAX_SECRET_CHARS = 1000
_INSECURE_BACKENDS = ("fail", "null", "plaintext", "uncrypted", "unencrypted", "chainer")


def _secure_keyring() -> keyring.backend.KeyringBackend | None:
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}".lower()
    try:
        priority = float(backend.priority)  # type: ignore[arg-type]
    except Exception:
        priority = 0.0
    if priority <= 0 or any(word in name for word in _INSECURE_BACKENDS) or "keyrings.alt" in name:
        # A chainer is acceptable only when it chains a secure backend.
        if "chainer" in name:
            backends = getattr(backend, "backends", [])
            if any(float(getattr(b, "priority", 0)) > 0 and "fail" not in type(b).__module__ for b in backends):
                return backend
        return None
    return backend


@dataclass
class SecretStore:
    kind: str  # "keyring" or "keyfile"
    description: str
    _keyfile: Path | None = None
    _passphrase: str | None = None
    _data: dict | None = None  # type: ignore[type-arg]
    _key: object = None

    def get(self, name: str) -> str | None:
        if self.kind == "keyring":
            try:
                return keyring.get_password(SERVICE, name)
            except KeyringError as exc:
                raise SecretStoreError(f"读取系统密钥库失败：{exc}。请检查系统凭据管理器是否可用。") from exc
        entries = self._read_entries()
        token = entries.get(name)
        return None if token is None else self._fernet().decrypt(token.encode()).decode()

    def set(self, name: str, value: str) -> None:
        if len(value) > MAX_SECRET_CHARS:
            raise SecretStoreError(f"密钥内容过长（{len(value)} 个字符），系统凭据管理器每项最多约 1280 个字符。")
        if self.kind == "keyring":
            try:
                keyring.set_password(SERVICE, name, value)
            except KeyringError as exc:
                raise SecretStoreError(f"写入系统密钥库失败：{exc}。") from exc
            return
        entries = self._read_entries()
        entries[name] = self._fernet().encrypt(value.encode()).decode()
        self._write_entries(entries)

    def delete(self, name: str) -> None:
        if self.kind == "keyring":
            try:
                keyring.delete_password(SERVICE, name)
            except KeyringError:
                pass
            return
        entries = self._read_entries()
        entries.pop(name, None)
        self._write_entries(entries)

    # --- encrypted key file ------------------------------------------------------------
    def _load(self) -> dict:  # type: ignore[type-arg]
        assert self._keyfile is not None
        if self._data is None:
            if not self._keyfile.exists():
                self._data = {"version": 1, "salt": base64.b64encode(os.urandom(16)).decode(), "entries": {}}
            else:
                try:
                    self._data = json.loads(self._keyfile.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise SecretStoreError(f"密钥文件 {self._keyfile} 已损坏或无法读取：{exc}。") from exc
        return self._data

    def _fernet(self):  # type: ignore[no-untyped-def]
        import hashlib

        from cryptography.fernet import Fernet

        if self._key is None:
            salt = base64.b64decode(self._load()["salt"])
            raw = hashlib.scrypt(self._passphrase.encode(), salt=salt, n=2**15, r=8, p=1,  # type: ignore[union-attr]
                                 maxmem=128 * 1024 * 1024, dklen=32)
            self._key = Fernet(base64.urlsafe_b64encode(raw))
        return self._key

    def _read_entries(self) -> dict[str, str]:
        from cryptography.fernet import InvalidToken

        data = self._load()
        entries = data["entries"]
        check = data.get("check")
        if check:
            try:
                self._fernet().decrypt(check.encode())
            except InvalidToken:
                raise SecretStoreError("密钥文件口令不正确：请输入创建密钥文件时设置的口令。") from None
        return dict(entries)

    def _write_entries(self, entries: dict[str, str]) -> None:
        assert self._keyfile is not None
        data = self._load()
        data["entries"] = entries
        data["check"] = self._fernet().encrypt(b"skillsite").decode()
        tmp = self._keyfile.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        tmp.replace(self._keyfile)


_session_passphrase: str | None = None


def secure_keyring_available() -> bool:
    return _secure_keyring() is not None


def set_session_passphrase(passphrase: str | None) -> None:
    """The key-file passphrase a user typed in, kept in memory for this run of the program only."""
    global _session_passphrase
    if passphrase is not None and len(passphrase) < 8:
        raise SecretStoreError("密钥文件口令至少需要 8 个字符。")
    _session_passphrase = passphrase


def open_secret_store(data_dir: Path, passphrase: str | None = None) -> SecretStore:
    """The secret store to use, or SecretStoreError saying why there is none."""
    backend = _secure_keyring()
    if backend is not None:
        return SecretStore("keyring", f"系统密钥库（{type(backend).__name__}）")
    passphrase = passphrase or _session_passphrase or os.environ.get(ENV_PASSPHRASE)
    if passphrase:
        if len(passphrase) < 8:
            raise SecretStoreError("密钥文件口令至少需要 8 个字符。")
        return SecretStore(
            "keyfile", f"加密密钥文件（{data_dir / KEYFILE_NAME}，口令保护）", data_dir / KEYFILE_NAME, passphrase
        )
    raise SecretStoreError(
        "本机没有可用的安全密钥库（系统凭据管理器），也未提供密钥文件口令，无法保存或读取签名密钥。"
        f"请在界面中输入密钥文件口令，或设置环境变量 {ENV_PASSPHRASE} 后重试。"
    )


def describe_secret_store(data_dir: Path) -> str:
    """A sentence for the settings page: which store is in use, or why none is."""
    try:
        return "密钥存储：" + open_secret_store(data_dir).description
    except SecretStoreError as exc:
        return "密钥存储不可用：" + exc.message
