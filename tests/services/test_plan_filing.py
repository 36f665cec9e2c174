"""Plan filing: the latest filing date across holidays, filing, late filing, calendar gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Batch, Person
from app.rules.workdays import CalendarMissingError
from app.services.audit import record
from app.services.batch_checks import acknowledge, check_batch
from app.services.batches import (
    BatchInput,
    SessionInput,
    create_batch,
    list_sessions,
    update_session,
)
from app.services.plan_filing import file_plan, plan_deadline
from tests.services.test_batch_support import World, assert_audit_ok, make_batch, world

__all__ = ["world"]


def deadline(w: World, batch_id: int) -> dt.date | None:
    with w.db.session() as s:
        d = plan_deadline(s, batch_id)
        return d.date if d else None


def test_no_deadline_before_the_first_session_has_a_date(world: World) -> None:
    with world.db.session() as s:
        b = create_batch(s, world.admin, BatchInput("未排场次", world.electrician, 4))
    assert deadline(world, b.id) is None


def test_deadline_counts_back_across_national_day(world: World) -> None:
    # 2026-10-09 (Fri): 10 working days back skips 10-01..07 (国庆), 9-25..27 (中秋) and counts
    # the adjusted working Sunday 9-20: 10-08, 9-30, 9-29, 9-28, 9-24, 9-23, 9-22, 9-21, 9-20, 9-18.
    bid = make_batch(world, day=dt.date(2026, 10, 9))
    assert deadline(world, bid) == dt.date(2026, 9, 18)


def test_deadline_counts_back_across_spring_festival(world: World) -> None:
    # 2026-02-24 (Tue): 2-15..23 off; Saturday 2-14 is a working day: 2-14, 13, 12, 11, 10, 9, 6, 5, 4, 3.
    bid = make_batch(world, day=dt.date(2026, 2, 24))
    assert deadline(world, bid) == dt.date(2026, 2, 3)


def test_the_first_session_sets_the_deadline(world: World) -> None:
    bid = make_batch(world, day=dt.date(2026, 10, 9))
    with world.db.session() as s:
        skill = next(x for x in list_sessions(s, bid) if x.subject == "skill")
        update_session(s, world.admin, skill.id, SessionInput(dt.date(2026, 10, 8), dt.time(14), dt.time(17),
                                                             "skill", world.skill_room))
    assert deadline(world, bid) == dt.date(2026, 9, 17)


def test_filing_on_time_by_a_clerk(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s:
        r = file_plan(s, world.clerk, bid, dt.date(2026, 9, 18))
    assert not r.late and r.deadline == dt.date(2026, 9, 18) and r.status == "plan_filed"
    with world.db.session() as s:
        b = s.get(Batch, bid)
        assert b.status == "plan_filed" and b.plan_filed_on == dt.date(2026, 9, 18)
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "plan.file")) is not None
    with world.db.session() as s, pytest.raises(ValidationError, match="已经报备"):
        file_plan(s, world.clerk, bid, dt.date(2026, 9, 18))
    assert_audit_ok(world.db)


def test_late_filing_refused_for_a_clerk(world: World) -> None:
    bid = make_batch(world)
    with pytest.raises(PermissionDenied) as exc, world.db.session() as s:
        file_plan(s, world.clerk, bid, dt.date(2026, 9, 21), reason="漏报")
    assert "2026-09-18" in exc.value.message
    with world.db.session() as s:
        assert s.get(Batch, bid).status == "draft"
        denied = s.scalar(select(AuditEntry).where(AuditEntry.action == "permission.denied"))
        assert denied is not None and denied.batch_id == bid
    assert_audit_ok(world.db)


def test_late_filing_by_an_admin_needs_a_reason(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s, pytest.raises(ValidationError, match="逾期报备须填写理由"):
        file_plan(s, world.admin, bid, dt.date(2026, 9, 21))
    with world.db.session() as s:
        r = file_plan(s, world.admin, bid, dt.date(2026, 9, 21), reason="主管部门同意补报")
    assert r.late
    with world.db.session() as s:
        e = s.scalar(select(AuditEntry).where(AuditEntry.action == "plan.file"))
        assert e.reason == "主管部门同意补报" and '"late":true' in e.summary
    assert_audit_ok(world.db)


def test_filing_refused_while_errors_remain(world: World) -> None:
    bid = make_batch(world, candidates=())
    with world.db.session() as s, pytest.raises(ValidationError) as exc:
        file_plan(s, world.admin, bid, dt.date(2026, 9, 1), reason="x")
    assert "考生名册为空" in exc.value.message and "请先修正以上错误" in exc.value.message


def test_filing_refused_while_warnings_are_unacknowledged(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s:
        e2 = s.get(Person, world.p("e2"))
        e2.employer = "甲公司"
        record(s, world.admin, "person.update", e2)
    with world.db.session() as s, pytest.raises(ValidationError, match="待确认的警告"):
        file_plan(s, world.clerk, bid, dt.date(2026, 9, 1))
    with world.db.session() as s:
        key = check_batch(s, bid).warnings[0].key
        acknowledge(s, world.clerk, bid, key, "考评乙回避本单位考生")
    with world.db.session() as s:
        assert file_plan(s, world.clerk, bid, dt.date(2026, 9, 1)).status == "plan_filed"
    assert_audit_ok(world.db)


def test_scorer_may_not_file(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s, pytest.raises(PermissionDenied):
        file_plan(s, world.scorer, bid, dt.date(2026, 9, 1))


def test_a_year_without_calendar_is_a_clear_message(world: World) -> None:
    bid = make_batch(world, day=dt.date(2027, 3, 1))  # the package's data ends with 2026
    with world.db.session() as s, pytest.raises(CalendarMissingError) as exc:
        plan_deadline(s, bid)
    assert "2027" in exc.value.message
    with world.db.session() as s, pytest.raises(ValidationError) as exc2:
        file_plan(s, world.clerk, bid, dt.date(2027, 2, 1))
    assert "无法计算最迟报备日" in exc2.value.message and "2027年法定节假日" in exc2.value.message
    from app.services.calendar import set_day

    with world.db.session() as s:  # staff enter the year's calendar: now it works
        set_day(s, world.admin, dt.date(2027, 1, 1), "休", "元旦")
    assert deadline(world, bid) == dt.date(2027, 2, 15)
