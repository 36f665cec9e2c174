"""`skillsite check …`, `deadlines` and `calendar import`: exit 0 valid, 1 invalid, 2 usage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main
from tests.conftest import ADMIN_PASSWORD


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["check", "id", "11010519491231002X"], 0, "110105**********2X"),
        (["check", "id", "110105194912310021"], 1, "校验码"),
        (["check", "id", "1.10101199001011E+17"], 1, "文本"),
        (["check", "uscc", "91350100M000100Y43"], 0, "有效"),
        (["check", "uscc", "91350100M000100Y44"], 1, ""),
        (["check", "certno", "Y000052002008203000001", "--profile", "guizhou"], 0, "2020年"),
        (["check", "certno", "S000052001001205000029", "--profile", "guizhou"], 0, "第29号"),
        (["check", "certno", "Y0000520020083000001", "--profile", "guizhou"], 1, "22位"),
        (["check", "filing-code", "S000034010001", "--profile", "anhui"], 0, "合肥"),
        (["check", "filing-code", "S000050420001", "--profile", "chongqing"], 1, "第8–9位"),
    ],
)
def test_check_commands(tmp_path: Path, capsys, argv, code: int, needle: str) -> None:
    got, out, err = run(capsys, "--data-dir", str(tmp_path), *argv)
    assert got == code, out + err
    assert needle in out + err


def test_full_id_is_not_printed_by_default(tmp_path: Path, capsys) -> None:
    _, out, _ = run(capsys, "--data-dir", str(tmp_path), "check", "id", "11010519491231002X")
    assert "11010519491231002X" not in out


def test_deadlines_worked_examples(tmp_path: Path, capsys) -> None:
    code, out, _ = run(
        capsys, "--data-dir", str(tmp_path), "deadlines", "--profile", "chongqing",
        "--first-session", "2026-10-12", "--publicity-start", "2026-09-28", "--json",
    )
    assert code == 0
    dates = {d["kind"]: d["date"] for d in json.loads(out)}
    assert "2026-09-21" in dates.values() and "2026-10-09" in dates.values()


def test_deadlines_bad_date_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--data-dir", str(tmp_path), "deadlines", "--profile", "chongqing", "--first-session", "12/10/2026"])
    assert exc.value.code == 2


def test_calendar_import_extends_covered_years(tmp_path: Path, capsys, monkeypatch, admin, db) -> None:
    data_dir = str(db.data_dir)
    code, _, err = run(capsys, "--data-dir", data_dir, "deadlines", "--profile", "chongqing", "--first-session", "2031-03-03")
    assert code == 1 and "尚无2031年法定节假日安排" in err
    csv = tmp_path / "2031.csv"
    csv.write_text("日期,类型,名称\n2031-01-01,休,元旦\n2031-02-08,班,春节调休\n", encoding="utf-8")
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    code, out, err = run(capsys, "--data-dir", data_dir, "calendar", "import", str(csv), "--user", "admin")
    assert code == 0, err
    assert "新增 2 天" in out
    code, out, _ = run(capsys, "--data-dir", data_dir, "calendar", "years")
    assert "2031" in out
    code, out, _ = run(capsys, "--data-dir", data_dir, "deadlines", "--profile", "chongqing", "--first-session", "2031-03-03")
    assert code == 0
    assert run(capsys, "--data-dir", data_dir, "audit", "verify")[0] == 0


def test_calendar_import_bad_row_writes_nothing(tmp_path: Path, capsys, monkeypatch, admin, db) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("日期,类型,名称\n2031-01-01,休,元旦\n2031-13-01,休,坏日期\n", encoding="utf-8")
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    code, _, err = run(capsys, "--data-dir", str(db.data_dir), "calendar", "import", str(csv), "--user", "admin")
    assert code == 1 and "第3行" in err.replace(" ", "")
    _, out, _ = run(capsys, "--data-dir", str(db.data_dir), "calendar", "years")
    assert "2031" not in out
