"""The batch editor: plan inside the filed scope, methods, codes, sessions, staff, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, ExamSession, StaffAssignment
from app.services.audit import DELETED
from app.services.batch_workflow import advance, move_back
from app.services.batches import (
    BatchInput,
    SessionInput,
    add_session,
    assign_staff,
    create_batch,
    get_batch_info,
    list_sessions,
    list_staff,
    next_batch_code,
    remove_session,
    scope_choices,
    update_batch,
    update_session,
)
from app.services.plan_filing import file_plan
from tests.services.test_batch_support import DAY, World, assert_audit_ok, make_batch, world

__all__ = ["world"]


def test_create_batch_generates_unique_codes(world: World) -> None:
    year = dt.date.today().year
    with world.db.session() as s:
        a = create_batch(s, world.clerk, BatchInput("第一期", world.electrician, 4))
        b = create_batch(s, world.clerk, BatchInput("第二期", world.electrician, 3, code=""))
    assert (a.code, b.code) == (f"{year}-01", f"{year}-02")
    assert a.status == "draft" and a.pass_mark == 60 and a.methods == ["理论知识", "技能操作"]
    assert a.occupation == "电工" and a.level_name == "四级/中级工"
    with world.db.session() as s, pytest.raises(ValidationError, match="已被其他批次使用"):
        create_batch(s, world.clerk, BatchInput("重复", world.electrician, 4, code=a.code))
    with world.db.session() as s:
        assert next_batch_code(s, year) == f"{year}-03"
    assert_audit_ok(world.db)


def test_scope_choices_list_the_filed_scope(world: World) -> None:
    with world.db.session() as s:
        choices = scope_choices(s)
    ele = next(c for c in choices if c.occupation == "电工")
    assert ele.work_type is None and ele.levels == [2, 3, 4, 5]
    assert {c.work_type for c in choices if c.occupation == "车工"} == {"数控车工", "普通车工"}


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"occupation": "turner", "work_type": "instrument", "level": 4}, "仪表车工」不在本机构的备案范围内"),
        ({"occupation": "turner", "work_type": None, "level": 4}, "未指定工种的认定不在本机构的备案范围内"),
        ({"occupation": "turner", "work_type": "cnc", "level": 2}, "不包括二级/技师"),
        ({"occupation": "electrician", "work_type": None, "level": 1}, "不包括一级/高级技师"),
    ],
)
def test_outside_the_filed_scope_is_refused(world: World, kwargs: dict, needle: str) -> None:  # type: ignore[type-arg]
    wt = getattr(world, kwargs["work_type"]) if kwargs["work_type"] else None
    data = BatchInput("越界", getattr(world, kwargs["occupation"]), kwargs["level"], work_type_id=wt,
                      method_review=True)
    with world.db.session() as s, pytest.raises(ValidationError) as exc:
        create_batch(s, world.clerk, data)
    assert needle in exc.value.message


def test_occupation_not_filed_is_refused(world: World) -> None:
    from app.models import Occupation
    from app.services.audit import record

    with world.db.session() as s:
        occ = Occupation(code="4-10-01-01", name="育婴员")
        s.add(occ)
        record(s, world.admin, "occupation.create", occ)
        occ_id = occ.id
    with world.db.session() as s, pytest.raises(ValidationError, match=r"育婴员.*不在本机构的备案范围内"):
        create_batch(s, world.clerk, BatchInput("育婴员", occ_id, 5))


def test_district_organisation_may_not_certify_level_two(world: World) -> None:
    from app.models import Organisation
    from app.services.audit import record

    with world.db.session() as s:
        org = s.get(Organisation, world.org_id)
        org.scope_level = "district"
        record(s, world.admin, "organisation.update", org)
    with world.db.session() as s, pytest.raises(ValidationError, match="区县范围"):
        create_batch(s, world.clerk, BatchInput("技师", world.electrician, 2, method_review=True))


def test_levels_one_and_two_require_review(world: World) -> None:
    with world.db.session() as s, pytest.raises(ValidationError, match="必须包含综合评审"):
        create_batch(s, world.clerk, BatchInput("技师", world.electrician, 2))
    with world.db.session() as s:
        b = create_batch(s, world.clerk, BatchInput("技师", world.electrician, 2, method_review=True))
    assert b.methods == ["理论知识", "技能操作", "综合评审"]
    with world.db.session() as s, pytest.raises(ValidationError, match="至少选择一种评价方式"):
        create_batch(s, world.clerk, BatchInput("无", world.electrician, 4, method_theory=False, method_skill=False))


def test_update_batch(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s:
        info = update_batch(s, world.clerk, bid, BatchInput("改名", world.electrician, 3, code="2026-10"))
    assert info.name == "改名" and info.level == 3 and info.candidates == 3
    with world.db.session() as s, pytest.raises(ValidationError, match=r"场次.*不在新的评价方式中"):
        update_batch(s, world.clerk, bid, BatchInput("改名", world.electrician, 3, code="2026-10",
                                                     method_skill=False))
    assert_audit_ok(world.db)


def test_sessions_add_update_remove(world: World) -> None:
    with world.db.session() as s:
        b = create_batch(s, world.clerk, BatchInput("场次", world.electrician, 4))
        theory = add_session(s, world.clerk, b.id, SessionInput(DAY, dt.time(9), dt.time(11), "theory",
                                                                 world.theory_room))
        skill = add_session(s, world.clerk, b.id, SessionInput(DAY, dt.time(14), dt.time(17), "skill",
                                                                world.skill_room))
        assign_staff(s, world.clerk, b.id, world.p("e1"), "examiner", skill.id)
    assert theory.label == "2026-10-09 09:00–11:00 理论知识" and theory.room == "大学城考点 / 理论考场301"
    with world.db.session() as s:
        moved = update_session(s, world.clerk, theory.id, SessionInput(DAY, dt.time(8), dt.time(9, 30), "theory",
                                                                        world.small_room))
        assert moved.room == "大学城考点 / 小会议室"
        with pytest.raises(ValidationError, match="应晚于开始时间"):
            add_session(s, world.clerk, b.id, SessionInput(DAY, dt.time(11), dt.time(10), "theory"))
        with pytest.raises(ValidationError, match="评价方式不含“综合评审”"):
            add_session(s, world.clerk, b.id, SessionInput(DAY, dt.time(11), dt.time(12), "review"))
    with world.db.session() as s:
        remove_session(s, world.clerk, skill.id, reason="改期")
    with world.db.session() as s:
        assert [x.subject for x in list_sessions(s, b.id)] == ["theory"]
        assert s.scalar(select(func.count(StaffAssignment.id))) == 0
        assert s.scalar(select(func.count(ExamSession.id))) == 1
        removed = s.scalar(select(AuditEntry).where(AuditEntry.action == "session.remove"))
        assert removed.row_digest == DELETED and removed.reason == "改期"
    assert_audit_ok(world.db)


def test_staff_assignment_rules(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s:
        skill = next(x for x in list_sessions(s, bid) if x.subject == "skill")
        with pytest.raises(ValidationError, match="已是该场次的考评员"):
            assign_staff(s, world.clerk, bid, world.p("e1"), "examiner", skill.id)
        with pytest.raises(ValidationError, match="已是本批次的内部质量督导员"):
            assign_staff(s, world.clerk, bid, world.p("s1"), "supervisor")
        with pytest.raises(ValidationError, match="没有考评员角色"):
            assign_staff(s, world.clerk, bid, world.p("p3"), "examiner", skill.id)
        with pytest.raises(ValidationError, match="按批次安排"):
            assign_staff(s, world.clerk, bid, world.p("s1"), "supervisor", skill.id)
        with pytest.raises(ValidationError, match="须安排到具体场次"):
            assign_staff(s, world.clerk, bid, world.p("p3"), "proctor")
        a = assign_staff(s, world.clerk, bid, world.p("p3"), "proctor", skill.id)
        assert a.duty_name == "监考员" and a.session_label == skill.label
    with world.db.session() as s:
        staff = list_staff(s, bid)
    assert sorted(x.name for x in staff if x.duty == "examiner") == ["考评丙", "考评乙", "考评甲"]
    assert_audit_ok(world.db)


def test_permissions(world: World) -> None:
    with world.db.session() as s, pytest.raises(PermissionDenied):
        create_batch(s, world.scorer, BatchInput("无权", world.electrician, 4))


def test_plan_is_frozen_after_filing_until_moved_back(world: World) -> None:
    bid = make_batch(world)
    with world.db.session() as s:
        file_plan(s, world.clerk, bid, dt.date(2026, 9, 1))
    with world.db.session() as s, pytest.raises(ValidationError, match="只能在“草稿”状态下修改"):
        update_batch(s, world.clerk, bid, BatchInput("改", world.electrician, 4, code="2026-10"))
    with world.db.session() as s:
        move_back(s, world.admin, bid, "draft", "主管部门退回修改")
    with world.db.session() as s:
        update_batch(s, world.clerk, bid, BatchInput("改", world.electrician, 4, code="2026-10"))
        file_plan(s, world.clerk, bid, dt.date(2026, 9, 2))
    with world.db.session() as s:
        advance(s, world.clerk, bid, "in_progress")
        assert get_batch_info(s, bid).status_name == "实施中"
    assert_audit_ok(world.db)
