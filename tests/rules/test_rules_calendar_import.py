"""Importing a year's holiday calendar from CSV and Excel files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from app.errors import ValidationError
from app.rules.calendar_import import parse_calendar_rows, read_calendar_file
from app.rules.workdays import WorkdayCalendar

ROWS_2031 = [
    ("日期", "类型", "名称"),
    ("2031-01-01", "休", "元旦"),
    ("2031-01-04", "班", "元旦"),
    ("2031-01-22", "休", "春节"),
]
EXPECTED_2031 = {
    date(2031, 1, 1): ("休", "元旦"),
    date(2031, 1, 4): ("班", "元旦"),
    date(2031, 1, 22): ("休", "春节"),
}


def _write_csv(path: Path, rows: list[tuple[str, ...]], encoding: str) -> Path:
    path.write_text("\r\n".join(",".join(r) for r in rows) + "\r\n", encoding=encoding)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    path = _write_csv(tmp_path / "2031.csv", ROWS_2031, encoding)
    overrides = read_calendar_file(path)
    assert overrides == EXPECTED_2031
    cal = WorkdayCalendar(overrides)
    assert 2031 in cal.covered_years()
    assert cal.is_working_day(date(2031, 1, 4))  # adjusted Saturday
    assert not cal.is_working_day(date(2031, 1, 1))


def test_csv_columns_in_any_order_with_blank_rows_and_synonyms(tmp_path: Path) -> None:
    rows = [
        ("名称", "类型（休/班）", "日期", "备注"),
        ("元旦", "放假", "2031/1/1", ""),
        ("", "", "", ""),
        ("元旦", "上班", "2031年1月4日", "周六"),
        ("", "休", "2031-01-22", ""),
    ]
    overrides = read_calendar_file(_write_csv(tmp_path / "c.csv", rows, "utf-8"))
    assert overrides == {**EXPECTED_2031, date(2031, 1, 22): ("休", "")}


def test_xlsx_with_date_cells_text_and_serial_numbers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "类型", "名称"])
    ws.append([datetime(2031, 1, 1), "休", "元旦"])  # a real Excel date cell
    ws.append(["2031-01-04", "班", "元旦"])  # text
    ws.append([47505, "休", "春节"])  # an Excel serial number (2030-01-22)
    ws.append([None, None, None])
    path = tmp_path / "2031.xlsx"
    wb.save(path)
    overrides = read_calendar_file(path)
    assert overrides[date(2031, 1, 1)] == ("休", "元旦")
    assert overrides[date(2031, 1, 4)] == ("班", "元旦")
    assert overrides[date(2030, 1, 22)] == ("休", "春节")  # 47505 days after 1899-12-30
    assert len(overrides) == 3


def test_xlsx_bad_row_names_file_row_and_column(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "类型", "名称"])
    ws.append(["2031-01-01", "休", "元旦"])
    ws.append(["2031-02-30", "休", "春节"])
    path = tmp_path / "假日.xlsx"
    wb.save(path)
    with pytest.raises(ValidationError) as info:
        read_calendar_file(path)
    message = info.value.message
    assert "文件“假日.xlsx”第3行“日期”列" in message
    assert "“2031-02-30”不是有效日期" in message
    assert "YYYY-MM-DD" in message


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("日期", "类型", "名称"), ("2031-01-01", "放", "元旦")], "第2行“类型”列：“放”无效"),
        (
            [("日期", "类型", "名称"), ("2031-01-01", "休", "元旦"), ("20310104", "班", "")],
            "第3行“日期”列",
        ),
        ([("日期", "类型"), ("2031-01-01", "休")], "缺少“名称”列"),
        ([("date", "kind", "name"), ("2031-01-01", "休", "")], "缺少“日期”列"),
        ([], "为空"),
        (
            [("日期", "类型", "名称"), ("2031-01-01", "休", "元旦"), ("2031-01-01", "班", "元旦")],
            "第3行“日期”列：2031-01-01与第2行重复且类型矛盾",
        ),
    ],
)
def test_bad_rows(rows: list[tuple[str, ...]], expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_calendar_rows(rows, source="x.csv")
    assert expected in info.value.message
    assert "文件“x.csv”" in info.value.message


def test_csv_bad_row_names_file_row_and_column(tmp_path: Path) -> None:
    rows = [*ROWS_2031, ("2031-13-01", "休", "春节")]
    with pytest.raises(ValidationError, match=r"文件“bad.csv”第5行“日期”列"):
        read_calendar_file(_write_csv(tmp_path / "bad.csv", rows, "utf-8"))


def test_unsupported_or_missing_file(tmp_path: Path) -> None:
    other = tmp_path / "c.txt"
    other.write_text("日期,类型,名称\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"请使用\.csv或\.xlsx文件"):
        read_calendar_file(other)
    with pytest.raises(ValidationError, match="找不到文件"):
        read_calendar_file(tmp_path / "none.csv")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ValidationError, match=r"无法读取Excel文件“broken\.xlsx”"):
        read_calendar_file(broken)
