"""Candidates and scores from Excel: preview with row/column errors, all-or-nothing, CLI exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.cli.main import main
from app.db import open_database
from app.models import Enrolment, Person, ScoreEntry, StaffAssignment
from app.rules.idcard import gb11643_check_char
from app.services import batch_workflow
from app.services.audit_verify import verify_audit
from app.services.candidate_import import commit_candidates, preview_candidates
from app.services.demo import build_demo
from app.services.score_import import commit_scores, preview_scores
from app.services.users import authenticate

PW = "Demo#2026"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("imp") / "data"
    db = open_database(d)
    build_demo(db, PW)
    with db.session() as s:
        admin = authenticate(s, "admin", PW)
    with db.session() as s:
        batch_workflow.advance(s, admin, "2026-04", "in_progress")
        batch_workflow.advance(s, admin, "2026-04", "scoring")
    db.dispose()
    return d


@pytest.fixture
def demo(template: Path, tmp_path: Path):
    d = tmp_path / "data"
    shutil.copytree(template, d)
    db = open_database(d)
    with db.session() as s:
        admin = authenticate(s, "admin", PW)
    yield db, admin
    db.dispose()


def _xlsx(path: Path, rows: list[list[object]], title: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _id(seq: int) -> str:
    first17 = f"50010620000101{seq:03d}"
    return first17 + gb11643_check_char(first17)


def _count(db, model, **where) -> int:
    with db.session() as s:
        stmt = select(func.count()).select_from(model)
        for k, v in where.items():
            stmt = stmt.where(getattr(model, k) == v)
        return s.scalar(stmt)


def test_candidates_import_enrols_new_and_existing_people(demo, tmp_path: Path) -> None:
    db, admin = demo
    with db.session() as s:
        b5 = batch_workflow.get_batch(s, "2026-05").id
    before = _count(db, Enrolment, batch_id=b5)
    f = _xlsx(tmp_path / "c.xlsx", [["考生姓名", "身份证号", "工作单位"], ["新考生甲", _id(1), "某公司"], ["新考生𠇔", _id(2), ""]],
              title="2026年第5期考生名单")
    with db.session() as s:
        preview = preview_candidates(s, admin, "2026-05", f)
        assert not preview.has_errors and len(preview.rows) == 2
        result = commit_candidates(s, admin, "2026-05", preview)
    assert result.enrolled == 2 and _count(db, Enrolment, batch_id=b5) == before + 2
    with db.session() as s:  # importing the same file again enrols nobody twice
        again = commit_candidates(s, admin, "2026-05", preview_candidates(s, admin, "2026-05", f))
        assert again.enrolled == 0 and again.already_enrolled == 2
        assert verify_audit(s).ok


def test_candidates_enrolment_reports_progress_and_a_stop_there_writes_nothing(demo, tmp_path: Path) -> None:
    """The enrolment after the people are written reports its own progress (报名): a list of
    thousands takes seconds there, and a stop (the dialog's 取消) rolls everything back."""
    from app.models import Person

    db, admin = demo
    with db.session() as s:
        b5 = batch_workflow.get_batch(s, "2026-05").id
    before = (_count(db, Enrolment, batch_id=b5), _count(db, Person))
    f = _xlsx(tmp_path / "c.xlsx", [["姓名", "证件号码"], *([f"考生{i:03d}", _id(100 + i)] for i in range(120))])
    stages: list[tuple[str, int, int]] = []

    def stop_at_enrolment(stage: str, done: int, total: int) -> None:
        stages.append((stage, done, total))
        if stage == "报名" and done == 100:
            raise KeyboardInterrupt  # as the dialog's 取消 raises its own exception

    with db.session() as s:
        preview = preview_candidates(s, admin, "2026-05", f)
    with pytest.raises(KeyboardInterrupt), db.session() as s:
        commit_candidates(s, admin, "2026-05", preview, progress=stop_at_enrolment)
    assert ("写入", 120, 120) in stages and [x for x in stages if x[0] == "报名"] == [("报名", 50, 120), ("报名", 100, 120)]
    assert (_count(db, Enrolment, batch_id=b5), _count(db, Person)) == before
    with db.session() as s:
        assert commit_candidates(s, admin, "2026-05", preview).enrolled == 120
        assert verify_audit(s).ok


def test_candidates_bad_row_writes_nothing(demo, tmp_path: Path) -> None:
    db, admin = demo
    f = _xlsx(tmp_path / "c.xlsx", [["姓名", "证件号码"], ["甲", _id(3)], ["乙", "500106200001010041"]])
    with db.session() as s:
        preview = preview_candidates(s, admin, "2026-05", f)
    assert preview.has_errors and "第 3 行" in str(preview.errors[0])
    with pytest.raises(Exception, match="错误"), db.session() as s:
        commit_candidates(s, admin, "2026-05", preview)


def test_candidates_only_into_a_draft(demo, tmp_path: Path) -> None:
    db, admin = demo
    f = _xlsx(tmp_path / "c.xlsx", [["姓名", "证件号码"], ["甲", _id(4)]])
    with pytest.raises(Exception, match="草稿"), db.session() as s:
        preview_candidates(s, admin, "2026-04", f)


def _enrolments(db, code: str) -> list[tuple[str, int]]:
    with db.session() as s:
        b = batch_workflow.get_batch(s, code)
        return list(s.execute(select(Enrolment.admission_no, Enrolment.id).where(Enrolment.batch_id == b.id)
                              .order_by(Enrolment.admission_no)).tuples())


def _names(db, *admission_nos: str) -> list[str]:
    with db.session() as s:
        stmt = (select(Enrolment.admission_no, Person.name).join(Person, Person.id == Enrolment.person_id)
                .where(Enrolment.admission_no.in_(admission_nos)))
        names = {admission_no: name for admission_no, name in s.execute(stmt).all()}
    return [names[a] for a in admission_nos]


def test_a_name_that_is_not_the_candidates_is_refused(demo, tmp_path: Path) -> None:
    db, admin = demo
    (a1, e1), (a2, _e2) = _enrolments(db, "2026-04")[:2]
    n1, n2 = _names(db, a1, a2)
    # the 准考证号 of the second row mistyped as the first's neighbour: the score would go to n2
    f = _xlsx(tmp_path / "s.xlsx", [["准考证号", "姓名", "理论知识"], [a1, f" {n1} ", 80], [a2, n1 + "甲", 70]])
    with db.session() as s:
        preview = preview_scores(s, admin, "2026-04", f)
    assert preview.rows[0].errors == []  # spaces aside, the same name
    (err,) = preview.rows[1].errors
    assert (err.column, err.header) == ("B", "姓名")
    assert f"“{n2}”不符" in err.message and "成绩会记到他人名下" in err.message
    with pytest.raises(Exception, match="错误"), db.session() as s:
        commit_scores(s, admin, "2026-04", preview)
    assert _count(db, ScoreEntry, enrolment_id=e1) == 0


def test_scores_import_by_admission_number(demo, tmp_path: Path) -> None:
    db, admin = demo
    (a1, e1), (a2, _e2) = _enrolments(db, "2026-04")[:2]
    n1, n2 = _names(db, a1, a2)
    f = _xlsx(tmp_path / "s.xlsx", [["准考证号", "姓名", "理论知识", "技能操作"], [a1, n1, 88.5, "缺考"], [a2, n2, "72", 61]])
    with db.session() as s:
        preview = preview_scores(s, admin, "2026-04", f)
        assert not preview.has_errors
        assert all(r.id_shown.count("*") == 10 for r in preview.rows)  # whom each row matched
        assert commit_scores(s, admin, "2026-04", preview) == 4
    assert _count(db, ScoreEntry, enrolment_id=e1) == 2
    with db.session() as s:
        marks = {r.component: (r.score, r.mark) for r in s.scalars(select(ScoreEntry).where(ScoreEntry.enrolment_id == e1))}
        assert str(marks["theory"][0]) == "88.5" and marks["skill"][1] == "absent"
        assert verify_audit(s).ok


def test_scores_import_errors_name_row_and_column_and_write_nothing(demo, tmp_path: Path, capsys, monkeypatch) -> None:
    db, admin = demo
    (a1, e1), _ = _enrolments(db, "2026-04")[:2]
    f = _xlsx(tmp_path / "s.xlsx", [["考号", "理论成绩", "综合评审"], [a1, 101, None], ["NOPE", 60, None], [a1, 50, 70]])
    with db.session() as s:
        preview = preview_scores(s, admin, "2026-04", f)
    messages = [str(e) for e in preview.errors]
    assert any(m.startswith("第 2 行 B 列（理论成绩）") for m in messages)
    assert any(m.startswith("第 3 行 A 列（考号）") for m in messages)
    assert any("第 4 行" in m and "同一名考生" in m for m in messages)
    assert any("第 4 行 C 列" in m and "综合评审" in m for m in messages)
    monkeypatch.setenv("SKILLSITE_PASSWORD", PW)
    out = tmp_path / "err.xlsx"
    code = main(["--data-dir", str(db.data_dir), "scores", "import", "2026-04", str(f), "--user", "admin", "--errors", str(out)])
    assert code == 1
    assert _count(db, ScoreEntry, enrolment_id=e1) == 0
    ws = load_workbook(out).active
    assert ws.max_row >= 2 + len(messages)


def test_cli_candidates_dry_run_and_commit(demo, tmp_path: Path, monkeypatch, capsys) -> None:
    db, _ = demo
    with db.session() as s:  # somebody registered already, not in 2026-05
        busy = select(Enrolment.person_id).union(select(StaffAssignment.person_id))
        known = s.scalars(select(Person).where(Person.id.not_in(busy)).order_by(Person.id)).first()
        name, number = known.name, known.id_number
    f = _xlsx(tmp_path / "c.xlsx", [["姓名", "证件号码"], ["丙", _id(5)], [name, number]])
    monkeypatch.setenv("SKILLSITE_PASSWORD", PW)
    args = ["--data-dir", str(db.data_dir), "batch", "import-candidates", "2026-05", str(f), "--user", "admin"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "报名 2 人" not in out and "试运行（--dry-run）：未写入任何数据。" in out
    assert f"提示：第 3 行（{name}）：库中已登记：{name}，按已登记的信息报名" in out
    assert number not in out
    assert main(args) == 0
    assert "报名 2 人" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("2026-05", "只有“实施中”或“成绩录入”状态的批次可以导入成绩"),  # a draft
        ("2026-03", "成绩已锁定，不能批量导入"),  # in publicity: corrections one by one
        ("2026-01", "成绩已锁定，不能批量导入"),  # certificates issued
    ],
)
def test_scores_are_imported_only_where_scores_are_taken(demo, tmp_path: Path, code: str, said: str) -> None:
    """The check itself refuses (it used to pass, and only the commit refused, so checking the
    file again could never help); a locked score is never overwritten by a file."""
    db, admin = demo
    (adm, eid), *_ = _enrolments(db, code)
    f = _xlsx(tmp_path / "s.xlsx", [["准考证号", "理论知识"], [adm, 61]])
    before = _count(db, ScoreEntry, enrolment_id=eid)
    with pytest.raises(Exception, match=said), db.session() as s:
        preview_scores(s, admin, code, f)
    (adm4, _e4), *_ = _enrolments(db, "2026-04")
    with db.session() as s:  # a preview made while the batch still took scores
        b = batch_workflow.get_batch(s, "2026-04")
        preview = preview_scores(s, admin, "2026-04", _xlsx(tmp_path / "t.xlsx", [["准考证号", "理论知识"], [adm4, 61]]))
        b.status = batch_workflow.get_batch(s, code).status  # …then the batch moved on
        with pytest.raises(Exception, match=said):
            commit_scores(s, admin, "2026-04", preview)
        s.rollback()
    assert _count(db, ScoreEntry, enrolment_id=eid) == before


def test_scores_file_edited_after_the_preview_is_refused(demo, tmp_path: Path) -> None:
    db, admin = demo
    (a1, e1), _ = _enrolments(db, "2026-04")[:2]
    f = _xlsx(tmp_path / "s.xlsx", [["准考证号", "理论知识"], [a1, 88]])
    with db.session() as s:
        preview = preview_scores(s, admin, "2026-04", f)
    _xlsx(f, [["准考证号", "理论知识"], [a1, 58]])  # corrected in Excel after the check
    with pytest.raises(Exception, match="在检查之后已被修改"), db.session() as s:
        commit_scores(s, admin, "2026-04", preview)
    assert _count(db, ScoreEntry, enrolment_id=e1) == 0
