"""附件4 and 附件5 open cleanly in LibreOffice: converted headless to CSV and read back."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from app.services import results_filing
from tests.score_data import admin_of, demo_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# CI installs LibreOffice through scripts/bootstrap.py (TEST_TOOLS); a developer PC may not have it.
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (libreoffice-calc-nogui) not installed")


def _to_csv(xlsx: Path, out: Path, profile: Path) -> list[list[str]]:
    # Own profile dir: never touch the user's, and no clash with another running LibreOffice.
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )
    with (out / (xlsx.stem + ".csv")).open(encoding="utf-8") as f:
        return list(csv.reader(f))


def test_results_tables_open_in_libreoffice(tmp_path: Path) -> None:
    db = demo_db(tmp_path)
    try:
        with db.session() as s:
            summary, certs = results_filing.export_results(s, admin_of(db), "2026-01", tmp_path / "out")
    finally:
        db.dispose()
    conv = tmp_path / "csv"
    rows4 = _to_csv(summary, conv, tmp_path / "lo-profile")
    text4 = "\n".join(",".join(r) for r in rows4)
    assert "职业技能等级认定结果汇总表" in text4
    for label in ("初级", "中级", "高级", "技师", "高级技师", "小计", "合计", "负责人"):
        assert label in text4
    rows5 = _to_csv(certs, conv, tmp_path / "lo-profile")
    assert rows5[0] == ["姓名", "证件类型", "证件号码", "所在单位", "职业名称", "工种名称", "职业技能等级",
                        "证书编号", "发证日期", "评价机构", "发证机构", "考生所在地市"]
    assert len(rows5) == 46 and all(r[1] == "201" and len(r[7]) == 22 for r in rows5[1:])
    assert "王𠇔" in {r[0] for r in rows5}
    assert all(len(r[8]) == 10 and r[8][4] == "-" for r in rows5[1:])
