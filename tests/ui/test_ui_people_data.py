"""A small data set written through the services (so `verify_audit` is clean) for the org/people GUI tests."""

from __future__ import annotations

import datetime as dt

from app.db import Database
from app.rules.idcard import gb11643_check_char
from app.services.actor import Actor
from app.services.catalogue import OccupationInput, create_occupation
from app.services.organisation import OrgInput, save_organisation
from app.services.roster import PersonInput, QualificationInput, RoleInput, add_person
from tests.ui.sample_data import FULL_ID

EXAMINER_ID = "50010119900101123" + gb11643_check_char("50010119900101123")


def insert_audited_data(db: Database, admin: Actor) -> dict[str, int]:
    with db.session() as s:
        save_organisation(
            s,
            admin,
            OrgInput(name="重庆市测试职业技能评价中心", org_type="S", profile_name="chongqing"),
        )
        occ = create_occupation(
            s, admin, OccupationInput("6-31-01-03", "电工", False, ["维修电工"])
        )
        s.flush()
        candidate = add_person(s, admin, PersonInput("王小明", FULL_ID, employer="某电力公司"))
        examiner = add_person(
            s,
            admin,
            PersonInput("李考评", EXAMINER_ID, employer="评价中心"),
            roles=[RoleInput("examiner"), RoleInput("fulltime")],
            qualifications=[
                QualificationInput(occ.id, 4, valid_until=dt.date.today() + dt.timedelta(days=20))
            ],
        )
        s.flush()
        return {"occupation": occ.id, "candidate": candidate.id, "examiner": examiner.id}
