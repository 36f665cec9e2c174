"""Shared fixtures. Qt runs offscreen; every test gets its own data directory and database."""

from __future__ import annotations

import os
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # must precede any Qt import

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from app.db import Database, open_database
from app.services.actor import Actor

ADMIN_PASSWORD = "Admin#2026"


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring, so tests never touch the OS store (and never use plaintext keyrings.alt)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Never the real data dir, never the real keyring."""
    monkeypatch.setenv("SKILLSITE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SKILLSITE_PASSWORD", raising=False)
    monkeypatch.delenv("SKILLSITE_DB_URL", raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


# --- Opt-in: the suite on PostgreSQL (docs/DEVELOPING.md, "Running the tests on PostgreSQL") ---
TEST_PG_URL = os.environ.get("SKILLSITE_TEST_PG_URL", "")
"""A PostgreSQL server URL (e.g. postgresql+psycopg://postgres@/postgres?host=/tmp&port=55432).
When set, every test database is a fresh PostgreSQL database on that server instead of a SQLite
file: the `db` fixture's, and any other data directory a test opens (see _pg_url_for)."""

PG_MARKER = ".skillsite-test-pg"
"""In a data directory on PostgreSQL: "<the directory>\n<its database name>"."""
_pg_created: dict[str, Path] = {}  # database name → the data directory it belongs to


def sqlite_only(reason: str) -> pytest.MarkDecorator:
    """Mark a test that checks SQLite-specific behaviour: skipped, with `reason`, on PostgreSQL."""
    return pytest.mark.skipif(bool(TEST_PG_URL), reason=f"SQLite only: {reason}")


def _pg_server():  # type: ignore[no-untyped-def]
    return create_engine(TEST_PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _pg_create(data_dir: Path, template: str | None = None) -> str:
    """CREATE DATABASE with a unique name (a copy of `template` if given); returns its URL."""
    from sqlalchemy.engine import make_url

    name = f"skillsite_test_{uuid.uuid4().hex[:12]}"
    server = _pg_server()
    with server.connect() as conn:
        if template:
            # Cloning needs the template idle: a test may have left an engine open on it.
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (template,)
            )
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    server.dispose()
    _pg_created[name] = data_dir
    return make_url(TEST_PG_URL).set(database=name).render_as_string(hide_password=False)


def _pg_drop(names: list[str]) -> None:
    server = _pg_server()
    with server.connect() as conn:
        for name in names:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.dispose()


def _pg_url_for(data_dir: Path) -> str:
    """The PostgreSQL database of a data directory, created on first use. A directory copied with
    shutil.copytree (tests copy module-scoped templates) gets a clone of the original's database."""
    from sqlalchemy.engine import make_url

    data_dir = data_dir.resolve()
    marker = data_dir / PG_MARKER
    if marker.exists():
        owner, name = marker.read_text(encoding="utf-8").split("\n")
        if Path(owner) == data_dir:
            return make_url(TEST_PG_URL).set(database=name).render_as_string(hide_password=False)
        url = _pg_create(data_dir, template=name)
    else:
        url = _pg_create(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{data_dir}\n{make_url(url).database}", encoding="utf-8")
    return url


@pytest.fixture(scope="session", autouse=True)
def _postgres_databases() -> Iterator[None]:
    """On PostgreSQL: app.db.engine.database_url maps each data directory to its own database."""
    if not TEST_PG_URL:
        yield
        return
    import app.db.engine as engine_module

    original = engine_module.database_url
    engine_module.database_url = _pg_url_for
    yield
    engine_module.database_url = original
    _pg_drop(list(_pg_created))


@pytest.fixture(autouse=True)
def _drop_test_databases(tmp_path: Path) -> Iterator[None]:
    """The databases of a test's own directories are dropped after it; templates that outlive
    the test (module fixtures, session caches elsewhere) at the end of the session."""
    yield
    if not TEST_PG_URL:
        return
    own = [name for name, d in _pg_created.items() if d.is_relative_to(tmp_path.resolve())]
    _pg_drop(own)
    for name in own:
        del _pg_created[name]


@contextmanager
def behind_the_apps_back(data_dir: Path) -> Iterator[Connection]:
    """A plain connection, in one transaction, to a data directory's database (its SQLite file, or
    its PostgreSQL database in a PostgreSQL run): for SQL a test runs behind the app's back."""
    import app.db.engine as engine_module

    engine = create_engine(engine_module.database_url(data_dir), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


@pytest.fixture
def db(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    url = None
    if TEST_PG_URL:
        url = _pg_url_for(data_dir)  # a fresh database, also what the CLI run in-process opens
        # Worker processes a test starts do not have this conftest: they find it in the environment.
        monkeypatch.setenv("SKILLSITE_DB_URL", url)
    database = open_database(data_dir, url=url)
    yield database
    database.dispose()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    """A private copy of the demo database (score, publicity and results tests; a module may
    define its own `demo`)."""
    from tests.score_data import demo_db

    database = demo_db(tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    """The data directory of a private copy of the demo data, closed (for CLI tests)."""
    from tests.score_data import demo_db

    database = demo_db(tmp_path)
    database.dispose()
    return database.data_dir


@pytest.fixture
def admin(db: Database) -> Actor:
    """A database with its first administrator, logged in."""
    from app.services.users import authenticate, create_first_admin

    with db.session() as s:
        create_first_admin(s, "admin", ADMIN_PASSWORD, "系统管理员")
    with db.session() as s:
        return authenticate(s, "admin", ADMIN_PASSWORD)
