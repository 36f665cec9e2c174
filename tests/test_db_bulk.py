"""insert_many stores exactly what a Core INSERT stores (dates, times, booleans, NULLs, text)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select

from app.db.bulk import insert_many
from app.models import Person, StaffRoleEntry

PERSON = Person.__table__
ROLE = StaffRoleEntry.__table__


def _person(i: int, **extra: object) -> dict[str, object]:
    stamp = dt.datetime(2026, 11, 23, 9, 30, i % 60)
    return {
        "id_type": "201",
        "id_number": f"50010619900101{i:04d}",
        "name": ["王𠇔", "阿依古丽·买买提", "=1+1"][i % 3],
        "gender": None if i % 2 else "女",
        "birth_date": dt.date(1990, 1, 1 + i % 28),
        "phone": "",
        "employer": "甲公司",
        "education": "",
        "city": "",
        "title": "",
        "notes": "",
        "created_at": stamp,
        "updated_at": stamp,
        **extra,
    }


def _raw(db, table):  # type: ignore[no-untyped-def]
    """The rows as the database stores them (e.g. SQLite's text form of a datetime)."""
    with db.session() as s:
        return s.connection().exec_driver_sql(f"SELECT * FROM {table.name} ORDER BY id").all()


def _rows(db, table):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return [
            {k: v for k, v in row.items() if k != "id"}
            for row in s.execute(select(table).order_by(table.c.id)).mappings()
        ]


def test_rows_read_back_the_same_as_after_a_core_insert(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.db import open_database

    people = [_person(i) for i in range(120)]
    with db.session() as s:
        insert_many(s, PERSON, people)
        ids = list(s.scalars(select(PERSON.c.id).order_by(PERSON.c.id)))
        roles = [
            {
                "person_id": pid,
                "role": "examiner",
                "duties": "",
                "specialty": "电气",
                "in_house": bool(pid % 2),
                "agreement_on_file": not pid % 2,
                "agreement_until": None if pid % 2 else dt.date(2027, 12, 31),
            }
            for pid in ids
        ]
        insert_many(s, ROLE, roles)
    reference = open_database(tmp_path / "reference")
    with reference.session() as s:
        s.execute(insert(PERSON), people)
        s.execute(insert(ROLE), roles)
    try:
        assert _rows(db, PERSON) == _rows(reference, PERSON) == people
        assert _rows(db, ROLE) == _rows(reference, ROLE)
        assert _raw(db, PERSON) == _raw(reference, PERSON)
        assert _raw(db, ROLE) == _raw(reference, ROLE)
        assert [r["in_house"] for r in _rows(db, ROLE)][:2] == [True, False]
    finally:
        reference.dispose()


def test_rows_must_all_give_the_same_columns(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="different columns"), db.session() as s:
        insert_many(s, PERSON, [_person(1), {**_person(2), "notes": "x", "extra": 1}])
    assert _rows(db, PERSON) == []


def test_nothing_to_insert_is_no_statement(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        insert_many(s, PERSON, [])
    assert _rows(db, PERSON) == []
