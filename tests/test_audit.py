"""The hash-chained audit trail and `audit verify` catching changes made behind the app's back."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.models import AuditEntry, Person
from app.services.audit import record
from app.services.audit_verify import verify_audit


def _add_people(db, admin, n: int = 3) -> list[int]:
    from app.rules.idcard import gb11643_check_char

    ids = []
    with db.session() as s:
        for i in range(n):
            first17 = f"50010319900101{i:03d}"
            p = Person(id_type="201", id_number=first17 + gb11643_check_char(first17), name=f"考生{i}")
            s.add(p)
            record(s, admin, "person.create", p, summary={"name": p.name, "id_number": p.id_number})
            ids.append(p.id)
    return ids


def _verify(db):
    with db.session() as s:
        return verify_audit(s)


def _sql(db, statement: str, *params) -> None:
    """Run SQL behind the app's back (outside its sessions). `?` placeholders, on any database."""
    if params and not db.is_sqlite:
        statement = statement.replace("?", "%s")  # psycopg's paramstyle
    with db.engine.begin() as conn:
        conn.exec_driver_sql(statement, tuple(params))


def test_clean_trail_verifies(db, admin) -> None:
    _add_people(db, admin)
    report = _verify(db)
    assert report.ok, [p.message for p in report.problems]
    assert report.entries >= 5  # user create, login, three people
    assert report.rows >= 4


def test_summary_masks_id_numbers(db, admin) -> None:
    _add_people(db, admin, 1)
    with db.session() as s:
        e = s.query(AuditEntry).filter_by(action="person.create").one()
        full = s.get(Person, e.entity_id).id_number
    assert full not in e.summary
    assert full[:6] in e.summary and "*" in e.summary


def test_row_changed_behind_the_apps_back_is_named(db, admin) -> None:
    ids = _add_people(db, admin)
    _sql(db, "UPDATE person SET name = '篡改' WHERE id = ?", ids[1])
    report = _verify(db)
    assert not report.ok
    [problem] = report.problems
    assert problem.kind == "row_changed" and problem.entity == "person" and problem.entity_id == ids[1]
    assert f"#{ids[1]}" in problem.message


def test_row_inserted_or_deleted_behind_the_apps_back(db, admin) -> None:
    ids = _add_people(db, admin)
    _sql(db, "DELETE FROM person WHERE id = ?", ids[0])
    _sql(
        db,
        "INSERT INTO person (id_type, id_number, name, phone, employer, education, city, title, notes,"
        " created_at, updated_at) VALUES ('201', 'X', '幽灵', '', '', '', '', '', '', '2026-01-01', '2026-01-01')",
    )
    kinds = sorted(p.kind for p in _verify(db).problems)
    assert kinds == ["row_deleted", "row_unaudited"]


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ("UPDATE audit_entry SET reason = '改过' WHERE id = 3", "chain_altered"),
        ("DELETE FROM audit_entry WHERE id = 3", "chain_gap"),
        ("UPDATE audit_entry SET prev_hash = (SELECT prev_hash FROM audit_entry WHERE id = 2) WHERE id = 3", "chain_order"),
    ],
)
def test_chain_tampering_names_the_entry(db, admin, statement: str, kind: str) -> None:
    _add_people(db, admin)
    _sql(db, statement)
    report = _verify(db)
    chain = [p for p in report.problems if p.kind.startswith("chain")]
    assert chain and chain[0].kind == kind
    assert "第 3 条" in chain[0].message


def test_swapping_two_entries_is_caught(db, admin) -> None:
    _add_people(db, admin)
    # Re-order: swap the content of entries 3 and 4 (ids kept), as a careless editor would.
    cols = "at, user_id, username, action, entity, entity_id, batch_id, person_id, summary, reason, row_digest, prev_hash, hash"
    with db.engine.begin() as conn:
        r3 = conn.execute(text(f"SELECT {cols} FROM audit_entry WHERE id = 3")).one()._asdict()
        r4 = conn.execute(text(f"SELECT {cols} FROM audit_entry WHERE id = 4")).one()._asdict()
        sets = ", ".join(f"{c} = :{c}" for c in r3)
        conn.execute(text(f"UPDATE audit_entry SET {sets} WHERE id = 3"), r4)
        conn.execute(text(f"UPDATE audit_entry SET {sets} WHERE id = 4"), r3)
    report = _verify(db)
    assert not report.ok
    assert report.problems[0].entry_id == 3


