"""Certificate serial allocation: the counter advances in the caller's transaction.

SQLite transactions are BEGIN IMMEDIATE (app.db.engine) and PostgreSQL locks the counter row
(SELECT … FOR UPDATE; a missing counter is created under an advisory lock, app.db.locks), so
two processes never get the same serial, and a rolled-back issue leaves no gap.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.locks import SERIAL_COUNTER, lock_for_create
from app.errors import ValidationError
from app.models import SerialCounter
from app.rules._text import compact_upper


def serial_scope_key(serial_scope: str, filing_code: str, year: int, level: int) -> str:
    """The counter of one serial scope, keyed on the filing code in its stored form.

    Older versions could store a code as typed (full-width digits from a Chinese IME): its
    certificates were numbered with the normalised code all the same, so the key normalises it
    too. A code stored normalised (ASCII capitals and digits) comes out of compact_upper as it
    went in: its key is the same as before.
    """
    filing_code = compact_upper(filing_code)
    yy = f"{year % 100:02d}"
    if serial_scope == "year_level":
        return f"{filing_code}|{yy}|{level}"
    if serial_scope == "year":
        return f"{filing_code}|{yy}"
    return filing_code


def next_serial(session: Session, scope_key: str) -> int:
    def locked_counter() -> SerialCounter | None:
        return session.scalar(
            select(SerialCounter).where(SerialCounter.scope_key == scope_key).with_for_update()
        )

    counter = locked_counter()
    if counter is None and lock_for_create(session, SERIAL_COUNTER):
        # PostgreSQL: FOR UPDATE cannot lock a missing row; without this, two PCs issuing the
        # first certificate of a scope would both insert the counter (one fails on the key).
        counter = locked_counter()
    legacy = _legacy_next_value(session, scope_key)
    if counter is None:
        counter = SerialCounter(scope_key=scope_key, next_value=legacy)
        session.add(counter)
    value = max(counter.next_value, legacy)
    if value > 999_999:
        raise ValidationError(f"证书流水号已用完（{scope_key} 已到 999999），请联系主管部门。")
    counter.next_value = value + 1
    session.flush()
    return value


def _normalised_key(key: str) -> str:
    code, sep, rest = key.partition("|")
    return compact_upper(code) + sep + rest


def _legacy_next_value(session: Session, scope_key: str) -> int:
    """The next serial of counters kept under an unnormalised form of the same filing code (see
    serial_scope_key), else 1: the scope's counter never goes below it, so no serial handed out
    under the old key is handed out again. A one-organisation database has a few counters a year."""
    start = 1
    for key, value in session.execute(select(SerialCounter.scope_key, SerialCounter.next_value)):
        if key != scope_key and _normalised_key(key) == scope_key:
            start = max(start, value)
    return start
