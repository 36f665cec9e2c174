"""Inserting many plain rows at once (imports, the audit log): one executemany, little overhead.

`session.execute(insert(table), rows)` builds and processes every row's parameters through
SQLAlchemy's general machinery, which costs more than SQLite's own insert. Here the statement
is compiled once for the dialect, each column's bind processor (e.g. datetime → text on
SQLite) is applied directly — with date and datetime values converted once per distinct
value, since a bulk write stamps thousands of rows with the same time — and the rows go to
the driver's executemany. Same SQL, same stored values, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def _processor(table: Table, key: str, dialect: Any) -> Callable[[Any], Any] | None:
    process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    memo: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if type(value) in (dt.datetime, dt.date):  # hashable, repeated: convert each once
            if value not in memo:
                memo[value] = process(value)
            return memo[value]
        return process(value)

    return convert


def insert_many(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT the rows (all with the same keys, plain column values) in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    # inline(): no RETURNING of the new ids (PostgreSQL would add one; nobody reads it here)
    compiled = insert(table).inline().compile(dialect=dialect, column_keys=keys)
    order = compiled.positiontup  # positional paramstyles (qmark, format …); None when named
    names = list(order) if order is not None else keys
    processors = [(name, _processor(table, name, dialect)) for name in names]
    if any(set(row) != set(keys) for row in rows):
        raise ValueError(f"insert_many({table.name}): rows with different columns")
    values = [
        [row[name] if process is None else process(row[name]) for name, process in processors]
        for row in rows
    ]
    params: list[Any] = (
        [tuple(v) for v in values]
        if order is not None
        else [dict(zip(names, v, strict=True)) for v in values]
    )
    connection.exec_driver_sql(compiled.string, params)
