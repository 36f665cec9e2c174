"""The benchmark harness runs end to end on a small file and reports every case and ratio."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import floor

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_every_case_and_prints_the_ratios(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "bench/run.py", "--rows", "40", "--repeat", "1", "--json",
         "--workdir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout[proc.stdout.index("\n{") :])
    results = report["results"]
    assert set(results) == {"import", "calamine", "floor", "openpyxl"}
    assert results["import"]["extra"]["created"] == 40
    assert results["import"]["extra"]["audit_entries"] == 41  # one per person, one for the import
    assert results["floor"]["extra"] == {"created": 40, "audit_entries": 40}
    assert results["calamine"]["extra"]["rows_read"] == 42  # title row, header, 40 people
    ratios = {r["ratio"]: r for r in report["ratios"]}
    assert set(ratios) == {"import/openpyxl", "import/calamine", "floor/calamine", "import/floor"}
    assert ratios["floor/calamine"]["ok"] is None  # shown for reference, no target
    assert isinstance(ratios["import/calamine"]["ok"], bool)
    assert "floor/calamine" in proc.stdout and "（参考）" in proc.stdout
    # The floor stores what the importer stores: its audit log verifies like the app's.
    from app.db import open_database
    from app.services.audit_verify import verify_audit

    floor_db = open_database(tmp_path / "floor-0" / "floor_db")
    try:
        with floor_db.session() as s:
            assert verify_audit(s).ok
    finally:
        floor_db.dispose()


def test_floor_checks_what_it_claims_to_check() -> None:
    title, header = ["标题"], ["姓名", "证件类型", "证件号码", "性别", "出生日期"]
    good = ["王伟", "201", "11010519491231002X", "女", dt.date(1949, 12, 31), "", "", "", ""]
    rows = floor._people([title, header, good], "2026-11-23 00:00:00.000000")
    assert rows[0][2:6] == ("11010519491231002X", "王伟", "女", "1949-12-31")
    with pytest.raises(ValueError, match="check digit"):
        floor._people([title, header, [*good[:2], "110105194912310021", *good[3:]]], "")
    with pytest.raises(ValueError, match="gender or birth"):
        floor._people([title, header, [*good[:3], "男", *good[4:]]], "")
