"""QA round 11 (C): `check filing-code` and `check certno` check by the data directory's own
organisation's province rule when --profile is not given (the national rule passes a Chongqing
code whose 备案地代码 does not exist), say which rule and why, and never create a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main
from app.db import Database, engine
from app.services.actor import Actor
from app.services.organisation import OrgInput, save_organisation

BAD_AREA = "S000050420001"  # 备案地代码 42: fine for the national rule, not in Chongqing's table
BAD_AREA_CERT = "S000050420001042000001"
GOOD = "S000050000017"
ORG_RULE = "未指定 --profile：按本机构所用的重庆市规则校验。"
NO_ORG = "未指定 --profile，本数据目录尚未登记机构：按全国通用规则校验"


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def chongqing(db: Database, admin: Actor) -> str:
    """A data directory whose organisation is filed in Chongqing."""
    with db.session() as s:
        save_organisation(
            s, admin, OrgInput(name="重庆巴渝职业技能培训学校", profile_name="chongqing",
                               scope_level="city", filing_code=GOOD),
        )  # fmt: skip
    db.dispose()
    return str(db.data_dir)


@pytest.mark.parametrize(
    ("what", "bad", "good"),
    [("filing-code", BAD_AREA, GOOD), ("certno", BAD_AREA_CERT, GOOD + "264000001")],
)
def test_the_organisations_rule_is_the_default(capsys, chongqing: str, what: str, bad: str, good: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--data-dir", chongqing, "check", what, bad)
    assert code == 1, out + err
    assert out.splitlines()[0] == ORG_RULE
    assert "备案地代码“42”不在重庆市备案地代码表中" in err
    code, out, _ = run(capsys, "--data-dir", chongqing, "check", what, good)
    assert code == 0 and out.startswith(ORG_RULE) and "（按重庆市规则）" in out


def test_profile_given_overrides_the_organisations(capsys, chongqing: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--data-dir", chongqing, "check", "filing-code", BAD_AREA, "--profile", "national")
    assert code == 0, err
    assert out.startswith(f"有效：机构备案编码 {BAD_AREA}（按全国通用规则）")  # nothing said before
    code, out, err = run(capsys, "--data-dir", chongqing, "check", "certno", BAD_AREA_CERT, "--profile", "anhui")
    assert code == 1 and "未指定" not in out + err


def test_an_empty_data_directory_gets_the_national_rule_and_no_database(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "new"
    if not engine.database_url(data_dir).startswith("sqlite"):
        pytest.skip("a new SQLite data directory (a PostgreSQL URL names an existing database)")
    for what, number in (("filing-code", BAD_AREA), ("certno", BAD_AREA_CERT)):
        code, out, err = run(capsys, "--data-dir", str(data_dir), "check", what, number)
        assert code == 0, err
        first, second = out.splitlines()[:2]
        assert first.startswith(NO_ORG) and "--profile" in first
        assert second.endswith("（按全国通用规则）")
    assert not engine.database_path(data_dir).exists()


def test_a_database_without_an_organisation_gets_the_national_rule(capsys, db: Database) -> None:  # type: ignore[no-untyped-def]
    db.dispose()
    code, out, err = run(capsys, "--data-dir", str(db.data_dir), "check", "filing-code", BAD_AREA)
    assert code == 0, err
    assert out.startswith(NO_ORG)


def test_the_database_is_only_read_even_while_another_pc_writes(capsys, chongqing: str) -> None:  # type: ignore[no-untyped-def]
    """A busy database (the GUI importing: a write transaction open) is read at once, and the
    file is not touched; an empty file is not made a database. (SQLite only: on PostgreSQL the
    plain engine reads without a lock anyway.)"""
    import sqlite3

    path = engine.database_path(Path(chongqing))
    if not engine.database_url(Path(chongqing)).startswith("sqlite"):
        pytest.skip("PostgreSQL: no database file whose bytes could change (a SQLite-only concern)")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        before = path.read_bytes()
        code, out, _ = run(capsys, "--data-dir", chongqing, "check", "filing-code", GOOD)
        # the organisation's rule, not the fallback (before: 10 s waiting for the write lock,
        # then "无法读取" and the national rule)
        assert code == 0 and out.splitlines()[0] == ORG_RULE
        assert path.read_bytes() == before
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_an_empty_database_file_is_left_empty(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    data.mkdir()
    path = engine.database_path(data)
    if not engine.database_url(data).startswith("sqlite"):
        pytest.skip("PostgreSQL: no database file whose bytes could change (a SQLite-only concern)")
    path.write_bytes(b"")
    code, out, _ = run(capsys, "--data-dir", str(data), "check", "filing-code", GOOD)
    assert code == 0 and "按全国通用规则校验" in out.splitlines()[0]
    assert path.read_bytes() == b""


def test_the_read_only_uri_keeps_odd_paths() -> None:
    """Spaces and Chinese in the path are quoted; the URI opens the file read-only."""
    import sqlite3

    from app.cli.commands.check import _read_only_uri

    uri = _read_only_uri("/tmp/评价 机构/skillsite.db")
    assert uri.endswith("?mode=ro") and " " not in uri and "评" not in uri
    assert uri.startswith("file:///")
    with pytest.raises(sqlite3.OperationalError):  # (read-only: nothing is created)
        sqlite3.connect(_read_only_uri("/nonexistent-dir/x.db"), uri=True).execute("SELECT 1")
