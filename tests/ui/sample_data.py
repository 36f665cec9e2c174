"""A small data set inserted through the ORM for the GUI tests."""

from __future__ import annotations

import datetime as dt

from app.db import Database
from app.models import (
    Batch,
    Certificate,
    Enrolment,
    Occupation,
    Organisation,
    Person,
    ScoreEntry,
    StaffRoleEntry,
)
from app.services.actor import Actor

# A syntactically valid resident ID (check digit correct); the GUI must never show it whole.
FULL_ID = "11010519491231002X"
OTHER_ID = "500101199001011237"


def insert_sample_data(db: Database, admin: Actor) -> None:
    """An organisation, two people (one examiner), two batches, an enrolment, a score, a certificate."""
    with db.session() as s:
        org = Organisation(
            name="重庆市测试职业技能评价中心", org_type="S", profile_name="chongqing"
        )
        occupation = Occupation(code="6-31-01-03", name="电工")
        s.add_all([org, occupation])
        s.flush()
        candidate = Person(
            id_number=FULL_ID,
            name="王小明",
            gender="女",
            birth_date=dt.date(1949, 12, 31),
            employer="重庆某某电力工程有限公司",
        )
        examiner = Person(id_number=OTHER_ID, name="李考评", gender="男", employer="评价中心")
        examiner.roles.append(StaffRoleEntry(role="examiner"))
        examiner.roles.append(StaffRoleEntry(role="fulltime"))
        s.add_all([candidate, examiner])
        b1 = Batch(
            code="2026-01",
            name="2026年第1期电工四级认定",
            organisation_id=org.id,
            occupation_id=occupation.id,
            level=4,
            status="certified",
        )
        b2 = Batch(
            code="2026-02",
            name="2026年第2期电工三级认定",
            organisation_id=org.id,
            occupation_id=occupation.id,
            level=3,
            status="draft",
        )
        s.add_all([b1, b2])
        s.flush()
        enrolment = Enrolment(
            batch_id=b1.id, person_id=candidate.id, admission_no="260100001", result="pass"
        )
        s.add(enrolment)
        s.flush()
        s.add(
            ScoreEntry(
                enrolment_id=enrolment.id, component="theory", score=88, entered_by=admin.user_id
            )
        )
        s.add(
            Certificate(
                number="S000050010001264000001",
                enrolment_id=enrolment.id,
                person_id=candidate.id,
                batch_id=b1.id,
                level=4,
                issue_date=dt.date(2026, 7, 1),
            )
        )
