"""QA round 11 (D): an organisation whose 备案日期 and 备案有效期至 are both blank gets a dashboard
line saying so and what to do — before, only the 机构与备案 page said it, and the dashboard was
silent about the one date a site must never miss. The demo (dates registered) shows no such line."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.actor import Actor
from app.services.dashboard import DashboardItem, upcoming_deadlines
from app.services.organisation import OrgInput, save_organisation
from app.services.users import authenticate
from app.ui.dialogs.batch_common import ORANGE
from app.ui.main_window import MainWindow
from app.ui.pages.dashboard import DashboardPage
from app.ui.pages.organisation import OrganisationPage
from tests.score_data import DEMO_PW

TITLE = "机构备案有效期未登记"


def _organisation(db: Database, admin: Actor, filed_on: dt.date | None = None) -> None:
    with db.session() as s:
        save_organisation(s, admin, OrgInput(name="某某职业技能培训学校", filed_on=filed_on))


def _filing_items(db: Database) -> list[DashboardItem]:
    with db.session() as s:
        items = upcoming_deadlines(s, dt.date.today())
    return [i for i in items if i.kind.startswith("filing")]


def test_blank_filing_dates_give_a_dashboard_line_saying_what_to_do(
    db: Database, admin: Actor
) -> None:
    _organisation(db, admin)
    [item] = _filing_items(db)
    assert (item.kind, item.title, item.level) == ("filing_unknown", TITLE, "soon")
    assert item.due is None and item.days_left is None
    assert (item.target_page, item.target_id) == ("organisation", 1)
    assert "“机构与备案”" in item.detail and "按备案回执" in item.detail
    assert "按全国通用规则，备案有效期 3 年" in item.detail


def test_no_line_without_an_organisation_or_with_a_filing_date(db: Database, admin: Actor) -> None:
    assert _filing_items(db) == []  # nothing registered yet: the dashboard has no items at all
    _organisation(db, admin, filed_on=dt.date.today() - dt.timedelta(days=30))
    # the end date is estimated from the filing date: the usual line, which says it is estimated
    [item] = _filing_items(db)
    assert item.kind != "filing_unknown" and "未登记备案有效期至" in item.detail


def test_the_dashboard_shows_it_in_amber_and_opens_the_organisation_page(
    qtbot: QtBot, db: Database, admin: Actor
) -> None:
    _organisation(db, admin)
    window = MainWindow(db, admin)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.page_by_key("dashboard")
    assert isinstance(page, DashboardPage)
    table = page.upcoming
    row = next(r for r in range(table.rowCount()) if table.item(r, 2).text() == TITLE)
    assert table.item(row, 0).text() == "（无法确定）"
    assert table.item(row, 0).foreground().color() == ORANGE
    assert "按备案回执" in table.item(row, 3).text()
    assert page.open_item(row)
    assert isinstance(window.current_page(), OrganisationPage)


def test_the_demo_has_its_filing_dates_and_no_such_line(qtbot: QtBot, demo: Database) -> None:
    assert _filing_items(demo) and all(i.kind != "filing_unknown" for i in _filing_items(demo))
    with demo.session() as s:
        actor = authenticate(s, "admin", DEMO_PW)
    page = DashboardPage(demo, actor)
    qtbot.addWidget(page)
    titles = [page.upcoming.item(r, 2).text() for r in range(page.upcoming.rowCount())]
    assert titles and TITLE not in titles
