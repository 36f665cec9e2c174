"""QA round 11 (B): a few digits of an ID number (“4070”) find nobody, on purpose, and now say so —
as a masked number already did (`listing.people_search_note`): numbers are found only whole (to
protect personal data), names by any part. The same note in the 人员 list and `people list`."""

from __future__ import annotations

import datetime as dt

import pytest

from app.cli.main import main
from app.db import Database
from app.services import listing
from app.services.actor import Actor
from app.services.listing import (
    MASKED_ID_NOTE,
    NAME_ONLY_NOTE,
    PARTIAL_ID_NOTE,
    is_partial_id,
    people_search_note,
)
from app.services.roster import PersonInput, add_person
from tests.conftest import ADMIN_PASSWORD
from tests.services.conftest import make_id

NUMBER = make_id(8, dt.date(1975, 6, 12), area="500106")  # 50010619750612008X
PERMIT = "12345678"  # 台湾居民来往大陆通行证: a whole number of 8 digits


@pytest.fixture
def site(db: Database, admin: Actor) -> Database:
    with db.session() as s:
        add_person(s, admin, PersonInput("高琪涵", NUMBER))
        add_person(s, admin, PersonInput("林美玲", PERMIT, id_type="213", gender="女"))
    return db


@pytest.mark.parametrize(
    ("text", "partial"),
    [
        ("4070", True),
        ("08X", True),
        ("08x", True),
        (" 5001 06 ", True),
        ("５００１０６", True),  # full-width, as an input method types
        (NUMBER[:17], True),
        ("1", True),
        (NUMBER, False),  # whole: 18
        (NUMBER[:15], False),  # as long as a first-generation number
        ("X", False),
        ("X4070", False),
        ("高琪涵", False),
        ("高4070", False),
        ("500106**********8X", False),  # masked: its own note
        ("", False),
        (None, False),
    ],
)
def test_is_partial_id(text: str | None, partial: bool) -> None:
    assert is_partial_id(text) is partial


def test_a_few_digits_find_nobody_and_say_why(site: Database, admin: Actor) -> None:
    for digits in ("4070", NUMBER[-4:], NUMBER[:6], NUMBER[:17]):
        with site.session() as s:
            assert listing.people_count(s, digits, actor=admin) == 0, digits
        assert people_search_note(digits, admin) == PARTIAL_ID_NOTE
        assert people_search_note(digits, None) == PARTIAL_ID_NOTE
    assert "完整" in PARTIAL_ID_NOTE and "保护个人信息" in PARTIAL_ID_NOTE
    assert "姓名可输入任意部分" in PARTIAL_ID_NOTE


def test_no_partial_note_for_a_whole_number_a_name_or_a_mask(site: Database, admin: Actor) -> None:
    assert people_search_note(NUMBER, admin) == ""
    assert people_search_note("高琪", admin) == ""
    assert people_search_note("500106**********8X", admin) == MASKED_ID_NOTE
    # 8 digits that are someone's whole (travel permit) number: found, so nothing to explain
    with site.session() as s:
        found = listing.people_count(s, PERMIT, actor=admin)
    assert found == 1 and people_search_note(PERMIT, admin, found=found) == ""
    assert people_search_note(PERMIT[:4], admin, found=0) == PARTIAL_ID_NOTE


def test_without_the_right_to_see_numbers_the_name_only_note_stays(site: Database, admin: Actor) -> None:
    from app.services.users import authenticate, create_user

    with site.session() as s:
        create_user(s, admin, "lufen11", "scorer", "Scorer#2026", "录分员")
    with site.session() as s:
        scorer = authenticate(s, "lufen11", "Scorer#2026")
    assert people_search_note("4070", scorer) == NAME_ONLY_NOTE


def _people_list(capsys, db: Database, search: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(["--data-dir", str(db.data_dir), "people", "list", "--user", "admin", "--search", search])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_prints_the_note(site: Database, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    site.dispose()
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    code, out, err = _people_list(capsys, site, "4070")
    assert code == 0 and out == ""
    assert f"提示：{PARTIAL_ID_NOTE}" in err
    code, out, err = _people_list(capsys, site, PERMIT)
    assert code == 0 and "林美玲" in out and "提示" not in err
    code, out, err = _people_list(capsys, site, NUMBER)
    assert code == 0 and "高琪涵" in out and "提示" not in err
