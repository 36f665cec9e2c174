"""The filing forms' remaining fields: 联系人手机 and 网站 (Guizhou's 备案申请表, 001 附件1 一), and
per scope entry 职业标准或评价规范 (001 附件1 二, 002 附件1 二) and 开展补贴性培训情况 (003 附件1):
validated, saved, audited, shown by `org show`, and kept by the migration that adds them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from app.cli.main import main
from app.db import Database
from app.db.migrate import alembic_config, current_revision, head_revision, upgrade_database
from app.errors import ValidationError
from app.models import AuditEntry, Organisation, ScopeEntry
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.filed_scope import add_scope_entry, list_scope, update_scope_history
from app.services.organisation import get_organisation
from tests.conftest import behind_the_apps_back, sqlite_only
from tests.services.test_organisation_qa3 import _occupation, _save


@pytest.mark.parametrize(
    "mobile", ["13908312345", "139 0831 2345", "139-0831-2345", "+86 13908312345", "＋８６１３９０８３１２３４５"]
)
def test_mobile_numbers_accepted(db: Database, admin: Actor, mobile: str) -> None:
    _save(db, admin, mobile=mobile)
    with db.session() as s:
        stored = get_organisation(s).mobile
    assert stored.replace(" ", "").replace("-", "").endswith("13908312345")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("mobile", "023-65012345", "座机请填在“联系电话”"),
        ("mobile", "1390831234", "11 位手机号码"),
        ("mobile", "23908312345", "11 位手机号码"),
        ("website", "巴渝职校官网", "应为网址"),
        ("website", "www example cn", "应为网址"),
        ("website", "localhost", "应为网址"),
    ],
)
def test_bad_mobile_or_website_refused_naming_the_field(
    db: Database, admin: Actor, field: str, value: str, words: str
) -> None:
    _save(db, admin)
    with pytest.raises(ValidationError) as exc:
        _save(db, admin, **{field: value})
    assert exc.value.field == field and words in exc.value.message and value in exc.value.message
    with db.session() as s:
        assert getattr(get_organisation(s), field) == ""


def test_website_forms_and_audit(db: Database, admin: Actor) -> None:
    _save(db, admin)
    for site in ("www.bayu-skills.example.cn", "https://bayu.example.cn/kaowu", "http://10.1.2.3:8080/"):
        _save(db, admin, website=site, reason="补填网站")
        with db.session() as s:
            assert get_organisation(s).website == site
    with db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "organisation.update" and last.reason == "补填网站"
        changed = json.loads(last.summary)["changed"]  # only this field, from and to
        assert changed == {"website": {"from": "https://bayu.example.cn/kaowu", "to": "http://10.1.2.3:8080/"}}
        assert verify_audit(s).ok


def test_scope_texts_added_edited_and_audited(db: Database, admin: Actor) -> None:
    _save(db, admin)
    occ = _occupation(db, admin)
    with db.session() as s:
        entry = add_scope_entry(
            s, admin, occ, 4, standard="  国家职业技能标准（２０１９年版）",
            subsidised_training="2025 年补贴性培训 120 人次",
        )  # fmt: skip
        entry_id = entry.id
    row = list_scope_rows(db)[0]
    assert row.standard == "国家职业技能标准（2019年版）"  # trimmed, digits folded, （） kept
    assert row.subsidised_training == "2025 年补贴性培训 120 人次"
    with db.session() as s:  # None keeps a text; a given text replaces it
        update_scope_history(
            s, admin, entry_id, started_on=None, assessed_count=0, standard="电工行业企业评价规范",
            reason="改用行业规范",
        )  # fmt: skip
    row = list_scope_rows(db)[0]
    assert (row.standard, row.subsidised_training) == ("电工行业企业评价规范", "2025 年补贴性培训 120 人次")
    with db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "scope.update" and last.reason == "改用行业规范"
        assert set(json.loads(last.summary)["changed"]) == {"standard"}
        assert verify_audit(s).ok


def test_scope_text_with_a_control_character_refused(db: Database, admin: Actor) -> None:
    _save(db, admin)
    occ = _occupation(db, admin)
    with pytest.raises(ValidationError) as exc, db.session() as s:
        add_scope_entry(s, admin, occ, 4, standard="国家职业\x0b技能标准")
    assert exc.value.field == "standard" and "职业标准或评价规范" in exc.value.message
    assert "第 5 个字符" in exc.value.message
    with db.session() as s:
        assert s.scalar(select(ScopeEntry)) is None


def list_scope_rows(db: Database):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return list_scope(s)


def test_org_show_prints_the_new_fields(
    db: Database, admin: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    _save(db, admin, mobile="13908312345", website="www.bayu.example.cn")
    occ = _occupation(db, admin)
    with db.session() as s:
        add_scope_entry(s, admin, occ, 4, standard="国家职业技能标准")
    code = main(["--data-dir", str(db.data_dir), "org", "show"])
    out = capsys.readouterr().out
    assert code == 0
    assert "联系人手机：13908312345" in out and "网站：www.bayu.example.cn" in out
    assert "职业标准或评价规范：国家职业技能标准" in out
    code = main(["--data-dir", str(db.data_dir), "org", "show", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["mobile"] == "13908312345" and data["scope"][0]["standard"] == "国家职业技能标准"


@sqlite_only("reads the table with the sqlite3 module around a downgrade and an upgrade")
def test_migration_keeps_the_record_and_adds_empty_fields(db: Database, admin: Actor) -> None:
    _save(db, admin, address="重庆市沙坪坝区大学城中路 88 号")
    occ = _occupation(db, admin)
    with db.session() as s:
        add_scope_entry(s, admin, occ, 4, assessed_count=35)
    db_file = Path(db.engine.url.database)
    db.dispose()
    cfg = alembic_config()
    with db.engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # as migrate does
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
        conn.commit()
    assert current_revision(db.engine) == "0003"
    upgrade_database(db.engine, db_file.parent)
    assert current_revision(db.engine) == head_revision()
    con = sqlite3.connect(db_file)
    try:
        org = con.execute("SELECT address, mobile, website FROM organisation").fetchone()
        scope = con.execute("SELECT assessed_count, standard, subsidised_training FROM scope_entry").fetchone()
    finally:
        con.close()
    assert org == ("重庆市沙坪坝区大学城中路 88 号", "", "")
    assert scope == (35, "", "")
    with db.session() as s:
        assert verify_audit(s).ok  # the empty texts were what the audited rows now hold


def _as_written_before_0004(db: Database) -> None:
    """Make the organisation's (last) audit entry what the version before 0004 wrote: the row's
    digest without 联系人手机 and 网站, the entry's hash recomputed to match."""
    from app.services.audit import digest_of_row, entry_hash

    with db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.entity == "organisation"
        row = dict(s.execute(select(Organisation.__table__)).mappings().one())
        del row["mobile"], row["website"]
        last.row_digest = digest_of_row(row)
        last.hash = entry_hash(last)
        s.flush()
        s.expunge_all()  # nothing left to audit: the session writes exactly this correction
        s.info.pop("skillsite_audit_pending", None)


