"""The shared xlsx writer's sheet layout: header frozen below the captions, and a print setup
(A4, fitted one page wide, header repeated, merged captions, bordered and wrapped table)."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from app.reports.xlsx import (
    DATA_ONLY,
    TEXT_FORMAT,
    Column,
    PrintLayout,
    Sheet,
    text_lines,
    write_workbook,
)

NARROW = [Column("序号", 6), Column("姓名", 12), Column("备注", 30)]  # 48 wide: portrait
WIDE = [Column(f"列{i}", 20) for i in range(8)]  # 160 wide: landscape


def _write(tmp_path: Path, *sheets: Sheet) -> Path:
    return write_workbook(tmp_path / "t.xlsx", list(sheets))


def test_the_header_stays_frozen_below_any_caption_rows(tmp_path: Path) -> None:
    out = _write(
        tmp_path,
        Sheet("无标题", NARROW, [[1, "甲", ""]]),
        Sheet("一行标题", NARROW, [[1, "甲", ""]], ["标题"]),
        Sheet("两行标题", NARROW, [[1, "甲", ""]], ["标题", "副标题"]),
    )
    wb = load_workbook(out)
    assert [wb[n].freeze_panes for n in wb.sheetnames] == ["A2", "A3", "A4"]
    with zipfile.ZipFile(out) as z:  # really in the file, as Excel reads it
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"' in xml


def test_sheets_print_on_a4_one_page_wide_with_the_header_repeated(tmp_path: Path) -> None:
    out = _write(
        tmp_path,
        Sheet("窄表", NARROW, [[i, "甲", "备注"] for i in range(60)], ["（一）标题"]),
        Sheet("宽表", WIDE, [["x"] * 8], ["标题", "评价机构：某某"]),
    )
    wb = load_workbook(out)
    narrow, wide = wb["窄表"], wb["宽表"]
    for ws in (narrow, wide):
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # height unlimited
        assert "&P" in ws.oddFooter.center.text  # page numbers on a multi-page filing table
    assert narrow.page_setup.orientation == "portrait"
    assert wide.page_setup.orientation == "landscape"
    assert narrow.print_title_rows == "$2:$2"  # the header row, below the caption
    assert wide.print_title_rows == "$3:$3"


def test_captions_are_merged_across_the_table_width(tmp_path: Path) -> None:
    long_title = "某某职业技能培训学校有限责任公司职业技能等级认定结果公示" * 2
    out = _write(tmp_path, Sheet("表", NARROW, [[1, "甲", "乙"]], [long_title, "公示期：未开始"]))
    ws = load_workbook(out)["表"]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:C1", "A2:C2"}
    assert ws["A1"].value == long_title and ws["A1"].alignment.horizontal == "center"
    assert ws["A1"].alignment.wrap_text and ws["A2"].alignment.horizontal == "left"
    # a merged cell does not grow with its text: the long title gets its lines' height
    assert ws.row_dimensions[1].height and ws.row_dimensions[1].height > 30
    assert ws.row_dimensions[2].height is None


def test_the_table_is_bordered_and_long_text_wraps(tmp_path: Path) -> None:
    rows = [
        [1, "甲", "很长的备注" * 20],
        [2, "乙"],  # a short row: its missing cell is still part of the bordered table
        [3, None, "=1+1"],
    ]
    out = _write(tmp_path, Sheet("表", NARROW, rows, ["标题"]))
    ws = load_workbook(out)["表"]
    assert ws["A1"].border.left.style is None  # the caption is not part of the table
    for row in ws.iter_rows(min_row=2, max_row=5, max_col=3):
        for cell in row:
            b = cell.border
            assert (b.left.style, b.right.style, b.top.style, b.bottom.style) == ("thin",) * 4, cell
    assert ws["C3"].alignment.wrap_text and ws["B2"].font.b
    # wrapped text does not make a row taller in every program (LibreOffice keeps the default
    # height): a row that wraps gets its height, a one-line row is left as it is
    assert ws.row_dimensions[3].height and ws.row_dimensions[3].height > 100
    assert ws.row_dimensions[2].height is None and ws.row_dimensions[4].height is None
    assert ws["C5"].value == "=1+1" and ws["C5"].data_type == "s"  # still never a formula
    assert ws.max_column == 3


def test_values_keep_their_types_and_formats_in_the_styled_table(tmp_path: Path) -> None:
    cols = [Column("号码", 22, TEXT_FORMAT), Column("分"), Column("率", 10, "0.0%"), Column("日期")]
    rows = [
        ["500106199001010015", Decimal("59.5"), 0.875, dt.date(2026, 11, 23)],
        ["#N/A", 1, 1, None],
    ]
    ws = load_workbook(_write(tmp_path, Sheet("表", cols, rows)))["表"]
    assert (ws["A2"].value, ws["A2"].data_type, ws["A2"].number_format) == (
        "500106199001010015",
        "s",
        "@",
    )
    assert ws["B2"].value == 59.5 and ws["C2"].number_format == "0.0%"
    assert ws["D2"].value.date() == dt.date(2026, 11, 23) and ws["D2"].number_format == "yyyy-mm-dd"
    assert ws["A3"].value == "#N/A" and ws["A3"].data_type == "s"  # text, not an error value


def test_wrapped_lines_are_estimated_from_the_column_width() -> None:
    assert text_lines("考务组织", 14) == 1
    assert text_lines("考务组织、报名审核、证书管理、档案管理", 14) == 3  # 19 wide characters
    assert text_lines("第一行\n第二行", 30) == 2
    assert text_lines("500106199001010015", 22) == 1


def test_a_sheet_may_ask_for_another_layout(tmp_path: Path) -> None:
    out = _write(
        tmp_path,
        Sheet("横向", NARROW, [[1, "甲", "乙"]], layout=PrintLayout(orientation="landscape")),
        Sheet("数据", WIDE, [["x"] * 8], layout=DATA_ONLY),
    )
    wb = load_workbook(out)
    assert wb["横向"].page_setup.orientation == "landscape"
    data = wb["数据"]
    assert data["A2"].border.left.style is None and not data["A2"].alignment.wrap_text
    assert data.freeze_panes == "A2" and data.page_setup.fitToWidth == 1  # still frozen and fitted
    # the text format of a column holds in the unstyled layout too
    cols = [Column("号码", 22, TEXT_FORMAT)]
    ws = load_workbook(
        write_workbook(
            tmp_path / "d.xlsx", [Sheet("数据", cols, [["500106199001010015"]], layout=DATA_ONLY)]
        )
    )["数据"]
    assert ws["A2"].number_format == "@" and ws["A2"].data_type == "s"
