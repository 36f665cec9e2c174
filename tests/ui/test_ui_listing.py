"""app.services.listing: paged queries in SQL, masked ID numbers, search, counts."""

from __future__ import annotations

from sqlalchemy import event

from app.db import Database
from app.services import listing
from app.services.actor import Actor
from tests.ui.sample_data import FULL_ID


def test_people_rows_are_masked_and_searchable(sample_db: Database) -> None:
    with sample_db.session() as s:
        rows = listing.people_page(s, 0, 50)
        assert [r.name for r in rows] == ["王小明", "李考评"]
        assert all(FULL_ID not in repr(r) for r in rows)
        assert rows[0].id_number_masked == "110105**********2X"
        assert rows[0].id_type_name == "居民身份证"
        assert rows[1].role_names == "专职工作人员、考评员"
        assert listing.people_count(s, "李") == 1
        assert listing.people_count(s, "110105") == 0  # ID numbers: the whole number only
        assert listing.people_count(s, FULL_ID) == 1
        assert listing.people_count(s, "110105**") == 0
        assert listing.people_page(s, 1, 1)[0].name == "李考评"


def test_page_queries_use_limit_offset(sample_db: Database) -> None:
    statements: list[str] = []

    def capture(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(sample_db.engine, "before_cursor_execute", capture)
    try:
        with sample_db.session() as s:
            listing.people_page(s, 0, 10)
            listing.batches_page(s, 0, 10)
            listing.certificates_page(s, 0, 10)
            listing.archive_page(s, 0, 10)
    finally:
        event.remove(sample_db.engine, "before_cursor_execute", capture)
    selects = [x for x in statements if x.lstrip().upper().startswith("SELECT")]
    for table in ("person", "batch", "certificate", "archive_item"):
        assert any(f"FROM {table}" in x and "LIMIT" in x for x in selects), table


def test_batches_certificates_dashboard(sample_db: Database, admin: Actor) -> None:
    with sample_db.session() as s:
        batches = listing.batches_page(s, 0, 10, with_scores=True)
        assert [b.code for b in batches] == ["2026-02", "2026-01"]
        assert batches[1].status_name == "已发证"
        assert batches[1].candidates == 1 and batches[1].score_entries == 1
        assert batches[1].level_name == "四级/中级工"
        assert listing.batches_count(s, "2026-01") == 1
        certs = listing.certificates_page(s, 0, 10, "王")
        assert [c.person_name for c in certs] == ["王小明"]
        assert certs[0].status_name == "有效"
        summary = listing.dashboard_summary(s)
        assert summary.organisation_name == "重庆市测试职业技能评价中心"
        assert summary.people == 2 and summary.certificates == 1
        assert ("已发证", 1) in summary.batches_by_status
        users = listing.users_page(s, admin, 0, 10)
        assert [(u.username, u.role_name) for u in users] == [("admin", "管理员")]
        assert listing.user_display_name(s, admin.user_id) == "系统管理员"
        assert listing.audit_count(s, admin) >= 2
        assert listing.audit_page(s, admin, 0, 1)[0].id == listing.audit_count(s, admin)
        assert listing.archive_count(s) == 0
