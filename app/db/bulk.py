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
import operator
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
    if any(row.keys() != rows[0].keys() for row in rows):
        raise ValueError(f"insert_many({table.name}): rows with different columns")
    # Column by column: every row's values in statement order (itemgetter, in C), transposed,
    # each column with a bind processor converted, and transposed back into parameter rows.
    getter = operator.itemgetter(*names)
    if len(names) == 1:
        columns: list[Sequence[Any]] = [[getter(row) for row in rows]]
    else:
        columns = list(zip(*map(getter, rows), strict=True))
    for i, name in enumerate(names):
        process = _processor(table, name, dialect)
        if process is not None:
            columns[i] = list(map(process, columns[i]))
    params: list[Any] = list(zip(*columns, strict=True))
    if order is None:  # named paramstyle (e.g. psycopg's pyformat)
        params = [dict(zip(names, v, strict=True)) for v in params]
    connection.exec_driver_sql(compiled.string, params)
