"""A staff file's external person whose agreement has ended, or ends within the roster's notice
period (60 days), is imported with a warning in the preview, as the 人员 list then warns; the
same notice for a qualification that ends soon. In-house people's agreement dates say nothing."""

from __future__ import annotations

import datetime as dt

from app.services.importing import preview_import
from app.services.roster import EXPIRY_NOTICE_DAYS
from tests.services.conftest import make_id
from tests.services.test_import_qa5 import _occupation

HEADER = ["姓名", "证件号码", "角色", "是否本单位人员", "协议有效期至", "考评职业", "最高等级",
          "资格有效期至"]  # fmt: skip


def test_agreements_and_qualifications_ending_are_said(db, admin, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    _occupation(db, admin)
    today = dt.date.today()
    past = today - dt.timedelta(days=160)
    soon = today + dt.timedelta(days=20)
    later = today + dt.timedelta(days=EXPIRY_NOTICE_DAYS + 1)
    path = make_xlsx([
        HEADER,
        ["甲", make_id(941), "专家", "否", past.isoformat(), "", "", ""],
        ["乙", make_id(942), "专家", "否", soon.isoformat(), "", "", ""],
        ["丙", make_id(943), "专家", "否", later.isoformat(), "", "", ""],
        ["丁", make_id(944), "专家", "是", past.isoformat(), "", "", ""],
        ["庚", make_id(947), "专家", "", past.isoformat(), "", "", ""],  # blank: stored in-house
        ["戊", make_id(945), "考评员", "是", "", "电工", 3, soon.isoformat()],
        ["己", make_id(946), "考评员", "是", "", "电工", 3, later.isoformat()],
    ])  # fmt: skip
    with db.session() as s:
        rows = preview_import(s, admin, path, "staff", "add").rows
    warnings = {r.name: [w for w in r.warnings if "到期" in w or "过期" in w] for r in rows}
    assert warnings["甲"] == [f"承诺书或合作协议已于 {past.isoformat()} 到期，请及时续签"]
    assert warnings["乙"] == [
        f"承诺书或合作协议将于 {soon.isoformat()} 到期（还有 20 天），请及时续签"
    ]
    assert warnings["丙"] == [] and warnings["丁"] == [] and warnings["庚"] == []
    assert warnings["戊"] == [f"考评资格将于 {soon.isoformat()} 到期（还有 20 天）"]
    assert warnings["己"] == []
    assert all(r.status == "new" for r in rows)  # imported all the same


def test_an_update_keeps_the_stored_external_and_warns(db, admin, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    """Update mode, 是否本单位人员 blank: the stored value stands (external), so the agreement
    ending soon is warned in the preview, as the 人员 list will warn after the import."""
    from app.services.roster import PersonInput, RoleInput, add_person

    soon = dt.date.today() + dt.timedelta(days=10)
    with db.session() as s:
        add_person(
            s, admin, PersonInput("丁婉文", make_id(951)), [RoleInput("expert", in_house=False)]
        )
        add_person(
            s, admin, PersonInput("内部", make_id(952)), [RoleInput("expert", in_house=True)]
        )
    path = make_xlsx([
        ["姓名", "证件号码", "角色", "是否本单位人员", "协议有效期至"],
        ["丁婉文", make_id(951), "专家", "", soon.isoformat()],
        ["内部", make_id(952), "专家", "", soon.isoformat()],
    ])  # fmt: skip
    with db.session() as s:
        external, inside = preview_import(s, admin, path, "staff", "update").rows
    assert (
        f"承诺书或合作协议将于 {soon.isoformat()} 到期（还有 10 天），请及时续签"
        in external.warnings
    )
    assert not any("协议" in w for w in inside.warnings)
