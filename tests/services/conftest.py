"""Fixtures for the roster/import/photo/catalogue tests (issue #5). Names are prefixed to stay clear
of other service tests in this folder."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.db import Database
from app.rules.idcard import gb11643_check_char
from app.services.actor import Actor
from app.services.audit_verify import verify_audit

XlsxMaker = Callable[..., Path]


def make_id(seq: int, birth: dt.date = dt.date(1990, 1, 1), area: str = "500106") -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + gb11643_check_char(first17)


@pytest.fixture
def ids() -> Iterator[str]:
    """An endless supply of distinct valid 18-digit resident ID numbers."""
    return (
        make_id(i % 1000, dt.date(1980, 1, 1) + dt.timedelta(days=i // 1000))
        for i in itertools.count(1)
    )


@pytest.fixture
def make_xlsx(tmp_path: Path) -> XlsxMaker:
    """make_xlsx(rows, name=..., title_rows=[...], text_columns=(...)) → path of a new workbook.

    `rows` includes the header; values are written as given (str stays str, numbers numbers).
    """

    def make(
        rows: Sequence[Sequence[object]],
        name: str = "data.xlsx",
        *,
        title_rows: Sequence[str] = (),
        merges: Sequence[str] = (),
    ) -> Path:
        wb = Workbook()
        ws = wb.active
        ws.title = "名单"
        for t in title_rows:
            ws.append([t])
        for row in rows:
            ws.append(list(row))
        for m in merges:
            ws.merge_cells(m)
        path = tmp_path / name
        wb.save(path)
        return path

    return make


@pytest.fixture
def audit_ok(db: Database) -> Callable[[], None]:
    def check() -> None:
        with db.session() as s:
            report = verify_audit(s)
        assert report.ok, [p.message for p in report.problems]

    return check


@pytest.fixture
def roster_org(db: Database, admin: Actor):  # type: ignore[no-untyped-def]
    """A Chongqing city-level organisation with two occupations (one with work types)."""
    from app.services.catalogue import OccupationInput, create_occupation
    from app.services.organisation import OrgInput, save_organisation

    with db.session() as s:
        save_organisation(
            s,
            admin,
            OrgInput(
                name="重庆巴渝职业技能培训学校",
                org_type="S",
                profile_name="chongqing",
                scope_level="city",
                filing_code="S000050000017",
                filed_on=dt.date(2024, 3, 18),
                filing_valid_until=dt.date(2027, 3, 17),
            ),
        )
        e = create_occupation(s, admin, OccupationInput("6-31-01-03", "电工", False, []))
        c = create_occupation(
            s, admin, OccupationInput("4-03-02-01", "中式烹调师", False, ["中式面点", "中式热菜"])
        )
        return {
            "electrician": e.id,
            "cook": c.id,
            "work_types": {wt.name: wt.id for wt in c.work_types},
        }
