"""Writing the hash-chained audit log (全程留痕).

Each entry stores the SHA-256 over its own content and the previous entry's hash, and a
digest of the changed row's state as stored after the change; `audit_verify` checks both.
Entries are numbered 1, 2, 3 … without gaps, so a removed entry shows as a break.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import AuditEntry, Base
from app.models.base import utcnow
from app.services.actor import Actor

log = logging.getLogger("skillsite.audit")
GENESIS = "0" * 64
# row_digest of an entry that deleted its row. Entries without a row digest (e.g. viewing a
# person's full ID number) say nothing about the row's state and are ignored by verification.
DELETED = "deleted"
_ID_KEYS = ("id_number", "idno")


def _plain(value: Any) -> Any:
    """A JSON-stable form of a column value, identical on SQLite and PostgreSQL."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    return str(value)


def canonical(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest_of_row(mapping: dict[str, Any]) -> str:
    return hashlib.sha256(
        canonical({k: _plain(v) for k, v in mapping.items()}).encode()
    ).hexdigest()


def _pk(obj: Base) -> tuple[Any, int]:
    """The single integer primary-key column of an audited row, and its value."""
    column = sa_inspect(type(obj)).primary_key[0]
    return column, getattr(obj, column.key)


def stored_row_digest(session: Session, obj: Base) -> str:
    """Digest of the row exactly as the database now stores it (read back inside the transaction)."""
    session.flush()
    column, value = _pk(obj)
    row = session.execute(select(column.table).where(column == value)).mappings().one()
    return digest_of_row(dict(row))


def mask_summary(summary: dict[str, Any] | None) -> dict[str, Any]:
    """ID numbers in a summary are masked: the audit log is read by many, and exported."""
    from app.rules.idcard import mask_id

    out: dict[str, Any] = {}
    for key, value in (summary or {}).items():
        if isinstance(value, dict):
            out[key] = mask_summary(value)
        elif any(k in key for k in _ID_KEYS) and isinstance(value, str):
            out[key] = mask_id(value)
        else:
            out[key] = _plain(value)
    return out


def entry_hash(e: AuditEntry) -> str:
    content = [
        e.id,
        _plain(e.at),
        e.user_id,
        e.username,
        e.action,
        e.entity,
        e.entity_id,
        e.batch_id,
        e.person_id,
        e.summary,
        e.reason,
        e.row_digest,
        e.prev_hash,
    ]
    return hashlib.sha256(canonical(content).encode()).hexdigest()


def _lock_chain(session: Session) -> None:
    # SQLite: every transaction is BEGIN IMMEDIATE (app.db.engine), so appends are serialised.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(735100)"))


def record(
    session: Session,
    actor: Actor,
    action: str,
    obj: Base | None = None,
    *,
    summary: dict[str, Any] | None = None,
    reason: str = "",
    batch_id: int | None = None,
    person_id: int | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    deleted: bool = False,
) -> AuditEntry:
    """Append one audit entry in the caller's transaction.

    `obj` is the changed row (its state after the change is digested); pass `deleted=True`
    after deleting it. Without `obj`, `entity`/`entity_id` may name what the action concerns.
    """
    if obj is not None:
        session.flush()
        entity = obj.__tablename__  # type: ignore[attr-defined]
        entity_id = _pk(obj)[1]
        row_digest = DELETED if deleted else stored_row_digest(session, obj)
        if batch_id is None and entity == "batch":
            batch_id = entity_id
        if person_id is None and entity == "person":
            person_id = entity_id
        batch_id = batch_id if batch_id is not None else getattr(obj, "batch_id", None)
        person_id = person_id if person_id is not None else getattr(obj, "person_id", None)
    else:
        row_digest = None
    _lock_chain(session)
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    entry = AuditEntry(
        id=(last.id + 1) if last else 1,
        at=utcnow(),
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity=entity or "",
        entity_id=entity_id,
        batch_id=batch_id,
        person_id=person_id,
        summary=canonical(mask_summary(summary)) if summary else "",
        reason=reason or "",
        row_digest=row_digest,
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    log.info("audit #%s %s %s#%s by %s %s", entry.id, action, entity or "", entity_id or "", actor.username, entry.summary)
    return entry
