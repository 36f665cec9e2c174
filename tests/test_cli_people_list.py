"""`skillsite people list` runs as a logged-in user, finds ID numbers only whole, and keeps birth
dates from users who may not see full numbers; argparse's usage errors are in Chinese (exit 2)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from app.cli.main import main
from app.cli.options import translate_usage_error
from app.db import Database
from app.services.actor import Actor
from app.services.roster import PersonInput, RoleInput, add_person
from tests.conftest import ADMIN_PASSWORD
from tests.services.conftest import make_id

NUMBER = make_id(8, dt.date(1975, 6, 12), area="500106")  # 50010619750612008X
SCORER_PASSWORD = "Scorer#2026"


@pytest.fixture
def site(db: Database, admin: Actor) -> str:
    from app.services.users import create_user

    with db.session() as s:
        add_person(s, admin, PersonInput("高琪涵", NUMBER), [RoleInput("examiner")])
        add_person(s, admin, PersonInput("李四", make_id(9, dt.date(1980, 1, 2))))
        create_user(s, admin, "lufen", "scorer", SCORER_PASSWORD, "录分员")
    db.dispose()
    return str(db.data_dir)


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def people(capsys, site: str, user: str, *more: str) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    code, out, err = run(capsys, "--data-dir", site, "people", "list", "--json", "--user", user, *more)
    assert code == 0, err
    return json.loads(out)


def test_people_list_needs_a_user(site: str, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--data-dir", site, "people", "list", "--json")
    assert code == 1 and out == ""
    assert "--user" in err and "人员信息" in err


def test_wrong_password_lists_nothing(site: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SKILLSITE_PASSWORD", "wrong")
    code, out, err = run(capsys, "--data-dir", site, "people", "list", "--user", "admin")
    assert code == 1 and out == "" and "密码不正确" in err


def test_birth_dates_only_for_users_who_may_see_full_numbers(site: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    as_admin = people(capsys, site, "admin")
    assert {p["birth_date"] for p in as_admin} == {"1975-06-12", "1980-01-02"}
    monkeypatch.setenv("SKILLSITE_PASSWORD", SCORER_PASSWORD)
    as_scorer = people(capsys, site, "lufen")
    assert [p["name"] for p in as_scorer] == ["高琪涵", "李四"]
    assert all("birth_date" not in p for p in as_scorer)
    assert "1975" not in json.dumps(as_scorer)
    assert all(re.fullmatch(r"\d{6}\*{10}[\dX]{2}", p["id_number"]) for p in as_scorer)


def test_search_by_id_number_is_whole_and_folds_full_width(site: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    for prefix in (NUMBER[:6], NUMBER[:7], NUMBER[:16], NUMBER[:17]):
        assert people(capsys, site, "admin", "--search", prefix) == [], prefix
    wide = NUMBER.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    for typed in (NUMBER, NUMBER.lower(), wide, f"{NUMBER[:6]} {NUMBER[6:]}"):
        assert [p["name"] for p in people(capsys, site, "admin", "--search", typed)] == ["高琪涵"]
    code, out, _ = run(capsys, "--data-dir", site, "people", "list", "--user", "admin", "--search", NUMBER)
    assert code == 0 and "500106**********8X" in out and NUMBER not in out


def test_a_user_who_may_not_see_full_numbers_cannot_search_by_one(site: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Guessing numbers that pass the check digit until one is found would recover the full
    number behind the mask: for a scorer the search matches names only, and says so."""
    monkeypatch.setenv("SKILLSITE_PASSWORD", SCORER_PASSWORD)
    assert people(capsys, site, "lufen", "--search", NUMBER) == []
    assert [p["name"] for p in people(capsys, site, "lufen", "--search", "琪涵")] == ["高琪涵"]
    code, out, err = run(capsys, "--data-dir", site, "people", "list", "--user", "lufen", "--search", NUMBER)
    assert code == 0 and out == "" and "需要“查看完整证件号码”的权限" in err


ENGLISH = re.compile(r"\b(unrecognized|argument|arguments|required|invalid|expected|choose|usage|error)\b")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["people", "list", "--bogus", "x"], "无法识别的参数：--bogus x"),
        (["people", "list", "--user"], "参数 --user：需要一个值"),
        (["people", "list", "--limit", "abc"], "参数 --limit：“abc”不是有效的整数"),
        (["people", "list", "--role", "boss"], "参数 --role：无效的选择“boss”（可选：fulltime、expert、"),
        (["people"], "缺少必需的参数：ACTION"),
        (["batch", "check"], "缺少必需的参数：BATCH"),
        (["no-such-command"], "参数 COMMAND：无效的选择“no-such-command”"),
    ],
)
def test_usage_errors_are_in_chinese(tmp_path, capsys, argv: list[str], said: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--data-dir", str(tmp_path), *argv)
    assert code == 2 and out == ""
    assert said in err, err
    assert err.startswith("用法：skillsite")
    assert "用法错误：" in err
    assert not ENGLISH.search(err), err


def test_help_is_in_chinese(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "people", "list", "--help")
    assert code == 0
    assert out.startswith("用法：skillsite people list")
    assert "显示此帮助并退出" in out and "show this help" not in out and "options:" not in out


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        # wordings of other Python versions than the one the suite runs on
        ("argument --role: invalid choice: 'x' (choose from a, b)", "参数 --role：无效的选择“x”（可选：a、b）"),
        (
            "argument COMMAND: invalid choice: 'pepole', maybe you meant 'people'?",
            "参数 COMMAND：无效的选择“pepole”，是否想输入“people”？",
        ),
        ("argument --n: expected 2 arguments", "参数 --n：需要 2 个值"),
        ("argument --day: invalid _date value: '2026-13-01'", "参数 --day：取值“2026-13-01”无效"),
        ("argument --a: not allowed with argument --b", "参数 --a：不能与参数 --b 同时使用"),
        ("one of the arguments --a --b is required", "以下参数必须提供其中一个：--a --b"),
        ("ambiguous option: --li could match --limit, --list", "选项 --li 不明确，可能是：--limit, --list"),
        ("日期“x”格式不对", "日期“x”格式不对"),  # ours: unchanged
        ("some future message", "some future message"),
        ("argument --x: some future message", "参数 --x：some future message"),
    ],
)
def test_translate_usage_error(english: str, chinese: str) -> None:
    assert translate_usage_error(english) == chinese
