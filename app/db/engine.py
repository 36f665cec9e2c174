"""Engine and session factory. SQLite by default (WAL, FK on, synchronous FULL); any SQLAlchemy URL works."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.paths import database_path

ENV_DB_URL = "SKILLSITE_DB_URL"
BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # The driver must not open transactions on its own (SQLAlchemy's pysqlite recipe): PRAGMAs
    # then run outside a transaction, and _sqlite_begin below emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    # BEGIN IMMEDIATE takes the write lock up front: two processes never interleave writes
    # (certificate numbering relies on it) and never dead-lock upgrading a read lock.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    is_sqlite = url.startswith("sqlite")
    engine = create_engine(url, future=True)
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


@dataclass
class Database:
    """An open database: the engine, the session factory and the data directory it belongs to."""

    engine: Engine
    data_dir: Path
    session_factory: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.engine.url.database) if self.is_sqlite and self.engine.url.database else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short unit of work: commits on success, rolls back on any exception."""
        session = self.session_factory()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            audit = getattr(exc, "audit", None)
            if audit:
                self._record_after_rollback(audit)
            raise
        finally:
            session.close()

    def _record_after_rollback(self, audit: dict) -> None:  # type: ignore[type-arg]
        """A refused or failed action is still audited, in its own transaction."""
        from app.services.audit import record

        audit = dict(audit)
        actor = audit.pop("actor")
        action = audit.pop("action")
        with self.session_factory() as s, s.begin():
            record(s, actor, action, **audit)

    def dispose(self) -> None:
        self.engine.dispose()


def database_url(data_dir: Path) -> str:
    return os.environ.get(ENV_DB_URL) or f"sqlite:///{database_path(data_dir).as_posix()}"


def open_database(data_dir: Path, *, migrate: bool = True, url: str | None = None) -> Database:
    """Open (and by default migrate to the newest schema) the database of a data directory."""
    from app.db.migrate import upgrade_database

    data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url or database_url(data_dir))
    if migrate:
        upgrade_database(engine, data_dir)
    # Services find the data directory (key file, site templates) in session.info: with a
    # PostgreSQL URL it cannot be derived from the database location.
    factory = sessionmaker(engine, expire_on_commit=False, info={"data_dir": data_dir})
    return Database(engine=engine, data_dir=data_dir, session_factory=factory)
