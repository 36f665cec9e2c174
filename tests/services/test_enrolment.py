"""Candidates in a batch: admission numbers, duplicates, clashes, certificates, seats, stations."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Certificate, Enrolment
from app.services.audit import DELETED, record
from app.services.enrolment import (
    assign_seats,
    enrol_people,
    enrol_person,
    list_enrolments,
    remove_enrolment,
    set_admission_pattern,
    station_plan,
)
from tests.services.test_batch_support import (
    DAY,
    World,
    assert_audit_ok,
    make_batch,
    sessions_of,
    world,
)

__all__ = ["world"]


def test_admission_numbers_follow_the_default_pattern(world: World) -> None:
    bid = make_batch(world, candidates=("c1", "c2"))
    with world.db.session() as s:
        rows = list_enrolments(s, bid)
    assert [r.admission_no for r in rows] == ["2026100001", "2026100002"]
    assert rows[0].name == "张三" and "*" in rows[0].id_number and rows[0].employer == "甲公司"
    assert_audit_ok(world.db)


def test_admission_pattern_setting(world: World) -> None:
    with world.db.session() as s:
        with pytest.raises(ValidationError, match="必须包含序号"):
            set_admission_pattern(s, world.admin, "ZK{code}")
        with pytest.raises(ValidationError, match="未知字段"):
            set_admission_pattern(s, world.admin, "{name}{seq}")
        with pytest.raises(PermissionDenied):
            set_admission_pattern(s, world.clerk, "ZK{code}-{seq:03d}")
    with world.db.session() as s:
        set_admission_pattern(s, world.admin, "ZK{code}-{seq:03d}")
    bid = make_batch(world, candidates=("c1", "c2"))
    with world.db.session() as s:
        assert [r.admission_no for r in list_enrolments(s, bid)] == ["ZK202610-001", "ZK202610-002"]


def test_numbers_stay_unique_after_a_removal(world: World) -> None:
    bid = make_batch(world, candidates=("c1", "c2", "c3"))
    with world.db.session() as s:
        first = list_enrolments(s, bid)[0]
        remove_enrolment(s, world.clerk, first.id, reason="考生撤回报名")
    with world.db.session() as s:
        enrol_person(s, world.clerk, bid, world.p("c4"))
    with world.db.session() as s:
        numbers = [r.admission_no for r in list_enrolments(s, bid)]
        assert len(numbers) == len(set(numbers)) == 3
        e = s.scalar(select(AuditEntry).where(AuditEntry.action == "enrolment.remove"))
        assert e.row_digest == DELETED and e.reason == "考生撤回报名"
    assert_audit_ok(world.db)


def test_the_same_person_twice_is_a_clear_refusal(world: World) -> None:
    bid = make_batch(world, candidates=("c1",))
    with (
        world.db.session() as s,
        pytest.raises(ValidationError, match="已在批次「2026-10」的考生名册中"),
    ):
        enrol_person(s, world.clerk, bid, world.p("c1"))
    with world.db.session() as s, pytest.raises(ValidationError, match="重复"):
        enrol_people(s, world.clerk, bid, [world.p("c2"), world.p("c2")])
    with world.db.session() as s:  # all or none: nothing was added
        assert s.scalar(select(func.count(Enrolment.id))) == 1


def test_a_candidate_booked_at_an_overlapping_time_is_refused(world: World) -> None:
    make_batch(world, code="2026-11", candidates=("c4",))
    bid = make_batch(world, code="2026-12", candidates=(), day=DAY + dt.timedelta(days=3))
    with world.db.session() as s:
        enrol_person(s, world.clerk, bid, world.p("c5"))  # fine: no clash
    same_day = make_batch(world, code="2026-13", candidates=(), day=DAY)
    with world.db.session() as s, pytest.raises(ValidationError, match="时间重叠"):
        enrol_person(s, world.clerk, same_day, world.p("c4"))


def test_staff_of_the_batch_cannot_enrol(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s, pytest.raises(ValidationError, match="考务人员"):
        enrol_person(s, world.clerk, bid, world.p("e1"))


def test_already_certified_candidate_is_a_warning(world: World) -> None:
    old = make_batch(world, code="2026-01", candidates=("c2",), day=dt.date(2026, 6, 12))
    with world.db.session() as s:
        e = s.scalar(select(Enrolment).where(Enrolment.batch_id == old))
        c = Certificate(
            number="S0000500000172640000" + "01",
            enrolment_id=e.id,
            person_id=e.person_id,
            batch_id=old,
            level=3,
            issue_date=dt.date(2026, 7, 20),
        )
        s.add(c)
        record(s, world.admin, "certificate.issue", c)
    bid = make_batch(world, candidates=())
    with world.db.session() as s:
        r = enrol_people(s, world.clerk, bid, [world.p("c1"), world.p("c2")])
    assert len(r.added) == 2
    assert len(r.warnings) == 1 and "李四" in r.warnings[0] and "三级/高级工" in r.warnings[0]


def test_seats_respect_room_capacity(world: World) -> None:
    bid = make_batch(world, candidates=("c1", "c2", "c3"))
    with world.db.session() as s:
        seats = assign_seats(s, world.clerk, bid)
    assert [(x.room, x.seat) for x in seats] == [
        ("理论考场301", "001"),
        ("理论考场301", "002"),
        ("理论考场301", "003"),
    ]
    with world.db.session() as s:
        assert {r.seat for r in list_enrolments(s, bid)} == {"001", "002", "003"}
    from app.services.batches import SessionInput, list_sessions, update_session

    with world.db.session() as s:
        theory = next(x for x in list_sessions(s, bid) if x.subject == "theory")
        update_session(
            s,
            world.clerk,
            theory.id,
            SessionInput(DAY, dt.time(9), dt.time(10), "theory", world.small_room),
        )
    with (
        world.db.session() as s,
        pytest.raises(ValidationError, match="共可容纳 2 人，考生有 3 人"),
    ):
        assign_seats(s, world.clerk, bid)
    assert_audit_ok(world.db)


def test_station_plan_uses_the_stations_for_the_occupation(world: World) -> None:
    bid = make_batch(world, candidates=("c1", "c2", "c3", "c4", "c5"))
    with world.db.session() as s:
        plan = station_plan(s, bid)
    assert [(x.station, x.round) for x in plan] == [(1, 1), (2, 1), (3, 1), (4, 1), (1, 2)]
    assert plan[0].room == "实操车间"


def test_staff_of_another_batch_at_the_same_time_is_refused(world: World) -> None:
    from app.services.batches import assign_staff

    first = make_batch(world, code="2026-11", candidates=())
    with world.db.session() as s:  # 考评丁 examines there, 14:00–17:00 on DAY
        assign_staff(
            s, world.admin, first, world.p("e4"), "examiner", sessions_of(world, first)["skill"]
        )
    same_day = make_batch(world, code="2026-13", candidates=())
    with (
        world.db.session() as s,
        pytest.raises(ValidationError, match=r"考评丁.*2026-11.*时间重叠"),
    ):
        enrol_people(s, world.clerk, same_day, [world.p("c1"), world.p("c2"), world.p("e4")])
    with world.db.session() as s:  # all or none: the two who could enrol were not
        assert s.scalar(select(func.count(Enrolment.id)).where(Enrolment.batch_id == same_day)) == 0


def test_numbers_taken_by_another_batch_are_skipped(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pattern without the batch code numbers every batch from 1; the numbers another batch
    holds are skipped, across lookup windows (shrunk here to two numbers)."""
    from app.services import enrolment

    monkeypatch.setattr(enrolment._AdmissionNumbers, "_WINDOW", 2)
    with world.db.session() as s:
        set_admission_pattern(s, world.admin, "ZK{seq:03d}")
    first = make_batch(world, code="2026-11", candidates=("c1", "c2", "c3"))
    second = make_batch(world, code="2026-12", candidates=(), day=DAY + dt.timedelta(days=3))
    with world.db.session() as s:
        enrol_people(s, world.clerk, second, [world.p("c4"), world.p("c5")])
    with world.db.session() as s:
        assert [r.admission_no for r in list_enrolments(s, first)] == ["ZK001", "ZK002", "ZK003"]
        assert [r.admission_no for r in list_enrolments(s, second)] == ["ZK004", "ZK005"]
    assert_audit_ok(world.db)