def test_entries_written_before_the_new_columns_still_verify(
    db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.services.audit_verify as audit_verify

    _save(db, admin, address="重庆市沙坪坝区大学城中路 88 号")
    _as_written_before_0004(db)
    with db.session() as s:
        assert verify_audit(s).ok  # the added columns hold the value they were added with
    monkeypatch.setattr(audit_verify, "ADDED_COLUMNS", {})
    with db.session() as s:  # (without the tolerance the upgrade would flag every such row)
        assert [p.kind for p in verify_audit(s).problems] == ["row_changed"]
    monkeypatch.undo()
    with behind_the_apps_back(db.data_dir) as con:  # a value set outside the software is caught
        con.exec_driver_sql("UPDATE organisation SET mobile = '13900000000'")
    with db.session() as s:
        problems = verify_audit(s).problems
    assert [(p.kind, p.entity) for p in problems] == [("row_changed", "organisation")]


@pytest.mark.parametrize("email", ["a@b..c", "a@.b.c", "kaowu@example.", "kaowu@example"])
def test_email_with_an_empty_domain_part_refused(db: Database, admin: Actor, email: str) -> None:
    _save(db, admin)
    with pytest.raises(ValidationError) as exc:
        _save(db, admin, email=email)
    assert exc.value.field == "email" and "格式不对" in exc.value.message


def test_filing_date_in_the_future_or_a_slip_refused(db: Database, admin: Actor) -> None:
    import datetime as dt

    _save(db, admin)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    for day, words in ((tomorrow, "晚于今天"), (dt.date(1900, 1, 1), "早于 2000 年")):
        with pytest.raises(ValidationError) as exc:
            _save(db, admin, filed_on=day, filing_valid_until=None)
        assert exc.value.field == "filed_on" and words in exc.value.message
    _save(db, admin, filed_on=dt.date(2024, 3, 18))
    with db.session() as s:
        assert get_organisation(s).filed_on == dt.date(2024, 3, 18)
