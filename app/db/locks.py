"""Cross-process write locks for the few "read, then create if missing" steps.

SQLite needs nothing here: every transaction is BEGIN IMMEDIATE (app.db.engine), so one writer
at a time. PostgreSQL runs writers concurrently (READ COMMITTED) and `SELECT … FOR UPDATE` cannot
lock a row that does not exist yet, so two PCs could both see "missing" and both create it. A
transaction-level advisory lock serialises those steps; it is released at commit or rollback.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# One number per kind of step (app.services.audit uses 735100 for the audit chain).
SIGNING_KEY = 735101
SERIAL_COUNTER = 735102
PEOPLE_IMPORT = 735103  # an import's commit: re-check against the database, then write
ENROLMENT = 735104  # enrolling: the checks and the admission numbers, then the inserts


def lock_for_create(session: Session, key: int) -> bool:
    """Wait for the advisory lock `key` on PostgreSQL (True); no-op elsewhere (False).

    After True, re-read what was missing: another transaction may have created it meanwhile.
    """
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    return True
