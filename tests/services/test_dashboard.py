"""The dashboard's deadline list: what is due, how urgent, in which order, and calendar gaps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.models import ArchiveItem, Batch, ExaminerQualification
from app.services.audit import record
from app.services.dashboard import upcoming_deadlines
from tests.services.test_batch_support import World, make_batch, world

__all__ = ["world"]

TODAY = dt.date(2026, 9, 15)  # Tuesday


def _archive(w: World, title: str, end: dt.date, destroyed: bool = False) -> None:
    with w.db.session() as s:
        a = ArchiveItem(kind="paper", title=title, archived_on=dt.date(2023, 1, 1), retention_end=end,
                        destroyed_on=end if destroyed else None)
        s.add(a)
        record(s, w.admin, "archive.add", a)


def test_deadlines_are_sorted_by_urgency(world: World) -> None:
    soon = make_batch(world, code="2026-10", day=dt.date(2026, 10, 9))  # due 09-18: 3 working days
    overdue = make_batch(world, code="2026-11", candidates=("c4",), day=dt.date(2026, 9, 22))  # due 09-09 (Sun 09-20 works)
    later = make_batch(world, code="2026-12", candidates=("c5",), day=dt.date(2026, 11, 20))
    publicity = make_batch(world, code="2026-09", candidates=(), day=dt.date(2026, 8, 20))
    with world.db.session() as s:
        b = s.get(Batch, publicity)
        b.status, b.publicity_start = "publicity", dt.date(2026, 9, 14)
        record(s, world.admin, "batch.status", b)
        q = s.scalar(select(ExaminerQualification).where(ExaminerQualification.person_id == world.p("e4")))
        q.valid_until = TODAY + dt.timedelta(days=30)
        record(s, world.admin, "qualification.update", q)
    _archive(world, "2023年第1期纸质档案", TODAY + dt.timedelta(days=60))
    _archive(world, "已销毁的档案", TODAY + dt.timedelta(days=10), destroyed=True)
    _archive(world, "远期档案", TODAY + dt.timedelta(days=200))

    with world.db.session() as s:
        items = upcoming_deadlines(s, TODAY)
    summary = [(i.kind, i.level, i.due, i.target_page, i.target_id) for i in items]
    assert summary[0] == ("plan_filing", "overdue", dt.date(2026, 9, 9), "batch", overdue)
    # publicity from Mon 09-14 for 5 working days: 14, 15, 16, 17, 18
    assert summary[1] == ("plan_filing", "soon", dt.date(2026, 9, 18), "batch", soon)
    assert summary[2] == ("publicity_end", "soon", dt.date(2026, 9, 18), "batch", publicity)
    rest = summary[3:]
    assert [x[1] for x in rest] == ["later"] * len(rest)
    assert [x[2] for x in rest] == sorted(x[2] for x in rest)
    kinds = {x[0]: x for x in rest}
    assert kinds["plan_filing"][4] == later
    assert kinds["qualification_expiry"][3:] == ("person", world.p("e4"))
    assert kinds["retention_end"][2] == TODAY + dt.timedelta(days=60)
    assert kinds["filing_renewal"][2] == dt.date(2027, 2, 15)  # 30 days before 2027-03-17
    assert "results_filing" not in kinds  # Chongqing sets no results-filing deadline
    assert all(i.title for i in items) and not any(i.kind == "calendar_missing" for i in items)
    assert sum(1 for i in items if i.kind == "retention_end") == 1


def test_a_year_without_calendar_becomes_an_item(world: World) -> None:
    make_batch(world, code="2027-01", day=dt.date(2027, 3, 1))
    with world.db.session() as s:
        items = upcoming_deadlines(s, dt.date(2027, 2, 10))
    missing = [i for i in items if i.kind == "calendar_missing"]
    assert len(missing) == 1 and "2027" in missing[0].title and missing[0].target_page == "calendar"
    assert not any(i.kind == "plan_filing" for i in items)


def test_results_filing_deadline_from_the_profile(world: World) -> None:
    from app.models import Organisation

    bid = make_batch(world, code="2026-10", day=dt.date(2026, 10, 9))
    with world.db.session() as s:
        org = s.get(Organisation, world.org_id)
        org.profile_name = "guizhou"  # within 10 working days after the assessment
        record(s, world.admin, "organisation.update", org)
        b = s.get(Batch, bid)
        b.status = "scoring"
        record(s, world.admin, "batch.status", b)
    with world.db.session() as s:
        items = upcoming_deadlines(s, dt.date(2026, 10, 12))
    due = next(i for i in items if i.kind == "results_filing")
    # 10 working days after Fri 10-09, counting the adjusted working Saturday 10-10
    assert due.target_id == bid and due.due == dt.date(2026, 10, 22)


def test_no_organisation_no_items(db, admin) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        assert upcoming_deadlines(s, TODAY) == []


def test_an_expired_filing_says_so(world: World) -> None:
    """Past the end of the filing validity the item is the expiry (overdue), not a renewal date."""
    with world.db.session() as s:
        items = upcoming_deadlines(s, dt.date(2027, 4, 1))
    expired = [i for i in items if i.kind == "filing_expiry"]
    assert not any(i.kind == "filing_renewal" for i in items)
    assert len(expired) == 1 and expired[0].title == "机构备案已过期"
    assert expired[0].level == "overdue" and expired[0].due == dt.date(2027, 3, 17)
    assert "2027-03-17" in expired[0].detail and "延续或重新备案" in expired[0].detail
