"""Writing the new people of an import in bulk: one INSERT per table, audited row by row.

A people file of 10,000 rows is mostly new people. Building an ORM object per row (and per
role and qualification) costs far more than the insert itself, so new rows go in through Core
`INSERT … RETURNING id` statements; each row still gets its own audit entry (`record_row`),
with the digest of the row as stored, exactly as an ORM write would.

If somebody registered one of these people after the preview, the unique index on (ID type,
number) refuses the insert and the whole import is refused with a message to preview again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from sqlalchemy import Table, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.db.bulk import insert_many
from app.errors import ValidationError
from app.models import ExaminerQualification, Person, StaffRoleEntry
from app.models.base import utcnow
from app.services.actor import Actor
from app.services.audit import record_row
from app.services.importing.parsing import TEXT_KEYS
from app.services.importing.results import ImportRow, ParsedRow

CHANGED_SINCE_PREVIEW: Final = (
    "预览之后库中人员数据已发生变化（可能有其他人同时在修改），未导入任何数据。请重新检查文件（预览）后再导入。"
)

ROLE_DEFAULTS: Final = {
    "duties": "",
    "specialty": "",
    "in_house": True,
    "agreement_on_file": False,
    "agreement_until": None,
}
_QUAL_DEFAULTS: Final = {
    "work_type_id": None,
    "max_level": None,
    "certificate_no": "",
    "valid_from": None,
    "valid_until": None,
}

# The unique key by which each table's new rows are found again (see `_insert`).
_KEY_COLUMNS: Final = {
    "person": ("id_type", "id_number"),
    "staff_role": ("person_id", "role"),
    "examiner_qualification": ("person_id", "occupation_id", "work_type_id"),
}

PERSON: Final[Table] = Person.__table__  # type: ignore[assignment]
ROLE: Final[Table] = StaffRoleEntry.__table__  # type: ignore[assignment]
QUAL: Final[Table] = ExaminerQualification.__table__  # type: ignore[assignment]


# PostgreSQL's unique_violation, deadlock_detected and serialization_failure: another session
# wrote the same rows (by code: the server may word its messages in Chinese)
_CONCURRENCY_SQLSTATES: Final = frozenset({"23505", "40P01", "40001"})


def concurrent_write(exc: DBAPIError) -> bool:
    """Whether a write was refused because somebody else registered the same people meanwhile:
    the unique index, or (PostgreSQL) a deadlock or serialisation failure on it."""
    orig = exc.orig
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code is not None:
        return code in _CONCURRENCY_SQLSTATES
    # SQLite: "UNIQUE constraint failed: person.id_type, person.id_number" (always English)
    return isinstance(exc, IntegrityError) and "unique" in str(orig).lower()


def new_person_values(p: ParsedRow) -> dict[str, Any]:
    """Every column of a new person's row (blank texts, no notes) from a parsed import row."""
    values: dict[str, Any] = dict.fromkeys(TEXT_KEYS, "")
    values.update(gender=None, birth_date=None, notes="")
    values.update(p.person)
    assert p.key is not None
    values["id_type"], values["id_number"] = p.key
    return values


def _insert(session: Session, table: Table, values: list[dict[str, Any]]) -> list[int]:
    """INSERT the rows (one executemany); their new ids, in the order given.

    `INSERT … RETURNING` of many rows either runs row by row (SQLite, when the order must be
    kept) or returns them in no set order, so the ids are read back instead: every id given
    from now on is above the largest one visible before the insert, and each new row is found
    by its unique key (`_KEY_COLUMNS`; rows other sessions commit meanwhile are skipped).
    """
    if not values:
        return []
    before = session.execute(select(func.max(table.c.id))).scalar() or 0
    insert_many(session, table, values)
    names = _KEY_COLUMNS[table.name]
    columns = [table.c[name] for name in names]
    found: dict[Any, int] = {}
    for row in session.execute(select(table.c.id, *columns).where(table.c.id > before)):
        found[tuple(row[1:])] = row[0]
    ids = [found.get(tuple(v[name] for name in names)) for v in values]
    if None in ids:
        raise RuntimeError(f"bulk insert into {table.name}: a new row was not read back")
    return ids  # type: ignore[return-value]


def insert_new_people(
    session: Session,
    actor: Actor,
    rows: list[ImportRow],
    reason: str,
    tick: Callable[[], None],
) -> dict[str, int]:
    """Insert the people of the `new` rows with their roles and qualifications; audit each row.

    Sets each row's `person_id`; returns how many roles and qualifications were added.
    """
    if not rows:
        return {"roles_added": 0, "quals_added": 0}
    now = utcnow()
    stamps = {"created_at": now, "updated_at": now}
    try:
        people = [{**new_person_values(r.parsed), **stamps} for r in rows]
        person_ids = _insert(session, PERSON, people)
    except DBAPIError as exc:
        if not concurrent_write(exc):
            raise
        raise ValidationError(CHANGED_SINCE_PREVIEW) from None
    roles: list[dict[str, Any]] = []
    quals: list[dict[str, Any]] = []
    for row, pid in zip(rows, person_ids, strict=True):
        row.person_id = pid
        p = row.parsed
        roles.extend(
            {"person_id": pid, "role": role, **ROLE_DEFAULTS, **v} for role, v in p.roles.items()
        )
        quals.extend(
            {
                **_QUAL_DEFAULTS,
                **v,
                "person_id": pid,
                "occupation_id": occ,
                "work_type_id": wt,
            }
            for occ, wt, v in p.quals
        )
    # Each entry carries the row exactly as inserted (with its new id): its digest is taken
    # from those values instead of reading 10,000 rows back (tests compare it with the stored row).
    new_roles = iter(zip(_insert(session, ROLE, roles), roles, strict=True))
    new_quals = iter(zip(_insert(session, QUAL, quals), quals, strict=True))
    for row, pid, values in zip(rows, person_ids, people, strict=True):
        p = row.parsed
        name = p.person["name"]
        record_row(
            session,
            actor,
            "person.create",
            PERSON,
            pid,
            summary={"name": name, "id_number": p.key[1]},  # type: ignore[index]
            reason=reason,
            row={"id": pid, **values},
            at=now,
        )
        for role in p.roles:
            rid, role_values = next(new_roles)
            record_row(
                session,
                actor,
                "staff_role.add",
                ROLE,
                rid,
                summary={"role": role, "name": name},
                reason=reason,
                person_id=pid,
                row={"id": rid, **role_values},
                at=now,
            )
        for occ, _wt, _v in p.quals:
            qid, qual_values = next(new_quals)
            record_row(
                session,
                actor,
                "qualification.add",
                QUAL,
                qid,
                summary={"name": name, "occupation_id": occ},
                reason=reason,
                person_id=pid,
                row={"id": qid, **qual_values},
                at=now,
            )
        tick()
    return {"roles_added": len(roles), "quals_added": len(quals)}