def test_enrolling_more_candidates_costs_no_more_queries(world: World) -> None:
    """The checks are looked up for all candidates at once: two candidates or five, the same
    number of SELECTs (before, five queries per candidate)."""
    from sqlalchemy import event

    def selects_for(code: str, keys: tuple[str, ...], day: dt.date) -> int:
        bid = make_batch(world, code=code, candidates=(), day=day)
        count = [0]

        def seen(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
            count[0] += statement.lstrip().upper().startswith("SELECT")

        event.listen(world.db.engine, "before_cursor_execute", seen)
        try:
            with world.db.session() as s:
                enrol_people(s, world.clerk, bid, [world.p(k) for k in keys])
        finally:
            event.remove(world.db.engine, "before_cursor_execute", seen)
        return count[0]

    few = selects_for("2026-11", ("c1", "c2"), DAY + dt.timedelta(days=3))
    many = selects_for("2026-12", ("c1", "c2", "c3", "c4", "c5"), DAY + dt.timedelta(days=6))
    assert many == few
    assert_audit_ok(world.db)


def test_a_pattern_that_cuts_the_number_is_refused(world: World) -> None:
    with world.db.session() as s, pytest.raises(ValidationError, match="不是整数写法"):
        set_admission_pattern(s, world.admin, "ZK{seq!s:.0}")
    with world.db.session() as s, pytest.raises(ValidationError, match="不是整数写法"):
        set_admission_pattern(s, world.admin, "ZK{seq:.2}")


def test_a_stored_pattern_that_runs_out_of_numbers_is_said(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pattern stored before the check above (or written to the database by hand) is said in
    Chinese once it gives no new number; numbers handed out in the same call are never repeated."""
    from app.models import Setting
    from app.services import enrolment

    monkeypatch.setattr(enrolment._AdmissionNumbers, "_WINDOW", 2)
    with world.db.session() as s:
        s.add(Setting(key=enrolment.ADMISSION_SETTING, value="ZK{seq!s:.0}"))
    bid = make_batch(world, candidates=())
    with world.db.session() as s, pytest.raises(ValidationError, match="生成不出新的不重复号码"):
        enrol_people(s, world.clerk, bid, [world.p("c1"), world.p("c2")])
    with world.db.session() as s:
        assert s.scalar(select(func.count(Enrolment.id)).where(Enrolment.batch_id == bid)) == 0


def test_a_supervisor_of_another_batch_meanwhile_is_refused_and_flagged(world: World) -> None:
    """A 内部质量督导员 is assigned to a whole batch (no session): every session of it is booked."""
    from app.services.batch_checks import check_batch
    from app.services.batches import list_staff, unassign_staff

    supervised = make_batch(world, code="2026-11", candidates=())  # 督导甲 supervises it, on DAY
    same_day = make_batch(world, code="2026-13", candidates=())
    with world.db.session() as s:  # 督导甲 supervises 2026-11 only
        mine = next(a for a in list_staff(s, same_day) if a.person_id == world.p("s1"))
        unassign_staff(s, world.admin, mine.id, reason="换人")
    with (
        world.db.session() as s,
        pytest.raises(ValidationError, match=r"督导甲.*2026-11.*内部质量督导员.*时间重叠"),
    ):
        enrol_people(s, world.clerk, same_day, [world.p("c1"), world.p("s1")])
    later = make_batch(world, code="2026-14", candidates=(), day=DAY + dt.timedelta(days=9))
    with world.db.session() as s:  # enrolled elsewhere first, then the supervised batch is checked
        mine = next(a for a in list_staff(s, later) if a.person_id == world.p("s1"))
        unassign_staff(s, world.admin, mine.id, reason="换人")
        enrol_people(s, world.clerk, later, [world.p("s1")])
    with world.db.session() as s:
        from app.services.batches import SessionInput, list_sessions, update_session

        for x in list_sessions(s, later):  # move 2026-14 onto 2026-11's day and hours
            update_session(
                s,
                world.admin,
                x.id,
                SessionInput(DAY, x.start_time, x.end_time, x.subject, x.room_id),
            )
    with world.db.session() as s:
        report = check_batch(s, supervised)
    texts = [i.message for i in report.errors]
    assert any("督导甲" in t and "内部质量督导员" in t and "考生" in t for t in texts), texts


def test_a_removed_candidates_number_is_never_given_again(world: World) -> None:
    """The last number removed (2026100003) is not the next one's: the ticket may be printed."""
    bid = make_batch(world, candidates=("c1", "c2", "c3"))
    with world.db.session() as s:
        last = list_enrolments(s, bid)[-1]
        assert last.admission_no == "2026100003"
        remove_enrolment(s, world.clerk, last.id, reason="考生撤回报名")
    with world.db.session() as s:
        enrol_people(s, world.clerk, bid, [world.p("c4"), world.p("c5")])
    with world.db.session() as s:
        numbers = [r.admission_no for r in list_enrolments(s, bid)]
    assert numbers == ["2026100001", "2026100002", "2026100004", "2026100005"]
    assert_audit_ok(world.db)
