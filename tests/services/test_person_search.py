"""Searching people: an ID number is found only by the whole number (a prefix search would undo the
mask digit by digit), birth dates stay with those who may see full numbers, and the occupation
filter keeps current examiners only. Covers listing (GUI), reads (CLI) and roster_queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from app.db import Database
from app.errors import PermissionDenied
from app.models.enums import UserRole
from app.services import listing, permissions
from app.services.actor import Actor
from app.services.permissions import Perm
from app.services.reads import list_people
from app.services.roster import PersonInput, QualificationInput, RoleInput, add_person, remove_role
from app.services.roster_queries import search_roster
from tests.services.conftest import make_id

TARGET = make_id(8, dt.date(1975, 6, 12), area="500106")  # masked 500106**********8X
assert TARGET.endswith("8X")
OTHER = make_id(41, dt.date(1975, 6, 12), area="500106")
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")


def _scorer(db: Database, admin: Actor) -> Actor:
    from app.services.users import authenticate, create_user

    with db.session() as s:
        create_user(s, admin, "lufen", "scorer", "Scorer#2026", "录分员")
    with db.session() as s:
        return authenticate(s, "lufen", "Scorer#2026")


@pytest.fixture
def people(db: Database, admin: Actor, roster_org: dict) -> dict[str, int]:  # type: ignore[type-arg]
    with db.session() as s:
        target = add_person(
            s,
            admin,
            PersonInput("高琪涵", TARGET, employer="某单位"),
            [RoleInput("examiner")],
            [QualificationInput(roster_org["electrician"], 3)],
        )
        other = add_person(s, admin, PersonInput("高超", OTHER))
        s.flush()
        return {"target": target.id, "other": other.id, "electrician": roster_org["electrician"]}


def _finders(db: Database, admin: Actor) -> dict[str, Callable[[str], set[int]]]:
    """Every search that takes a name-or-ID term, as term → ids of the people found."""

    def run(query: Callable) -> Callable[[str], set[int]]:  # type: ignore[type-arg]
        def find(term: str) -> set[int]:
            with db.session() as s:
                return query(s, term)

        return find

    return {
        "listing.people_page": run(lambda s, t: {r.id for r in listing.people_page(s, 0, 50, t)}),
        "listing.people_count": run(
            lambda s, t: {0} if listing.people_count(s, t) else set()  # only "found or not"
        ),
        "reads.list_people": run(lambda s, t: {r["id"] for r in list_people(s, admin, search=t)}),
        "search_roster": run(lambda s, t: {e.id for e in search_roster(s, id_number=t)}),
    }


def test_no_prefix_of_a_masked_number_finds_anyone(db: Database, admin: Actor, people) -> None:  # type: ignore[no-untyped-def]
    """What /tmp/qa_roster/enum.py did: extend the visible 6 digits one digit at a time."""
    with db.session() as s:
        assert listing.people_page(s, 0, 50, "高琪涵")[0].id_number_masked == "500106**********8X"
    for where, find in _finders(db, admin).items():
        for n in range(1, len(TARGET)):
            assert not find(TARGET[:n]), (where, n)
        assert not find("500106**********8X"), where
        assert not find(TARGET[:17]), where  # all but the check character


@pytest.mark.parametrize(
    "typed",
    [
        TARGET,
        TARGET.lower(),  # x
        f"  {TARGET[:6]} {TARGET[6:14]} {TARGET[14:]} ",  # spaces around and inside
        TARGET.translate(FULLWIDTH),  # full-width digits and ｘ, as a Chinese input method types
        f"\u3000{TARGET[:6]}\u3000{TARGET[6:]}",  # ideographic spaces
    ],
)
def test_the_whole_number_finds_the_person_however_typed(db: Database, admin: Actor, people, typed: str) -> None:  # type: ignore[no-untyped-def]
    for where, find in _finders(db, admin).items():
        found = find(typed)
        assert found == ({0} if where == "listing.people_count" else {people["target"]}), where


def test_the_15_digit_old_form_finds_the_converted_number(db: Database, admin: Actor, people) -> None:  # type: ignore[no-untyped-def]
    old_form = OTHER[:6] + OTHER[8:17]  # stored as 18 digits: "19" added, check digit computed
    assert len(old_form) == 15
    assert listing.id_search_forms(old_form) == (old_form, OTHER)
    for where, find in _finders(db, admin).items():
        assert find(old_form) == ({0} if where == "listing.people_count" else {people["other"]}), where
        assert not find(old_form[:14]), where


def test_names_are_still_matched_as_before(db: Database, admin: Actor, people) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        assert {r.name for r in listing.people_page(s, 0, 50, "高")} == {"高琪涵", "高超"}
        assert listing.people_count(s, "琪涵") == 1  # GUI: a part, as the CLI
        assert [r["name"] for r in list_people(s, admin, search="琪涵")] == ["高琪涵"]  # CLI: a part
        assert [r["name"] for r in list_people(s, admin, search="ｘ")] == []  # no name holds x
        assert [e.name for e in search_roster(s, name="琪")] == ["高琪涵"]


def test_list_people_needs_read_and_shows_birth_dates_only_with_full_id(
    db: Database, admin: Actor, people, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    scorer = _scorer(db, admin)
    assert not permissions.allowed(scorer, Perm.VIEW_FULL_ID)
    with db.session() as s:
        as_admin = {r["id"]: r for r in list_people(s, admin)}
        as_scorer = {r["id"]: r for r in list_people(s, scorer)}
    assert as_admin[people["target"]]["birth_date"] == "1975-06-12"
    assert all("birth_date" not in r for r in as_scorer.values())
    assert as_scorer[people["target"]]["id_number"] == "500106**********8X"

    monkeypatch.setitem(permissions.MATRIX, UserRole.SCORER, frozenset({Perm.ENTER_SCORES}))
    with pytest.raises(PermissionDenied, match="查看数据"), db.session() as s:
        list_people(s, scorer)


def test_people_page_given_an_actor_checks_it_and_hides_birth_dates(
    db: Database, admin: Actor, people, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    scorer = _scorer(db, admin)
    with db.session() as s:
        assert {r.birth_date for r in listing.people_page(s, 0, 50, actor=scorer)} == {None}
        assert dt.date(1975, 6, 12) in {r.birth_date for r in listing.people_page(s, 0, 50, actor=admin)}
        assert listing.people_count(s, actor=scorer) == 2
    monkeypatch.setitem(permissions.MATRIX, UserRole.SCORER, frozenset({Perm.ENTER_SCORES}))
    for call in (
        lambda s: listing.people_page(s, 0, 50, actor=scorer),
        lambda s: listing.people_count(s, actor=scorer),
    ):
        with pytest.raises(PermissionDenied), db.session() as s:
            call(s)


def test_occupation_filter_keeps_current_examiners_only(db: Database, admin: Actor, people) -> None:  # type: ignore[no-untyped-def]
    occupation = people["electrician"]

    def found() -> tuple[list[str], int, list[str]]:
        with db.session() as s:
            rows = listing.people_page(s, 0, 50, occupation_id=occupation)
            return (
                [r.name for r in rows],
                listing.people_count(s, occupation_id=occupation),
                [e.name for e in search_roster(s, occupation_id=occupation)],
            )

    assert found() == (["高琪涵"], 1, ["高琪涵"])
    with db.session() as s:
        assert remove_role(s, admin, people["target"], "examiner", reason="不再担任")
    assert found() == ([], 0, [])  # the qualification is kept, but concerns nobody now
    with db.session() as s:
        assert listing.people_count(s, "高琪涵") == 1  # the person is still there


def test_without_the_full_id_right_no_search_matches_a_whole_number(
    db: Database, admin: Actor, people
) -> None:  # type: ignore[no-untyped-def]
    """A search that answers "found" for a whole number is an oracle: a scorer guessing numbers
    that pass the check digit would recover the full number behind the mask. Names still match."""
    scorer = _scorer(db, admin)
    with db.session() as s:
        assert listing.people_page(s, 0, 50, TARGET, actor=scorer) == []
        assert listing.people_count(s, TARGET, actor=scorer) == 0
        assert list_people(s, scorer, search=TARGET) == []
        assert [r.id for r in listing.people_page(s, 0, 50, "琪涵", actor=scorer)] == [people["target"]]
        assert [r.id for r in listing.people_page(s, 0, 50, TARGET, actor=admin)] == [people["target"]]
    with pytest.raises(PermissionDenied), db.session() as s:
        search_roster(s, id_number=TARGET, actor=scorer)


def test_a_name_search_ignores_the_case_of_latin_letters(db: Database, admin: Actor) -> None:
    """The same on SQLite (LIKE ignores case) and PostgreSQL (LIKE does not): run this file with
    SKILLSITE_TEST_PG_URL set to check the second."""
    number = make_id(77, dt.date(1980, 1, 2), area="500106")
    with db.session() as s:
        pid = add_person(s, admin, PersonInput("John SMITH", number)).id
    with db.session() as s:
        for term in ("smith", "SMITH", "john s", "ｓｍｉｔｈ"):
            found = {row.id for row in listing.people_page(s, 0, 50, term)}
            assert found == {pid}, term
