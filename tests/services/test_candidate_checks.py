"""The candidate import's check shows what enrolling would refuse or warn, beside each row (a
proctor of another batch meanwhile, staff of this batch), so a file that passes the check is
not refused at import; a registered person's row says the list does not change the person."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import ValidationError
from app.models import Enrolment, Person
from app.services.batches import assign_staff
from app.services.candidate_import import commit_candidates, preview_candidates
from tests.services.test_batch_support import World, make_batch, sessions_of, world

__all__ = ["world"]


def _person(world: World, key: str) -> tuple[str, str]:
    with world.db.session() as s:
        p = s.get(Person, world.p(key))
        assert p is not None
        return p.name, p.id_number


def test_the_check_names_the_rows_enrolment_would_refuse(world: World, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    other = make_batch(world, code="2026-11", candidates=())
    with world.db.session() as s:  # 监考丙 proctors 2026-11's theory exam, on the same day
        assign_staff(
            s, world.admin, other, world.p("p3"), "proctor", sessions_of(world, other)["theory"]
        )
    batch = make_batch(world, code="2026-13", candidates=())
    rows = [
        ["姓名", "证件号码"],
        [*_person(world, "c1")],
        [*_person(world, "p3")],
        [*_person(world, "e1")],
    ]
    path = make_xlsx(rows, name="考生.xlsx")
    with world.db.session() as s:
        preview = preview_candidates(s, world.admin, batch, path)
    first, proctor, examiner = preview.rows
    assert not first.errors and any("不修改其人员信息" in w for w in first.warnings)
    assert not any("update" in w or "更新" in w for r in preview.rows for w in r.warnings)
    (issue,) = proctor.errors
    assert issue.row == 3 and issue.column == "B"
    assert "2026-11" in issue.message and "监考员" in issue.message and "时间重叠" in issue.message
    (issue,) = examiner.errors
    assert issue.row == 4 and "本批次的考务人员" in issue.message
    assert preview.has_errors
    with world.db.session() as s, pytest.raises(ValidationError):
        commit_candidates(s, world.admin, batch, preview)
    with world.db.session() as s:
        assert s.scalar(select(func.count(Enrolment.id)).where(Enrolment.batch_id == batch)) == 0


def test_people_already_in_the_roster_pass_the_check(world: World, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    batch = make_batch(world, code="2026-13", candidates=("c1",))
    path = make_xlsx([["姓名", "证件号码"], [*_person(world, "c1")], [*_person(world, "c2")]])
    with world.db.session() as s:
        preview = preview_candidates(s, world.admin, batch, path)
        assert not preview.has_errors
        result = commit_candidates(s, world.admin, batch, preview)
    assert (result.enrolled, result.already_enrolled) == (1, 1)


def test_a_registered_number_under_another_name_is_refused(world: World, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    """李某某 with 张三's ID number: a mistyped number would enrol 张三 (the row said 李某某)."""
    batch = make_batch(world, code="2026-13", candidates=())
    name, number = _person(world, "c1")
    other, other_number = _person(world, "c2")
    spaced_name = other.replace("", " ").strip()
    path = make_xlsx([["姓名", "证件号码"], ["李某某", number], [spaced_name, other_number]])
    with world.db.session() as s:
        wrong, spaced = preview_candidates(s, world.admin, batch, path).rows
    (issue,) = wrong.errors
    assert issue.column == "A" and f"登记的姓名“{name}”不一致" in issue.message
    assert number not in issue.message
    assert not spaced.errors  # the same name written with spaces is the name
