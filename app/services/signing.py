"""Signed certificate QR payloads (Ed25519) and the signing key's life cycle.

Payload (UTF-8 text, `|`-separated, version first)::

    SKC1|证书编号|姓名|等级代码|职业|工种|发证日期YYYYMMDD|脱敏证件号码|签名

The signature is Ed25519 over the UTF-8 bytes of everything before the last `|`, written as
unpadded base64url (86 characters). The organisation's filing code is positions 1–13 of the
certificate number and the year is positions 14–15, so neither is repeated. The ID number is
only ever carried masked (app.rules.idcard.mask_id).

Keys: the private key lives only in the secret store (`open_secret_store`, name
`cert-signing-key-ed25519`). The public key is also kept in the database, in the `setting`
row `cert_public_key` ("ed25519:" + base64 of the 32 raw bytes): every copy of the data can
verify offline and export it, and a database whose public key does not match the store's
private key is detected instead of silently signing with another key. Creating the key is
audited ("keys.create", with the fingerprint). Creation happens inside the caller's
transaction, which on SQLite is BEGIN IMMEDIATE and on PostgreSQL takes an advisory lock
(app.db.locks), so two processes never create two keys.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.orm import Session

from app.db.locks import SIGNING_KEY as SIGNING_KEY_LOCK
from app.db.locks import lock_for_create
from app.errors import ConfigurationError, SecretStoreError, ValidationError
from app.models import Setting
from app.services.actor import Actor
from app.services.audit import record
from app.services.secrets import SecretStore, open_secret_store

VERSION = "SKC1"
KEY_NAME = "cert-signing-key-ed25519"
SETTING_KEY = "cert_public_key"
_SEP = "|"
_FIELDS = ("number", "name", "level", "occupation", "work_type", "issue_date", "id_masked")


@dataclass(frozen=True)
class QrFields:
    number: str
    name: str
    level: int
    occupation: str
    work_type: str  # "" when none
    issue_date: dt.date
    id_masked: str

    @property
    def filing_code(self) -> str:
        return self.number[:13]

    def parts(self) -> list[str]:
        parts = [self.number, self.name, str(self.level), self.occupation, self.work_type,
                 self.issue_date.strftime("%Y%m%d"), self.id_masked]
        for label, value in zip(_FIELDS, parts, strict=True):
            if _SEP in value or "\n" in value:
                raise ValidationError(f"证书二维码内容“{label}”含有不允许的字符“|”或换行：{value}")
        return parts


@dataclass(frozen=True)
class Verification:
    valid: bool
    fields: QrFields | None
    reason: str  # why invalid (Chinese); "" when valid


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:  # reject non-canonical spellings (spare bits in the last character)
        raise ValueError("non-canonical base64")
    return data


def sign_payload(fields: QrFields, key: Ed25519PrivateKey) -> str:
    body = _SEP.join([VERSION, *fields.parts()])
    return body + _SEP + _b64(key.sign(body.encode("utf-8")))


def parse_payload(text: str) -> QrFields | None:
    parts = text.split(_SEP)
    if len(parts) != len(_FIELDS) + 2 or parts[0] != VERSION:
        return None
    number, name, level, occ, wt, date, masked = parts[1:-1]
    try:
        issue = dt.datetime.strptime(date, "%Y%m%d").date()
    except ValueError:
        return None
    if not (level.isdigit() and len(level) == 1) or len(date) != 8:
        return None
    return QrFields(number, name, int(level), occ, wt, issue, masked)


def verify_payload(text: str, public_key: Ed25519PublicKey) -> Verification:
    """Decode and check a payload; any changed character makes it invalid."""
    text = text.strip("\r\n")
    fields = parse_payload(text)
    if fields is None:
        return Verification(False, None, "格式不符：不是 SkillSite 证书二维码（SKC1）内容，或字段数不对。")
    body, _, sig_text = text.rpartition(_SEP)
    try:
        signature = _unb64(sig_text)
        if len(signature) != 64:
            raise ValueError("length")
        public_key.verify(signature, body.encode("utf-8"))
    except (ValueError, binascii.Error, InvalidSignature):
        return Verification(False, fields, "签名不符：内容被改动，或不是本机构的签名密钥所签发。")
    return Verification(True, fields, "")


# --- keys ----------------------------------------------------------------------------------------


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey) -> str:
    """First 16 hex digits of SHA-256 of the raw public key, in groups of four."""
    h = hashlib.sha256(raw_public(key)).hexdigest()[:16].upper()
    return " ".join(h[i : i + 4] for i in range(0, 16, 4))


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key_pem(data: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise ValidationError(f"公钥文件无法读取（应为 PEM 格式的 Ed25519 公钥）：{exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ValidationError("公钥文件不是 Ed25519 公钥。")
    return key


def _encode_setting(key: Ed25519PublicKey) -> str:
    return "ed25519:" + base64.b64encode(raw_public(key)).decode("ascii")


def stored_public_key(session: Session) -> Ed25519PublicKey | None:
    """The public key kept in the database, or None before the first key was created."""
    row = session.get(Setting, SETTING_KEY)
    if row is None or not row.value:
        return None
    kind, _, b64 = row.value.partition(":")
    if kind != "ed25519":
        raise ConfigurationError(f"数据库中的证书公钥格式无法识别（{kind}）。")
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(b64))


@dataclass(frozen=True)
class Signer:
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign(self, fields: QrFields) -> str:
        return sign_payload(fields, self.private_key)


def data_dir_of(session: Session) -> Path:
    """The data directory of the session's database: the one it was opened for (app.db.engine puts
    it in `session.info`; on PostgreSQL the URL names no folder), else the SQLite file's folder."""
    from app.paths import resolve_data_dir

    opened_for = session.info.get("data_dir")
    if opened_for is not None:
        return Path(opened_for).resolve()
    url = session.get_bind().url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent
    return resolve_data_dir()


