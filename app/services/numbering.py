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


def serial_scope_key(serial_scope: str, filing_code: str, year: int, level: int) -> str:
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
    if counter is None:
        counter = SerialCounter(scope_key=scope_key, next_value=1)
        session.add(counter)
    value = counter.next_value
    if value > 999_999:
        raise ValidationError(f"证书流水号已用完（{scope_key} 已到 999999），请联系主管部门。")
    counter.next_value = value + 1
    session.flush()
    return value
