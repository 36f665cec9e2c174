"""Photo import QA round 7 (D12): files named by a name and an ID number, as registration systems
export them (张三500115199001011234.jpg, 500115199001011234-张三.jpg, …_张三.jpg), are matched; a
name that is not the person's, or two ID numbers in one name, is reported, never imported."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.cli.main import main
from app.models import AuditEntry
from app.rules.idcard import mask_id
from app.services.photos import (
    UNMATCHED_REASON,
    get_photo,
    import_photos,
    photos_to_replace,
    set_photo,
)
from app.services.roster import PersonInput, RoleInput, add_person
from tests.conftest import ADMIN_PASSWORD
from tests.services.conftest import make_id


def _image(colour: tuple[int, int, int] = (200, 220, 255)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 420), colour).save(buf, "JPEG")
    return buf.getvalue()


PHOTO, OLD = _image(), _image((10, 10, 10))
ZHANG = make_id(701, dt.date(1990, 1, 1), area="500115")
OLD_FORM_FULL = make_id(702, dt.date(1975, 3, 4), area="500115")
OLD_FORM = OLD_FORM_FULL[:6] + OLD_FORM_FULL[8:17]  # its 15-digit first-generation number
X_ID = next(n for n in (make_id(i, area="500115") for i in range(703, 800)) if n.endswith("X"))
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")


def _add(db, admin, name: str, number: str, id_type: str = "201") -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        person = PersonInput(name, number, id_type=id_type)
        return add_person(s, admin, person, [RoleInput("proctor")]).id


def _folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_bytes(PHOTO)
    return folder


def _lines(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for _title, lines in report.sections() for line in lines]


def _assert_no_full_number(texts, numbers) -> None:  # type: ignore[no-untyped-def]
    for text in texts:
        for number in numbers:
            assert number not in text and number.lower() not in text, text


@pytest.mark.parametrize(
    "file",
    [
        f"张三{ZHANG}.jpg",
        f"{ZHANG}-张三.jpg",
        f"{ZHANG}_张三.jpg",
        f"张三 {ZHANG}.JPG",
        f"张三_{ZHANG.translate(FULLWIDTH)}.png",  # full-width digits, as an input method types
        f"（张三）{ZHANG}.jpeg",
        f"{ZHANG}-张三 (1).jpg",  # a copy made by the file manager
    ],
)
def test_a_name_and_the_id_number_name_the_person(db, admin, tmp_path, file: str) -> None:  # type: ignore[no-untyped-def]
    pid = _add(db, admin, "张三", ZHANG)
    with db.session() as s:
        report = import_photos(s, admin, _folder(tmp_path, file))
    assert report.added == [f"张三（{mask_id(ZHANG)}）"], _lines(report)
    assert report.rejected == [] and report.unmatched == []
    with db.session() as s:
        assert bytes(get_photo(s, pid).data) == PHOTO


def test_x_check_character_old_form_and_middle_dot_names(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with_x = _add(db, admin, "阿依古丽·买买提", X_ID)
    old = _add(db, admin, "李四", OLD_FORM_FULL)
    folder = _folder(
        tmp_path,
        f"阿依古丽买买提{X_ID[:17]}x.jpg",  # the dot left out, a lower-case x
        f"{OLD_FORM}_李四.jpg",  # a 15-digit number names its stored 18-digit form
    )
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.rejected == [] and report.unmatched == [], _lines(report)
    with db.session() as s:
        assert get_photo(s, with_x) is not None and get_photo(s, old) is not None


def test_a_name_that_is_not_the_persons_is_reported_not_imported(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pid = _add(db, admin, "张三", ZHANG)
    with db.session() as s:
        set_photo(s, admin, pid, OLD, "旧.jpg")
    folder = _folder(tmp_path, f"李四{ZHANG}.jpg")
    with db.session() as s:
        assert photos_to_replace(s, admin, folder) == []  # it would not replace anything
        report = import_photos(s, admin, folder)
    assert report.accepted == [] and report.unmatched == []
    [rejected] = report.rejected
    assert rejected.file == f"李四{mask_id(ZHANG)}.jpg（张三）"
    assert "文件名中的姓名“李四”与该证件号码登记的姓名“张三”不一致" in rejected.reason
    assert "不合格 1 张" in report.summary_text()
    assert dict(report.sections())["不合格"] == [f"{rejected.file}：{rejected.reason}"]
    assert report.note_text()  # the file name is shown masked
    with db.session() as s:
        assert bytes(get_photo(s, pid).data) == OLD  # the stored photo is kept
        _assert_no_full_number(s.scalars(select(AuditEntry.summary)), [ZHANG])
    _assert_no_full_number(_lines(report), [ZHANG])


def test_a_file_with_two_id_numbers_is_ambiguous(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = _add(db, admin, "张三", ZHANG)
    second = _add(db, admin, "李四", OLD_FORM_FULL)
    folder = _folder(tmp_path, f"{ZHANG}_{OLD_FORM_FULL}.jpg", f"张三{ZHANG}李四{OLD_FORM}.jpg")
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.accepted == [] and report.unmatched == []
    assert len(report.rejected) == 2
    for rejected in report.rejected:
        assert "文件名中有 2 段像证件号码的数字，无法确定是谁的照片，未导入" in rejected.reason
    assert f"{mask_id(ZHANG)}_{mask_id(OLD_FORM_FULL)}.jpg" in {x.file for x in report.rejected}
    _assert_no_full_number(_lines(report), [ZHANG, OLD_FORM_FULL, OLD_FORM])
    with db.session() as s:
        assert get_photo(s, first) is None and get_photo(s, second) is None


def test_a_named_file_gives_way_to_the_plain_file_for_one_person(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """QA round 8: a file named by the number alone is the person's; one with a name too is
    listed as skipped, not a conflict (round 7 refused both)."""
    pid = _add(db, admin, "张三", ZHANG)
    folder = _folder(tmp_path, f"{ZHANG}.jpg", f"张三_{ZHANG}.jpg")
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.added == [f"张三（{mask_id(ZHANG)}）"] and report.rejected == []
    [extra] = report.ignored
    assert extra.kind == "extra" and extra.file == f"张三_{mask_id(ZHANG)}.jpg（张三）"
    assert f"已有以证件号码命名的照片文件“{mask_id(ZHANG)}.jpg”" in extra.reason
    with db.session() as s:
        assert get_photo(s, pid) is not None


def test_two_named_files_for_one_person_conflict(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pid = _add(db, admin, "张三", ZHANG)
    folder = _folder(tmp_path, f"{ZHANG}-张三.jpg", f"张三_{ZHANG}.jpg")
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.accepted == []
    assert len(report.rejected) == 2
    assert all("同一人员有多个照片文件" in x.reason for x in report.rejected)
    with db.session() as s:
        assert get_photo(s, pid) is None


def test_plain_and_unmatched_names_behave_as_before(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pid = _add(db, admin, "张三", ZHANG)
    passport = _add(db, admin, "John", "E12345678", "227")
    bad_check = ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1")
    folder = _folder(
        tmp_path,
        f"{ZHANG.lower()}.jpg",
        "e12345678.jpg",  # a passport number: still the whole name only
        f"王五{bad_check}.jpg",  # 18 digits, but not a valid number
        f"王五{make_id(799)}.jpg",  # a valid number nobody has
    )
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert sorted(report.added) == sorted(
        [f"张三（{mask_id(ZHANG)}）", f"John（{mask_id('E12345678')}）"]
    )
    assert sorted(report.unmatched) == sorted(
        [f"王五{mask_id(bad_check)}.jpg", f"王五{mask_id(make_id(799))}.jpg"]
    )
    assert "仅居民身份证号码可再加上姓名" in UNMATCHED_REASON
    with db.session() as s:
        assert get_photo(s, pid) is not None and get_photo(s, passport) is not None


def test_cli_prints_the_same_reasons(db, admin, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _add(db, admin, "张三", ZHANG)
    folder = _folder(tmp_path, f"李四-{ZHANG}.jpg")
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    code = main(
        ["--data-dir", str(db.data_dir), "import", "photos", str(folder), "--user", "admin"]
    )
    out, err = capsys.readouterr()
    assert code == 1, err
    assert "不合格（1）：" in out
    assert (
        f"  李四-{mask_id(ZHANG)}.jpg（张三）：文件名中的姓名“李四”与该证件号码登记的姓名“张三”不一致"
        in out
    )
    assert ZHANG not in out
