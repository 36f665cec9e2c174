"""`skillsite scores|publicity|export …`: output and exit codes (0 ok, 1 refused/invalid, 2 usage)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from app.cli.main import main
from app.db import open_database
from tests.score_data import DEMO_PW, audit_ok, demo_db


@pytest.fixture
def demo_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = demo_db(tmp_path)
    db.dispose()
    monkeypatch.setenv("SKILLSITE_PASSWORD", DEMO_PW)
    return tmp_path / "demo"


def run(capsys, d: Path, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["--data-dir", str(d), *argv])
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_scores_show(demo_dir: Path, capsys) -> None:
    code, out, _ = run(capsys, demo_dir, "scores", "show", "2026-03", "--json", "--user", "admin")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 60
    r = rows[0]
    assert {"admission_no", "name", "id_number", "scores", "result"} <= set(r)
    assert re.fullmatch(r"\d{6}\*{10}[\dX]{2}", r["id_number"])
    assert set(r["scores"]) == {"theory", "skill"} and r["result"] in ("pass", "fail")
    code, out, _ = run(capsys, demo_dir, "scores", "show", "2026-03", "--user", "admin")
    assert code == 0 and "理论知识" in out and "合格" in out
    code, _, err = run(capsys, demo_dir, "scores", "show", "2099-01", "--user", "admin")
    assert code == 1 and "找不到认定批次" in err


def test_scores_enter_and_compute(demo_dir: Path, capsys) -> None:
    d = demo_dir
    assert run(capsys, d, "scores", "enter", "2026-04", "--admission", "2026040001", "--component",
               "theory", "--score", "85.5", "--user", "admin")[0] == 1  # plan_filed: not yet
    # move 2026-04 to scoring through the service (no CLI for it in this issue)
    from app.services.batch_workflow import advance
    from app.services.users import authenticate

    db = open_database(d)
    with db.session() as s:
        admin = authenticate(s, "admin", DEMO_PW)
    with db.session() as s:
        advance(s, admin, "2026-04", "in_progress")
        advance(s, admin, "2026-04", "scoring")
    db.dispose()
    code, out, _ = run(capsys, d, "scores", "enter", "2026-04", "--admission", "2026040001",
                       "--component", "theory", "--score", "85.5", "--user", "admin")
    assert code == 0 and "85.5" in out
    code, _, err = run(capsys, d, "scores", "enter", "2026-04", "--admission", "2026040001",
                       "--component", "skill", "--score", "85.55", "--user", "admin")
    assert code == 1 and "一位小数" in err
    code, _, err = run(capsys, d, "scores", "enter", "2026-04", "--admission", "2026040001",
                       "--component", "skill", "--score", "101", "--user", "admin")
    assert code == 1 and "超出范围" in err
    code, out, _ = run(capsys, d, "scores", "enter", "2026-04", "--admission", "2026040002",
                       "--component", "skill", "--mark", "absent", "--user", "admin")
    assert code == 0 and "absent" in out
    code, _, err = run(capsys, d, "scores", "enter", "2026-04", "--admission", "X1",
                       "--component", "skill", "--score", "70", "--user", "admin")
    assert code == 1 and "X1" in err
    # usage errors
    assert run(capsys, d, "scores", "enter", "2026-04", "--component", "theory", "--score", "1")[0] == 2
    assert run(capsys, d, "scores", "enter", "2026-04", "--admission", "1", "--component", "music",
               "--score", "1")[0] == 2
    code, _, err = run(capsys, d, "scores", "compute", "2026-04")  # no --user
    assert code == 1 and "--user" in err
    code, _, err = run(capsys, d, "scores", "compute", "2026-04", "--user", "admin")
    assert code == 1 and "未录入" in err
    code, _, err = run(capsys, d, "publicity", "start", "2026-04", "--start", "2026-12-14",
                       "--end", "2026-12-31", "--user", "admin")
    assert code == 1 and "尚未计算" in err
    assert run(capsys, d, "publicity", "start", "2026-04", "--start", "2026-13-01", "--end",
               "2026-12-31", "--user", "admin")[0] == 2
    db = open_database(d)
    audit_ok(db)
    db.dispose()


def test_publicity_locked_correction_via_cli(demo_dir: Path, capsys) -> None:
    d = demo_dir
    code, out, _ = run(capsys, d, "scores", "show", "2026-03", "--json", "--user", "admin")
    first = json.loads(out)[0]
    args = ["scores", "enter", "2026-03", "--admission", first["admission_no"], "--component",
            "theory", "--score", "99", "--user", "admin"]
    code, _, err = run(capsys, d, *args)
    assert code == 1 and "理由" in err
    code, _, _ = run(capsys, d, *args, "--reason", "复核更正")
    assert code == 0
    code, _, err = run(capsys, d, "publicity", "start", "2026-03", "--start", "2026-11-24", "--end",
                       "2026-11-26", "--user", "admin")
    assert code == 1 and "2026-11-30" in err
    code, out, _ = run(capsys, d, "publicity", "start", "2026-03", "--start", "2026-11-24", "--end",
                       "2026-11-30", "--user", "admin")
    assert code == 0 and "重新公示" in out


def test_exports(demo_dir: Path, tmp_path: Path, capsys) -> None:
    d, out_dir = demo_dir, tmp_path / "out"
    code, out, _ = run(capsys, d, "export", "publicity", "2026-03", "--out", str(out_dir), "--user", "admin")
    assert code == 0 and out.count(".xlsx") == 1 and out.count(".pdf") == 1
    code, out, _ = run(capsys, d, "export", "results", "2026-01", "--out", str(out_dir), "--user", "admin",
                       "--date", "2026-07-08")
    assert code == 0
    info = openpyxl.load_workbook(out_dir / "2026-01_合格人员证书信息表.xlsx").active
    assert info.max_column == 12
    summary = openpyxl.load_workbook(out_dir / "2026-01_结果汇总表.xlsx").active
    assert summary["E2"].value == "填报日期：2026年7月8日"
    code, _, err = run(capsys, d, "export", "results", "2026-04", "--out", str(out_dir), "--user", "admin")
    assert code == 1 and "公示开始后" in err
    code, _, err = run(capsys, d, "export", "results", "2026-01", "--out", str(out_dir))
    assert code == 1 and "--user" in err
