"""PagedQueryModel loads one page at a time — tested without a view, with fakes and a real DB."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import insert

from app.db import Database
from app.models import Person
from app.services import listing
from app.ui.models import ID_ROLE, ROW_ROLE, SORT_ROLE, Column, PagedQueryModel
from app.ui.models.paged import display_text
from app.ui.pages.table_page import database_model
from app.ui.pages.tables import PEOPLE_COLUMNS

PAGE = 200


def _bulk_people(db: Database, n: int) -> None:
    rows = [
        {
            "id_type": "201",
            "id_number": f"500101199001{i:06d}",
            "name": f"考生{i:05d}",
            "gender": "男" if i % 2 else "女",
            "birth_date": dt.date(1990, 1, 1),
            "employer": "某单位",
        }
        for i in range(n)
    ]
    with db.session() as s:
        s.execute(insert(Person), rows)


def test_fetches_only_a_page_at_a_time(db: Database) -> None:
    _bulk_people(db, 1000)
    calls: list[tuple[int, int]] = []

    def page(s, offset, limit, search):  # type: ignore[no-untyped-def]
        calls.append((offset, limit))
        return listing.people_page(s, offset, limit, search)

    model = database_model(db, PEOPLE_COLUMNS, page, listing.people_count, page_size=PAGE)
    model.refresh()
    assert model.total == 1000
    assert model.rowCount() == PAGE
    assert model.canFetchMore(QModelIndex())
    assert calls == [(0, PAGE)]

    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE
    assert calls[-1] == (PAGE, PAGE)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 1000
    assert len(calls) == 5
    assert all(limit == PAGE for _offset, limit in calls)
    names = [model.row(r).name for r in range(model.rowCount())]
    assert len(set(names)) == 1000, "pages must not overlap or skip"


def test_filter_recounts_and_restarts(db: Database) -> None:
    _bulk_people(db, 450)
    model = database_model(db, PEOPLE_COLUMNS, listing.people_page, listing.people_count)
    model.refresh()
    model.set_filter("考生001")
    assert model.total == 100
    assert model.rowCount() == 100
    assert not model.canFetchMore(QModelIndex())
    model.set_filter("")
    assert model.rowCount() == PAGE


def test_roles_and_headers_with_fake_source() -> None:
    rows = [
        type("Row", (), {"id": i, "name": f"n{i}", "day": dt.date(2026, 1, i + 1)})()
        for i in range(5)
    ]
    fetched: list[tuple[int, int, str | None]] = []

    def fetch(offset: int, limit: int, search: str | None):  # type: ignore[no-untyped-def]
        fetched.append((offset, limit, search))
        return rows[offset : offset + limit]

    columns = [Column("姓名", lambda r: r.name), Column("日期", lambda r: r.day, align_right=True)]
    model = PagedQueryModel(columns, fetch, lambda _s: len(rows), page_size=2)
    model.refresh()
    assert model.rowCount() == 2 and model.columnCount() == 2
    assert model.headerData(0, Qt.Orientation.Horizontal) == "姓名"
    index = model.index(1, 1)
    assert model.data(index) == "2026-01-02"
    assert model.data(index, SORT_ROLE) == dt.date(2026, 1, 2)
    assert model.data(index, ID_ROLE) == 1
    assert model.data(index, ROW_ROLE) is rows[1]
    assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 5
    assert not model.canFetchMore(QModelIndex())
    assert fetched == [(0, 2, None), (2, 2, None), (4, 2, None)]


def test_empty_source_never_fetches() -> None:
    def fetch(offset: int, limit: int, search: str | None) -> list[object]:
        raise AssertionError("nothing to fetch")

    model = PagedQueryModel([Column("x", str)], fetch, lambda _s: 0)
    model.refresh()
    assert model.rowCount() == 0
    assert not model.canFetchMore(QModelIndex())


def test_display_text() -> None:
    assert display_text(None) == ""
    assert display_text(True) == "是"
    assert display_text(dt.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02 03:04:05"


def test_tab_leaves_every_list_table(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The page tables and the batch dialogs' tables select rows: the arrow keys move between
    rows, and Tab goes on to the next control instead of walking the cells."""
    from app.ui.dialogs.batch_common import make_table as make_dialog_table
    from app.ui.pages.table_page import make_table

    model = PagedQueryModel([Column("姓名", lambda r: r)], lambda offset, limit, sort: [], lambda: 0)
    view = make_table(model)
    table = make_dialog_table(["姓名"])
    qtbot.addWidget(view)
    qtbot.addWidget(table)
    assert not view.tabKeyNavigation() and not table.tabKeyNavigation()
