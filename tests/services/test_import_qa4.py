"""Import QA round 4: a stray cell far to the right, numbers in code columns, photos over the
limit once turned upright, type names in messages, TRUE/FALSE ID cells, a repeat hidden behind
another error, a second sheet left unread."""

from __future__ import annotations

import datetime as dt
import io
import random
import tracemalloc
from pathlib import Path

import pytest
from openpyxl import Workbook
from PIL import Image
from sqlalchemy import select

from app.errors import ValidationError
from app.models import ExaminerQualification, Person
from app.services.importing import commit_import, far_cells, preview_import, write_template
from app.services.importing.cells import CellError, code_text
from app.services.importing.reader import read_sheet
from app.services.photo_image import prepare_photo
from tests.services.conftest import make_id

ENGLISH_TYPE_NAMES = ("date", "time", "bool", "float", "int", "str", "OSError", "Error", "list")


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _preview(db, admin, path, kind="people", mode="add"):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return preview_import(s, admin, path, kind, mode)


# --- 1. a stray cell far to the right ------------------------------------------------------------


def _far_sheet(path: Path, rows: int = 60, *, stray: bool = True) -> Path:
    """姓名/证件号码/工作单位 in A–C, 备注 (not an import column) in XFD1, a value in XFD40."""
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["姓名", "证件号码", "工作单位"])
    for i in range(rows):
        ws.append([f"人{i}", make_id(i + 1), f"单位{i}"])
    if stray:
        ws["XFD1"] = "备注"
        ws["XFD40"] = "随手写的备注"
    return _save(wb, path)


def test_a_far_cell_is_detected_from_the_sheet_xml(tmp_path: Path) -> None:
    from app.services.importing.problem_cells import sheet_source

    def sheet_xml(path: Path) -> bytes:
        return sheet_source(path)[1]  # type: ignore[index]

    far = sheet_xml(_far_sheet(tmp_path / "far.xlsx", 3))
    near = sheet_xml(_far_sheet(tmp_path / "near.xlsx", 3, stray=False))
    assert far is not None and near is not None
    assert far_cells.reaches_far(far) and not far_cells.reaches_far(near)
    wb = Workbook()
    wb.active["DX1"] = "x"  # column 128: still near
    assert not far_cells.reaches_far(sheet_xml(_save(wb, tmp_path / "dx.xlsx")))  # type: ignore[arg-type]
    wb.active["DY1"] = "x"  # column 129: far
    assert far_cells.reaches_far(sheet_xml(_save(wb, tmp_path / "dy.xlsx")))  # type: ignore[arg-type]


def test_far_cells_leave_rows_as_wide_as_the_last_import_column(tmp_path: Path) -> None:
    path = _far_sheet(tmp_path / "far.xlsx", 300)
    tracemalloc.start()
    try:
        table = read_sheet(path, "people")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 301 rows × 16,384 columns would be 40 MB of Python lists alone (and 150 MB in calamine)
    assert peak < 15 * 1024 * 1024
    assert {len(cells) for _, cells in table.rows} == {3}
    assert [r for r, _ in table.rows] == list(range(2, 302))  # Excel's row numbers
    assert table.rows[0][1] == ["人0", make_id(1), "单位0"]
    assert table.unknown_headers == ["备注"]  # the far header cell is still named
    assert table.where("employer") == ("C", "工作单位")


def test_a_far_sheet_reads_exactly_as_the_same_sheet_without_the_stray_cell(
    tmp_path: Path,
) -> None:
    far = read_sheet(_far_sheet(tmp_path / "far.xlsx"), "people")
    near = read_sheet(_far_sheet(tmp_path / "near.xlsx", stray=False), "people")
    assert (far.header_row, far.columns, far.headers) == (
        near.header_row,
        near.columns,
        near.headers,
    )
    assert far.rows == near.rows