def load_signer(
    session: Session, actor: Actor, *, store: SecretStore | None = None, create: bool = True
) -> Signer:
    """The signing key: from the secret store; created there on first use (audited).

    SecretStoreError (with the reason) when there is no secret store or the key is missing.
    """
    store = store or open_secret_store(data_dir_of(session))
    stored_pub = stored_public_key(session)  # starts the transaction: BEGIN IMMEDIATE on SQLite
    if stored_pub is None and lock_for_create(session, SIGNING_KEY_LOCK):
        stored_pub = stored_public_key(session)  # PostgreSQL: another PC may have just created it
    secret = store.get(KEY_NAME)
    if secret is not None:
        try:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(secret))
        except (ValueError, binascii.Error) as exc:
            raise SecretStoreError(f"密钥库中的证书签名密钥已损坏：{exc}。请联系管理员。") from exc
        if stored_pub is not None and raw_public(stored_pub) != raw_public(key.public_key()):
            raise SecretStoreError(
                "密钥库中的证书签名密钥与数据库中登记的公钥（指纹 "
                f"{fingerprint(stored_pub)}）不一致：本机密钥库可能属于另一份数据。"
                "为避免用错误的密钥签发证书，已停止。请联系管理员。"
            )
        if stored_pub is None:
            _store_public(session, actor, key.public_key(), created=False)
        return Signer(key)
    if stored_pub is not None:
        raise SecretStoreError(
            f"数据库已登记证书签名公钥（指纹 {fingerprint(stored_pub)}），但本机{store.description}"
            "中没有对应的私钥：请在原发证电脑上操作，或由管理员恢复密钥。不会自动生成新密钥。"
        )
    if not create:
        raise SecretStoreError("尚未创建证书签名密钥：首次发放证书时会自动创建。")
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    store.set(KEY_NAME, base64.b64encode(raw).decode("ascii"))
    _store_public(session, actor, key.public_key(), created=True)
    return Signer(key)


def _store_public(session: Session, actor: Actor, key: Ed25519PublicKey, *, created: bool) -> None:
    session.add(Setting(key=SETTING_KEY, value=_encode_setting(key)))
    session.flush()
    record(
        session,
        actor,
        "keys.create" if created else "keys.register",
        entity="setting",
        summary={"key": SETTING_KEY, "algorithm": "Ed25519", "fingerprint": fingerprint(key),
                 "store": KEY_NAME},
    )


def export_public_key(session: Session, out: Path) -> str:
    """Write the public key as PEM to `out`; returns its fingerprint."""
    key = stored_public_key(session)
    if key is None:
        raise ValidationError("尚未创建证书签名密钥：首次发放证书时会自动创建，之后才能导出公钥。")
    out.write_bytes(public_key_pem(key))
    return fingerprint(key)
