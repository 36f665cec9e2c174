"""Writing the hash-chained audit log (全程留痕).

Each entry stores the SHA-256 over its own content and the previous entry's hash, and a
digest of the changed row's state as stored after the change; `audit_verify` checks both.
Entries are numbered 1, 2, 3 … without gaps, so a removed entry shows as a break.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, Final

from sqlalchemy import Column, Table, event, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from app.db.bulk import insert_many
from app.gc_pause import paused_gc
from app.models import AuditEntry, Base
from app.models.base import utcnow
from app.rules.idcard import mask_id
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


@functools.lru_cache(maxsize=64)  # a bulk write stamps thousands of rows with the same times
def _iso_naive(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def _iso_seconds(value: dt.datetime) -> str:
    if value.tzinfo is None:  # (aware times equal across zones would share a cache entry)
        return _iso_naive(value)
    return value.replace(tzinfo=None).isoformat(timespec="seconds")


# Exact-type fast paths of _plain for the row digests (thousands per import); anything else
# (subclasses, Decimal, bytes …) goes through _plain itself, so the result is identical.
_PASS: Final = frozenset({type(None), bool, int, str})
_CONVERT: Final[dict[type, Callable[[Any], Any]]] = {
    dt.datetime: _iso_seconds,
    dt.date: dt.date.isoformat,
}


def _canonical_encoder() -> Callable[[Any], str]:
    """Canonical JSON text: sorted keys, no spaces, non-ASCII kept as is.

    `json.JSONEncoder.encode` builds a new C encoder on every call, which is a third of the cost
    of encoding a small row; thousands of rows per import are encoded twice each (row digest and
    entry hash), so the C encoder is built once here. The output is the standard encoder's, byte
    for byte (tests compare the two); without the C accelerator the standard encoder is used.
    """
    standard = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return standard.encode
    # (markers, default, encoder, indent, key_separator, item_separator, sort_keys, skipkeys,
    # allow_nan) — no circular-reference markers: audited values are plain and acyclic.
    one_shot = make(
        None, standard.default, json.encoder.encode_basestring, None, ":", ",", True, False, True
    )
    join = "".join

    def encode(obj: Any) -> str:
        return join(one_shot(obj, 0))

    return encode


_encode = _canonical_encoder()


def canonical(obj: Any) -> str:
    return _encode(obj)


def digest_of_row(mapping: Mapping[str, Any]) -> str:
    plain = {
        k: v if type(v) in _PASS else _CONVERT.get(type(v), _plain)(v) for k, v in mapping.items()
    }
    return hashlib.sha256(_encode(plain).encode()).hexdigest()


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


def _masked(key: str, value: Any) -> Any:
    if isinstance(value, str):
        return mask_id(value) if (_ID_KEYS[0] in key or _ID_KEYS[1] in key) else value
    if isinstance(value, dict):
        return mask_summary(value)
    if isinstance(value, list | tuple):  # a JSON list, each item as its key says
        return [_masked(key, item) for item in value]
    return value if type(value) in _PASS else _plain(value)


def mask_summary(summary: dict[str, Any] | None) -> dict[str, Any]:
    """ID numbers in a summary are masked: the audit log is read by many, and exported."""
    return {key: _masked(key, value) for key, value in (summary or {}).items()}


# The columns an entry's hash covers, in this order ("at" as ISO text, to the second).
_HASHED: Final = (
    "id", "at", "user_id", "username", "action", "entity", "entity_id", "batch_id",
    "person_id", "summary", "reason", "row_digest", "prev_hash",
)  # fmt: skip


def _hash_of(values: list[Any]) -> str:
    return hashlib.sha256(_encode(values).encode()).hexdigest()


def entry_hash(e: AuditEntry | SimpleNamespace) -> str:
    """The chained hash of an entry: its content and the previous entry's hash."""
    values = [getattr(e, k) for k in _HASHED]
    values[1] = _plain(values[1])
    return _hash_of(values)


def _lock_chain(session: Session) -> None:
    # SQLite: every transaction is BEGIN IMMEDIATE (app.db.engine), so appends are serialised.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(735100)"))


@dataclass(slots=True)
class _Pending:
    actor: Actor
    action: str
    obj: Base | None  # an ORM row (its ids are read just before writing) …
    table: Table | None  # … or a row named by table and primary key (bulk writes) …
    row: Mapping[str, Any] | None  # … with, when just inserted, all its values
    pk: Any  # the row's primary key when deleted or named by table
    deleted: bool
    summary: str
    reason: str
    batch_id: int | None
    person_id: int | None
    entity: str | None
    entity_id: int | None
    at: dt.datetime


_PENDING = "skillsite_audit_pending"


def _queue(session: Session, pending: _Pending) -> None:
    session.info.setdefault(_PENDING, []).append(pending)


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
) -> None:
    """Queue one audit entry in the caller's transaction; it is written just before the commit.

    `obj` is the changed row: the entry stores a digest of that row as committed; pass
    `deleted=True` after deleting it. Without `obj`, `entity`/`entity_id` may name what the
    action concerns (such an entry says nothing about the row's state). Entries are written
    in the order recorded, in one batch (`write_pending`), and discarded on rollback.
    """
    if obj is not None and _pk(obj)[1] is None:
        session.flush()  # callers use the new row's id right after recording it
    _queue(
        session,
        _Pending(
            actor=actor,
            action=action,
            obj=obj,
            table=None,
            row=None,
            pk=_pk(obj)[1] if (obj is not None and deleted) else None,
            deleted=deleted,
            summary=canonical(mask_summary(summary)) if summary else "",
            reason=reason or "",
            batch_id=batch_id,
            person_id=person_id,
            entity=entity,
            entity_id=entity_id,
            at=utcnow(),
        ),
    )


