"""`skillsite demo`: a realistic Chongqing S-type organisation with five batches in different states.

Everything is written in one transaction and audited row by row, so `audit verify` passes on
the result. Data is synthetic and reproducible (fixed seed); ID numbers carry valid check digits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationError
from app.models import (
    Batch,
    Enrolment,
    ExaminerQualification,
    ExamSession,
    Occupation,
    Person,
    Photo,
    Room,
    RoomStations,
    ScopeEntry,
    ScoreEntry,
    StaffAssignment,
    StaffRoleEntry,
    Venue,
    WorkType,
)
from app.models.base import Base
from app.services import demo_data as D
from app.services.actor import Actor
from app.services.audit import record
from app.services.organisation import OrgInput, save_organisation
from app.services.users import authenticate, create_first_admin, needs_first_run

Progress = Callable[[str], None]

# Where the external examiners (聘请的外单位考评员, in_house False) work: not the organisation
# itself, or the roster would contradict their 非本单位 role. Picked by position, not by the
# random generator, so every other demo value stays what it was.
EXTERNAL_EMPLOYERS = (
    "重庆童心托育服务有限公司",
    "重庆市渝北区金色摇篮幼儿园",
    "重庆康乐家庭服务有限公司",
)


@dataclass(frozen=True)
class DemoSummary:
    organisation: str
    people: int
    staff: int
    candidates: int
    batches: int
    scores: int
    certificates: int


# (code, name, occupation index, work type, level, status, first day, candidates, review)
BATCHES = [
    ("2026-01", "2026年第1期电工四级认定", 0, None, 4, "certified", dt.date(2026, 6, 13), 70),
    (
        "2026-02",
        "2026年第2期中式烹调师三级认定",
        1,
        None,
        3,
        "results_filed",
        dt.date(2026, 9, 19),
        60,
    ),
    ("2026-03", "2026年第3期育婴员五级认定", 2, None, 5, "publicity", dt.date(2026, 11, 7), 60),
    ("2026-04", "2026年第4期保育师四级认定", 3, None, 4, "plan_filed", dt.date(2026, 12, 12), 60),
    ("2026-05", "2026年第5期电工二级（技师）认定", 0, None, 2, "draft", dt.date(2026, 12, 26), 50),
]


def build_demo(
    db: Database, admin_password: str, progress: Progress | None = None, seed: int = 2026
) -> DemoSummary:
    say = progress or (lambda _msg: None)
    with db.session() as s:
        if not needs_first_run(s):
            raise ValidationError(
                "该数据目录中已有数据：演示数据只能生成到新的空数据目录。请用 --data-dir 指定一个新文件夹。"
            )
        create_first_admin(s, "admin", admin_password, "演示管理员")
    with db.session() as s:
        actor = authenticate(s, "admin", admin_password)
    with db.session() as s:
        return _DemoBuilder(s, actor, random.Random(seed), say).build()


class _DemoBuilder:
    def __init__(self, session: Session, actor: Actor, rng: random.Random, say: Progress) -> None:
        self.s, self.actor, self.rng, self.say = session, actor, rng, say
        self.used_ids: set[str] = set()
        self.scores = 0
        self.certificates = 0

    def add(self, obj: Base, action: str, **summary: object) -> Base:
        self.s.add(obj)
        record(self.s, self.actor, action, obj, summary=summary or None, reason="演示数据")
        return obj

    # --- people -----------------------------------------------------------------------
    def id_number(self, birth_from: int, birth_to: int) -> tuple[str, dt.date, str]:
        from app.rules.idcard import gb11643_check_char

        while True:
            area = self.rng.choice(D.AREAS)
            birth = dt.date(
                self.rng.randint(birth_from, birth_to),
                self.rng.randint(1, 12),
                self.rng.randint(1, 28),
            )
            seq = self.rng.randint(1, 999)
            first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = first17 + gb11643_check_char(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number, birth, "男" if seq % 2 else "女"

    def name(self) -> str:
        given = "".join(self.rng.choice(D.GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(D.SURNAMES) + given

    def person(
        self,
        name: str | None = None,
        *,
        staff: bool = False,
        photo: bool = True,
        employer: str | None = None,
    ) -> Person:
        """A person with a fresh valid ID number; staff work for the organisation unless
        `employer` says otherwise (given, it draws nothing from the random generator)."""
        number, birth, gender = self.id_number(1966, 1990) if staff else self.id_number(1970, 2006)
        p = Person(
            id_type="201",
            id_number=number,
            name=name or self.name(),
            gender=gender,
            birth_date=birth,
            phone=f"1{self.rng.choice('3578')}{self.rng.randint(0, 999999999):09d}",
            employer=employer
            or ("重庆巴渝职业技能培训学校" if staff else self.rng.choice(D.EMPLOYERS)),
            education=self.rng.choice(D.EDUCATION[2:] if staff else D.EDUCATION),
            city="重庆市" + D.CITIES[number[:6]],
            title=self.rng.choice(D.STAFF_TITLES) if staff else "",
        )
        self.add(p, "person.create", name=p.name, id_number=number)
        if photo:
            data = D.portrait_jpeg(self.rng)
            self.add(
                Photo(
                    person_id=p.id,
                    data=data,
                    mime="image/jpeg",
                    width=295,
                    height=413,
                    sha256=hashlib.sha256(data).hexdigest(),
                ),
                "photo.import",
                person=p.name,
            )
        return p

    # --- build --------------------------------------------------------------------------
    def build(self) -> DemoSummary:
        self.say("正在生成机构与职业目录……")
        org = self.organisation()
        occupations = self.catalogue(org.id)
        rooms = self.rooms(occupations)
        self.say("正在生成工作人员……")
        staff = self.staff(occupations)
        self.say("正在生成考生与认定批次……")
        candidates = 0
        for spec in BATCHES:
            candidates += self.batch(org, spec, occupations, rooms, staff)
        return DemoSummary(
            org.name,
            candidates + len(staff["all"]),
            len(staff["all"]),
            candidates,
            len(BATCHES),
            self.scores,
            self.certificates,
        )

    def organisation(self):  # type: ignore[no-untyped-def]
        from app.rules.uscc import uscc_check_char

        body = "52500000MJP" + "".join(self.rng.choice("0123456789") for _ in range(6))
        return save_organisation(
            self.s,
            self.actor,
            OrgInput(
                name="重庆巴渝职业技能培训学校",
                org_type="S",
                profile_name="chongqing",
                scope_level="city",
                filing_code="S000050000017",
                credit_code=body + uscc_check_char(body),
                address="重庆市沙坪坝区大学城中路 88 号",
                registration_authority="重庆市民政局",
                nature="社会组织",
                legal_representative="周建国",
                registered_capital=Decimal("500.00"),
                contact_person="陈晓梅",
                contact_title="考务部主任",
                phone="023-65012345",
                mobile="13908312345",
                email="kaowu@bayu-skills.example.cn",
                website="www.bayu-skills.example.cn",
                filed_on=dt.date(2024, 3, 18),
                filing_valid_until=dt.date(2027, 3, 17),
            ),
            reason="演示数据",
        )

    def catalogue(self, org_id: int) -> list[Occupation]:
        out = []
        for code, name, is_new, work_types, levels in D.OCCUPATIONS:
            occ = self.add(
                Occupation(code=code, name=name, is_new=is_new), "occupation.create", code=code
            )
            wts = [
                self.add(WorkType(occupation_id=occ.id, name=w), "work_type.create", name=w)
                for w in work_types
            ]
            for wt in wts or [None]:
                for level in levels:
                    self.add(
                        ScopeEntry(
                            organisation_id=org_id,
                            occupation_id=occ.id,
                            work_type_id=wt.id if wt else None,
                            level=level,
                            started_on=dt.date(2024, 4, 1),
                            assessed_count=self.rng.randint(20, 400),
                            standard="国家职业技能标准",
                        ),
                        "scope.add",
                        occupation=name,
                        level=level,
                    )
            out.append(occ)
        return out

    def rooms(self, occupations: list[Occupation]) -> dict[str, Room]:
        venue = self.add(
            Venue(name="大学城考点", address="重庆市沙坪坝区大学城中路 88 号", area_m2=1800),
            "venue.create",
        )
        specs = [
            ("理论考场A（301）", 60, True, {}),
            ("理论考场B（302）", 40, True, {}),
            ("实操车间（一楼）", 40, True, {0: 20, 1: 16, 2: 30, 3: 30}),
        ]
        rooms = {}
        for name, cap, video, stations in specs:
            room = self.add(
                Room(venue_id=venue.id, name=name, capacity=cap, has_video=video),
                "room.create",
                name=name,
            )
            for idx, n in stations.items():
                self.add(
                    RoomStations(room_id=room.id, occupation_id=occupations[idx].id, stations=n),
                    "room.stations",
                )
            rooms[name] = room
        return rooms

    def staff(self, occupations: list[Occupation]) -> dict[str, list[Person]]:
        groups: dict[str, list[Person]] = {
            "examiner": [],
            "proctor": [],
            "supervisor": [],
            "fulltime": [],
            "expert": [],
            "all": [],
        }
        plan = (
            ["examiner"] * 14
            + ["proctor"] * 8
            + ["supervisor"] * 3
            + ["fulltime"] * 3
            + ["expert"] * 2
        )
        for i, role in enumerate(plan):
            external = role in ("examiner", "expert") and i % 4 == 3
            employer = EXTERNAL_EMPLOYERS[i // 4 % len(EXTERNAL_EMPLOYERS)] if external else None
            p = self.person(staff=True, employer=employer)
            self.add(
                StaffRoleEntry(
                    person_id=p.id,
                    role=role,
                    in_house=not external,
                    agreement_on_file=external and i % 8 != 7,
                    agreement_until=dt.date(2027, 12, 31) if external else None,
                    duties="考务组织" if role == "fulltime" else "",
                    specialty="电气自动化" if role == "expert" else "",
                ),
                "staff_role.add",
                role=role,
            )
            if role == "fulltime" and i % 2 == 0:  # full-time staff also proctor
                self.add(
                    StaffRoleEntry(person_id=p.id, role="proctor"), "staff_role.add", role="proctor"
                )
                groups["proctor"].append(p)
            if role == "examiner":
                occ = occupations[i % 4]
                valid_until = (
                    dt.date(2026, 12, 31) if i == 5 else dt.date(2028, 6, 30)
                )  # one expires soon
                self.add(
                    ExaminerQualification(
                        person_id=p.id,
                        occupation_id=occ.id,
                        max_level=2 if i % 3 == 0 else 3,
                        certificate_no=f"KP50{2018 + i % 6}{i:05d}",
                        valid_from=dt.date(2023, 7, 1),
                        valid_until=valid_until,
                    ),
                    "qualification.add",
                    occupation=occ.name,
                )
            groups[role].append(p)
            groups["all"].append(p)
        return groups

    def batch(self, org, spec, occupations, rooms, staff) -> int:  # type: ignore[no-untyped-def]
        code, name, occ_idx, wt, level, status, first_day, n = spec
        occ = occupations[occ_idx]
        review = level <= 2
        b = self.add(
            Batch(
                code=code,
                name=name,
                organisation_id=org.id,
                occupation_id=occ.id,
                work_type_id=wt,
                level=level,
                method_review=review,
                status="draft",
                candidate_source="社会考生、企业职工",
            ),
            "batch.create",
            code=code,
        )
        theory = self.add(
            ExamSession(
                batch_id=b.id,
                day=first_day,
                start_time=dt.time(9),
                end_time=dt.time(10, 30),
                room_id=rooms["理论考场A（301）"].id,
                subject="theory",
            ),
            "session.add",
        )
        skill = self.add(
            ExamSession(
                batch_id=b.id,
                day=first_day + dt.timedelta(days=1),
                start_time=dt.time(8, 30),
                end_time=dt.time(17),
                room_id=rooms["实操车间（一楼）"].id,
                subject="skill",
            ),
            "session.add",
        )
        sessions = [theory, skill]
        if review:
            sessions.append(
                self.add(
                    ExamSession(
                        batch_id=b.id,
                        day=first_day + dt.timedelta(days=1),
                        start_time=dt.time(18),
                        end_time=dt.time(20),
                        room_id=rooms["理论考场B（302）"].id,
                        subject="review",
                    ),
                    "session.add",
                )
            )
        qualified = [
            p for p in staff["examiner"] if any(q.occupation_id == occ.id for q in p.qualifications)
        ]
        examiners = (qualified + [p for p in staff["examiner"] if p not in qualified])[:3]
        for p in examiners:
            self.add(
                StaffAssignment(
                    batch_id=b.id, session_id=skill.id, person_id=p.id, duty="examiner"
                ),
                "staff.assign",
            )
        for p in staff["proctor"][BATCHES.index(spec) % 3 :][:2]:
            self.add(
                StaffAssignment(
                    batch_id=b.id, session_id=theory.id, person_id=p.id, duty="proctor"
                ),
                "staff.assign",
            )
        sup = staff["supervisor"][BATCHES.index(spec) % len(staff["supervisor"])]
        self.add(
            StaffAssignment(batch_id=b.id, session_id=None, person_id=sup.id, duty="supervisor"),
            "staff.assign",
        )

        rare = (
            list(D.RARE_NAMES)
            if code == "2026-01"
            else D.RARE_NAMES[BATCHES.index(spec) * 2 % 8 :][:1]
        )
        enrolments = []
        for i in range(n):
            p = self.person(rare.pop(0) if rare else None, photo=self.rng.random() < 0.9)
            e = self.add(
                Enrolment(
                    batch_id=b.id,
                    person_id=p.id,
                    admission_no=f"{code.replace('-', '')}{i + 1:04d}",
                    seat=f"{i + 1:03d}",
                    room_id=theory.room_id,
                    employer=p.employer,
                    city=p.city[3:],
                ),
                "enrolment.add",
                name=p.name,
            )
            enrolments.append((p, e))
        if status in ("publicity", "results_filed", "certified"):
            self.score(b, enrolments, review)
        self.advance(b, "results_filed" if status == "certified" else status, first_day, skill.day)
        if status == "certified":
            self.certify(b)
        return n

    def score(self, b: Batch, enrolments, review: bool) -> None:  # type: ignore[no-untyped-def]
        comps = ["theory", "skill"] + (["review"] if review else [])
        for _p, e in enrolments:
            marks = {}
            for comp in comps:
                roll = self.rng.random()
                if roll < 0.03:
                    mark, score = "absent", None
                elif roll < 0.04:
                    mark, score = "disqualified", None
                else:
                    mark = "normal"
                    score = Decimal(str(round(min(100.0, max(20.0, self.rng.gauss(74, 12))), 1)))
                marks[comp] = (mark, score)
                self.add(
                    ScoreEntry(
                        enrolment_id=e.id,
                        component=comp,
                        entry_round=1,
                        score=score,
                        mark=mark,
                        entered_by=self.actor.user_id,
                    ),
                    "score.enter",
                    component=comp,
                )
                self.scores += 1
            passed = all(
                m == "normal" and s is not None and s >= b.pass_mark for m, s in marks.values()
            )
            e.result = "pass" if passed else "fail"
            record(
                self.s,
                self.actor,
                "result.compute",
                e,
                summary={"result": e.result},
                reason="演示数据",
            )

    def advance(self, b: Batch, status: str, first_day: dt.date, last_day: dt.date) -> None:
        order = [
            "draft",
            "plan_filed",
            "in_progress",
            "scoring",
            "publicity",
            "results_filed",
            "certified",
        ]
        for step in order[1 : order.index(status) + 1]:
            b.status = step
            if step == "plan_filed":
                b.plan_filed_on = first_day - dt.timedelta(days=21)
            elif step == "publicity":
                b.publicity_start = last_day + dt.timedelta(days=10)
                b.publicity_end = b.publicity_start + dt.timedelta(days=9)
            elif step == "results_filed":
                b.results_filed_on = b.publicity_end + dt.timedelta(days=5)  # type: ignore[operator]
            record(
                self.s, self.actor, "batch.status", b, summary={"status": step}, reason="演示数据"
            )

    def certify(self, b: Batch) -> None:
        """Issue through the real numbering service (moves the batch to 已发证, audits each)."""
        from app.services.certificates import issue_certificates

        issue_date = b.results_filed_on + dt.timedelta(days=7)  # type: ignore[operator]
        # No signing or stored PDF hash: the demo must load on a PC without a secret store.
        result = issue_certificates(self.s, self.actor, b.id, issue_date, fix_content=False)
        self.certificates += len(result.issued)
