"""Excel import of people: header aliases, title rows, modes, all-or-nothing, ID cells, dates, bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Person
from app.rules.idcard import gb11643_check_char
from app.services.importing import (
    commit_import,
    preview_import,
    write_error_report,
    write_template,
)
from app.services.users import authenticate, create_user
from tests.services.conftest import make_id

HEADER = ["姓名", "证件号码", "性别", "出生日期", "联系电话", "工作单位"]


def _count(db, model=Person) -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _import(db, admin, path, kind="people", mode="add"):  # type: ignore[no-untyped-def]
    with db.session() as s:
        preview = preview_import(s, admin, path, kind, mode)
        assert not preview.has_errors, [str(e) for e in preview.errors]
        return commit_import(s, admin, preview)


def test_aliases_title_rows_and_defaults(db, admin, make_xlsx, audit_ok) -> None:
    a, b = make_id(11), make_id(12, dt.date(1985, 6, 30))
    path = make_xlsx(
        [
            ["考生姓名", "公民身份号码", "手机", "所在单位", "学历", "备注"],
            ["张三", a, 13800138000, "甲公司", "大专", "x"],
            [None, None, None, None, None, None],
            ["李四", b, "13900139000", "乙公司", "本科", ""],
        ],
        title_rows=["2026年第一批考生名册", "填报单位：某某学校"],
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "people")
        assert preview.header_row == 3
        assert preview.sheet == "名单"
        assert preview.unknown_headers == ["备注"]
        assert [r.row for r in preview.rows] == [4, 6]  # the blank row 5 is skipped
        assert [r.status for r in preview.rows] == ["new", "new"]
        assert s.scalar(select(func.count()).select_from(Person)) == 0  # a preview writes nothing
        result = commit_import(s, admin, preview)
    assert result.created == 2
    with db.session() as s:
        p = s.scalar(select(Person).where(Person.id_number == b))
        assert (p.name, p.phone, p.employer, p.education) == (
            "李四",
            "13900139000",
            "乙公司",
            "本科",
        )
        assert p.birth_date == dt.date(1985, 6, 30) and p.gender in (
            "男",
            "女",
        )  # derived from the ID
        assert p.id_type == "201"
        q = s.scalar(select(Person).where(Person.id_number == a))
        assert q.phone == "13800138000"  # a phone stored as a number loses no ".0"
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions.count("person.create") == 2 and actions[-1] == "import.people"
    audit_ok()


@pytest.mark.parametrize(
    "id_header",
    ["身份证号", "证件号码", "公民身份号码", "身份证号码", "身份证号 *", "证件号码（必填）"],
)
@pytest.mark.parametrize("name_header", ["姓名", "考生姓名", "名字"])
def test_header_aliases(db, admin, make_xlsx, id_header: str, name_header: str) -> None:
    path = make_xlsx([[name_header, id_header], ["王五", make_id(3)]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "people")
    assert preview.rows[0].status == "new" and preview.rows[0].name == "王五"


def test_full_width_and_id_types_by_name_or_code(db, admin, make_xlsx, audit_ok) -> None:
    num = make_id(21)
    full = "".join(chr(ord(c) + 0xFEE0) for c in num)  # full-width digits
    path = make_xlsx(
        [
            ["姓名", "证件类型", "证件号码", "联系电话"],
            ["  赵六 ", "居民身份证", full, "１３８００１３８０００"],
            ["Anna Smith", "208", "ＰＡ１２３４５６７", ""],
            ["陈七", 201, make_id(22), ""],
        ]
    )
    _import(db, admin, path)
    with db.session() as s:
        people = {p.name: p for p in s.scalars(select(Person))}
    assert people["赵六"].id_number == num and people["赵六"].phone == "13800138000"
    assert (people["Anna Smith"].id_type, people["Anna Smith"].id_number) == ("208", "PA1234567")
    assert people["陈七"].id_type == "201"
    audit_ok()


def test_rare_names_are_kept_exactly(db, admin, make_xlsx, audit_ok) -> None:
    names = ["王𠇔", "李堃", "陈燊", "阿卜杜拉·买买提", "欧阳䶮"]
    rows = [["姓名", "身份证号"]] + [[n, make_id(30 + i)] for i, n in enumerate(names)]
    _import(db, admin, make_xlsx(rows))
    with db.session() as s:
        stored = sorted(s.scalars(select(Person.name)))
    assert stored == sorted(names)
    audit_ok()


def test_dates_in_every_form(db, admin, make_xlsx) -> None:
    born = dt.date(1990, 1, 5)
    forms = [
        "1990-01-05",
        "1990/1/5",
        "1990年1月5日",
        "19900105",
        born,
        dt.datetime(1990, 1, 5, 0, 0),
        32878,
    ]  # 32878 = Excel serial of 1990-01-05
    rows = [["姓名", "身份证号", "出生日期"]]
    rows += [[f"人{i}", make_id(100 + i, born), f] for i, f in enumerate(forms)]
    with db.session() as s:
        preview = preview_import(s, admin, make_xlsx(rows), "people")
    assert [r.status for r in preview.rows] == ["new"] * len(forms), [
        str(e) for e in preview.errors
    ]
    assert {r.parsed.person["birth_date"] for r in preview.rows} == {born}


def test_bad_date_and_birth_mismatch_name_row_and_column(db, admin, make_xlsx) -> None:
    path = make_xlsx(
        [
            ["姓名", "身份证号", "出生日期"],
            ["甲", make_id(1, dt.date(1990, 1, 5)), "1990-13-45"],
            ["乙", make_id(2, dt.date(1990, 1, 5)), "1991-01-05"],
        ]
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "people")
    e1, e2 = preview.errors
    assert (e1.row, e1.column, e1.header) == (2, "C", "出生日期")
    assert str(e1).startswith("第 2 行 C 列（出生日期）：")
    assert (e2.row, e2.column) == (3, "C") and "不符" in e2.message


def test_ids_stored_as_numbers(db, admin, make_xlsx, audit_ok) -> None:
    first15 = "110105491231002"  # a first-generation number, exact in a number cell
    path = make_xlsx(
        [
            ["姓名", "证件类型", "证件号码"],
            ["一代", "201", int(first15)],
            ["数字", "201", float(make_id(5))],  # 18 digits as a float: the last digits are gone
        ]
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "people")
    ok, bad = preview.rows
    assert ok.status == "new" and any("15位" in w for w in ok.warnings)
    assert bad.status == "error"
    (issue,) = bad.errors
    assert (issue.row, issue.column, issue.header) == (3, "C", "证件号码")
    assert "文本" in issue.message and "15位" in issue.message
    assert _count(db) == 0
    # without the bad row, the 15-digit number is stored converted to 18 digits
    path = make_xlsx([["姓名", "证件号码"], ["一代", int(first15)]], name="ok.xlsx")
    _import(db, admin, path)
    first17 = "110105" + "19" + first15[6:]
    with db.session() as s:
        assert s.scalar(select(Person.id_number)) == first17 + gb11643_check_char(first17)
    audit_ok()


def test_one_bad_row_writes_nothing(db, admin, make_xlsx, audit_ok, tmp_path: Path) -> None:
    good = [[f"人{i}", make_id(200 + i)] for i in range(5)]
    wrong_check = make_id(300)[:-1] + ("0" if make_id(300)[-1] != "0" else "1")
    path = make_xlsx([["姓名", "身份证号"], *good, ["错号", wrong_check], [""]])
    with db.session() as s:
        entries_before = s.scalar(select(func.count()).select_from(AuditEntry))
        preview = preview_import(s, admin, path, "people")
        assert preview.counts["new"] == 5 and preview.counts["error"] == 1
        with pytest.raises(ValidationError, match="未导入任何数据"):
            commit_import(s, admin, preview)
    assert _count(db) == 0
    assert _count(db, AuditEntry) == entries_before
    report = write_error_report(preview, tmp_path / "errors.xlsx")
    ws = load_workbook(report).active
    values = list(ws.iter_rows(values_only=True))
    assert values[1] == ("工作表", "行号", "列", "列名", "姓名", "原因")
    assert values[2][:5] == ("名单", 7, "B", "身份证号", "错号") and "校验码" in values[2][5]
    assert len(values) == 3
    audit_ok()


def test_duplicates_in_file_and_against_database(db, admin, make_xlsx, audit_ok) -> None:
    a, b = make_id(41), make_id(42)
    _import(db, admin, make_xlsx([["姓名", "身份证号"], ["甲", a]], name="first.xlsx"))
    path = make_xlsx([["姓名", "身份证号"], ["甲", a], ["乙", b], ["乙2", b.lower()]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "people", "add")
    assert [r.status for r in preview.rows] == ["exists", "new", "error"]
    assert "第 3 行重复" in preview.rows[2].errors[0].message
    assert "考评职业" not in preview.rows[2].errors[0].message  # (staff advice: not for people)
    assert "库中已有此人" in preview.rows[0].warnings[0]
    audit_ok()


def test_modes(db, admin, make_xlsx, audit_ok) -> None:
    a, b, c = make_id(51), make_id(52), make_id(53)
    _import(
        db,
        admin,
        make_xlsx(
            [
                ["姓名", "身份证号", "联系电话", "学历"],
                ["甲", a, "13800000111", "大专"],
                ["乙", b, "13800000222", "本科"],
            ],
            name="v1.xlsx",
        ),
    )
    v2 = make_xlsx(
        [
            ["姓名", "身份证号", "联系电话", "学历"],
            ["甲", a, "13800000999", None],
            ["乙", b, "13800000222", "本科"],
            ["丙", c, "13800000333", ""],
        ],
        name="v2.xlsx",
    )
    with db.session() as s:
        add = preview_import(s, admin, v2, "people", "add")
        upd = preview_import(s, admin, v2, "people", "update")
        rep = preview_import(s, admin, v2, "people", "replace")
    assert [r.status for r in add.rows] == ["exists", "exists", "new"]
    assert [r.status for r in upd.rows] == ["update", "unchanged", "error"]
    assert "更新模式" in upd.rows[2].errors[0].message
    assert [r.status for r in rep.rows] == ["update", "unchanged", "new"]
    assert upd.rows[0].changes == ["联系电话"]  # a blank cell never erases 学历
    with db.session() as s:
        result = commit_import(s, admin, rep)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    with db.session() as s:
        people = {p.name: p for p in s.scalars(select(Person))}
    assert people["甲"].phone == "13800000999" and people["甲"].education == "大专"
    assert len(people) == 3
    audit_ok()


@pytest.mark.parametrize("mode", ["update", "replace"])
def test_a_passport_holder_keeps_gender_and_birth_date_when_the_file_has_none(
    db, admin, make_xlsx, audit_ok, mode: str
) -> None:  # type: ignore[no-untyped-def]
    """A passport number holds neither gender nor birth date: a file without them (or with blank
    cells) keeps what is stored, as for every other field."""
    _import(db, admin, make_xlsx([
        ["姓名", "证件类型", "证件号码", "性别", "出生日期", "工作单位"],
        ["约翰", "外国护照", "X1234567", "男", "1985-03-04", "甲厂"],
        ["玛丽", "外国护照", "X7654321", "女", "1990-01-02", "甲厂"],
    ], name="v1.xlsx"))  # fmt: skip
    later = make_xlsx([
        ["姓名", "证件类型", "证件号码", "性别", "工作单位"],
        ["约翰", "外国护照", "X1234567", None, "乙厂"],
        ["玛丽", "外国护照", "X7654321", "", "甲厂"],
    ], name="v2.xlsx")  # fmt: skip
    with db.session() as s:
        preview = preview_import(s, admin, later, "people", mode)
        assert [r.status for r in preview.rows] == ["update", "unchanged"]
        assert preview.rows[0].changes == ["工作单位"]
        commit_import(s, admin, preview)
    with db.session() as s:
        people = {p.name: p for p in s.scalars(select(Person))}
    assert (people["约翰"].gender, people["约翰"].birth_date) == ("男", dt.date(1985, 3, 4))
    assert (people["玛丽"].gender, people["玛丽"].birth_date) == ("女", dt.date(1990, 1, 2))
    assert people["约翰"].employer == "乙厂"
    audit_ok()


def test_commit_refuses_a_stale_preview(db, admin, make_xlsx, audit_ok) -> None:
    path = make_xlsx([["姓名", "身份证号"], ["甲", make_id(61)]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "people")
    _import(db, admin, path)  # somebody else imports the same person meanwhile
    with pytest.raises(ValidationError, match="重新检查文件（预览）"), db.session() as s:
        commit_import(s, admin, preview)
    assert _count(db) == 1
    audit_ok()


def test_merged_and_formula_cells(db, admin, make_xlsx) -> None:
    path = make_xlsx(
        [
            ["姓名", "身份证号", "工作单位"],
            ["甲", make_id(71), "合并单位"],
            ["乙", make_id(72), None],
            ["丙", make_id(73), "=1+1"],
        ],
        merges=["C2:C3"],
    )
    with db.session() as s:
        preview = preview_import(s, admin, path, "people")
    employers = [r.parsed.person.get("employer") for r in preview.rows]
    # the merged value applies to both rows; a formula without a cached value is blank
    assert employers == ["合并单位", "合并单位", None]


@pytest.mark.parametrize(
    ("content", "name", "needle"),
    [
        (b"just some text\n", "roster.xlsx", "无法作为Excel工作簿读取"),
        (b"", "empty.xlsx", "空文件"),
        (b"a,b\n1,2\n", "roster.csv", "不是Excel工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "locked.xlsx", "密码"),
    ],
)
def test_wrong_files_are_clear_errors(
    db, admin, tmp_path: Path, content: bytes, name: str, needle: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as exc, db.session() as s:
        preview_import(s, admin, path, "people")
    assert needle in exc.value.message and name in exc.value.message


def test_empty_workbook_no_header_missing_columns(db, admin, make_xlsx, tmp_path: Path) -> None:
    wb = Workbook()
    wb.save(tmp_path / "blank.xlsx")
    with pytest.raises(ValidationError, match="是空的"), db.session() as s:
        preview_import(s, admin, tmp_path / "blank.xlsx", "people")
    no_header = make_xlsx([["a", "b"], [1, 2]], name="noheader.xlsx")
    with pytest.raises(ValidationError, match="找不到表头"), db.session() as s:
        preview_import(s, admin, no_header, "people")
    missing = make_xlsx([["姓名", "性别", "学历"], ["甲", "男", "大专"]], name="missing.xlsx")
    with pytest.raises(ValidationError, match="缺少必需的列：证件号码"), db.session() as s:
        preview_import(s, admin, missing, "people")
    only_header = make_xlsx([["姓名", "证件号码"]], name="header_only.xlsx")
    with pytest.raises(ValidationError, match="没有任何数据行"), db.session() as s:
        preview_import(s, admin, only_header, "people")


def test_template_round_trip(db, admin, tmp_path: Path, audit_ok) -> None:
    for kind in ("people", "staff"):
        path = write_template(kind, tmp_path / f"{kind}.xlsx")
        wb = load_workbook(path)
        ws = wb.worksheets[0]
        header = [c.value for c in ws[1]]
        col = header.index("证件号码") + 1
        letter = ws.cell(row=1, column=col).column_letter
        assert ws.column_dimensions[letter].number_format == "@"
        assert ws.cell(row=2, column=col).number_format == "@"
        assert ws.cell(row=2, column=col).data_type == "s"
        assert ws.cell(row=500, column=col).number_format == "@"
        assert "填写说明" in wb.sheetnames
        notes = {r[0]: r[1] for r in wb["填写说明"].iter_rows(values_only=True) if r[0]}
        # the three modes explained, each as the import does it for this kind of file
        assert "保持不变" in notes["新增（add）"] and "空白单元格不会清除" in notes["更新（update）"]
        assert ("移除该角色" in notes["替换（replace）"]) == (kind == "staff")
    for kind in ("people", "staff"):
        # the example row left in place is named as such (and only that), never imported
        with db.session() as s:
            preview = preview_import(s, admin, tmp_path / f"{kind}.xlsx", kind)
        (row,) = preview.rows
        assert row.status == "error" and row.name == "王𠇔"
        (issue,) = row.errors
        assert issue.row == 2 and issue.header == "证件号码" and "示例行" in issue.message
    # with real data over the example (the rest of the row kept), the row is valid as written
    wb = load_workbook(tmp_path / "people.xlsx")
    wb.worksheets[0]["A2"] = "王燊"
    wb.save(tmp_path / "filled.xlsx")
    with db.session() as s:
        preview = preview_import(s, admin, tmp_path / "filled.xlsx", "people")
    assert [r.status for r in preview.rows] == ["new"]
    with pytest.raises(ValidationError):
        write_template("nobody", tmp_path / "x.xlsx")


def test_permission_and_progress(db, admin, make_xlsx) -> None:
    path = make_xlsx([["姓名", "证件号码"]] + [[f"人{i}", make_id(i)] for i in range(600)])
    seen: list[tuple[str, int, int]] = []
    with db.session() as s:
        preview = preview_import(s, admin, path, "people", progress=lambda *a: seen.append(a))
        commit_import(s, admin, preview, progress=lambda *a: seen.append(a))
    assert ("校验", 600, 600) in seen and ("写入", 600, 600) in seen
    with db.session() as s:
        create_user(s, admin, "lufen", "scorer", "Lufen#2026x", "录分员")
    with db.session() as s:
        scorer = authenticate(s, "lufen", "Lufen#2026x")
    with pytest.raises(PermissionDenied), db.session() as s:
        preview_import(s, scorer, path, "people")
