"""Score entry, the pass rule and result computation (app/services/scores.py).

The demo set-up helpers (demo copy, users, batches in a chosen state) are in tests/score_data.py.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Batch
from app.services import score_rules, scores
from app.services.batch_workflow import advance, get_batch
from app.services.score_rules import MISSING, Cell, evaluate, parse_score
from tests.score_data import (
    admin_of,
    audit_ok,
    enrolment_ids,
    fill,
    force,
    make_user,
    scoring_batch,
)


# --- pure rules ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [("85.5", "85.5"), ("60", "60.0"), ("0", "0.0"), ("100", "100.0"), (" 59.9 ", "59.9"),
     (Decimal("72.50"), "72.5"), (88, "88.0"), (61.5, "61.5"), ("９０．５", "90.5")],
)
def test_parse_score_accepts(raw: object, expected: str) -> None:
    assert parse_score(raw) == Decimal(expected)


@pytest.mark.parametrize(
    ("raw", "needle"),
    [("85.55", "一位小数"), (Decimal("85.55"), "一位小数"), ("100.1", "超出范围"), ("101", "超出范围"),
     ("-1", "无效"), ("abc", "无效"), ("", "无效"), (None, "请填写成绩"), ("1e2", "无效"),
     (Decimal("NaN"), "无效"), (Decimal("-0.5"), "超出范围")],
)
def test_parse_score_refuses_with_a_clear_message(raw: object, needle: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_score(raw)
    assert needle in exc.value.message


@given(st.integers(min_value=0, max_value=1000))
def test_every_one_decimal_score_round_trips(tenths: int) -> None:
    value = Decimal(tenths) / 10
    assert parse_score(format(value, "f")) == value
    assert parse_score(value) == value
    assert score_rules.display_value(parse_score(str(value)), "normal") == format(value.quantize(Decimal("0.1")), "f")


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=99))
def test_two_decimals_are_always_refused(last: int, whole: int) -> None:
    with pytest.raises(ValidationError):
        parse_score(f"{whole}.{last}{last}")


def test_parse_entry_understands_marks() -> None:
    assert score_rules.parse_entry("缺考") == (None, "absent")
    assert score_rules.parse_entry("违纪") == (None, "disqualified")
    assert score_rules.parse_entry("75") == (Decimal("75.0"), "normal")


def ok(score: str | None, mark: str = "normal") -> Cell:
    return Cell("ok", Decimal(score) if score is not None else None, mark)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"theory": ok("60"), "skill": ok("60")}, "pass"),  # exactly the pass mark
        ({"theory": ok("59.9"), "skill": ok("95")}, "fail"),
        ({"theory": ok("100"), "skill": ok("59.9")}, "fail"),
        ({"theory": ok(None, "absent"), "skill": ok("90")}, "fail"),
        ({"theory": ok("90"), "skill": ok(None, "disqualified")}, "fail"),
        ({"theory": ok("90"), "skill": MISSING}, None),
        ({"theory": ok("90")}, None),
    ],
)
def test_pass_rule_theory_and_skill(cells: dict[str, Cell], expected: str | None) -> None:
    assert evaluate(("theory", "skill"), cells, 60) == expected


def test_pass_rule_with_review() -> None:
    req = ("theory", "skill", "review")
    assert evaluate(req, {"theory": ok("70"), "skill": ok("70"), "review": ok("60")}, 60) == "pass"
    assert evaluate(req, {"theory": ok("70"), "skill": ok("70"), "review": ok("59.9")}, 60) == "fail"
    assert evaluate(req, {"theory": ok("70"), "skill": ok("70"), "review": ok(None, "absent")}, 60) == "fail"
    assert evaluate(req, {"theory": ok("70"), "skill": ok("70")}, 60) is None
    # a per-batch pass mark
    assert evaluate(("theory",), {"theory": ok("65")}, 70) == "fail"
    assert evaluate(("theory",), {"theory": ok("70")}, 70) == "pass"


@pytest.mark.parametrize(
    ("level", "review", "expected"),
    [(1, False, ("theory", "skill", "review")), (2, False, ("theory", "skill", "review")),
     (3, False, ("theory", "skill")), (4, True, ("theory", "skill", "review")),
     (5, False, ("theory", "skill"))],
)
def test_review_is_required_for_levels_1_and_2(level: int, review: bool, expected: tuple[str, ...]) -> None:
    b = Batch(level=level, method_theory=True, method_skill=True, method_review=review)
    assert score_rules.required_components(b) == expected


# --- services on the demo -----------------------------------------------------------------------
def test_enter_compute_and_audit(demo: Database) -> None:
    admin = admin_of(demo)
    scoring_batch(demo, admin)
    ids = enrolment_ids(demo, "2026-04")
    clerk = make_user(demo, admin, "luru1", "scorer", "2026-04")
    with demo.session() as s:
        done = scores.enter_score(s, clerk, ids[0][0], "theory", "85.5")
        assert done.changed and done.score == Decimal("85.5") and done.mark == "normal"
        again = scores.enter_score(s, clerk, ids[0][0], "theory", "85.5")
        assert not again.changed
        scores.enter_score(s, clerk, ids[0][0], "theory", "86")  # a correction before the lock
    with demo.session() as s:
        rows = scores.score_sheet(s, clerk, get_batch(s, "2026-04").id, "theory")
        assert len(rows) == 60 and rows[0].score == Decimal("86.0") and rows[0].text == "86.0"
        assert all("*" in r.id_number for r in rows)
        assert rows[1].mark is None and rows[1].editable
    # compute is refused while scores are missing, naming them
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        scores.compute_results(s, clerk, "2026-04")
    assert "未录入" in exc.value.message and ids[1][1] in exc.value.message
    fill(demo, clerk, "2026-04", {"theory": "60", "skill": "75"})
    with demo.session() as s:
        scores.enter_score(s, clerk, ids[1][0], "theory", "59.9")
        scores.enter_score(s, clerk, ids[2][0], "skill", None, "absent")
        scores.enter_score(s, clerk, ids[3][0], "skill", None, "违纪")
        summary = scores.compute_results(s, clerk, "2026-04")
    assert (summary.enrolled, summary.passed, summary.failed) == (60, 57, 3)
    assert summary.changed == 60
    with demo.session() as s:
        by_adm = {c.admission_no: c for c in scores.candidate_scores(s, clerk, "2026-04")}
        assert by_adm[ids[0][1]].result == "pass"  # exactly 60 in skill? no: 60 theory, 75 skill
        assert by_adm[ids[1][1]].result == "fail"
        assert by_adm[ids[2][1]].cells["skill"].text == "缺考"
        assert by_adm[ids[3][1]].cells["skill"].text == "违纪"
        n = s.scalar(select(AuditEntry.id).where(AuditEntry.action == "result.compute").limit(1))
        assert n is not None
    with demo.session() as s:  # nothing changed: nothing audited again
        assert scores.compute_results(s, clerk, "2026-04").changed == 0
    audit_ok(demo)


def test_entry_refusals(demo: Database) -> None:
    admin = admin_of(demo)
    ids = enrolment_ids(demo, "2026-04")
    with pytest.raises(ValidationError) as exc, demo.session() as s:  # plan_filed: not yet
        scores.enter_score(s, admin, ids[0][0], "theory", "80")
    assert "实施中" in exc.value.message
    with demo.session() as s:
        advance(s, admin, "2026-04", "in_progress")
    with demo.session() as s:  # in_progress: theory scores may come in before the skill sittings end
        scores.enter_score(s, admin, ids[0][0], "theory", "80")
    with pytest.raises(ValidationError) as exc, demo.session() as s:  # but results wait for 成绩录入
        scores.compute_results(s, admin, "2026-04")
    assert "成绩录入" in exc.value.message
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        scores.enter_score(s, admin, ids[0][0], "review", "80")
    assert "没有“review”科目" in exc.value.message
    with pytest.raises(ValidationError), demo.session() as s:
        scores.enter_score(s, admin, ids[0][0], "theory", "80", "absent")
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        scores.enter_score(s, admin, ids[0][0], "theory", "80", entry_round=2)
    assert "未启用双人录入" in exc.value.message
    # a score clerk only for the batches assigned to them; a clerk (考务员) never
    other = make_user(demo, admin, "luru2", "scorer", "2026-05")
    kaowu = make_user(demo, admin, "kaowu", "clerk")
    for actor in (other, kaowu):
        with pytest.raises(PermissionDenied), demo.session() as s:
            scores.enter_score(s, actor, ids[0][0], "theory", "81")
    audit_ok(demo)


def test_level_two_requires_review_and_pass_mark_per_batch(demo: Database) -> None:
    admin = admin_of(demo)
    # 2026-05: level 2 (技师) — move it to scoring for the test
    force(demo, admin, "2026-05", status="scoring", method_review=False)
    with demo.session() as s:
        assert score_rules.required_components(get_batch(s, "2026-05")) == ("theory", "skill", "review")
    fill(demo, admin, "2026-05", {"theory": "70", "skill": "70"})
    with pytest.raises(ValidationError) as exc, demo.session() as s:
        scores.compute_results(s, admin, "2026-05")
    assert "综合评审未录入" in exc.value.message
    fill(demo, admin, "2026-05", {"review": "65"})
    with demo.session() as s:
        assert scores.compute_results(s, admin, "2026-05").passed == 50
        assert scores.set_pass_mark(s, admin, "2026-05", 66, reason="专家组决定") == 66
    with demo.session() as s:
        r = scores.compute_results(s, admin, "2026-05")
        assert (r.passed, r.failed, r.changed, r.pass_mark) == (0, 50, 50, 66)
    with demo.session() as s:
        assert scores.default_pass_mark(s, get_batch(s, "2026-05")) == 60
    audit_ok(demo)
