"""Double entry: two different clerks, the second blind to the first; a third person resolves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import ValidationError
from app.models import AuditEntry, ScoreEntry
from app.models.score import FINAL_ROUND
from app.services import double_entry, scores
from app.services.batch_workflow import get_batch
from tests.score_data import (
    admin_of,
    audit_ok,
    enrolment_ids,
    fill,
    make_user,
    scoring_batch,
)


def test_double_entry_mismatch_blocks_and_third_person_resolves(demo: Database) -> None:
    admin = admin_of(demo)
    bid = scoring_batch(demo, admin, double=True)
    a = make_user(demo, admin, "clerk_a", "scorer", "2026-04")
    b = make_user(demo, admin, "clerk_b", "scorer", "2026-04")
    c = make_user(demo, admin, "clerk_c", "scorer", "2026-04")
    ids = enrolment_ids(demo, "2026-04")
    first, second = ids[0][0], ids[1][0]

    fill(demo, a, "2026-04", {"theory": "80", "skill": "70"}, entry_round=1)
    # the same clerk may not enter the second round
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        scores.enter_score(s, a, first, "theory", "80", entry_round=2)
    assert "另一位录分员" in exc.value.message
    # the second clerk's sheet shows nothing of the first entry
    with demo.session() as s:
        sheet = scores.score_sheet(s, b, bid, "theory", entry_round=2)
    assert len(sheet) == 60
    assert all(r.score is None and r.mark is None and r.text == "" for r in sheet)
    with demo.session() as s:
        own = scores.score_sheet(s, a, bid, "theory", entry_round=2)
    assert not any(r.editable for r in own) and "另一人" in own[0].note

    # while round 2 is missing, results wait
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        scores.compute_results(s, admin, bid)
    assert "未录入" in exc.value.message

    fill(demo, b, "2026-04", {"theory": "80", "skill": "70"}, entry_round=2)
    with demo.session() as s:
        scores.enter_score(s, b, first, "theory", "88", entry_round=2)  # a typing slip
        scores.enter_score(s, b, second, "skill", None, "absent", entry_round=2)
    with demo.session() as s:
        found = double_entry.mismatches(s, bid)
    assert [(m.admission_no, m.component) for m in found] == [(ids[0][1], "theory"), (ids[1][1], "skill")]
    m0 = found[0]
    assert (m0.first_score, m0.second_score) == (Decimal("80.0"), Decimal("88.0"))
    assert (m0.first_by, m0.second_by) == ("clerk_a", "clerk_b")
    assert (found[1].first_text, found[1].second_text) == ("70.0", "缺考")
    assert "*" in m0.id_number

    with pytest.raises(ValidationError) as exc, demo.session() as s:
        scores.compute_results(s, admin, bid)
    assert "不一致" in exc.value.message and ids[0][1] in exc.value.message

    # neither clerk may decide
    for clerk in (a, b):
        with pytest.raises(ValidationError) as exc, demo.session() as s:
            double_entry.resolve(s, clerk, first, "theory", "80", reason="核对原始评分表")
        assert "第三人" in exc.value.message
    with pytest.raises(ValidationError), demo.session() as s:  # reason required
        double_entry.resolve(s, c, first, "theory", "80", reason=" ")
    with pytest.raises(ValidationError) as exc, demo.session() as s:  # nothing to decide
        double_entry.resolve(s, c, ids[5][0], "theory", "80", reason="核对")
    assert "一致" in exc.value.message
    with demo.session() as s:
        d = double_entry.resolve(s, c, first, "theory", "80", reason="核对原始评分表")
        assert d.entry_round == FINAL_ROUND
        double_entry.resolve(s, c, second, "skill", None, "absent", reason="考场记录：缺考")
    with demo.session() as s:
        assert double_entry.mismatches(s, bid) == []
        r = scores.compute_results(s, c, bid)
    assert (r.passed, r.failed) == (59, 1)
    # after a decision, the entries stay as they were and cannot be changed under it
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        scores.enter_score(s, b, first, "theory", "80", entry_round=2)
    assert "裁定" in exc.value.message
    with demo.session() as s:
        rounds = {e.entry_round: e.score for e in s.scalars(
            select(ScoreEntry).where(ScoreEntry.enrolment_id == first, ScoreEntry.component == "theory"))}
        assert rounds == {1: Decimal("80.0"), 2: Decimal("88.0"), 0: Decimal("80.0")}
        resolved = s.scalars(select(AuditEntry).where(AuditEntry.action == "score.resolve")).all()
        assert len(resolved) == 2 and resolved[0].reason == "核对原始评分表"
        assert resolved[0].username == "clerk_c"
        assert len(double_entry.decisions(s, bid)) == 2
    audit_ok(demo)


def test_single_entry_batch_has_no_mismatches(demo: Database) -> None:
    admin = admin_of(demo)
    bid = scoring_batch(demo, admin)
    first = enrolment_ids(demo, "2026-04")[0][0]
    with demo.session() as s:
        assert double_entry.mismatches(s, bid) == []
        with pytest.raises(ValidationError) as exc:
            double_entry.resolve(s, admin, first, "theory", "80", reason="x")
        assert "未启用双人录入" in exc.value.message
        assert get_batch(s, bid).double_entry is False