def record_row(
    session: Session,
    actor: Actor,
    action: str,
    table: Table,
    pk: int,
    *,
    summary: dict[str, Any] | None = None,
    reason: str = "",
    batch_id: int | None = None,
    person_id: int | None = None,
    row: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """`record` for a row written with a Core statement: named by its table and primary key.

    The entry is the same as `record` would write for the ORM object; `batch_id`/`person_id`
    are given, not looked up; `at`, the time of the change, may be given (a bulk write's one
    time for all its rows) or is now. The row's digest is read back before writing — or, when the
    caller has just inserted the row with every column given, taken from `row`, those values
    (plain str/int/bool/date/datetime values are stored and read back unchanged).
    """
    if row is not None and row.keys() != _column_names(table):
        raise ValueError(f"record_row({table.name}): row must give every column")
    if table.name == "person" and person_id is None:
        person_id = pk
    if table.name == "batch" and batch_id is None:
        batch_id = pk
    _queue(
        session,
        _Pending(
            actor=actor,
            action=action,
            obj=None,
            table=table,
            row=row,
            pk=pk,
            deleted=False,
            summary=canonical(mask_summary(summary)) if summary else "",
            reason=reason or "",
            batch_id=batch_id,
            person_id=person_id,
            entity=str(table.name),  # a plain str: the driver adapts str subclasses slowly
            entity_id=pk,
            at=at or utcnow(),
        ),
    )


@functools.cache
def _column_names(table: Table) -> frozenset[str]:
    return frozenset(table.c.keys())


def discard_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _pk_column(table: Table) -> Column[Any]:
    return next(iter(table.primary_key.columns))


def _digests(session: Session, pending: list[_Pending]) -> dict[tuple[str, Any], str]:
    """Digests of every row the pending entries name, as stored — one query per table and chunk."""
    wanted: dict[Table, set[Any]] = {}
    out: dict[tuple[str, Any], str] = {}
    for p in pending:
        if p.deleted:
            continue
        if p.obj is not None:
            wanted.setdefault(p.obj.__table__, set()).add(_pk(p.obj)[1])  # type: ignore[attr-defined]
        elif p.row is not None:
            out[(p.table.name, p.pk)] = digest_of_row(p.row)  # type: ignore[union-attr]
        elif p.table is not None:
            wanted.setdefault(p.table, set()).add(p.pk)
    for table, values in wanted.items():
        column = _pk_column(table)
        ordered = sorted(values)
        integers = all(type(v) is int for v in ordered)
        if integers and ordered[-1] - ordered[0] == len(ordered) - 1:  # a range of ids: one query
            chunks = [column.between(ordered[0], ordered[-1])]
        else:
            chunks = [column.in_(ordered[i : i + 500]) for i in range(0, len(ordered), 500)]
        for where in chunks:
            result = session.execute(select(table).where(where))
            keys = list(result.keys())
            at = keys.index(column.name)
            for row in result.tuples():
                out[(table.name, row[at])] = digest_of_row(dict(zip(keys, row, strict=True)))
    return out


@paused_gc()  # thousands of entries after a bulk import
def write_pending(session: Session) -> int:
    """Write the queued entries: flush once, read the rows back, chain the hashes, insert all."""
    pending: list[_Pending] = session.info.pop(_PENDING, [])
    if not pending:
        return 0
    session.flush()
    # The chain lock first, then the digests: a row this transaction names without changing it
    # (plan.export names its batch) is then read after every earlier holder's change to it is
    # committed — read before, another PC's edit could commit in between and this entry, the
    # later one, would carry the row's older state (a lasting false "changed outside").
    _lock_chain(session)
    digests = _digests(session, pending)
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    next_id, prev_hash = ((last.id + 1), last.hash) if last else (1, GENESIS)
    first_id = next_id
    rows = []
    at_text: dict[dt.datetime, str] = {}  # a bulk write has thousands of entries per second
    for p in pending:
        entity, entity_id, batch_id, person_id = p.entity, p.entity_id, p.batch_id, p.person_id
        row_digest = None
        if p.obj is not None:
            entity = p.obj.__tablename__  # type: ignore[attr-defined]
            entity_id = p.pk if p.deleted else _pk(p.obj)[1]
            if batch_id is None:
                batch_id = entity_id if entity == "batch" else getattr(p.obj, "batch_id", None)
            if person_id is None:
                person_id = entity_id if entity == "person" else getattr(p.obj, "person_id", None)
        if p.obj is not None or p.table is not None:
            row_digest = DELETED if p.deleted else digests[(entity, entity_id)]
        at = at_text.get(p.at) or at_text.setdefault(p.at, _plain(p.at))
        values = [
            next_id, at, p.actor.user_id, p.actor.username, p.action, entity or "", entity_id,
            batch_id, person_id, p.summary, p.reason, row_digest, prev_hash,
        ]  # fmt: skip
        row = dict(zip(_HASHED, values, strict=True))
        row["at"], row["hash"] = p.at, _hash_of(values)
        rows.append(row)
        log.debug("audit #%s %s %s#%s", next_id, p.action, entity or "", entity_id or "")
        next_id, prev_hash = next_id + 1, row["hash"]
    insert_many(session, AuditEntry.__table__, rows)  # type: ignore[arg-type]
    log.info("audit #%s–#%s: %s", first_id, next_id - 1, _action_counts(pending))
    return len(rows)


def _action_counts(pending: list[_Pending]) -> str:
    counts = Counter(p.action for p in pending)
    return "，".join(f"{action}×{n}" if n > 1 else action for action, n in counts.items())


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    write_pending(session)


@event.listens_for(Session, "after_rollback")
def _discard_after_rollback(session: Session) -> None:
    discard_pending(session)
