"""Occupation catalogue CRUD and import; filed scope constrained by the province profile; org overview."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.errors import ValidationError
from app.models import Occupation, Organisation, WorkType
from app.services.audit import record
from app.services.catalogue import (
    OccupationInput,
    create_occupation,
    delete_occupation,
    list_occupations,
    normalise_code,
    update_occupation,
)
from app.services.catalogue_file import import_catalogue
from app.services.filed_scope import add_scope_entry, in_scope, list_scope, remove_scope_entry
from app.services.organisation import OrgInput, save_organisation
from app.services.organisation_overview import organisation_overview


def test_code_format() -> None:
    assert normalise_code(" ４-１２-０１-０１ ") == "4-12-01-01"
    for bad in ("4-12-1-01", "41201 01", "X-12-01-01", ""):
        with pytest.raises(ValidationError, match="职业编码"):
            normalise_code(bad)


def test_catalogue_crud(db, admin, audit_ok) -> None:
    with db.session() as s:
        occ = create_occupation(
            s,
            admin,
            OccupationInput("4-12-01-01", "电子商务师", True, ["农村电商", "农村电商", " "]),
        )
        oid = occ.id
        assert [w.name for w in occ.work_types] == ["农村电商"]
        with pytest.raises(ValidationError, match="已存在"):
            create_occupation(s, admin, OccupationInput("4-12-01-01", "重复", False))
    with db.session() as s:
        update_occupation(
            s, admin, oid, OccupationInput("4-12-01-01", "电子商务师", False, ["跨境电商"])
        )
    with db.session() as s:
        occ = s.get(Occupation, oid)
        assert not occ.is_new and [w.name for w in occ.work_types] == ["跨境电商"]
        assert [o.code for o in list_occupations(s)] == ["4-12-01-01"]
        delete_occupation(s, admin, oid)
    with db.session() as s:
        assert s.scalar(select(WorkType)) is None and s.scalar(select(Occupation)) is None
    audit_ok()


def test_catalogue_import(db, admin, make_xlsx, audit_ok) -> None:
    path = make_xlsx(
        [
            ["职业编码", "职业名称", "是否新职业", "工种"],
            ["6-31-01-03", "电工", "否", None],
            ["4-03-02-01", "中式烹调师", "否", "中式面点、中式热菜"],
            ["4-03-02-01", "中式烹调师", None, "中式冷菜"],
            ["4-13-01-02", "网约配送员", "是", ""],
        ],
        title_rows=["职业目录"],
    )
    with db.session() as s:
        r = import_catalogue(s, admin, path)
    assert (r.created, r.work_types_added) == (3, 3)
    with db.session() as s:
        cook = s.scalar(select(Occupation).where(Occupation.code == "4-03-02-01"))
        assert sorted(w.name for w in cook.work_types) == ["中式冷菜", "中式热菜", "中式面点"]
        assert s.scalar(select(Occupation.is_new).where(Occupation.code == "4-13-01-02")) is True
        again = import_catalogue(s, admin, path)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    bad = make_xlsx([["职业编码", "职业名称"], ["4-3-2-1", "错码"]], name="bad.xlsx")
    with pytest.raises(ValidationError, match="第 2 行"), db.session() as s:
        import_catalogue(s, admin, bad)
    audit_ok()


def _org(
    db, admin, profile: str, scope_level: str, filing_code: str | None = None
) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        save_organisation(
            s,
            admin,
            OrgInput(
                name="某评价机构",
                org_type="S",
                profile_name=profile,
                scope_level=scope_level,
                filing_code=filing_code,
            ),
        )
        ids = {}
        for i in range(5):
            occ = create_occupation(
                s, admin, OccupationInput(f"6-31-01-0{i + 1}", f"职业{i}", False, [])
            )
            ids[f"o{i}"] = occ.id
        return ids


def test_chongqing_district_levels(db, admin, audit_ok) -> None:
    occ = _org(db, admin, "chongqing", "district")
    with db.session() as s:
        for level in (3, 4, 5):
            add_scope_entry(s, admin, occ["o0"], level)
        with pytest.raises(ValidationError, match="区县"):
            add_scope_entry(s, admin, occ["o0"], 2)
        with pytest.raises(ValidationError, match="已有"):
            add_scope_entry(s, admin, occ["o0"], 3)
    with db.session() as s:
        assert [r.level for r in list_scope(s)] == [3, 4, 5]
        assert in_scope(s, occ["o0"], None, 4) and not in_scope(s, occ["o0"], None, 1)
        remove_scope_entry(s, admin, list_scope(s)[0].id)
        assert [r.level for r in list_scope(s)] == [4, 5]
    audit_ok()


def test_chongqing_city_allows_all_levels(db, admin) -> None:
    occ = _org(db, admin, "chongqing", "city")
    with db.session() as s:
        for level in range(1, 6):
            add_scope_entry(s, admin, occ["o0"], level)


def test_shandong_pilot_levels_and_three_work_types(db, admin, audit_ok) -> None:
    occ = _org(
        db, admin, "shandong", "city"
    )  # "city" is not a Shandong scope: the pilot default applies
    with db.session() as s:
        with pytest.raises(ValidationError, match="试点"):
            add_scope_entry(s, admin, occ["o0"], 1)
        for i in range(3):
            add_scope_entry(s, admin, occ[f"o{i}"], 4)
        add_scope_entry(s, admin, occ["o0"], 5)  # the same occupation again: still 3 work types
        with pytest.raises(ValidationError, match="不得超过3个") as info:
            add_scope_entry(s, admin, occ["o3"], 4)
        # counted as filed (3), not with the refused one; the refused pair is named
        assert "已备案3个" in info.value.message and "（不分工种）" in info.value.message
        with pytest.raises(ValidationError) as info:
            add_scope_entry(s, admin, occ["o0"], 5)
        assert "已有“" in info.value.message and "（不分工种）”五级/初级工" in info.value.message
        assert "该工种" not in info.value.message
    audit_ok()


def test_overview(db, admin) -> None:
    occ = _org(db, admin, "chongqing", "city", "S000050000017")
    with db.session() as s:
        add_scope_entry(s, admin, occ["o1"], 3, started_on=dt.date(2024, 4, 1), assessed_count=12)
        org = s.scalar(select(Organisation))
        org.filing_valid_until = dt.date(2027, 3, 17)
        record(s, admin, "organisation.update", org)
    with db.session() as s:
        o = organisation_overview(s, dt.date(2027, 3, 1))
    assert [seg["positions"] for seg in o.filing_segments] == ["1", "2–5", "6–7", "8–9", "10–13"]
    assert o.filing_segments[0]["meaning"] == "社会培训评价组织"
    assert o.validity_status == "renew_soon" and "30 日前" in o.validity_text
    assert o.scope[0].occupation_name == "职业1" and o.scope[0].work_type is None
    data = o.as_dict()
    assert (
        data["filing_valid_until"] == "2027-03-17"
        and data["scope"][0]["started_on"] == "2024-04-01"
    )
    with db.session() as s:
        assert organisation_overview(s, dt.date(2027, 4, 1)).validity_status == "expired"
        assert organisation_overview(s, dt.date(2026, 1, 1)).validity_status == "valid"
