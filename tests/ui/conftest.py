"""GUI test fixtures: QSettings in a temp folder, and a small data set inserted via the ORM."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.db import Database
from app.services.actor import Actor
from tests.ui.sample_data import insert_sample_data


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path) -> Iterator[None]:
    """Geometry and other QSettings go to a temp folder, never the real user profile."""
    folder = str(tmp_path / "qsettings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    yield


@pytest.fixture
def sample_db(db: Database, admin: Actor) -> Database:
    insert_sample_data(db, admin)
    return db
