"""Certificate numbering: no duplicate and no gap — with rollbacks, per scope, and across two
real processes issuing on one database file at the same time."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.db import open_database
from app.models import Certificate, SerialCounter
from app.services.certificates import issue_certificates
from app.services.users import authenticate, create_first_admin
from tests.conftest import ADMIN_PASSWORD
from tests.printing.certfactory import small_db

DAY = dt.date(2026, 3, 1)


class _Rollback(Exception):
    pass


def _serials_by_scope(s, width: int) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    """Serials grouped by the number's first `width` characters (16: filing code + year + level;
    13: the filing code alone)."""
    out: dict[str, list[int]] = defaultdict(list)
    for number in s.scalars(select(Certificate.number)):
        out[number[:width]].append(int(number[16:]))
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profile=st.sampled_from(["anhui", "chongqing"]),
    steps=st.lists(
        st.tuples(st.integers(0, 2), st.integers(1, 4), st.booleans()), min_size=1, max_size=12
    ),
)
def test_serials_are_gapless_and_unique_per_scope(profile: str, steps) -> None:  # type: ignore[no-untyped-def]
    filing = "S000034010001" if profile == "anhui" else "S000050000017"
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp))
        try:
            with db.session() as s:
                create_first_admin(s, "admin", ADMIN_PASSWORD)
            with db.session() as s:
                admin = authenticate(s, "admin", ADMIN_PASSWORD)
            codes = ["A", "B", "C"]
            small_db(db, profile=profile, filing_code=filing,
                     batches=(("A", 3, 6), ("B", 3, 5), ("C", 4, 4)))
            for idx, limit, rollback in steps:
                try:
                    with db.session() as s:
                        issue_certificates(s, admin, codes[idx], DAY, limit=limit, fix_content=False)
                        if rollback:
                            raise _Rollback
                except _Rollback:
                    pass
            for code in codes:  # finish every batch
                with db.session() as s:
                    issue_certificates(s, admin, code, DAY, fix_content=False)
            with db.session() as s:
                scopes = _serials_by_scope(s, 16 if profile == "anhui" else 13)
                counters = {c.scope_key: c.next_value for c in s.scalars(select(SerialCounter))}
            total = sum(len(v) for v in scopes.values())
            assert total == 15
            for serials in scopes.values():
                assert sorted(serials) == list(range(1, len(serials) + 1))
            if profile == "anhui":  # per year and level: level 3 shared by A and B, level 4 alone
                assert sorted(len(v) for v in scopes.values()) == [4, 11]
                assert counters == {f"{filing}|26|3": 12, f"{filing}|26|4": 5}
            else:  # Chongqing: one sequence for the organisation
                assert [len(v) for v in scopes.values()] == [15]
                assert counters == {filing: 16}
        finally:
            db.dispose()


WORKER = r"""
import datetime as dt, sys, time
from pathlib import Path
from app.db import open_database
from app.services.certificates import issue_certificates
from app.services.signing import load_signer
from app.services.users import authenticate

data_dir, code, go, password = sys.argv[1:5]
db = open_database(Path(data_dir), migrate=False)
with db.session() as s:
    actor = authenticate(s, "admin", password)
while not Path(go).exists():
    time.sleep(0.005)
with db.session() as s:
    signer = load_signer(s, actor)  # both race to create the key: exactly one may
issued = []
while True:
    with db.session() as s:
        r = issue_certificates(s, actor, code, dt.date(2026, 3, 1), limit=1, signer=signer)
    issued += [c.number for c in r.issued]
    if r.remaining == 0:
        break
    time.sleep(0.02)  # outside the lock: lets the other process in (SQLite's lock is not fair)
print(signer.fingerprint)
print(",".join(issued))
"""


def test_two_processes_issue_without_duplicates_or_gaps(db, admin, tmp_path: Path) -> None:
    per_batch = 30
    small_db(db, batches=(("P-1", 3, per_batch), ("P-2", 4, per_batch)))  # Chongqing: one scope
    go = tmp_path / "go"
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               SKILLSITE_KEY_PASSPHRASE="two-process-test", PYTHONPATH=os.getcwd())
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(db.data_dir), code, str(go),
                          ADMIN_PASSWORD], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for code in ("P-1", "P-2")
    ]
    time.sleep(1.0)  # both are waiting at the start line
    go.touch()
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err[-3000:]
    fingerprints = {out.splitlines()[0] for out, _ in outs}
    assert len(fingerprints) == 1  # one signing key, not two
    got = [out.splitlines()[1].split(",") for out, _ in outs]
    serials = sorted(int(n[-6:]) for numbers in got for n in numbers)
    assert serials == list(range(1, 2 * per_batch + 1))  # exactly 1..N: no duplicate, no gap
    with db.session() as s:
        stored = sorted(int(n[-6:]) for n in s.scalars(select(Certificate.number)))
        assert stored == serials
        assert s.scalar(select(SerialCounter.next_value)) == 2 * per_batch + 1
    # the two really interleaved (small transactions): each got serials from both halves
    first = sorted(int(n[-6:]) for n in got[0])
    assert first[-1] - first[0] + 1 > len(first), "the workers ran one after the other"