def test_a_far_sheet_keeps_numbering_hidden_columns_problem_cells_and_merges(
    db, admin, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["A1"] = "2026年考生名单"  # a title row
    ws.append([])
    ws["C3"], ws["D3"], ws["E3"] = "姓名", "证件号码", "工作单位"  # the table starts at C3
    ws.append([None, None, "甲", make_id(1), "合并单位"])
    ws.append([None, None, "乙", make_id(2), None])
    ws.append([None, None, "丙", make_id(3), "=1+1"])  # a formula without a value
    ws.merge_cells("E4:E5")
    ws.column_dimensions["D"].hidden = True
    ws["ZZ2"] = "远处"
    ws["XFD6"] = 42
    path = _save(wb, tmp_path / "far_offset.xlsx")

    table = read_sheet(path, "people")
    assert table.header_row == 3 and table.columns == {"name": 2, "id_number": 3, "employer": 4}
    by_row = dict(table.rows)
    assert list(by_row) == [4, 5, 6]
    assert by_row[5][4] == "合并单位"  # filled down the merge
    assert {len(c) for c in by_row.values()} == {5}
    assert table.hidden_fields() == ["D 列（证件号码）"]
    assert set(table.problems[6]) >= {4}

    preview = _preview(db, admin, path)
    assert [(e.sheet, e.row, e.column) for e in preview.errors] == [("名单", 6, "E")]
    assert preview.hidden_columns == ["D 列（证件号码）"]


def test_a_far_header_cell_that_doubles_a_field_is_still_refused(tmp_path: Path) -> None:
    path = _far_sheet(tmp_path / "far.xlsx", 5)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["XFD1"] = "身份证号"  # a second 证件号码 column, far away
    wb.save(path)
    with pytest.raises(ValidationError) as exc:
        read_sheet(path, "people")
    assert "B 列“证件号码”" in exc.value.message and "XFD 列“身份证号”" in exc.value.message


def test_a_stray_cell_far_right_and_far_down_costs_nothing(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码"])
    ws.append(["甲", make_id(1)])
    ws["XFD3000"] = "x"  # 3,000 rows × 16,384 columns as one grid: 1.5 GB in calamine
    path = _save(wb, tmp_path / "corner.xlsx")
    tracemalloc.start()
    try:
        table = read_sheet(path, "people")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 15 * 1024 * 1024
    assert [(r, cells) for r, cells in table.rows] == [(2, ["甲", make_id(1)])]


def test_a_far_sheet_finds_a_header_below_many_rows_of_spaces(tmp_path: Path) -> None:
    """Rows of nothing but spaces hold values in the XML but are blank to the importer: the rows
    read for the header grow until thirty non-blank ones are in."""
    wb = Workbook()
    ws = wb.active
    for r in range(1, 46):
        ws.cell(row=r, column=1, value=" ")
    ws.cell(row=46, column=1, value="姓名")
    ws.cell(row=46, column=2, value="证件号码")
    ws.cell(row=47, column=1, value="甲")
    ws.cell(row=47, column=2, value=make_id(1))
    ws["XFD1"] = "x"
    table = read_sheet(_save(wb, tmp_path / "spaces.xlsx"), "people")
    assert table.header_row == 46 and [r for r, _ in table.rows] == [47]


def test_an_import_column_far_right_is_read(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码"])
    ws.append(["甲", make_id(1)])
    ws["EA1"], ws["EA2"] = "工作单位", "远处的单位"
    table = read_sheet(_save(wb, tmp_path / "far_column.xlsx"), "people")
    assert table.columns["employer"] == 130 and table.where("employer")[0] == "EA"
    assert table.rows[0][1][130] == "远处的单位"


# --- 2. numbers in the certificate number and phone columns --------------------------------------


STAFF_HEADER = ["姓名", "证件号码", "角色", "考评职业", "最高等级", "考评员证书号", "联系电话"]


def test_code_cells_give_digits_or_refuse_lost_ones() -> None:
    assert code_text(13800138000.0) == "13800138000"
    assert code_text(5002023000012345.0) == "5002023000012345"
    assert code_text(2**53 - 1) == str(2**53 - 1)
    assert code_text(" KP5020230001 ") == "KP5020230001"
    assert code_text("13800138000.0") == "13800138000"
    assert code_text("'13800138000") == "13800138000"  # Excel's text marker, typed or pasted
    assert code_text("KP 5020 230001") == "KP 5020 230001"
    for bad, reason in (
        (1.234567890123457e19, "末尾几位已经丢失"),
        (float(2**53), "末尾几位已经丢失"),
        (13800138000.5, "带小数"),
        (float("inf"), "不是有效的数值"),
        ("1.38001E+10", "科学计数法"),
        ("1.234567890123457e+19", "科学计数法"),
        ("'1.38001E+10", "科学计数法"),
        (dt.timedelta(hours=1), "时间"),
        (True, "逻辑值 TRUE/FALSE"),
        (dt.date(2020, 1, 1), "日期"),
    ):
        with pytest.raises(CellError) as exc:
            code_text(bad)
        assert reason in str(exc.value) and "文本" in str(exc.value), bad
        assert not any(name in str(exc.value) for name in ENGLISH_TYPE_NAMES)


def test_numbers_in_certificate_and_phone_columns_are_never_stored_mangled(
    db, admin, roster_org, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.title = "考评员"
    ws.append(STAFF_HEADER)
    ws.append(["甲", make_id(1), "考评员", "电工", "三级", 5002023000012345.0, 13800138000])
    ws.append(["乙", make_id(3), "考评员", "电工", "三级", 1.234567890123457e19, None])
    ws.append(["丙", make_id(5), "考评员", "电工", "三级", "KP5020230001", 8613800138000123.0])
    ws.append(["丁", make_id(7), "考评员", "电工", "三级", None, 2365012345])
    ws.append(["戊", make_id(9), "考评员", "电工", "三级", None, "1.38001E+10"])
    path = _save(wb, tmp_path / "certno.xlsx")

    preview = _preview(db, admin, path, "staff")
    by_row = {r.row: r for r in preview.rows}
    [cert_error] = by_row[3].errors
    assert (cert_error.sheet, cert_error.row, cert_error.column) == ("考评员", 3, "F")
    assert "15位有效数字" in cert_error.message and "文本" in cert_error.message
    [phone_error] = by_row[6].errors
    assert (phone_error.row, phone_error.column) == (6, "G") and "科学计数法" in phone_error.message
    assert not by_row[2].errors and not by_row[4].errors and not by_row[5].errors
    # more than 15 digits: Excel may have turned the last ones to 0 — said, not hidden
    assert any("F 列（考评员证书号）" in w and "15位" in w for w in by_row[2].warnings)
    assert not any("联系电话" in w for w in by_row[2].warnings)  # a mobile number: nothing lost
    assert any("G 列（联系电话）" in w and "开头的0" in w for w in by_row[5].warnings)

    ws.delete_rows(6)  # the two bad rows gone, the rest imports
    ws.delete_rows(3)
    wb.save(path)
    with db.session() as s:
        preview = preview_import(s, admin, path, "staff", "add")
        assert not preview.has_errors, [str(e) for e in preview.errors]
        commit_import(s, admin, preview)
    with db.session() as s:
        phones = {p.name: p.phone for p in s.scalars(select(Person))}
        assert phones == {"甲": "13800138000", "丙": "8613800138000123", "丁": "2365012345"}
        certs = set(s.scalars(select(ExaminerQualification.certificate_no)))
        assert certs - {"", None} == {"5002023000012345", "KP5020230001"}


# --- 3. a photo turned upright may not grow past the limit ---------------------------------------


def _noise_photo(fmt: str, **options: object) -> bytes:
    """A landscape photo of noise (hard to compress) tagged to be shown turned: portrait."""
    img = Image.frombytes("RGB", (430, 300), random.Random(4).randbytes(430 * 300 * 3))
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    img.save(buf, fmt, exif=exif.tobytes(), **options)
    return buf.getvalue()


def test_a_png_too_big_once_turned_upright_is_refused_not_stored_over_the_limit() -> None:
    data = _noise_photo("PNG")
    with pytest.raises(ValidationError) as exc:
        prepare_photo(data, max_bytes=len(data))  # the file itself is exactly at the limit
    assert "转正" in exc.value.message and "上限" in exc.value.message


def test_a_jpeg_turned_upright_is_compressed_until_it_fits() -> None:
    data = _noise_photo("JPEG", quality=80)
    prepared = prepare_photo(data, max_bytes=len(data))
    assert prepared.rotated and len(prepared.data) <= len(data)
    assert (prepared.info.width, prepared.info.height) == (300, 430)
    low = _noise_photo("JPEG", quality=30)  # no quality worth keeping gets under that
    with pytest.raises(ValidationError, match="转正"):
        prepare_photo(low, max_bytes=len(low))


def test_a_damaged_photo_is_described_in_chinese() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (300, 420), (200, 220, 255)).save(buf, "PNG")
    with pytest.raises(ValidationError) as exc:
        prepare_photo(buf.getvalue()[:-200])  # cut short: a half-copied file
    assert "不完整" in exc.value.message
    assert not any(name in exc.value.message for name in ENGLISH_TYPE_NAMES)
    with pytest.raises(ValidationError) as exc:
        prepare_photo(b"not an image at all")
    assert "不是可识别的图片" in exc.value.message


# --- 4 & 5. a date, a time or TRUE/FALSE in the ID column ----------------------------------------


def test_dates_and_logical_values_in_the_id_column_are_named_in_chinese(
    db, admin, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码"])
    ws.append(["甲", True])
    ws.append(["乙", dt.date(2020, 1, 1)])
    ws.append(["丙", False])
    ws.append(["丁", dt.time(8, 30)])
    preview = _preview(db, admin, _save(wb, tmp_path / "types.xlsx"))
    messages = {r.row: r.errors[0].message for r in preview.rows}
    assert "逻辑值 TRUE/FALSE" in messages[2] and "为空" not in messages[2]
    assert "逻辑值 TRUE/FALSE" in messages[4] and "为空" not in messages[4]
    assert "日期" in messages[3] and "时间" in messages[5]
    for message in messages.values():
        assert "文本" in message  # what to do
        assert not any(name in message for name in ENGLISH_TYPE_NAMES), message


# --- 6. a repeat behind an error of its first occurrence -----------------------------------------


@pytest.mark.parametrize("column,value", [("性别", "女"), ("出生日期", dt.date(1991, 1, 1))])
def test_a_repeated_id_is_reported_even_when_its_first_row_has_another_error(
    db, admin, tmp_path: Path, column: str, value: object
) -> None:  # type: ignore[no-untyped-def]
    number = make_id(1)  # a man born 1990-01-01
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码", column])
    ws.append(["丁", number, value])  # contradicts the number
    ws.append(["丁", number, None])
    preview = _preview(db, admin, _save(wb, tmp_path / "dup.xlsx"))
    second = preview.rows[1]
    assert second.status == "error"
    assert [(e.row, e.column) for e in second.errors] == [(3, "B")]
    assert "与第 2 行重复" in second.errors[0].message
    assert preview.rows[0].id_masked  # the number is valid: shown masked on its row


def test_an_invalid_number_on_both_rows_is_not_called_a_repeat(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码"])
    ws.append(["甲", "500106199001010010"])  # wrong check digit
    ws.append(["甲", "500106199001010010"])
    preview = _preview(db, admin, _save(wb, tmp_path / "bad.xlsx"))
    assert all("重复" not in e.message for e in preview.errors)


# --- 7. other visible sheets with data are named ------------------------------------------------


def test_other_visible_sheets_with_data_are_named_in_the_preview(db, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    old = wb.active
    old.title = "旧名单"
    old.append(["姓名", "证件号码"])
    old.append(["旧", make_id(1)])
    old.sheet_state = "hidden"
    first = wb.create_sheet("新名单")
    first.append(["姓名", "证件号码"])
    first.append(["新", make_id(3)])
    second = wb.create_sheet("第二张")
    second.append(["姓名", "证件号码"])
    second.append(["第二", make_id(5)])
    wb.create_sheet("空白表")  # visible, nothing in it
    notes = wb.create_sheet("填写说明")  # the template's notes
    notes.append(["列名", "说明"])
    path = _save(wb, tmp_path / "sheets.xlsx")

    assert read_sheet(path, "people").other_sheets == ["第二张"]
    preview = _preview(db, admin, path)
    assert preview.sheet == "新名单" and preview.other_sheets == ["第二张"]
    text = preview.summary_text()
    assert "“第二张”" in text and "未读取" in text
    assert "空白表" not in text and "旧名单" not in text and "填写说明" not in text


def test_the_template_alone_names_no_other_sheet(tmp_path: Path) -> None:
    path = write_template("people", tmp_path / "template.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active.append(["甲", "201", make_id(1)])
    wb.save(path)
    assert read_sheet(path, "people").other_sheets == []


def test_a_far_sheet_with_cells_written_without_references_is_read(tmp_path: Path) -> None:
    """The format lets a cell leave out its reference (it follows the cell before it): such a row
    keeps its columns."""
    import zipfile

    plain = _far_sheet(tmp_path / "plain.xlsx", 2)
    path = tmp_path / "no_refs.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                for ref in (b"A2", b"B2", b"C2"):
                    data = data.replace(b'<c r="' + ref + b'"', b"<c")
            dst.writestr(info, data)
    table = read_sheet(path, "people")
    assert table.rows[0] == (2, ["人0", make_id(1), "单位0"])
    assert table.unknown_headers == ["备注"]


def test_score_and_catalogue_imports_also_name_other_sheets_with_data(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The score and catalogue imports read one sheet too: a second sheet with data is named."""
    from sqlalchemy import select

    from app.models import Enrolment
    from app.services.batch_workflow import get_batch
    from app.services.catalogue_file import import_catalogue
    from app.services.score_import import preview_scores
    from tests.score_data import admin_of

    db, admin = demo, admin_of(demo)
    with db.session() as s:
        batch = get_batch(s, "2026-04")
        batch.status = "scoring"  # a batch that takes scores
        admission = s.scalars(select(Enrolment.admission_no).where(Enrolment.batch_id == batch.id)).first()
    wb = Workbook()
    wb.active.title = "成绩"
    wb.active.append(["准考证号", "理论知识"])
    wb.active.append([admission, 80])
    wb.create_sheet("补考").append(["准考证号", "理论知识"])
    wb["补考"].append([admission, 70])
    scores = _save(wb, tmp_path / "scores.xlsx")
    with db.session() as s:
        text = preview_scores(s, admin, "2026-04", scores).summary_text()
    assert "“补考” 含有数据，未读取" in text and "要导入的成绩" in text

    wb = Workbook()
    wb.active.append(["职业编码", "职业名称"])
    wb.active.append(["4-13-01-02", "网约配送员"])
    wb.create_sheet("新职业").append(["职业编码", "职业名称"])
    catalogue = _save(wb, tmp_path / "catalogue.xlsx")
    with db.session() as s:
        text = import_catalogue(s, admin, catalogue).summary_text()
    assert "新增职业" in text and "“新职业” 含有数据，未读取" in text

    wb.remove(wb["新职业"])  # one sheet: no note
    alone = _save(wb, tmp_path / "alone.xlsx")
    with db.session() as s:
        assert "未读取" not in import_catalogue(s, admin, alone).summary_text()
