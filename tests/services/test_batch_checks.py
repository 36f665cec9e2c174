"""Plan checks: each check with a passing and a failing case, and acknowledgements."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied, ValidationError
from app.models import (
    AuditEntry,
    Batch,
    Certificate,
    CheckAcknowledgement,
    Enrolment,
    ExaminerQualification,
    Person,
)
from app.services.audit import record
from app.services.batch_checks import CheckReport, acknowledge, check_batch
from app.services.batches import (
    BatchInput,
    SessionInput,
    add_session,
    assign_staff,
    create_batch,
    list_staff,
    unassign_staff,
    update_session,
)
from tests.services.test_batch_support import (
    DAY,
    World,
    add_qualification,
    assert_audit_ok,
    make_batch,
    sessions_of,
    world,
)

__all__ = ["world"]


def report(w: World, batch_id: int) -> CheckReport:
    with w.db.session() as s:
        return check_batch(s, batch_id)


def keys(r: CheckReport, level: str = "error") -> set[str]:
    items = r.errors if level == "error" else r.warnings
    return {i.key.split(":")[0] for i in items}


def test_good_batch_passes_every_check(world: World) -> None:
    bid = make_batch(world)
    r = report(world, bid)
    assert r.errors == [] and r.warnings == [] and r.acknowledged == []
    assert r.can_file
    assert_audit_ok(world.db)


def test_overlapping_bookings_in_another_batch(world: World) -> None:
    bid = make_batch(world)
    other = make_batch(world, code="2026-11", candidates=("c4",), day=DAY + dt.timedelta(days=7))
    assert "overlap" not in keys(report(world, bid))  # a week apart: fine
    ses = sessions_of(world, other)
    with world.db.session() as s:  # move the other batch's skill session onto our skill afternoon
        update_session(s, world.admin, ses["skill"], SessionInput(DAY, dt.time(15), dt.time(16), "skill",
                                                                 world.review_room))
    r = report(world, bid)
    overlap = [i for i in r.errors if i.key.startswith("overlap:")]
    assert {i.person_id for i in overlap} == {world.p("e1"), world.p("e2"), world.p("e3")}
    assert "同一时间有两项安排" in overlap[0].message and "2026-11" in overlap[0].message
    # the other batch sees it too
    assert "overlap" in keys(report(world, other))


def test_candidate_booked_in_an_overlapping_batch(world: World) -> None:
    bid = make_batch(world)
    other = make_batch(world, code="2026-11", candidates=("c4",), day=DAY + dt.timedelta(days=7))
    ses = sessions_of(world, other)
    from app.services.enrolment import enrol_person

    with world.db.session() as s:  # c4 sits both batches, a week apart: fine
        enrol_person(s, world.admin, bid, world.p("c4"))
    assert "overlap" not in keys(report(world, bid))
    with world.db.session() as s:  # now move the other batch's theory session onto our morning
        update_session(s, world.admin, ses["theory"], SessionInput(DAY, dt.time(10), dt.time(11), "theory",
                                                                  world.small_room))
    r = report(world, bid)
    assert any(i.key.startswith(f"overlap:{world.p('c4')}:") and "考生" in i.message for i in r.errors)


def _qual(w: World, person: str):  # type: ignore[no-untyped-def]
    return select(ExaminerQualification).where(ExaminerQualification.person_id == w.p(person))


def _qual_errors(w: World, batch_id: int) -> list:  # type: ignore[type-arg]
    return [i for i in report(w, batch_id).errors if i.key.startswith("qualification:")]


def test_examiner_without_the_occupation(world: World) -> None:
    bid = make_batch(world)
    assert _qual_errors(world, bid) == []
    with world.db.session() as s:
        q = s.scalar(_qual(world, "e1"))
        q.occupation_id = world.turner
        record(s, world.admin, "qualification.update", q)
    (item,) = _qual_errors(world, bid)
    assert "没有“电工”职业的考评资格" in item.message and item.person_id == world.p("e1")
    assert_audit_ok(world.db)


def test_examiner_qualified_for_another_work_type(world: World) -> None:
    with world.db.session() as s:
        add_qualification(s, world.admin, world.p("e4"), world.turner, 3, work_type_id=world.cnc)
        ok = create_batch(s, world.admin, BatchInput("数控车工", world.turner, 4, work_type_id=world.cnc))
        bad = create_batch(s, world.admin, BatchInput("普通车工", world.turner, 4, work_type_id=world.manual))
        for b, day in ((ok, DAY), (bad, DAY + dt.timedelta(days=1))):
            ses = add_session(s, world.admin, b.id, SessionInput(day, dt.time(9), dt.time(12), "skill",
                                                                 world.skill_room))
            assign_staff(s, world.admin, b.id, world.p("e4"), "examiner", ses.id)
    assert _qual_errors(world, ok.id) == []
    (item,) = _qual_errors(world, bad.id)
    assert "其他工种" in item.message and "普通车工" in item.message


def test_examiner_level_too_low(world: World) -> None:
    bid = make_batch(world, level=2, review=True)
    assert _qual_errors(world, bid) == []  # max_level 2 may assess level 2
    with world.db.session() as s:
        q = s.scalar(_qual(world, "e1"))
        q.max_level = 3
        record(s, world.admin, "qualification.update", q)
    (item,) = _qual_errors(world, bid)
    assert "最高只能考评三级/高级工，不能考评本批次的二级/技师" in item.message


def test_examiner_qualification_expired_on_the_session_day(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s:
        q = s.scalar(_qual(world, "e1"))
        q.valid_until = DAY  # still valid on the day itself
        record(s, world.admin, "qualification.update", q)
    assert _qual_errors(world, bid) == []
    with world.db.session() as s:
        q = s.scalar(_qual(world, "e1"))
        q.valid_until = dt.date(2026, 10, 1)
        record(s, world.admin, "qualification.update", q)
    (item,) = _qual_errors(world, bid)
    assert "已于 2026-10-01 到期" in item.message and "2026-10-09" in item.message


def test_skill_session_needs_three_examiners(world: World) -> None:
    bid = make_batch(world)
    assert "examiners" not in keys(report(world, bid))
    with world.db.session() as s:
        one = next(a for a in list_staff(s, bid) if a.duty == "examiner")
        unassign_staff(s, world.admin, one.id)
    r = report(world, bid)
    item = next(i for i in r.errors if i.key.startswith("examiners:"))
    assert "只安排了 2 名考评员" in item.message and "至少需要 3 名" in item.message
    assert_audit_ok(world.db)


def test_theory_session_needs_two_proctors(world: World) -> None:
    bid = make_batch(world)
    assert "proctors" not in keys(report(world, bid))
    with world.db.session() as s:
        one = next(a for a in list_staff(s, bid) if a.duty == "proctor")
        unassign_staff(s, world.admin, one.id)
    item = next(i for i in report(world, bid).errors if i.key.startswith("proctors:"))
    assert "只安排了 1 名监考员" in item.message


def test_batch_needs_a_supervisor(world: World) -> None:
    bid = make_batch(world)
    assert "supervisor" not in keys(report(world, bid))
    with world.db.session() as s:
        sup = next(a for a in list_staff(s, bid) if a.duty == "supervisor")
        unassign_staff(s, world.admin, sup.id)
    item = next(i for i in report(world, bid).errors if i.key == "supervisor")
    assert "内部质量督导员" in item.message


def test_staff_who_is_also_a_candidate(world: World) -> None:
    bid = make_batch(world)
    assert "staff_candidate" not in keys(report(world, bid))
    ses = sessions_of(world, bid)
    with world.db.session() as s:
        from app.models import StaffRoleEntry

        role = StaffRoleEntry(person_id=world.p("c1"), role="proctor")
        s.add(role)
        record(s, world.admin, "staff_role.add", role)
        assign_staff(s, world.admin, bid, world.p("c1"), "proctor", ses["theory"])
    item = next(i for i in report(world, bid).errors if i.key.startswith("staff_candidate:"))
    assert "既是本批次的监考员，又是本批次的考生" in item.message and item.person_id == world.p("c1")


def test_an_employer_written_with_other_brackets_is_the_same_employer(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s:
        (c1,) = s.scalars(
            select(Enrolment).where(Enrolment.batch_id == bid, Enrolment.person_id == world.p("c1"))
        )
        c1.employer = "重庆建工(集团)有限公司"  # typed with ASCII brackets (or stored so before)
        record(s, world.admin, "enrolment.update", c1)
        e2 = s.get(Person, world.p("e2"))
        e2.employer = "重庆建工（集团）有限公司"
        record(s, world.admin, "person.update", e2)
    (item,) = report(world, bid).warnings
    assert "回避" in item.message and "张三" in item.message


def test_examiner_from_a_candidates_employer_is_a_warning(world: World) -> None:
    bid = make_batch(world)
    assert report(world, bid).warnings == []
    with world.db.session() as s:
        e2 = s.get(Person, world.p("e2"))
        e2.employer = "甲公司"  # c1 works there
        record(s, world.admin, "person.update", e2)
    r = report(world, bid)
    assert r.errors == []
    (item,) = r.warnings
    assert item.level == "warning" and "回避" in item.message and "张三" in item.message
    assert not r.can_file


def test_acknowledging_a_warning(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s:
        e2 = s.get(Person, world.p("e2"))
        e2.employer = "甲公司"
        record(s, world.admin, "person.update", e2)
    key = report(world, bid).warnings[0].key
    with world.db.session() as s, pytest.raises(ValidationError, match="理由"):
        acknowledge(s, world.clerk, bid, key, "  ")
    with world.db.session() as s, pytest.raises(PermissionDenied):
        acknowledge(s, world.scorer, bid, key, "已安排回避")
    with world.db.session() as s:
        ack = acknowledge(s, world.clerk, bid, key, "考评乙不考评张三，由考评丁替换")
        assert isinstance(ack, CheckAcknowledgement) and ack.check_key == key
    r = report(world, bid)
    assert r.warnings == [] and r.acknowledged[0].ack_reason == "考评乙不考评张三，由考评丁替换"
    assert r.can_file
    with world.db.session() as s:  # acknowledging again updates the reason
        acknowledge(s, world.clerk, bid, key, "改由考评丁考评")
    assert report(world, bid).acknowledged[0].ack_reason == "改由考评丁考评"
    with world.db.session() as s, pytest.raises(ValidationError, match="没有标识为"):
        acknowledge(s, world.clerk, bid, "avoid:nope", "x")
    assert_audit_ok(world.db)


def test_errors_cannot_be_acknowledged(world: World) -> None:
    bid = make_batch(world, candidates=())
    r = report(world, bid)
    assert "no_candidates" in keys(r)
    with world.db.session() as s, pytest.raises(ValidationError, match="错误而不是警告"):
        acknowledge(s, world.admin, bid, "no_candidates", "稍后补充")


def test_room_capacity(world: World) -> None:
    bid = make_batch(world)
    assert "capacity" not in keys(report(world, bid))
    ses = sessions_of(world, bid)
    with world.db.session() as s:
        update_session(s, world.admin, ses["theory"], SessionInput(DAY, dt.time(9), dt.time(10, 30), "theory",
                                                                  world.small_room))
    item = next(i for i in report(world, bid).errors if i.key.startswith("capacity:"))
    assert "只能容纳 2 人" in item.message and "3 名考生" in item.message


def test_skill_stations_fewer_than_candidates_is_a_warning(world: World) -> None:
    bid = make_batch(world, candidates=("c1", "c2", "c3", "c4"))
    assert "stations" not in keys(report(world, bid), "warning")  # 4 stations, 4 candidates
    from app.services.enrolment import enrol_person

    with world.db.session() as s:
        enrol_person(s, world.admin, bid, world.p("c5"))
    item = next(i for i in report(world, bid).warnings if i.key.startswith("stations:"))
    assert "需分 2 轮" in item.message


def test_session_without_room(world: World) -> None:
    bid = make_batch(world)
    assert "no_room" not in keys(report(world, bid))
    ses = sessions_of(world, bid)
    with world.db.session() as s:
        update_session(s, world.admin, ses["theory"], SessionInput(DAY, dt.time(9), dt.time(10, 30), "theory", None))
    item = next(i for i in report(world, bid).errors if i.key.startswith("no_room:"))
    assert "尚未指定考场" in item.message and item.session_id == ses["theory"]


def test_room_booked_twice(world: World) -> None:
    bid = make_batch(world)
    other = make_batch(world, code="2026-11", candidates=("c4",), day=DAY + dt.timedelta(days=7))
    assert "room_clash" not in keys(report(world, bid))
    ses = sessions_of(world, other)
    with world.db.session() as s:
        update_session(s, world.admin, ses["theory"], SessionInput(DAY, dt.time(10), dt.time(11), "theory",
                                                                  world.theory_room))
    assert "room_clash" in keys(report(world, bid))


def test_levels_one_and_two_need_review(world: World) -> None:
    good = make_batch(world, level=2, review=True)
    r = report(world, good)
    assert "review_required" not in keys(r) and r.can_file, [i.message for i in r.errors]
    with world.db.session() as s:  # a batch made outside the editor (the editor refuses this)
        b = s.get(Batch, good)
        b.method_review = False
        record(s, world.admin, "batch.update", b)
    r = report(world, good)
    assert "review_required" in keys(r)
    assert "一、二级必须进行综合评审" in next(i for i in r.errors if i.key == "review_required").message


def test_candidate_already_certified_is_a_warning(world: World) -> None:
    old = make_batch(world, code="2026-01", level=4, candidates=("c2",), day=dt.date(2026, 6, 12))
    bid = make_batch(world, level=4)
    assert "holds_certificate" not in keys(report(world, bid), "warning")
    with world.db.session() as s:
        e = s.scalar(select(Enrolment).where(Enrolment.batch_id == old))
        c = Certificate(number="S00005000001726400000" + "1", enrolment_id=e.id, person_id=e.person_id,
                        batch_id=old, level=4, issue_date=dt.date(2026, 7, 20))
        s.add(c)
        record(s, world.admin, "certificate.issue", c)
    item = next(i for i in report(world, bid).warnings if i.key.startswith("holds_certificate:"))
    assert "李四" in item.message and "四级/中级工" in item.message
    # a certificate at a lower level (5) does not warn for a level-4 batch
    with world.db.session() as s:
        c = s.scalar(select(Certificate))
        c.level = 5
        record(s, world.admin, "certificate.update", c)
    assert "holds_certificate" not in keys(report(world, bid), "warning")
    assert_audit_ok(world.db)


def test_methods_need_sessions(world: World) -> None:
    with world.db.session() as s:
        b = create_batch(s, world.admin, BatchInput("只有名称", world.electrician, 4))
    r = report(world, b.id)
    assert {"no_sessions", "no_candidates", "supervisor"} <= keys(r)
    with world.db.session() as s:
        add_session(s, world.admin, b.id, SessionInput(DAY, dt.time(9), dt.time(10), "theory", world.theory_room))
    r = report(world, b.id)
    assert "no_session" in keys(r) and "no_sessions" not in keys(r)


# --- the organisation's filing: scope and validity (000 二(三)、三(二); 004 第五条、第十四条) ----------
def test_a_level_taken_out_of_the_filed_scope_after_planning_is_an_error(world: World) -> None:
    from app.models import ScopeEntry
    from app.services.filed_scope import remove_scope_entry

    bid = make_batch(world)
    with world.db.session() as s:
        batch = s.get(Batch, bid)
        entry_id = s.scalar(
            select(ScopeEntry.id).where(
                ScopeEntry.occupation_id == batch.occupation_id, ScopeEntry.level == batch.level
            )
        )
        code = batch.code
    with pytest.raises(ValidationError) as exc, world.db.session() as s:  # no reason: refused
        remove_scope_entry(s, world.admin, entry_id, reason="  ")
    assert f"批次 {code}（草稿）" in exc.value.message and "移除原因" in exc.value.message
    assert exc.value.field == "reason"
    with world.db.session() as s:
        assert s.get(ScopeEntry, entry_id) is not None
        remove_scope_entry(s, world.admin, entry_id, reason="备案范围变更")
    with world.db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "scope.remove" and last.reason == "备案范围变更"
        assert json.loads(last.summary)["batches"] == f"{code}（草稿）"
    r = report(world, bid)
    (item,) = [i for i in r.errors if i.key == "out_of_scope"]
    assert "不包括" in item.message and "本批次：电工" in item.message
    assert not r.can_file


def _filing_valid_until(w: World, until: dt.date) -> None:
    from app.models import Organisation

    with w.db.session() as s:
        org = s.get(Organisation, w.org_id)
        org.filing_valid_until = until
        record(s, w.admin, "organisation.update", org, reason="test")


def test_sessions_after_the_filing_expires_are_an_error(world: World) -> None:
    bid = make_batch(world)
    _filing_valid_until(world, DAY - dt.timedelta(days=1))
    r = report(world, bid)
    (item,) = [i for i in r.errors if i.key == "filing_expired"]
    assert f"机构备案有效期至 {(DAY - dt.timedelta(days=1)).isoformat()}" in item.message
    assert f"最早 {DAY.isoformat()}" in item.message and "备案到期后不得开展认定" in item.message
    _filing_valid_until(world, DAY)  # the last valid day is still valid
    assert "filing_expired" not in keys(report(world, bid))


def test_an_automatic_continuation_keeps_the_batch_valid(world: World) -> None:
    """Guizhou continues a filing automatically when it ends (001 五(二)): no error there."""
    from app.models import Organisation

    bid = make_batch(world)
    _filing_valid_until(world, DAY - dt.timedelta(days=1))
    with world.db.session() as s:
        org = s.get(Organisation, world.org_id)
        org.profile_name = "guizhou"
        record(s, world.admin, "organisation.update", org, reason="test")
    assert "filing_expired" not in keys(report(world, bid))
