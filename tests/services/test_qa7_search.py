"""People search QA round 7 (D11): a masked ID number copied from the 人员 list finds nobody, on
purpose (matching its visible digits would let one fill in the hidden ones and probe), and the
service says why and what to type instead (`listing.people_search_note`), for the GUI and CLI."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db import Database
from app.services import listing
from app.services.actor import Actor
from app.services.listing import (
    MASKED_ID_NAME_ONLY_NOTE,
    MASKED_ID_NOTE,
    NAME_ONLY_NOTE,
    is_masked_id,
    people_search_note,
)
from app.services.reads import list_people
from app.services.roster import PersonInput, add_person
from tests.services.conftest import make_id

NUMBER = next(
    n
    for n in (make_id(i, dt.date(1980, 8, 3), area="500115") for i in range(20, 999))
    if n[-1] == "X"
)


@pytest.fixture
def scorer(db: Database, admin: Actor) -> Actor:
    from app.services.users import authenticate, create_user

    with db.session() as s:
        create_user(s, admin, "lufen7", "scorer", "Scorer#2026", "录分员")
    with db.session() as s:
        return authenticate(s, "lufen7", "Scorer#2026")


@pytest.fixture
def shown(db: Database, admin: Actor) -> str:
    """The ID number of 莫静 as the 人员 table shows it."""
    with db.session() as s:
        add_person(s, admin, PersonInput("莫静", NUMBER))
        add_person(s, admin, PersonInput("莫静子", make_id(7, area="500115")))
    with db.session() as s:
        [row] = [r for r in listing.people_page(s, 0, 50, "莫") if r.name == "莫静"]
    assert row.id_number_masked == NUMBER[:6] + "*" * 10 + NUMBER[-2:]
    return row.id_number_masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("500115**********0X", True),
        ("500115**********0x", True),
        (" 500115 ********** 0X ", True),
        ("５００１１５＊＊＊＊＊＊＊＊＊＊０ｘ", True),  # full-width, as an input method types
        ("500115*****0X", True),  # a miscopied mask is still a mask
        ("E1******8", True),  # a passport number as the lists show it
        ("500115198008030200", False),
        ("莫静", False),
        ("***", False),
        ("", False),
        (None, False),
    ],
)
def test_is_masked_id(text: str | None, masked: bool) -> None:
    assert is_masked_id(text) is masked


def test_a_masked_number_finds_nobody_and_says_why(
    db: Database, admin: Actor, scorer: Actor, shown: str
) -> None:
    for actor, note in (
        (admin, MASKED_ID_NOTE),
        (None, MASKED_ID_NOTE),
        (scorer, MASKED_ID_NAME_ONLY_NOTE),
    ):
        with db.session() as s:
            assert listing.people_count(s, shown, actor=actor) == 0
            assert listing.people_page(s, 0, 50, shown, actor=actor) == []
            if actor is not None:
                assert list_people(s, actor, search=shown) == []
        assert people_search_note(shown, actor) == note
        assert people_search_note(shown.lower(), actor) == note
    assert "遮挡" in MASKED_ID_NOTE and "完整证件号码或姓名" in MASKED_ID_NOTE
    assert "请输入姓名" in MASKED_ID_NAME_ONLY_NOTE and "权限" in MASKED_ID_NAME_ONLY_NOTE


def test_no_note_when_the_search_is_what_the_user_may_search_by(
    db: Database, admin: Actor, scorer: Actor, shown: str
) -> None:
    with db.session() as s:
        assert listing.people_count(s, NUMBER, actor=admin) == 1
        assert listing.people_count(s, "莫静", actor=scorer) == 2
    assert people_search_note(NUMBER, admin) == ""
    assert people_search_note("莫静", admin) == ""
    assert people_search_note("莫静", scorer) == ""
    assert people_search_note("", scorer) == ""
    assert people_search_note(None, admin) == ""
    # a number typed by someone who may not search by it: only names are searched
    assert people_search_note(NUMBER, scorer) == NAME_ONLY_NOTE
    assert people_search_note("５００１１５", scorer) == NAME_ONLY_NOTE
    with db.session() as s:
        assert listing.people_count(s, NUMBER, actor=scorer) == 0
