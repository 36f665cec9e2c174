"""Demo data for the score, publicity and results tests (services and GUI alike): a private copy
of the demo per test, users, batches moved to a chosen state, scores entered in bulk.

The demo is built once per test session and copied for each test (`demo_db`)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import select

from app.db import Database, open_database
from app.models import Enrolment, Organisation, ScorerAssignment
from app.services import scores
from app.services.actor import Actor
from app.services.audit import record
from app.services.audit_verify import verify_audit
from app.services.batch_workflow import advance, get_batch

DEMO_PW = "Demo#2026"
USER_PW = "Passw0rd#2026"
_TEMPLATE: list[Path] = []


def demo_db(tmp_path: Path) -> Database:
    """A private copy of the demo data (built once per test session)."""
    if not _TEMPLATE:
        from app.services.demo import build_demo

        root = Path(tempfile.mkdtemp(prefix="skillsite-scores-demo-"))
        atexit.register(shutil.rmtree, root, True)
        d = root / "data"
        d.mkdir()
        database = open_database(d)
        build_demo(database, DEMO_PW)
        database.dispose()
        _TEMPLATE.append(d)
    target = tmp_path / "demo"
    shutil.copytree(_TEMPLATE[0], target)
    return open_database(target)


def login(db: Database, username: str, password: str = USER_PW) -> Actor:
    from app.services.users import authenticate

    with db.session() as s:
        return authenticate(s, username, password)


def admin_of(db: Database) -> Actor:
    return login(db, "admin", DEMO_PW)


def make_user(db: Database, admin: Actor, name: str, role: str, batch_code: str | None = None) -> Actor:
    """A new user with `role` (password USER_PW), assigned to `batch_code` as its score clerk."""
    from app.services.users import create_user

    with db.session() as s:
        create_user(s, admin, name, role, USER_PW)
    actor = login(db, name)
    if batch_code:
        with db.session() as s:
            sa = ScorerAssignment(user_id=actor.user_id, batch_id=get_batch(s, batch_code).id)
            s.add(sa)
            record(s, admin, "scorer.assign", sa)
    return actor


def force(db: Database, admin: Actor, code: str, **values: object) -> None:
    """Set batch columns directly (test set-up), audited so `audit verify` stays clean."""
    with db.session() as s:
        b = get_batch(s, code)
        for k, v in values.items():
            setattr(b, k, v)
        record(s, admin, "test.setup", b, reason="测试准备")


def set_profile(db: Database, admin: Actor, code: str, profile: str) -> None:
    with db.session() as s:
        org = s.get(Organisation, get_batch(s, code).organisation_id)
        org.profile_name = profile
        record(s, admin, "test.setup", org, reason="测试准备")


def scoring_batch(db: Database, admin: Actor, code: str = "2026-04", *, double: bool = False) -> int:
    """Move the demo's plan_filed (已报备) batch (level 4, theory + skill, 60 candidates) to
    成绩录入; `double`: with double entry."""
    with db.session() as s:
        advance(s, admin, code, "in_progress")
        advance(s, admin, code, "scoring")
        bid = get_batch(s, code).id
    if double:
        force(db, admin, code, double_entry=True)
    return bid


def enrolment_ids(db: Database, code: str) -> list[tuple[int, str]]:
    """(enrolment id, admission number) of every candidate, in admission-number order."""
    with db.session() as s:
        bid = get_batch(s, code).id
        return [
            (e.id, e.admission_no)
            for e in s.scalars(select(Enrolment).where(Enrolment.batch_id == bid).order_by(Enrolment.admission_no))
        ]


def fill(db: Database, actor: Actor, code: str, values: dict[str, str], *, entry_round: int = 1) -> None:
    """Enter the same value for every candidate and component in `values` ("absent" and
    "disqualified" are entered as marks)."""
    with db.session() as s:
        bid = get_batch(s, code).id
        ids = list(s.scalars(select(Enrolment.id).where(Enrolment.batch_id == bid)))
        for eid in ids:
            for comp, v in values.items():
                if v in ("absent", "disqualified"):
                    scores.enter_score(s, actor, eid, comp, None, v, entry_round=entry_round)
                else:
                    scores.enter_score(s, actor, eid, comp, v, entry_round=entry_round)


def audit_ok(db: Database) -> None:
    """Assert that `audit verify` finds nothing wrong (naming the first problems if it does)."""
    with db.session() as s:
        report = verify_audit(s)
    assert report.ok, [p.message for p in report.problems[:5]]
