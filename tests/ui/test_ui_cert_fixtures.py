"""Fixtures shared by the certificate GUI tests (no tests here): a copy of the demo data, the
certificates page on it, and message boxes that record instead of blocking."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database, open_database
from app.models import Batch
from app.services.actor import Actor
from app.services.users import authenticate

DEMO_PW = "Demo#2026"


@pytest.fixture(scope="module")
def cert_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.services.demo import build_demo

    d = tmp_path_factory.mktemp("uicdemo") / "data"
    database = open_database(d)
    build_demo(database, DEMO_PW)
    database.dispose()
    return d


@pytest.fixture
def demo(cert_demo_template: Path, tmp_path: Path) -> Iterator[tuple[Database, Actor]]:
    d = tmp_path / "demo"
    shutil.copytree(cert_demo_template, d)
    database = open_database(d)
    with database.session() as s:
        actor = authenticate(s, "admin", DEMO_PW)
    yield database, actor
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
