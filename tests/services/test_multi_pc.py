"""Several PCs on one PostgreSQL database: what a concurrent write must not break.

- `audit verify` reads the log and the rows in one snapshot (an import committed meanwhile by
  another PC is not "written outside the software");
- an audit entry's row digest is read under the chain lock (never an older state of the row
  recorded after a newer one);
- imports commit one at a time (an advisory lock), and a duplicate key, deadlock or
  serialisation failure is the "changed since preview" refusal, not a program error.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

import app.services.audit as audit
from app.models import Person
from app.services import audit_verify
from app.services.audit_verify import verify_audit
from app.services.importing import commit_import, preview_import
from app.services.importing.bulk import concurrent_write
from app.services.roster import PersonInput, add_person
from tests.conftest import TEST_PG_URL
from tests.services.conftest import make_id


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OperationalError("INSERT", {}, _PgError("40P01")), True),  # deadlock_detected
        (OperationalError("INSERT", {}, _PgError("40001")), True),  # serialization_failure
        (OperationalError("INSERT", {}, _PgError("53100")), False),  # disk full: a real error
        (IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: person.id")), True),
        (IntegrityError("INSERT", {}, Exception("NOT NULL constraint failed")), False),
        # a PostgreSQL server answering in Chinese: by its code, not its words
        (IntegrityError("INSERT", {}, _PgError("23505")), True),
        (IntegrityError("INSERT", {}, _PgError("23502")), False),  # not_null_violation
    ],
)
def test_what_counts_as_another_pc_writing_the_same_people(error, expected) -> None:  # type: ignore[no-untyped-def]
    assert concurrent_write(error) is expected


def test_people_keep_the_file_order_and_a_commit_takes_the_import_lock(  # type: ignore[no-untyped-def]
    db, admin, make_xlsx, monkeypatch
) -> None:
    import app.services.importing.engine as engine

    taken: list[int] = []
    monkeypatch.setattr(engine, "lock_for_create", lambda s, key: taken.append(key) or False)
    numbers = [make_id(i) for i in (5, 1, 4, 2, 3)]
    path = make_xlsx([["姓名", "证件号码"], *([f"人{n[-4:]}", n] for n in numbers)])
    with db.session() as s:
        commit_import(s, admin, preview_import(s, admin, path, "people"))
    assert taken == [engine.PEOPLE_IMPORT]  # (PostgreSQL: imports commit one at a time)
    with db.session() as s:
        by_id = list(s.scalars(select(Person.id_number).order_by(Person.id)))
        assert by_id == numbers  # numbered in the order of the file
        assert verify_audit(s).ok


def test_row_digests_are_read_under_the_chain_lock(db, admin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []
    lock, digests = audit._lock_chain, audit._digests
    monkeypatch.setattr(audit, "_lock_chain", lambda s: (calls.append("lock"), lock(s))[1])
    monkeypatch.setattr(audit, "_digests", lambda s, p: (calls.append("digests"), digests(s, p))[1])
    with db.session() as s:
        add_person(s, admin, PersonInput("张三", make_id(1)))
    assert calls == ["lock", "digests"]


@pytest.mark.skipif(
    not TEST_PG_URL, reason="PostgreSQL only: SQLite's BEGIN IMMEDIATE is one snapshot"
)
def test_verify_is_one_snapshot_while_another_pc_writes(db, admin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        add_person(s, admin, PersonInput("张三", make_id(1)))
    real = audit_verify.verify_rows

    def another_pc_imports_meanwhile(session, report):  # type: ignore[no-untyped-def]
        with db.session() as other:  # between reading the log and reading the rows
            add_person(other, admin, PersonInput("李四", make_id(2)))
        real(session, report)

    monkeypatch.setattr(audit_verify, "verify_rows", another_pc_imports_meanwhile)
    with db.session() as s:
        report = verify_audit(s)
    assert report.ok, [p.message for p in report.problems]
