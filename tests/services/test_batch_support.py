"""Shared set-up for the batch tests: a Chongqing organisation with a filed scope, a venue,
staff and candidates, and a batch whose plan passes every check ("the good batch").

Built with the services where they exist (organisation, venues, batches, enrolment) and with
ORM + record() for the roster (people, roles, qualifications)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from app.db import Database
from app.models import (
    ExaminerQualification,
    Occupation,
    Person,
    ScopeEntry,
    StaffRoleEntry,
    WorkType,
)
from app.services.actor import Actor
from app.services.audit import record
from app.services.audit_verify import verify_audit

CLERK_PASSWORD = "Clerk#2026"
SCORER_PASSWORD = "Scorer#2026"
DAY = dt.date(2026, 10, 9)  # first session: the Friday after National Day 2026


@dataclass
class World:
    db: Database
    admin: Actor
    clerk: Actor
    scorer: Actor
    org_id: int = 0
    electrician: int = 0  # occupation 电工, levels 2–5, no work types
    turner: int = 0  # occupation 车工: 数控车工 and 普通车工 filed for levels 3–5
    cnc: int = 0  # work type 数控车工
    manual: int = 0  # work type 普通车工
    instrument: int = 0  # work type 仪表车工 (not in the filed scope)
    venue_id: int = 0
    theory_room: int = 0  # capacity 10
    small_room: int = 0  # capacity 2
    skill_room: int = 0  # 4 stations for 电工
    review_room: int = 0
    people: dict[str, int] = field(default_factory=dict)

    def p(self, key: str) -> int:
        return self.people[key]


def _id_number(seq: int) -> str:
    from app.rules.idcard import gb11643_check_char

    first17 = f"500106199001{seq % 28 + 1:02d}{seq:03d}"
    return first17 + gb11643_check_char(first17)


def add_person(s, actor: Actor, key: str, name: str, *, employer: str = "", roles: tuple[str, ...] = (),  # type: ignore[no-untyped-def]
               seq: int) -> Person:
    p = Person(id_type="201", id_number=_id_number(seq), name=name, gender="男", employer=employer,
               city="重庆市沙坪坝区", education="大专", title="技师" if roles else "")
    s.add(p)
    record(s, actor, "person.create", p, summary={"name": name})
    for role in roles:
        r = StaffRoleEntry(person_id=p.id, role=role, in_house=True)
        s.add(r)
        record(s, actor, "staff_role.add", r, summary={"role": role})
    return p


def add_qualification(s, actor: Actor, person_id: int, occupation_id: int, max_level: int, *,  # type: ignore[no-untyped-def]
                      work_type_id: int | None = None, valid_until: dt.date | None = dt.date(2030, 12, 31),
                      certificate_no: str = "KP5020260001") -> ExaminerQualification:
    q = ExaminerQualification(person_id=person_id, occupation_id=occupation_id, work_type_id=work_type_id,
                              max_level=max_level, certificate_no=certificate_no,
                              valid_from=dt.date(2023, 1, 1), valid_until=valid_until)
    s.add(q)
    record(s, actor, "qualification.add", q)
    return q


def build_world(db: Database, admin: Actor) -> World:
    from app.services.organisation import OrgInput, save_organisation
    from app.services.users import authenticate, create_user
    from app.services.venues import RoomInput, VenueInput, add_room, create_venue

    with db.session() as s:
        create_user(s, admin, "kaowu", "clerk", CLERK_PASSWORD, "考务员")
        create_user(s, admin, "lufen", "scorer", SCORER_PASSWORD, "录分员")
    with db.session() as s:
        clerk = authenticate(s, "kaowu", CLERK_PASSWORD)
        scorer = authenticate(s, "lufen", SCORER_PASSWORD)
    w = World(db, admin, clerk, scorer)
    with db.session() as s:
        org = save_organisation(
            s, admin,
            OrgInput(name="重庆测试职业技能培训学校", org_type="S", profile_name="chongqing", scope_level="city",
                     filing_code="S000050000017", address="重庆市沙坪坝区大学城中路 1 号",
                     filed_on=dt.date(2024, 3, 18), filing_valid_until=dt.date(2027, 3, 17)),
        )
        w.org_id = org.id
        ele = Occupation(code="6-31-01-03", name="电工")
        tur = Occupation(code="6-18-01-01", name="车工")
        s.add_all([ele, tur])
        record(s, admin, "occupation.create", ele)
        record(s, admin, "occupation.create", tur)
        cnc = WorkType(occupation_id=tur.id, name="数控车工")
        man = WorkType(occupation_id=tur.id, name="普通车工")
        ins = WorkType(occupation_id=tur.id, name="仪表车工")
        s.add_all([cnc, man, ins])
        for wt in (cnc, man, ins):
            record(s, admin, "work_type.create", wt)
        entries = [(ele.id, None, lv) for lv in (2, 3, 4, 5)]
        entries += [(tur.id, wt.id, lv) for wt in (cnc, man) for lv in (3, 4, 5)]
        for occ_id, wt_id, lv in entries:
            e = ScopeEntry(organisation_id=org.id, occupation_id=occ_id, work_type_id=wt_id, level=lv)
            s.add(e)
            record(s, admin, "scope.add", e)
        w.electrician, w.turner, w.cnc, w.manual, w.instrument = ele.id, tur.id, cnc.id, man.id, ins.id
    with db.session() as s:
        v = create_venue(s, admin, VenueInput("大学城考点", "重庆市沙坪坝区大学城中路 1 号", 800))
        w.venue_id = v.id
        w.theory_room = add_room(s, admin, v.id, RoomInput("理论考场301", 10, True)).id
        w.small_room = add_room(s, admin, v.id, RoomInput("小会议室", 2, False)).id
        w.skill_room = add_room(s, admin, v.id, RoomInput("实操车间", 30, True, stations={ele.id: 4})).id
        w.review_room = add_room(s, admin, v.id, RoomInput("评审室", 8, True)).id
    with db.session() as s:
        seq = 1
        staff = [
            ("e1", "考评甲", ("examiner",)), ("e2", "考评乙", ("examiner",)), ("e3", "考评丙", ("examiner",)),
            ("e4", "考评丁", ("examiner",)), ("p1", "监考甲", ("proctor",)), ("p2", "监考乙", ("proctor",)),
            ("p3", "监考丙", ("proctor",)), ("s1", "督导甲", ("supervisor",)),
        ]
        for key, name, roles in staff:
            p = add_person(s, admin, key, name, employer="重庆测试职业技能培训学校", roles=roles, seq=seq)
            seq += 1
            w.people[key] = p.id
            if "examiner" in roles:
                add_qualification(s, admin, p.id, ele.id, 2)
        for i, (key, name, employer) in enumerate(
            [("c1", "张三", "甲公司"), ("c2", "李四", "乙公司"), ("c3", "王五", "丙公司"),
             ("c4", "赵六", "丁公司"), ("c5", "钱七", "戊公司")]
        ):
            p = add_person(s, admin, key, name, employer=employer, seq=100 + i)
            w.people[key] = p.id
    return w


def make_batch(w: World, *, code: str = "2026-10", level: int = 4, day: dt.date = DAY,
               candidates: tuple[str, ...] = ("c1", "c2", "c3"), review: bool = False,
               occupation: int | None = None, work_type: int | None = None) -> int:
    """A batch whose plan passes every check: theory (2 proctors) and skill (3 examiners) sessions."""
    from app.services.batches import (
        BatchInput,
        SessionInput,
        add_session,
        assign_staff,
        create_batch,
    )
    from app.services.enrolment import enrol_people

    a = w.admin
    with w.db.session() as s:
        b = create_batch(s, a, BatchInput(name=f"{code} 电工认定", occupation_id=occupation or w.electrician,
                                          work_type_id=work_type, level=level, method_review=review, code=code,
                                          candidate_source="社会考生"))
        theory = add_session(s, a, b.id, SessionInput(day, dt.time(9), dt.time(10, 30), "theory", w.theory_room))
        skill = add_session(s, a, b.id, SessionInput(day, dt.time(14), dt.time(17), "skill", w.skill_room))
        if review:
            add_session(s, a, b.id, SessionInput(day + dt.timedelta(days=1), dt.time(9), dt.time(11), "review",
                                                 w.review_room))
        for key in ("e1", "e2", "e3"):
            assign_staff(s, a, b.id, w.p(key), "examiner", skill.id)
        for key in ("p1", "p2"):
            assign_staff(s, a, b.id, w.p(key), "proctor", theory.id)
        assign_staff(s, a, b.id, w.p("s1"), "supervisor")
        if candidates:
            enrol_people(s, a, b.id, [w.p(k) for k in candidates])
        return b.id


def sessions_of(w: World, batch_id: int) -> dict[str, int]:
    from app.services.batches import list_sessions

    with w.db.session() as s:
        return {x.subject: x.id for x in list_sessions(s, batch_id)}


def assert_audit_ok(db: Database) -> None:
    with db.session() as s:
        report = verify_audit(s)
    assert report.ok, [p.message for p in report.problems]


@pytest.fixture
def world(db: Database, admin: Actor) -> World:
    return build_world(db, admin)
