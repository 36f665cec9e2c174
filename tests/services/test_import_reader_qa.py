"""What QA found in the Excel reader: hidden sheets imported, two columns for one field, merged
cells copied sideways, unreadable files and folders, headers below a long preamble."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.errors import ValidationError
from app.services.importing import preview_import
from app.services.importing.reader import read_sheet
from tests.services.conftest import make_id


def _preview(db, admin, path, kind="people"):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return preview_import(s, admin, path, kind, "add")


def _refusal(path: Path, kind: str = "people") -> str:
    with pytest.raises(ValidationError) as exc:
        read_sheet(path, kind)
    assert "Traceback" not in exc.value.message
    return exc.value.message


# --- 1. the first visible sheet is read, and its own problem cells -----------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_passed_over(db, admin, tmp_path: Path, state: str) -> None:
    wb = Workbook()
    old = wb.active
    old.title = "旧名单"
    old.append(["姓名", "证件号码", "工作单位"])
    old.append(["旧人", make_id(1), "#N/A"])  # an error value in the hidden sheet's C2
    old.sheet_state = state
    new = wb.create_sheet("新名单")
    new.append(["姓名", "证件号码", "工作单位"])
    new.append(["新人", make_id(2), "新单位"])
    new.append(["新人二", make_id(3), "=1+1"])  # a value-less formula in the visible sheet's C3
    path = tmp_path / "two_sheets.xlsx"
    wb.save(path)

    table = read_sheet(path, "people")
    assert table.sheet == "新名单"
    assert [cells[0] for _, cells in table.rows] == ["新人", "新人二"]
    # the problem cells are the visible sheet's: its formula, not the hidden sheet's #N/A
    assert set(table.problems) == {3} and set(table.problems[3]) == {2}

    preview = _preview(db, admin, path)
    assert [r.name for r in preview.rows] == ["新人", "新人二"]
    assert not preview.rows[0].errors
    assert [(e.sheet, e.row, e.column) for e in preview.rows[1].errors] == [("新名单", 3, "C")]


def test_a_workbook_with_no_visible_sheet_is_a_clear_refusal(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "甲"
    wb.active.append(["姓名", "证件号码"])
    wb.create_sheet("乙").sheet_state = "veryHidden"
    saved = tmp_path / "saved.xlsx"
    wb.save(saved)  # (openpyxl refuses to hide every sheet: hide the first in the XML)
    path = tmp_path / "all_hidden.xlsx"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b'state="visible"', b'state="hidden"')
            dst.writestr(item, data)
    message = _refusal(path)
    assert "all_hidden.xlsx" in message and "没有可见的工作表" in message
    assert "取消隐藏" in message


# --- 2. two columns for one field are refused, never one of them dropped -----------------------


@pytest.mark.parametrize(
    ("headers", "row", "needle"),
    [
        (
            ["姓名", "证件号码", "职称", "职务"],
            ["甲", make_id(10), "高级工程师", "科长"],
            "C 列“职称”和 D 列“职务”都对应“职称/职务”",
        ),
        (
            ["姓名", "证件号码", "手机", "电话"],
            ["甲", make_id(11), "13800138000", "023-12345678"],
            "C 列“手机”和 D 列“电话”都对应“联系电话”",
        ),
        (
            ["姓名", "证件号码", "身份证号"],
            ["甲", "", make_id(12)],
            "B 列“证件号码”和 C 列“身份证号”都对应“证件号码”",
        ),
    ],
)
def test_two_columns_for_one_field_are_refused(
    db, admin, make_xlsx, headers: list[str], row: list[str], needle: str
) -> None:
    path = make_xlsx([headers, row])
    message = _refusal(path)
    assert needle in message, message
    assert "名单" in message and "第 1 行" in message and "保留其中一列" in message
    assert "未识别" not in message
    with pytest.raises(ValidationError, match="保留其中一列"):
        _preview(db, admin, path)


def test_two_columns_for_one_field_under_a_group_heading_are_refused(make_xlsx) -> None:
    path = make_xlsx(
        [
            ["姓名", "身份证号", "角色", "联系电话", "考评资格", None],
            [None, None, None, None, "考评职业", "手机号"],
            ["甲", make_id(13), "考评员", "13800138000", "电工", "13900139000"],
        ],
        merges=["E1:F1", "A1:A2", "B1:B2", "C1:C2", "D1:D2"],
    )
    message = _refusal(path, "staff")
    assert "第 1–2 行表头" in message and "D 列“联系电话”和 F 列“手机号”都对应“联系电话”" in message


def test_one_header_written_in_both_rows_of_a_two_row_header_is_not_a_duplicate(make_xlsx) -> None:
    path = make_xlsx(
        [
            ["姓名", "身份证号", "角色", "考评资格"],
            ["姓名", "身份证号", "角色", "考评职业"],
            ["甲", make_id(14), "考评员", "电工"],
        ]
    )
    table = read_sheet(path, "staff")
    assert table.header_row == 2 and table.columns["occupations"] == 3


# --- 3. a merged range fills down its first column only ----------------------------------------


def test_a_range_merged_across_columns_stays_in_its_first_column(make_xlsx) -> None:
    path = make_xlsx(
        [
            ["姓名", "证件号码", "工作单位", "所在地市"],
            ["甲", make_id(20), "重庆某某公司", None],
            ["乙", make_id(21), "乙公司", "重庆市"],
            ["丙", make_id(22), "丙公司", None],
            ["注：以上信息由单位填报", None, None, None],
        ],
        merges=["C2:D2", "C3:C4", "A5:C5"],
    )
    table = read_sheet(path, "people")
    by_row = {r: cells for r, cells in table.rows}
    employer, city, id_number = (
        table.columns["employer"],
        table.columns["city"],
        table.columns["id_number"],
    )
    assert by_row[2][employer] == "重庆某某公司"
    assert by_row[2][city] in ("", None)  # not the employer's name
    # a vertical merge still gives every row of it the value
    assert by_row[3][employer] == by_row[4][employer] == "乙公司"
    assert by_row[4][city] in ("", None)
    # the footnote is not copied into 证件号码
    assert by_row[5][id_number] in ("", None)


def test_a_block_merged_over_rows_and_columns_fills_down_its_first_column(make_xlsx) -> None:
    path = make_xlsx(
        [
            ["姓名", "证件号码", "工作单位", "所在地市"],
            ["甲", make_id(23), "合并单位", None],
            ["乙", make_id(24), None, None],
        ],
        merges=["C2:D3"],
    )
    table = read_sheet(path, "people")
    employer, city = table.columns["employer"], table.columns["city"]
    assert [cells[employer] for _, cells in table.rows] == ["合并单位", "合并单位"]
    assert all(cells[city] in ("", None) for _, cells in table.rows)


# --- 4. unreadable files and folders ------------------------------------------------------------


def test_an_unreadable_file_is_a_clear_refusal(make_xlsx, monkeypatch) -> None:
    path = make_xlsx([["姓名", "证件号码"], ["甲", make_id(30)]], name="locked.xlsx")
    real_open = Path.open

    def denied(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", denied)
    message = _refusal(path)
    assert "locked.xlsx" in message and "没有读取权限" in message and "占用" in message
    assert "意外错误" not in message and "PermissionError" not in message


def test_a_file_locked_when_calamine_opens_it_is_a_clear_refusal(make_xlsx, monkeypatch) -> None:
    import python_calamine

    path = make_xlsx([["姓名", "证件号码"], ["甲", make_id(31)]], name="busy.xlsx")

    class Locked:
        @staticmethod
        def from_path(_path: str) -> None:
            raise PermissionError(13, "Permission denied", _path)

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Locked)
    message = _refusal(path)
    assert "busy.xlsx" in message and "占用" in message and "损坏" not in message


def test_a_folder_is_not_reported_as_missing(db, admin, tmp_path: Path) -> None:
    folder = tmp_path / "名单.xlsx"
    folder.mkdir()
    message = _refusal(folder)
    assert "文件夹" in message and "找不到" not in message
    with pytest.raises(ValidationError, match="文件夹"):
        _preview(db, admin, folder)


# --- 5. the header may stand below a long preamble ---------------------------------------------


def test_a_header_below_a_long_preamble_is_found(make_xlsx) -> None:
    notes = [f"说明第 {i} 条：请如实填写" for i in range(1, 21)]
    path = make_xlsx([["姓名", "证件号码"], ["甲", make_id(40)]], title_rows=notes)
    table = read_sheet(path, "people")
    assert table.header_row == 21 and [r for r, _ in table.rows] == [22]


def test_blank_rows_above_the_header_do_not_count(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["A1"] = "2024年第一批考生名单"
    for i in range(5):  # 5 notes, then 40 blank rows, then the header
        ws.cell(row=3 + i, column=1, value=f"注{i + 1}")
    ws.cell(row=48, column=1, value="姓名")
    ws.cell(row=48, column=2, value="证件号码")
    ws.cell(row=49, column=1, value="甲")
    ws.cell(row=49, column=2, value=make_id(41))
    path = tmp_path / "blank_rows.xlsx"
    wb.save(path)
    table = read_sheet(path, "people")
    assert table.header_row == 48 and [r for r, _ in table.rows] == [49]


def test_a_header_below_thirty_rows_of_text_is_refused_with_an_accurate_message(
    make_xlsx,
) -> None:
    notes = [f"说明第 {i} 条" for i in range(1, 31)]
    path = make_xlsx([["姓名", "证件号码"], ["甲", make_id(42)]], title_rows=notes)
    message = _refusal(path)
    assert "前30行" in message and "找不到表头" in message


# --- a stray cell far down: the empty rows in between are passed over, numbers stay exact -------


def test_rows_between_the_table_and_a_stray_cell_far_down_are_skipped_exactly(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码", "备注"])
    ws.append(["甲", make_id(1), ""])
    ws.append(["", "　 ", "只有备注"])  # blank import cells (spaces, ideographic space): passed over
    ws.append([0, None, None])  # a zero is a value, not an empty cell
    ws["C5000"] = "备注列里的一个值"  # not an import column
    ws["B150000"] = make_id(3)  # a stray value in an import column, far down
    path = tmp_path / "far_down.xlsx"
    wb.save(path)
    table = read_sheet(path, "people")
    assert [r for r, _ in table.rows] == [2, 4, 150000]
    assert table.rows[-1][1][table.columns["id_number"]] == make_id(3)
