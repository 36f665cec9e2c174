"""The `skillsite` command line: demo, lists, audit verify, users; exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from app.cli.main import main
from tests.conftest import behind_the_apps_back

DEMO_PW = "Demo#2026"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("demo") / "data"
    assert main(["--data-dir", str(d), "demo", "--admin-password", DEMO_PW]) == 0
    return d


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    shutil.copytree(demo_template, d)
    return d


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_is_realistic_and_verifies(demo_dir: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SKILLSITE_PASSWORD", DEMO_PW)
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "audit", "verify")
    assert code == 0 and "审计链完整" in out
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "batch", "list", "--json")
    batches = json.loads(out)
    assert code == 0 and len(batches) == 5
    assert {"id", "name", "status"} <= set(batches[0])
    assert len({b["status"] for b in batches}) == 5
    assert "results_filed" in {b["status"] for b in batches}
    assert sum(b["candidates"] for b in batches) >= 290
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "people", "list", "--json", "--user", "admin")
    people = json.loads(out)
    assert len(people) >= 320
    names = {p["name"] for p in people}
    assert {"王𠇔", "李堃", "陈燊"} <= names
    assert sum(1 for p in people if p["roles"]) >= 25
    # masked, never the full number
    with behind_the_apps_back(demo_dir) as con:
        full = {n for (n,) in con.exec_driver_sql("SELECT id_number FROM person")}
        photos = con.exec_driver_sql("SELECT count(*) FROM photo").scalar_one()
        passed = con.exec_driver_sql("SELECT count(*) FROM enrolment WHERE result = 'pass'").scalar_one()
    assert not any(n in out for n in full)
    assert all(re.fullmatch(r"\d{6}\*{10}[\dX]{2}", p["id_number"]) for p in people)
    assert photos > 0.8 * len(people) and passed > 0


def test_demo_refuses_a_used_data_dir(demo_dir: Path, capsys) -> None:
    code, _, err = run(capsys, "--data-dir", str(demo_dir), "demo", "--admin-password", DEMO_PW)
    assert code == 1 and "已有数据" in err


@pytest.mark.parametrize(
    ("statement", "needle"),
    [
        ("UPDATE score_entry SET score = 100 WHERE id = 5", "score_entry #5"),
        ("UPDATE person SET name = '某某' WHERE id = 40", "person #40"),
        ("UPDATE certificate SET status = 'voided' WHERE id = 1", "certificate #1"),
        ("UPDATE enrolment SET result = CASE result WHEN 'pass' THEN 'fail' ELSE 'pass' END WHERE id = 3", "enrolment #3"),
        ("UPDATE batch SET status = 'draft' WHERE id = 1", "batch #1"),
        ("UPDATE audit_entry SET username = 'x' WHERE id = 42", "第 42 条"),
        ("DELETE FROM audit_entry WHERE id = 42", "第 42 条"),
    ],
)
def test_audit_verify_names_tampering(demo_dir: Path, capsys, statement: str, needle: str) -> None:
    with behind_the_apps_back(demo_dir) as con:
        con.exec_driver_sql(statement)
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "audit", "verify")
    assert code == 1
    assert needle in out


def test_users_commands_and_refusal(demo_dir: Path, capsys, monkeypatch) -> None:
    d = str(demo_dir)
    monkeypatch.setenv("SKILLSITE_PASSWORD", DEMO_PW)
    monkeypatch.setenv("SKILLSITE_NEW_PASSWORD", "Scorer#2026")
    assert run(capsys, "--data-dir", d, "users", "add", "lufen", "--role", "scorer", "--user", "admin")[0] == 0
    code, out, _ = run(capsys, "--data-dir", d, "users", "list", "--json", "--user", "admin")
    assert {u["username"]: u["role"] for u in json.loads(out)} == {"admin": "admin", "lufen": "scorer"}
    monkeypatch.setenv("SKILLSITE_PASSWORD", "Scorer#2026")
    code, _, err = run(capsys, "--data-dir", d, "users", "add", "x1", "--role", "admin", "--user", "lufen")
    assert code == 1 and "权限不足" in err
    monkeypatch.setenv("SKILLSITE_PASSWORD", "wrong-password")
    code, _, err = run(capsys, "--data-dir", d, "users", "disable", "lufen", "--user", "admin")
    assert code == 1 and "密码不正确" in err
    assert run(capsys, "--data-dir", d, "audit", "verify")[0] == 0


def test_personal_lists_need_a_login(demo_dir: Path, capsys, monkeypatch) -> None:
    """Names, scores, certificates and accounts are listed only to a logged-in user."""
    d = str(demo_dir)
    monkeypatch.setenv("SKILLSITE_PASSWORD", DEMO_PW)
    for argv in (("users", "list"), ("scores", "show", "2026-03"), ("certificates", "list", "2026-02")):
        code, out, err = run(capsys, "--data-dir", d, *argv)
        assert code == 1 and "需要用 --user" in err and out == "", argv
        assert run(capsys, "--data-dir", d, *argv, "--user", "admin")[0] == 0, argv


def test_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--data-dir", str(tmp_path), "batch"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["--data-dir", str(tmp_path), "no-such-command"])
    assert exc.value.code == 2


def test_help_lists_commands(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for cmd in ("demo", "batch", "people", "audit", "users"):
        assert cmd in out


def test_log_file_never_holds_an_id_number(demo_dir: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SKILLSITE_PASSWORD", DEMO_PW)
    assert run(capsys, "--data-dir", str(demo_dir), "people", "list", "--user", "admin")[0] == 0
    with behind_the_apps_back(demo_dir) as con:
        numbers = [n for (n,) in con.exec_driver_sql("SELECT id_number FROM person")]
    text = "".join(p.read_text(encoding="utf-8") for p in (demo_dir / "logs").glob("*.log*"))
    assert text  # the log exists and was written to
    assert not any(n in text for n in numbers)
