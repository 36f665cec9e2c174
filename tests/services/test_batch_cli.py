"""`skillsite batch list|check|file-plan|advance` and `skillsite export plan`: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main
from tests.conftest import ADMIN_PASSWORD
from tests.services.test_batch_support import CLERK_PASSWORD, World, make_batch, world

__all__ = ["world"]
DEMO_PW = "Demo#2026"


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_batch_check_exit_codes(demo_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    d = str(demo_dir)
    code, out, _ = run(capsys, "--data-dir", d, "batch", "check", "2026-05")
    assert code == 1  # the demo's level-2 draft has examiners qualified only up to level 3
    assert "[错误]" in out and "最高只能考评三级/高级工" in out and "不能报备计划" in out
    assert "最迟报备日：2026-12-14" in out
    code, out, _ = run(capsys, "--data-dir", d, "batch", "check", "2026-04")
    assert code == 0 and "[警告]" in out  # a warning does not fail the check
    code, out, _ = run(capsys, "--data-dir", d, "batch", "check", "2026-05", "--json")
    data = json.loads(out)
    assert code == 1 and data["can_file"] is False and data["errors"][0]["level"] == "error"
    code, _, err = run(capsys, "--data-dir", d, "batch", "check", "no-such")
    assert code == 1 and "找不到认定批次" in err


def test_batch_list_json_has_status_and_deadlines(demo_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "batch", "list", "--json")
    rows = {r["code"]: r for r in json.loads(out)}
    assert code == 0 and len(rows) == 5
    assert {"id", "name", "status", "plan_deadline", "plan_filed_on"} <= set(rows["2026-05"])
    assert rows["2026-05"]["status"] == "draft" and rows["2026-05"]["plan_deadline"] == "2026-12-14"
    assert rows["2026-04"]["plan_filed_on"] is not None
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "batch", "list")
    assert code == 0 and "2026-12-14" in out


def test_export_plan_and_advance(demo_dir: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    d = str(demo_dir)
    out_dir = tmp_path / "plan"
    code, _, err = run(capsys, "--data-dir", d, "export", "plan", "2026-05", "--out", str(out_dir))
    assert code == 1 and "--user" in err
    monkeypatch.setenv("SKILLSITE_PASSWORD", DEMO_PW)
    code, out, _ = run(capsys, "--data-dir", d, "export", "plan", "2026-05", "--out", str(out_dir), "--user", "admin")
    assert code == 0
    assert (out_dir / "认定计划报备表_2026-05.xlsx").is_file() and (out_dir / "认定计划报备表_2026-05.pdf").is_file()
    code, _, err = run(capsys, "--data-dir", d, "batch", "file-plan", "2026-05", "--date", "2026-12-01",
                       "--user", "admin")
    assert code == 1 and "还不能报备" in err
    code, out, _ = run(capsys, "--data-dir", d, "batch", "advance", "2026-04", "in_progress", "--user", "admin")
    assert code == 0 and "实施中" in out
    code, _, err = run(capsys, "--data-dir", d, "batch", "advance", "2026-05", "plan_filed", "--user", "admin")
    assert code == 1 and "计划报备" in err
    assert run(capsys, "--data-dir", d, "audit", "verify")[0] == 0


def test_file_plan_on_time_and_late(world: World, data_dir: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bid = make_batch(world)
    d = str(data_dir)
    monkeypatch.setenv("SKILLSITE_PASSWORD", CLERK_PASSWORD)
    code, _, err = run(capsys, "--data-dir", d, "batch", "file-plan", "2026-10", "--date", "2026-09-21",
                       "--reason", "漏报", "--user", "kaowu")
    assert code == 1 and "权限不足" in err and "2026-09-18" in err
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    code, _, err = run(capsys, "--data-dir", d, "batch", "file-plan", "2026-10", "--date", "2026-09-21",
                       "--user", "admin")
    assert code == 1 and "逾期报备须填写理由" in err
    code, out, _ = run(capsys, "--data-dir", d, "batch", "file-plan", str(bid), "--date", "2026-09-21",
                       "--reason", "主管部门同意补报", "--user", "admin")
    assert code == 0 and "逾期报备" in out and "2026-09-18" in out
    assert run(capsys, "--data-dir", d, "audit", "verify")[0] == 0


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for argv in (["batch", "file-plan", "2026-05", "--date", "26/12/01"], ["batch", "check"],
                 ["export", "plan", "2026-05"], ["batch", "advance", "2026-05", "flying"]):
        with pytest.raises(SystemExit) as exc:
            main(["--data-dir", str(tmp_path), *argv])
        assert exc.value.code == 2
