"""The "floor" case: the least work a people import with a per-row audit trail must do, done
with bare libraries (python-calamine, sqlite3, json, hashlib) and nothing else.

It is not the importer: it has no header search, no error collection, no preview and no
planning, and it trusts every cell. It shows how fast the same stored result can be made at
best — read the file, check each ID number's check digit and cross-check gender and birth date,
insert the people, and write one hash-chained audit entry per person (with the row's digest)
into the app's real schema (same indexes, WAL, synchronous=FULL), then commit. A target ratio
below floor/calamine cannot be met by any importer that keeps one audit entry per row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
import sqlite3
from typing import Any

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_HALFWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_PERSON_COLUMNS = (
    "id", "id_type", "id_number", "name", "gender", "birth_date", "phone", "employer",
    "education", "city", "title", "notes", "created_at", "updated_at",
)  # fmt: skip


def setup(ctx: Any) -> Any:
    """An empty database with the app's schema (untimed); the timed part uses bare sqlite3."""
    import python_calamine  # noqa: F401  (loaded untimed, as in every case)

    from app.db import open_database

    data_dir = ctx.workdir / "floor_db"
    open_database(data_dir).dispose()
    return data_dir / "skillsite.db"


def _text(value: object) -> str:
    return "" if value is None else str(value).translate(_HALFWIDTH).strip()


def _people(grid: list[list[object]], stamp: str) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    mul = operator.mul
    for i, cells in enumerate(grid[2:], start=1):  # below the title row and the header
        number = _text(cells[2]).upper()
        first17 = number[:17]
        if len(number) != 18 or not first17.isdigit():
            raise ValueError(f"row {i + 2}: not an 18-character ID number")
        if _CHECK[sum(map(mul, map(int, first17), _WEIGHTS)) % 11] != number[17]:
            raise ValueError(f"row {i + 2}: wrong check digit")
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        gender = "男" if int(number[16]) % 2 else "女"
        given = cells[4]
        if isinstance(given, dt.datetime):
            given = given.date()
        if _text(cells[3]) != gender or given != born:
            raise ValueError(f"row {i + 2}: gender or birth date differs from the ID number")
        name, phone, employer, education, city = (_text(cells[c]) for c in (0, 5, 6, 7, 8))
        rows.append(
            (i, "201", number, name, gender, born.isoformat(), phone, employer, education, city,
             "", "", stamp, stamp)
        )  # fmt: skip
    return rows


def _audit(people: list[tuple[object, ...]], at: str, stamp: str) -> list[tuple[object, ...]]:
    """One chained entry per person, hashed exactly as the app hashes them (`audit verify`
    accepts the result): the row digest sees timestamps as ISO text to the second."""
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    sha = hashlib.sha256
    prev = "0" * 64
    out: list[tuple[object, ...]] = []
    for row in people:
        pid, number = row[0], str(row[2])
        plain = dict(zip(_PERSON_COLUMNS, row, strict=True))
        plain["created_at"] = plain["updated_at"] = at
        digest = sha(encode(plain).encode()).hexdigest()
        summary = encode({"id_number": number[:6] + "*" * 10 + number[-2:], "name": row[3]})
        values = [pid, at, 1, "admin", "person.create", "person", pid, None, pid, summary,
                  "导入", digest, prev]  # fmt: skip
        entry_hash = sha(encode(values).encode()).hexdigest()
        out.append((*values[:1], stamp, *values[2:], entry_hash))
        prev = entry_hash
    return out


def run(ctx: Any, db_path: Any) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(ctx.inputs["people"]))
    grid = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    stamp = now.isoformat(" ") + ".000000"
    people = _people(grid, stamp)
    con = sqlite3.connect(db_path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("BEGIN IMMEDIATE")
        con.executemany(f"INSERT INTO person VALUES ({','.join('?' * 14)})", people)
        entries = _audit(people, now.isoformat(timespec="seconds"), stamp)
        con.executemany(f"INSERT INTO audit_entry VALUES ({','.join('?' * 14)})", entries)
        con.execute("COMMIT")
    finally:
        con.close()
    return {"created": len(people), "audit_entries": len(entries)}