def test_refusal_is_audited_after_rollback(db, admin) -> None:
    from app.errors import PermissionDenied
    from app.services.actor import Actor
    from app.services.organisation import OrgInput, save_organisation

    scorer = Actor(user_id=999, username="lufen", role=admin.role.__class__("scorer"))
    with pytest.raises(PermissionDenied, match="权限不足"), db.session() as s:
        save_organisation(s, scorer, OrgInput(name="某机构"))
    with db.session() as s:
        last = s.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
        assert last.action == "permission.denied" and last.username == "lufen"
        assert s.query(AuditEntry).filter_by(action="organisation.create").count() == 0
    assert _verify(db).ok


def test_entries_without_row_state_and_audited_deletions(db, admin) -> None:
    from app.services.people import reveal_id_number

    ids = _add_people(db, admin)
    with db.session() as s:
        reveal_id_number(s, admin, ids[0], "核对")  # mentions the row, carries no state
        p = s.get(Person, ids[1])
        s.delete(p)
        s.flush()
        record(s, admin, "person.delete", p, deleted=True)
    assert _verify(db).ok
    # A row deleted through the app and put back behind its back is caught.
    _sql(
        db,
        "INSERT INTO person (id, id_type, id_number, name, phone, employer, education, city, title, notes,"
        " created_at, updated_at) VALUES (?, '201', 'Y', '复活', '', '', '', '', '', '', '2026-01-01', '2026-01-01')",
        ids[1],
    )
    assert [p.kind for p in _verify(db).problems] == ["row_changed"]


def test_every_recorded_action_has_a_chinese_name() -> None:
    """The audit page shows actions by name: every action string the services record (string
    constants of the form area.verb in app/services) must have one; f"import.{kind}" too."""
    import ast
    import re
    from pathlib import Path

    from app.services.audit_query import ACTION_NAMES, action_name
    from app.services.importing.columns import KIND_NAMES

    not_actions = {"skillsite.audit", "keyrings.alt"}  # a logger, a keyring backend
    pattern = re.compile(r"^[a-z][a-z_]*\.[a-z_]+$")
    services = Path(__file__).resolve().parent.parent / "app" / "services"
    constants = {
        node.value
        for path in services.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and pattern.match(node.value)
    }
    assert {"certificate.reissue", "auth.lock", "score.correct"} <= constants  # the scan works
    actions = (constants - not_actions) | {f"import.{kind}" for kind in KIND_NAMES}
    missing = sorted(a for a in actions if a not in ACTION_NAMES)
    assert missing == []
    assert action_name("certificate.void") == "作废证书" and action_name("x.unknown") == "x.unknown"


_STANDARD = __import__("json").JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_SAMPLES = [
    {"name": "王𠇔·燊", "id": 7, "ok": True, "none": None, "f": 0.1, "big": 10**20, "neg": -3},
    ["a", 1, None, False, 1.5e-7, "引号\"与\\反斜杠\n换行\u2028", {"b": 2, "a": [1, {"z": 0}]}],
    {"z": 1, "a": 2, "中": 3, "A": 4, "": 5},
    "只是一个字符串",
    12345,
    None,
    [],
    {},
]


@pytest.mark.parametrize("obj", _SAMPLES)
def test_canonical_json_is_the_standard_encoders_byte_for_byte(obj) -> None:
    from app.services.audit import canonical

    assert canonical(obj) == _STANDARD.encode(obj)


def test_canonical_json_refuses_what_the_standard_encoder_refuses() -> None:
    from app.services.audit import canonical

    for bad in ({"x": object()}, {"x": {1, 2}}, [b"bytes"]):
        with pytest.raises(TypeError):
            canonical(bad)


def test_row_digest_of_times_is_the_naive_utc_text_to_the_second() -> None:
    import datetime as dt
    import hashlib

    from app.services.audit import digest_of_row

    naive = dt.datetime(2026, 11, 23, 10, 0, 5, 123456)
    aware = dt.datetime(2026, 11, 23, 18, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for when, wall in ((naive, "2026-11-23T10:00:05"), (aware, "2026-11-23T18:00:05")):
        expected = hashlib.sha256(_STANDARD.encode({"at": wall, "d": "2026-01-02"}).encode())
        assert digest_of_row({"at": when, "d": dt.date(2026, 1, 2)}) == expected.hexdigest()
    # the same instant in another zone is another wall-clock text (no shared cached value)
    utc = aware.astimezone(dt.UTC)
    assert digest_of_row({"at": utc}) != digest_of_row({"at": aware})
