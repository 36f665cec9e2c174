"""Dashboard, QA round 4: the examiner lines are the People page's warnings (current examiners
only, expired however long ago, none on file flagged, many folded into one line), and the filing
turns amber the profile's reminder lead before the renewal deadline, not 3 working days."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.models import Organisation, StaffRoleEntry
from app.rules.profiles import load_profile
from app.services.audit import record
from app.services.dashboard import DashboardItem, filing_validity, upcoming_deadlines
from app.services.organisation import get_organisation
from app.services.roster_queries import roster_warnings
from tests.services.test_batch_support import World, add_person, add_qualification, world

__all__ = ["world"]

TODAY = dt.date(2026, 9, 15)  # Tuesday
VALID_UNTIL = dt.date(2027, 3, 17)  # the world's filing (Chongqing)
DEADLINE = dt.date(2027, 2, 15)  # 004 第十四条: apply 30 days before the expiry


def _person(w: World, name: str, seq: int, roles: tuple[str, ...], *until: dt.date) -> int:
    """A person with these roles and one qualification per date (电工, then 车工)."""
    with w.db.session() as s:
        p = add_person(s, w.admin, name, name, roles=roles, seq=seq)
        for occupation, day in zip((w.electrician, w.turner), until, strict=False):
            add_qualification(s, w.admin, p.id, occupation, 3, valid_until=day)
        return p.id


def _person_items(w: World, today: dt.date = TODAY) -> list[DashboardItem]:
    with w.db.session() as s:
        return [i for i in upcoming_deadlines(s, today) if i.target_page == "person"]


# --- A: the same rule as the People page ----------------------------------------------------------


def test_the_dashboard_flags_the_examiners_the_people_page_flags(world: World) -> None:
    long_ago = _person(world, "过期很久", 201, ("examiner",), TODAY - dt.timedelta(days=200))
    month_ago = _person(world, "过期31天", 202, ("examiner",), TODAY - dt.timedelta(days=31))
    soon = _person(world, "十天后到期", 203, ("examiner",), TODAY + dt.timedelta(days=10))
    proctor = _person(world, "只是监考", 204, ("proctor",), TODAY + dt.timedelta(days=10))
    none = _person(world, "无资格", 205, ("examiner",))
    items = {i.target_id: i for i in _person_items(world)}

    # expired however long ago: still there, red, dated by the expiry
    assert (items[long_ago].level, items[long_ago].days_left) == ("overdue", -200)
    assert items[month_ago].level == "overdue" and "已过期" in items[month_ago].title
    assert items[soon].level == "later" and "即将到期" in items[soon].title
    # a proctor's qualification concerns nobody (no current 考评员 role)
    assert proctor not in items
    # no qualification on file at all: flagged, to be dealt with now
    assert (items[none].kind, items[none].level, items[none].due) == (
        "qualification_missing", "overdue", None
    )
    assert "未登记考评资格" in items[none].title and "登记其考评员证书" in items[none].detail
    # the world's own examiners (valid to 2030) raise nothing
    assert not {world.p(k) for k in ("e1", "e2", "e3", "e4")} & set(items)

    # exactly the people the People page warns of, with its messages
    with world.db.session() as s:
        warnings = roster_warnings(s, TODAY)
    page = [w for w in warnings if w.kind.startswith("qualification_") or w.kind == "no_qualification"]
    assert set(items) == {w.person_id for w in page}
    for w in page:
        assert w.message in items[w.person_id].detail
    # the People page says it too: an examiner with no qualification on file
    assert [w.person_id for w in warnings if w.kind == "no_qualification"] == [none]


def test_an_examiner_losing_the_role_drops_off(world: World) -> None:
    pid = _person(world, "曾任考评", 206, ("examiner",), TODAY - dt.timedelta(days=5))
    assert [i.target_id for i in _person_items(world)] == [pid]
    with world.db.session() as s:
        role = s.query(StaffRoleEntry).filter_by(person_id=pid, role="examiner").one()
        role.role = "proctor"
        record(s, world.admin, "staff_role.update", role)
    assert _person_items(world) == []


def test_several_qualifications_of_one_examiner_are_one_line(world: World) -> None:
    pid = _person(world, "两证过期", 207, ("examiner",),
                  TODAY - dt.timedelta(days=90), TODAY - dt.timedelta(days=3))  # fmt: skip
    (item,) = _person_items(world)
    assert item.target_id == pid and item.due == TODAY - dt.timedelta(days=90)  # the older one
    assert "（电工）" in item.detail and "（车工）" in item.detail


def test_many_examiners_in_one_state_share_one_line(world: World) -> None:
    for i in range(5):
        _person(world, f"过期{i}", 210 + i, ("examiner",), TODAY - dt.timedelta(days=100 + i))
    assert len(_person_items(world)) == 5  # a few: one line each

    for i in range(5, 7):
        _person(world, f"过期{i}", 210 + i, ("examiner",), TODAY - dt.timedelta(days=100 + i))
    for i in range(12):
        _person(world, f"无证{i:02d}", 230 + i, ("examiner",))
    _person(world, "下月到期", 250, ("examiner",), TODAY + dt.timedelta(days=30))
    items = _person_items(world)
    by_title = {i.title: i for i in items}
    assert len(items) == 3, [i.title for i in items]

    expired = by_title["7 名考评员资格已过期"]
    assert (expired.level, expired.due, expired.target_id) == ("overdue", None, None)
    assert all(f"过期{i}" in expired.detail for i in range(7))
    assert f"过期6（{(TODAY - dt.timedelta(days=106)).isoformat()}）" in expired.detail

    missing = by_title["12 名考评员未登记考评资格"]
    assert (missing.kind, missing.level, missing.target_id) == ("qualification_missing", "overdue", None)
    assert "无证09" in missing.detail and "无证10" not in missing.detail and "等 12 人" in missing.detail

    assert by_title["考评员「下月到期」资格即将到期"].due == TODAY + dt.timedelta(days=30)


def test_an_organisation_problem_comes_before_an_examiners(world: World) -> None:
    _person(world, "无资格", 205, ("examiner",))
    with world.db.session() as s:
        org = s.get(Organisation, world.org_id)
        org.scope_level = "district"  # 二级 filed: as an older version let it be saved
        record(s, world.admin, "organisation.update", org)
    with world.db.session() as s:
        items = upcoming_deadlines(s, TODAY)
    assert [i.kind for i in items[:2]] == ["scope_conflict", "qualification_missing"]


# --- B: the filing's reminder lead comes from the profile -------------------------------------


def _filing(w: World, today: dt.date, profile_name: str | None = None, lead: int | None = None):  # type: ignore[no-untyped-def]
    """(status, the filing's dashboard item) on ``today``; ``lead`` overrides the profile's."""
    with w.db.session() as s:
        org = get_organisation(s)
        if profile_name is not None and org.profile_name != profile_name:
            org.profile_name = profile_name
            record(s, w.admin, "organisation.update", org)
    with w.db.session() as s:
        org = get_organisation(s)
        profile = load_profile(org.profile_name)
        if lead is not None:
            rule = dataclasses.replace(profile.filing_validity, renewal_reminder_days=lead)
            profile = dataclasses.replace(profile, filing_validity=rule)
        validity = filing_validity(s, org, profile, today)
        items = [i for i in upcoming_deadlines(s, today) if i.kind.startswith("filing")]
    if lead is None:
        assert [i.level for i in items] == [validity.urgency]  # the page says what the dashboard says
    return validity.status, validity.item


def test_chongqing_turns_amber_the_profile_lead_before_the_renewal_deadline(world: World) -> None:
    assert load_profile("chongqing").filing_validity.renewal_reminder_days == 60
    status, item = _filing(world, DEADLINE - dt.timedelta(days=61))
    assert (status, item.kind, item.level, item.due) == ("valid", "filing_renewal", "later", DEADLINE)
    status, item = _filing(world, DEADLINE - dt.timedelta(days=60))  # 2026-12-17, 90 days to expiry
    assert (status, item.kind, item.level) == ("renew_soon", "filing_renewal", "soon")
    # a month before the deadline (it used to stay green until 3 working days before it)
    status, item = _filing(world, dt.date(2027, 1, 16))
    assert (status, item.level) == ("renew_soon", "soon")
    with world.db.session() as s:
        text = filing_validity(s, get_organisation(s), load_profile("chongqing"), dt.date(2027, 1, 16)).text
    assert "最迟 2027-02-15（还有 30 天）" in text and "准备材料" in text
    # past the deadline: red as before
    assert _filing(world, DEADLINE + dt.timedelta(days=1))[1].level == "overdue"


def test_the_lead_is_the_profiles_setting(world: World) -> None:
    assert _filing(world, DEADLINE - dt.timedelta(days=11), lead=10)[0] == "valid"
    assert _filing(world, DEADLINE - dt.timedelta(days=10), lead=10)[0] == "renew_soon"
    assert _filing(world, DEADLINE - dt.timedelta(days=11), lead=20)[0] == "renew_soon"


@pytest.mark.parametrize("profile_name", ["anhui", "shandong", "national"])
def test_without_a_renewal_notice_the_lead_counts_to_the_expiry(world: World, profile_name: str) -> None:
    lead = load_profile(profile_name).filing_validity.renewal_reminder_days
    assert lead == 60
    status, item = _filing(world, VALID_UNTIL - dt.timedelta(days=lead + 1), profile_name)
    assert (status, item.kind, item.level) == ("valid", "filing_expiry", "later")
    status, item = _filing(world, VALID_UNTIL - dt.timedelta(days=lead), profile_name)
    assert (status, item.kind, item.level, item.due) == ("renew_soon", "filing_expiry", "soon", VALID_UNTIL)


def test_guizhou_continues_by_itself_and_is_never_amber(world: World) -> None:
    assert load_profile("guizhou").filing_validity.renewal_reminder_days is None
    for days in (60, 10, 1, 0):
        status, item = _filing(world, VALID_UNTIL - dt.timedelta(days=days), "guizhou")
        assert (status, item.level) == ("valid", "later"), days


def test_the_filing_reminder_needs_no_working_day_calendar(world: World) -> None:
    """The lead is in calendar days: days before the deadline in a year without a calendar (2027)
    the filing line is amber, and no “缺少2027年法定节假日安排” appears because of it."""
    with world.db.session() as s:
        items = upcoming_deadlines(s, DEADLINE - dt.timedelta(days=2))
    assert [(i.kind, i.level) for i in items if i.kind.startswith(("filing", "calendar"))] == [
        ("filing_renewal", "soon")
    ]
