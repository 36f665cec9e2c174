"""Shared fixtures. Qt runs offscreen; every test gets its own data directory and database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # must precede any Qt import

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

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


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_database(data_dir)
    yield database
    database.dispose()


@pytest.fixture
def admin(db: Database) -> Actor:
    """A database with its first administrator, logged in."""
    from app.services.users import authenticate, create_first_admin

    with db.session() as s:
        create_first_admin(s, "admin", ADMIN_PASSWORD, "系统管理员")
    with db.session() as s:
        return authenticate(s, "admin", ADMIN_PASSWORD)
