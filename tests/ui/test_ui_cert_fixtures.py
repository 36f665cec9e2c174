"""Fixtures shared by the certificate GUI tests (no tests here): a copy of the demo data, the
certificates page on it, and message boxes that record instead of blocking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Batch
from app.services.actor import Actor
from tests.score_data import admin_of, demo_db


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Database, Actor]]:
    """A private copy of the demo data (tests/score_data.demo_db) and its administrator."""
    database = demo_db(tmp_path)
    yield database, admin_of(database)
    database.dispose()


def batch_id(db: Database, code: str) -> int:
    with db.session() as s:
        return s.scalars(select(Batch.id).where(Batch.code == code)).one()


def issue_day(db: Database, code: str) -> dt.date:
    with db.session() as s:
        b = s.scalars(select(Batch).where(Batch.code == code)).one()
        return max(dt.date.today(), b.results_filed_on or dt.date.today())


@pytest.fixture
def page(qtbot: QtBot, demo: tuple[Database, Actor]):  # type: ignore[no-untyped-def]
    from app.ui.pages.certificates import CertificatesPage

    db, admin = demo
    widget = CertificatesPage(db, admin)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget
