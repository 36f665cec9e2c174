"""Texts longer than their column are refused with a Chinese message on SQLite too (PostgreSQL
would raise a DataError), and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import String, select

from app.db import Database
from app.errors import ValidationError
from app.models import Base, CertificatePrint, Organisation, Setting, Venue
from app.services.actor import Actor
from app.services.organisation import OrgInput, save_organisation
from app.services.text_limits import field_label
from app.services.venues import VenueInput, create_venue, update_venue
from tests.conftest import behind_the_apps_back, sqlite_only

# Codes, digests and other values no user types: they need no Chinese label.
INTERNAL = {
    ("app_user", "role"), ("app_user", "password_hash"), ("calendar_override", "kind"),
    ("organisation", "org_type"), ("organisation", "profile_name"), ("organisation", "scope_level"),
    ("person", "id_type"), ("person", "gender"), ("serial_counter", "scope_key"),
    ("photo", "mime"), ("photo", "sha256"), ("staff_role", "role"), ("batch", "status"),
    ("archive_item", "kind"), ("archive_item", "file_sha256"), ("check_ack", "check_key"),
    ("enrolment", "result"), ("exam_session", "subject"), ("certificate", "status"),
    ("certificate", "content_sha256"), ("score_entry", "component"), ("score_entry", "mark"),
    ("staff_assignment", "duty"), ("certificate_print", "kind"),
}  # fmt: skip


def test_every_text_column_a_user_fills_has_a_chinese_label() -> None:
    unlabelled = [
        (t.name, c.name)
        for t in Base.metadata.sorted_tables
        if t.name != "audit_entry"  # written by the audit module only
        for c in t.columns
        if isinstance(c.type, String) and c.type.length and (t.name, c.name) not in INTERNAL
        and field_label(t.name, c.name) == c.name
    ]
    assert unlabelled == []


def test_an_over_long_organisation_field_is_refused_and_nothing_saved(db: Database, admin: Actor) -> None:
    with db.session() as s:
        save_organisation(s, admin, OrgInput(name="重庆巴渝职业技能培训学校", address="渝中区"))
    with pytest.raises(ValidationError) as err, db.session() as s:
        save_organisation(s, admin, OrgInput(name="重庆巴渝职业技能培训学校", address="路" * 201,
                                             contact_person="张三"))
    assert err.value.message == (
        "机构信息的“地址”过长：201 字，最多 200 字。未保存任何修改，请缩短后重试。")
    assert err.value.field == "address"
    with db.session() as s:
        org = s.scalars(select(Organisation)).one()
        assert (org.address, org.contact_person) == ("渝中区", "")


def test_new_and_changed_rows_are_both_checked(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="考场地点的“名称”过长：201 字"), db.session() as s:
        create_venue(s, admin, VenueInput(name="楼" * 201))
    with db.session() as s:
        assert s.scalar(select(Venue.id)) is None
        venue = create_venue(s, admin, VenueInput(name="第一教学楼"))
    with pytest.raises(ValidationError, match="考场地点的“地址”过长"), db.session() as s:
        update_venue(s, admin, venue.id, VenueInput(name="第一教学楼", address="号" * 300))
    with db.session() as s:
        assert s.get(Venue, venue.id).address == ""
        update_venue(s, admin, venue.id, VenueInput(name="第一教学楼", address="号" * 200))  # the limit itself is fine


def test_a_long_printer_name_keeps_its_offset_and_its_print_log(demo) -> None:  # type: ignore[no-untyped-def]
    from app.models import Certificate
    from app.services.certificate_printing import printer_offset, record_print, set_printer_offset
    from tests.score_data import admin_of

    admin = admin_of(demo)
    name = "\\\\PRINTSERVER-EXAMS-BUILDING-2\\HP LaserJet Pro MFP M428fdw PCL-6 (V4) 三楼考务办公室"
    assert len("printer_offset:" + name) > 80
    with demo.session() as s:
        set_printer_offset(s, admin, name, 12, -7)
    with demo.session() as s:
        assert printer_offset(s, name) == printer_offset(s, f"  {name} ")
        assert (printer_offset(s, name).dx_tenths, printer_offset(s, name).dy_tenths) == (12, -7)
        assert all(len(k) <= 80 for k in s.scalars(select(Setting.key)))
        cert_id = s.scalars(select(Certificate.id).where(Certificate.status == "issued")).first()
        record_print(s, admin, [cert_id], "P" * 250, 1, "full")
    with demo.session() as s:
        logged = s.scalars(select(CertificatePrint.printer)).one()
        assert len(logged) == 200 and logged.endswith("…")


@sqlite_only("an older version could store a key longer than its column only on SQLite")
def test_an_offset_saved_under_a_long_key_by_an_older_version_is_still_found(demo) -> None:  # type: ignore[no-untyped-def]
    from app.services.certificate_printing import printer_offset

    name = "\\\\PRINTSERVER-EXAMS-BUILDING-2\\HP LaserJet Pro MFP M428fdw PCL-6 (V4) 三楼考务办公室"
    with behind_the_apps_back(demo.data_dir) as con:
        con.exec_driver_sql("INSERT INTO setting (key, value) VALUES (?, '15,-4')",
                            ("printer_offset:" + name,))
    with demo.session() as s:
        offset = printer_offset(s, name)
    assert (offset.dx_tenths, offset.dy_tenths) == (15, -4)


@sqlite_only("only SQLite could store a text longer than its column")
def test_a_row_stored_too_long_by_an_older_version_can_still_be_changed(db: Database, admin: Actor) -> None:
    with db.session() as s:
        venue = create_venue(s, admin, VenueInput(name="第一教学楼"))
    with behind_the_apps_back(db.data_dir) as con:  # as an older version could leave it
        con.exec_driver_sql("UPDATE venue SET address = ? WHERE id = ?", ("号" * 250, venue.id))
    with db.session() as s:
        v = s.get(Venue, venue.id)
        v.name = "第一教学楼（东）"  # another field: allowed
    with pytest.raises(ValidationError, match="地址"), db.session() as s:
        s.get(Venue, venue.id).address = "号" * 251  # the long field itself: refused
    with db.session() as s:
        assert s.get(Venue, venue.id).name == "第一教学楼（东）"
