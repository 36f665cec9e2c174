"""What QA found in the imports: cells read as blank that are not, control characters, the
template's example row, catalogue flags kept, problems named by column, unwritable outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from app.errors import ValidationError
from app.models import Occupation
from app.output_file import OutputFileError
from app.services.catalogue_file import import_catalogue
from app.services.importing import commit_import, preview_import, write_error_report
from app.services.roster import PersonInput, RoleInput, add_person
from app.services.roster_export import export_roster
from app.services.roster_queries import search_roster
from tests.conftest import behind_the_apps_back
from tests.services.conftest import make_id


def _preview(db, admin, path, kind="people", mode="add"):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return preview_import(s, admin, path, kind, mode)


def test_excel_error_values_are_reported_not_taken_as_blank(db, admin, make_xlsx) -> None:
    # openpyxl writes "#N/A" / "#VALUE!" as error cells (t="e"); calamine reads them as ""
    path = make_xlsx(
        [
            ["姓名", "证件号码", "工作单位", "联系电话"],
            ["甲", make_id(1), "#N/A", "13800138000"],
            ["乙", "#VALUE!", "乙公司", None],
            ["丙", make_id(3), "丙公司", None],
        ]
    )
    preview = _preview(db, admin, path)
    a, b, c = preview.rows
    assert [(e.column, e.header) for e in a.errors] == [("C", "工作单位")]
    assert "错误值 #N/A" in a.errors[0].message
    # not the misleading "号码为空": the one problem with the ID cell is the error value
    assert [(e.column, e.header) for e in b.errors] == [("B", "证件号码")]
    assert "#VALUE!" in b.errors[0].message and "为空" not in b.errors[0].message
    assert c.status == "new" and not c.errors
    with pytest.raises(ValidationError, match="2 行错误"), db.session() as s:
        commit_import(s, admin, preview)


def test_a_formula_without_its_computed_value_is_reported(db, admin, make_xlsx) -> None:
    # a formula written by a program (no cached value) is not "blank"; one with a value is fine
    path = make_xlsx([["姓名", "证件号码", "工作单位"], ["甲", make_id(4), "=1+1"]])
    (row,) = _preview(db, admin, path).rows
    assert [(e.row, e.column) for e in row.errors] == [(2, "C")]
    assert "没有它的计算结果" in row.errors[0].message


def test_a_row_of_nothing_but_error_values_is_not_skipped_as_blank(db, admin, make_xlsx) -> None:
    path = make_xlsx([["姓名", "证件号码"], ["甲", make_id(5)], ["#REF!", "#REF!"]])
    rows = _preview(db, admin, path).rows
    assert [r.row for r in rows] == [2, 3] and rows[1].status == "error"


@pytest.mark.parametrize(
    ("cell", "column", "needle"),
    [
        ("高级_x000B_工程师", "C", "控制字符（U+000B）"),  # Excel's escape of a pasted vertical tab
        ("_x0001_", "C", "U+0001"),
    ],
)
def test_control_characters_are_refused_with_the_cell(db, admin, make_xlsx, cell, column, needle):  # type: ignore[no-untyped-def]
    path = make_xlsx([["姓名", "证件号码", "职称"], ["甲", make_id(6), cell]])
    (row,) = _preview(db, admin, path).rows
    assert [(e.column, e.header) for e in row.errors] == [(column, "职称")]
    assert needle in row.errors[0].message


def test_a_line_break_in_a_name_is_refused_but_joins_lines_elsewhere(db, admin, make_xlsx) -> None:
    path = make_xlsx(
        [["姓名", "证件号码", "工作单位"], ["张\n三", make_id(7), "x"], ["李四", make_id(8), "某公司\n二分厂"]]
    )
    bad, good = _preview(db, admin, path).rows
    assert "换行符" in bad.errors[0].message and bad.errors[0].column == "A"
    assert good.parsed.person["employer"] == "某公司 二分厂"


def test_the_service_refuses_control_characters_too(db, admin) -> None:
    with pytest.raises(ValidationError, match="控制字符"), db.session() as s:
        add_person(s, admin, PersonInput("张三", make_id(9), title="高级\x0b工程师"))


def test_duplicate_and_missing_level_problems_name_their_column(db, admin, make_xlsx) -> None:
    dup = make_xlsx([["姓名", "证件号码"], ["甲", make_id(10)], ["乙", make_id(10)]], name="dup.xlsx")
    rows = _preview(db, admin, dup).rows
    (issue,) = rows[1].errors
    assert (issue.sheet, issue.row, issue.column, issue.header) == ("名单", 3, "B", "证件号码")
    with db.session() as s:
        from app.services.catalogue import OccupationInput, create_occupation

        create_occupation(s, admin, OccupationInput("6-31-01-03", "电工"))
    staff = make_xlsx(
        [["姓名", "证件号码", "角色", "考评职业", "最高等级"], ["丙", make_id(11), "考评员", "电工", None]],
        name="staff.xlsx",
    )
    (row,) = _preview(db, admin, staff, "staff").rows
    assert [(e.column, e.header) for e in row.errors] == [("E", "最高等级")]


def test_catalogue_import_keeps_the_new_occupation_flag_and_names_cells(db, admin, make_xlsx) -> None:
    first = make_xlsx([["职业编码", "职业名称", "是否新职业"], ["4-04-05-05", "网约配送员", "是"]])
    second = make_xlsx([["职业编码", "职业名称"], ["4-04-05-05", "网约配送员"]], name="c2.xlsx")
    with db.session() as s:
        import_catalogue(s, admin, first)
    with db.session() as s:
        again = import_catalogue(s, admin, second)
        assert (again.updated, again.unchanged) == (0, 1)  # a missing column erases nothing
        assert s.scalar(select(Occupation.is_new)) is True
    bad = make_xlsx(
        [["职业编码", "职业名称", "是否新职业"], [None, "无码", None], ["4-04-05-06", "x", "也许"]],
        name="bad.xlsx",
    )
    with pytest.raises(ValidationError) as caught, db.session() as s:
        import_catalogue(s, admin, bad)
    message = caught.value.message
    assert "工作表“名单”" in message
    assert "第 2 行 A 列（职业编码）：职业编码为空" in message
    assert "第 3 行 C 列（是否新职业）" in message and "。；" not in message


def test_exports_never_fail_on_a_stored_control_character(db, admin, tmp_path: Path) -> None:
    with db.session() as s:
        add_person(s, admin, PersonInput("张三", make_id(12), title="工程师"), [RoleInput("expert")])
    # stored by an older version (or behind the app's back): the export still works
    with behind_the_apps_back(db.data_dir) as conn:
        conn.execute(text("UPDATE person SET title = :t"), {"t": "高级\x0b工程师"})
    with db.session() as s:
        export_roster(s, admin, tmp_path / "名册.xlsx")
    cells = [c for row in load_workbook(tmp_path / "名册.xlsx")["专家"].values for c in row]
    assert "高级\ufffd工程师" in cells  # shown as a visible mark, the rest of the text kept


def test_an_unwritable_output_is_a_clear_message_and_leaves_nothing(db, admin, tmp_path: Path, make_xlsx) -> None:
    target = tmp_path / "没有这个文件夹" / "名册.xlsx"
    with pytest.raises(OutputFileError, match=r"无法写入文件.*文件夹不存在"), db.session() as s:
        export_roster(s, admin, target)
    folder = tmp_path / "是个文件夹.xlsx"
    folder.mkdir()
    path = make_xlsx([["姓名", "证件号码"], ["甲", "123"]])
    preview = _preview(db, admin, path)
    with pytest.raises(OutputFileError, match="无法写入文件"):
        write_error_report(preview, folder)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".part") == []


def test_search_treats_wildcards_as_text(db, admin) -> None:
    with db.session() as s:
        add_person(s, admin, PersonInput("张三", make_id(13)))
        add_person(s, admin, PersonInput("百分之100%", make_id(14)))
    with db.session() as s:
        assert [e.name for e in search_roster(s, name="%")] == ["百分之100%"]
        assert search_roster(s, name="_") == []
        assert search_roster(s, id_number="%") == []


def test_replace_mode_refuses_to_take_a_role_still_needed_in_an_unfinished_batch(
    demo, make_xlsx, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """As in the edit dialog (`roster.refuse_if_assigned`): a 替换 import that would take the
    proctor role from somebody a draft batch still assigns is refused whole, and says where."""
    from app.models import Batch, Person, StaffAssignment, StaffRoleEntry
    from tests.score_data import admin_of

    admin = admin_of(demo)
    with demo.session() as s:
        assigned = s.execute(
            select(Person.id, Batch.code)
            .join(StaffAssignment, StaffAssignment.person_id == Person.id)
            .join(Batch, Batch.id == StaffAssignment.batch_id)
            .where(StaffAssignment.duty == "proctor", Batch.status == "draft")
        ).first()
        proctors_before = s.scalar(select(func.count()).where(StaffRoleEntry.role == "proctor"))
    assert assigned is not None, "the demo has a proctor in a draft batch"
    # a proctors' file that lists one new proctor only: every other proctor would lose the role
    path = make_xlsx([["姓名", "证件号码", "角色"], ["新监考", make_id(20), "监考员"]])
    with demo.session() as s:
        preview = preview_import(s, admin, path, "staff", "replace")
        removal = next(r for r in preview.removals if r.person_id == assigned.id)
        assert removal.blocked and assigned.code in removal.batches
        assert f"不能移除：此人仍被安排在未结束的批次 {'、'.join(removal.batches)} 中担任监考员" in removal.text
        assert preview.has_errors and not preview.errors  # no row is wrong, the import still is
        assert "不能移除" in preview.summary_text()
        assert "项角色不能移除" in preview.refusal_text()
        with pytest.raises(ValidationError, match="项角色不能移除"):
            commit_import(s, admin, preview)
        report = write_error_report(preview, tmp_path / "report.xlsx")
    with demo.session() as s:  # nothing written: the new proctor absent, every proctor kept
        assert s.scalar(select(func.count()).where(StaffRoleEntry.role == "proctor")) == proctors_before
        assert s.scalar(select(Person).where(Person.name == "新监考")) is None
    reasons = [r[5] for r in load_workbook(report).active.iter_rows(min_row=3, values_only=True)]
    assert any(r and r.startswith("监考员角色不能移除") and assigned.code in r for r in reasons)


def test_a_two_row_header_under_merged_group_headings_is_read(db, admin, make_xlsx) -> None:
    from app.services.catalogue import OccupationInput, create_occupation

    with db.session() as s:
        create_occupation(s, admin, OccupationInput("6-31-01-03", "电工"))
    path = make_xlsx(
        [
            ["姓名", "身份证号", "角色", "考评资格", None, None],
            [None, None, None, "考评职业", "最高等级", "有效期至"],
            ["甲", make_id(30), "考评员", "电工", "三级", "2028-06-30"],
        ],
        merges=["D1:F1", "A1:A2", "B1:B2", "C1:C2"],
    )
    preview = _preview(db, admin, path, "staff")
    assert preview.header_row == 2
    (row,) = preview.rows
    assert row.row == 3 and row.status == "new", [str(e) for e in row.errors]
    ((_occ, _wt, values),) = row.parsed.quals
    assert values["max_level"] == 3 and str(values["valid_until"]) == "2028-06-30"


def test_a_data_row_under_the_header_is_not_taken_for_a_second_header(db, admin, make_xlsx) -> None:
    # the first data row holds words that are also header names: it stays a data row
    path = make_xlsx([["姓名", "证件号码", "职称"], ["学历", make_id(31), "职称"]])
    preview = _preview(db, admin, path)
    assert preview.header_row == 1 and [r.row for r in preview.rows] == [2]


def test_names_typed_and_imported_are_stored_and_found_alike(db, admin, make_xlsx) -> None:
    # the ideographic space (and full-width ASCII) is stored as the import stores it
    with db.session() as s:
        typed = add_person(s, admin, PersonInput("张\u3000三", make_id(40), employer="ＡＢＣ公司"))
        assert (typed.name, typed.employer) == ("张 三", "ABC公司")
    path = make_xlsx([["姓名", "证件号码"], ["李\u3000四", make_id(41)]])
    with db.session() as s:
        commit_import(s, admin, preview_import(s, admin, path, "people"))
    with db.session() as s:
        assert [e.name for e in search_roster(s, name="张\u3000三")] == ["张 三"]
        assert [e.name for e in search_roster(s, name="李\u3000四")] == ["李 四"]


def test_hidden_rows_and_columns_are_imported_and_said_to_be(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What the user saw is not all the importer reads: each hidden row carries a warning, and
    the summary names the hidden rows' count and the hidden columns it reads."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码", "工作单位", "备注"])
    ws.append(["甲", make_id(51), "甲公司"])
    ws.append(["乙", make_id(52), "乙公司"])
    ws.append(["丙", make_id(53), "丙公司"])
    ws.row_dimensions[3].hidden = True  # 乙, filtered out or hidden by hand
    ws.column_dimensions["C"].hidden = True
    ws.column_dimensions["D"].hidden = True  # an unknown column: nothing read from it
    wb.save(tmp_path / "hidden.xlsx")
    with db.session() as s:
        preview = preview_import(s, admin, tmp_path / "hidden.xlsx", "people")
        assert [r.name for r in preview.rows if r.hidden] == ["乙"]
        (warning,) = next(r for r in preview.rows if r.name == "乙").warnings
        assert "隐藏行" in warning and "仍会导入" in warning
        assert not any(r.warnings for r in preview.rows if r.name != "乙")
        assert preview.hidden_columns == ["C 列（工作单位）"]
        summary = preview.summary_text()
        assert "其中 1 行在 Excel 中是隐藏的，仍会导入" in summary
        assert "隐藏的列 C 列（工作单位） 仍会导入" in summary
        assert not preview.has_errors
        assert commit_import(s, admin, preview).created == 3


def test_a_sheet_without_hidden_parts_says_nothing_of_them(db, admin, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    path = make_xlsx([["姓名", "证件号码"], ["甲", make_id(54)]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "people")
    assert not preview.rows[0].hidden and preview.hidden_columns == []
    assert "隐藏" not in preview.summary_text()
