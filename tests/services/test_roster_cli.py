"""`skillsite import …`, `skillsite export roster`, `skillsite org show` on a copy of the demo."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PIL import Image
from sqlalchemy import select

from app.cli.main import main
from tests.conftest import behind_the_apps_back
from tests.services.conftest import make_id

DEMO_PW = "Demo#2026"


@pytest.fixture
def demo(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SKILLSITE_PASSWORD", DEMO_PW)
    return str(demo_dir)


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _people(demo: str) -> int:
    with behind_the_apps_back(Path(demo)) as con:
        return con.exec_driver_sql("SELECT count(*) FROM person").scalar_one()


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_org_show(demo: str, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--data-dir", demo, "org", "show")
    assert code == 0
    assert "重庆巴渝职业技能培训学校" in out and "S000050000017" in out
    assert "第 8–9 位" in out and "第 10–13 位" in out and "备案有效" in out
    assert "6-" in out or "4-" in out  # scope lines with occupation codes
    code, out, _ = run(capsys, "--data-dir", demo, "org", "show", "--json")
    data = json.loads(out)
    assert data["profile_name"] == "chongqing" and len(data["filing_segments"]) == 5
    assert data["scope"] and data["filing_valid_until"] == "2027-03-17"


def test_import_people_cli(demo: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = _people(demo)
    bad = _xlsx(
        tmp_path / "bad.xlsx",
        [["姓名", "证件号码"], ["好人", make_id(701)], ["坏人", float(make_id(702))]],
    )
    errors = tmp_path / "errors.xlsx"
    code, out, err = run(
        capsys,
        "--data-dir",
        demo,
        "import",
        "people",
        str(bad),
        "--user",
        "admin",
        "--errors",
        str(errors),
    )
    assert code == 1
    assert "第 3 行 B 列（证件号码）" in err and "文本" in err and "未导入任何数据" in err
    assert errors.exists() and load_workbook(errors).active.cell(row=3, column=2).value == 3
    assert _people(demo) == before
    good = _xlsx(
        tmp_path / "good.xlsx",
        [["姓名", "证件号码"], ["好人", make_id(701)], ["新人", make_id(703)]],
    )
    code, out, _ = run(
        capsys, "--data-dir", demo, "import", "people", str(good), "--user", "admin", "--dry-run"
    )
    assert code == 0 and "新增 2 行" in out and "试运行" in out and _people(demo) == before
    code, out, _ = run(capsys, "--data-dir", demo, "import", "people", str(good), "--user", "admin")
    assert code == 0 and "新增 2 人" in out and _people(demo) == before + 2
    code, out, _ = run(
        capsys,
        "--data-dir",
        demo,
        "import",
        "people",
        str(good),
        "--user",
        "admin",
        "--mode",
        "update",
    )
    assert code == 0 and "无变化 2 人" in out
    code, _, err = run(
        capsys,
        "--data-dir",
        demo,
        "import",
        "people",
        str(tmp_path / "none.xlsx"),
        "--user",
        "admin",
    )
    assert code == 1 and "找不到文件" in err
    assert run(capsys, "--data-dir", demo, "audit", "verify")[0] == 0


def test_import_staff_template_photos_and_export(demo: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    tpl = tmp_path / "staff_template.xlsx"
    assert run(capsys, "--data-dir", demo, "import", "template", "staff", str(tpl))[0] == 0
    wb = load_workbook(tpl)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    ws.delete_rows(2)
    row = dict.fromkeys(header, None)
    row.update(
        {
            "姓名": "钱考评",
            "证件号码": make_id(801),
            "角色": "考评员",
            "考评职业": "电工",
            "最高等级": "三级",
        }
    )
    ws.append([row[h] for h in header])
    wb.save(tpl)
    code, out, err = run(capsys, "--data-dir", demo, "import", "staff", str(tpl), "--user", "admin")
    assert code == 0, err
    assert "新增 1 人" in out
    photos = tmp_path / "photos"
    photos.mkdir()
    buf = io.BytesIO()
    Image.new("RGB", (300, 420), "white").save(buf, "JPEG")
    (photos / f"{make_id(801)}.jpg").write_bytes(buf.getvalue())
    (photos / "nobody.jpg").write_bytes(buf.getvalue())
    code, out, _ = run(
        capsys, "--data-dir", demo, "import", "photos", str(photos), "--user", "admin"
    )
    assert code == 1 and "新增 1 张" in out and "  nobody.jpg：无对应人员" in out
    (photos / "nobody.jpg").unlink()
    code, out, _ = run(
        capsys, "--data-dir", demo, "import", "photos", str(photos), "--user", "admin"
    )
    assert code == 0 and "未变 1 张" in out and "未导入" not in out
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, "--data-dir", demo, "import", "photos", str(empty), "--user", "admin")
    assert code == 1 and "文件夹中没有可导入的 jpg/png 照片" in err
    out_xlsx = tmp_path / "roster.xlsx"
    code, out, _ = run(
        capsys, "--data-dir", demo, "export", "roster", str(out_xlsx), "--user", "admin",
        "--reason", "报送区人社局备案",
    )  # fmt: skip
    assert code == 0 and "考评人员 15" in out
    from sqlalchemy import text

    with behind_the_apps_back(Path(demo)) as conn:
        reasons = conn.execute(text("SELECT reason FROM audit_entry WHERE action = 'roster.export'"))
        assert [r for (r,) in reasons] == ["报送区人社局备案"]
    kp = load_workbook(out_xlsx)["考评人员"]
    assert make_id(801) in [c.value for c in kp["C"]]
    assert run(capsys, "--data-dir", demo, "audit", "verify")[0] == 0
    code, _, err = run(capsys, "--data-dir", demo, "export", "roster", str(out_xlsx))
    assert code == 1 and "--user" in err


def test_org_set_scope_level_and_profile(demo: str, capsys) -> None:  # type: ignore[no-untyped-def]
    # The demo (Chongqing, city-wide) has levels 1–2 filed: district level is refused, named.
    code, _, err = run(capsys, "--data-dir", demo, "org", "set-scope-level", "district", "--user", "admin")
    assert code == 1 and "不能把机构级别改为“区县范围”" in err and "二级/技师" in err
    code, _, err = run(capsys, "--data-dir", demo, "org", "set-profile", "guizhou", "--user", "admin")
    assert code == 1 and "--filing-code" in err and "清空备案编码" in err
    code, out, err = run(
        capsys, "--data-dir", demo, "org", "set-profile", "guizhou", "--filing-code", "S000052001001",
        "--user", "admin",
    )
    assert code == 0 and "贵州省" in out
    # said at the switch, with the way to fix it from the command line
    assert "注意：机构性质“社会组织”不是贵州省基本情况表中的选项" in err and "--nature" in err
    code, out, _ = run(capsys, "--data-dir", demo, "org", "show")
    assert "S000052001001" in out and "贵州省" in out and "备案范围与现行规则不符" not in out
    # the scope fits Guizhou's rule; the 机构性质 of Chongqing's form is not one of Guizhou's boxes
    assert "！机构信息与现行规则不符：机构性质“社会组织”不是贵州省基本情况表中的选项" in out
    code, _, err = run(
        capsys, "--data-dir", demo, "org", "set-profile", "guizhou", "--nature", "社会组织", "--user", "admin"
    )
    assert code == 1 and "应为企业、民办非企业单位、行业协会、院校之一" in err
    code, out, err = run(
        capsys, "--data-dir", demo, "org", "set-profile", "guizhou", "--nature", "民办非企业单位",
        "--user", "admin",
    )
    assert code == 0 and "注意" not in err
    code, out, _ = run(capsys, "--data-dir", demo, "org", "show")
    assert "机构信息与现行规则不符" not in out and "民办非企业单位" in out
    code, _, err = run(capsys, "--data-dir", demo, "org", "set-scope-level", "district", "--user", "admin")
    assert code == 1 and "all（备案范围内全部等级）" in err


def test_org_show_flags_scope_against_the_rule(demo: str, capsys) -> None:  # type: ignore[no-untyped-def]
    with behind_the_apps_back(Path(demo)) as con:  # as an older version let it be saved
        con.exec_driver_sql("UPDATE organisation SET scope_level = 'district'")
    code, out, _ = run(capsys, "--data-dir", demo, "org", "show")
    assert code == 0 and "备案范围与现行规则不符" in out and "区县范围的评价机构" in out
    data = json.loads(run(capsys, "--data-dir", demo, "org", "show", "--json")[1])
    assert data["scope_problems"]


def test_output_paths_are_checked_and_the_catalogue_exported(demo: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = _xlsx(tmp_path / "人员.xlsx", [["姓名", "证件号码"], ["新考生", make_id(7)]])
    before = good.read_bytes()
    code, _, err = run(capsys, "--data-dir", demo, "import", "people", str(good),
                       "--errors", str(good), "--user", "admin")  # fmt: skip
    assert code == 1 and "就是要导入的文件" in err and good.read_bytes() == before
    code, _, err = run(capsys, "--data-dir", demo, "import", "people", str(good),
                       "--errors", str(tmp_path / "errors.txt"), "--user", "admin")  # fmt: skip
    assert code == 1 and "应以 .xlsx 结尾" in err
    code, _, err = run(capsys, "--data-dir", demo, "import", "template", "staff", str(tmp_path / "t.csv"))
    assert code == 1 and "模板文件“t.csv”应以 .xlsx 结尾" in err and not (tmp_path / "t.csv").exists()

    out = tmp_path / "目录.xlsx"
    code, text, _ = run(capsys, "--data-dir", demo, "export", "catalogue", str(out), "--user", "admin")
    assert code == 0 and str(out) in text
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("职业编码", "职业名称", "是否新职业", "工种") and len(rows) > 2
    # exported as it is, imported back: nothing changes
    code, text, _ = run(capsys, "--data-dir", demo, "import", "catalogue", str(out), "--user", "admin")
    assert code == 0 and "新增职业 0 个，更新 0 个" in text

    code, _, err = run(capsys, "--data-dir", demo, "org", "set-scope-level", " City ", "--user", "admin")
    assert code == 0, err


def test_replace_import_of_proctors_refuses_to_strip_those_still_assigned(
    demo: str, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    with behind_the_apps_back(Path(demo)) as con:
        proctors = con.exec_driver_sql("SELECT count(*) FROM staff_role WHERE role='proctor'").scalar_one()
    src = _xlsx(tmp_path / "监考员.xlsx", [["姓名", "证件号码", "角色"], ["新监考", make_id(41), "监考员"]])
    report = tmp_path / "错误.xlsx"
    code, out, err = run(
        capsys, "--data-dir", demo, "import", "staff", str(src), "--mode", "replace",
        "--errors", str(report), "--user", "admin",
    )  # fmt: skip
    assert code == 1
    assert "的监考员角色不能移除：此人仍被安排在未结束的批次" in err
    assert "项角色不能移除（人员仍在未结束的批次中）：未导入任何数据。" in err
    announced = [line for line in out.splitlines() if "将移除：" in line]
    assert announced and not [line for line in announced if "不能移除" in line]
    with behind_the_apps_back(Path(demo)) as con:
        assert con.exec_driver_sql("SELECT count(*) FROM staff_role WHERE role='proctor'").scalar_one() == proctors
    reasons = [r[5] for r in load_workbook(report).active.iter_rows(min_row=3, values_only=True)]
    assert any(r and r.startswith("监考员角色不能移除") for r in reasons)


def test_export_roster_says_when_qualifications_are_not_current(
    demo: str, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from app.db import open_database
    from app.models import ExaminerQualification

    db = open_database(Path(demo))
    try:
        with db.session() as s:  # one examiner's qualification ran out yesterday
            q = s.scalars(select(ExaminerQualification)).first()
            q.valid_until = dt.date.today() - dt.timedelta(days=1)
    finally:
        db.dispose()
    code, out, _ = run(capsys, "--data-dir", demo, "export", "roster", str(tmp_path / "r.xlsx"), "--user", "admin")
    assert code == 0 and "注意：有 1 项考评资格已过期或尚未生效" in out


def test_set_profile_checks_the_level_against_the_new_codes_district(demo: str, capsys) -> None:  # type: ignore[no-untyped-def]
    """Chongqing 004 第六条: a city-wide organisation given a district's code (01 万州区) is
    refused here as the page's save refuses it, instead of blocking every later save."""
    code, _, err = run(
        capsys, "--data-dir", demo, "org", "set-profile", "chongqing", "--filing-code", "S000050010017",
        "--user", "admin",
    )  # fmt: skip
    assert code == 1 and "机构级别“全市范围”与备案编码第8–9位备案地代码“01”（万州区）不符" in err
    code, out, _ = run(capsys, "--data-dir", demo, "org", "show", "--json")
    assert json.loads(out)["filing_code"] == "S000050000017"


def test_org_show_flags_a_nature_stored_before_the_rule(demo: str, capsys) -> None:  # type: ignore[no-untyped-def]
    with behind_the_apps_back(Path(demo)) as con:  # as an older version stored it
        con.exec_driver_sql("UPDATE organisation SET nature = '民营培训学校'")
    code, out, _ = run(capsys, "--data-dir", demo, "org", "show")
    assert code == 0
    assert "！机构信息与现行规则不符：机构性质“民营培训学校”不是重庆市基本情况表中的选项" in out


def test_org_show_and_batch_list_accept_a_user_like_every_other_command(demo, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for argv in (["org", "show"], ["batch", "list"]):  # (the demo password is set)
        code, out, err = run(capsys, "--data-dir", demo, *argv, "--user", "admin")
        assert code == 0 and out and "无法识别" not in err, (argv, err)
    monkeypatch.setenv("SKILLSITE_PASSWORD", "wrong")
    code, _out, err = run(capsys, "--data-dir", demo, "org", "show", "--user", "admin")
    assert code != 0 and err
