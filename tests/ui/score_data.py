"""Demo data for the score-page GUI tests: a private copy per test, users, a batch in 成绩录入."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import select

from app.db import Database, open_database
from app.models import Enrolment, ScorerAssignment
from app.services import scores
from app.services.actor import Actor
from app.services.audit import record
from app.services.audit_verify import verify_audit
from app.services.batch_workflow import advance, get_batch

DEMO_PW = "Demo#2026"
USER_PW = "Passw0rd#2026"
_TEMPLATE: list[Path] = []


def demo_copy(tmp_path: Path) -> Database:
    """A private copy of the demo data (built once per test session)."""
    if not _TEMPLATE:
        from app.services.demo import build_demo

        root = Path(tempfile.mkdtemp(prefix="skillsite-ui-scores-"))
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


def make_scorer(db: Database, admin: Actor, name: str, batch_code: str) -> Actor:
    from app.services.users import create_user

    with db.session() as s:
        create_user(s, admin, name, "scorer", USER_PW)
    actor = login(db, name)
    with db.session() as s:
        sa = ScorerAssignment(user_id=actor.user_id, batch_id=get_batch(s, batch_code).id)
        s.add(sa)
        record(s, admin, "scorer.assign", sa)
    return actor


def to_scoring(db: Database, admin: Actor, code: str = "2026-04", *, double: bool = False) -> int:
    """Move the demo's 已报备 batch (theory + skill, 60 candidates) to 成绩录入."""
    with db.session() as s:
        advance(s, admin, code, "in_progress")
        advance(s, admin, code, "scoring")
        b = get_batch(s, code)
        if double:
            b.double_entry = True
            record(s, admin, "test.setup", b, reason="测试准备")
        return b.id


def enrolments(db: Database, code: str) -> list[tuple[int, str]]:
    with db.session() as s:
        bid = get_batch(s, code).id
        stmt = select(Enrolment.id, Enrolment.admission_no).where(Enrolment.batch_id == bid)
        return sorted(s.execute(stmt).tuples().all(), key=lambda r: r[1])


def fill(db: Database, actor: Actor, code: str, values: dict[str, str], entry_round: int = 1) -> None:
    with db.session() as s:
        for eid, _no in enrolments(db, code):
            for comp, v in values.items():
                scores.enter_score(s, actor, eid, comp, v, entry_round=entry_round)


def audit_ok(db: Database) -> bool:
    with db.session() as s:
        return verify_audit(s).ok
