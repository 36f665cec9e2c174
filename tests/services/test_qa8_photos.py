"""Photo import QA round 8: real folders hold files with more than a name around the ID number
(Windows' “ - 副本” copies, “身份证”, “_1”, “照片_”, “-二寸”, “证件照”). That text is cleaned
before it is compared as a name; a file named by the number alone is the person's, and one with
more text for the same person is listed as skipped, not a conflict; the unmatched reason says
that only resident ID numbers may carry a name."""

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
from app.services.photo_names import clean_name, file_key
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


def _image(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 420), colour).save(buf, "JPEG")
    return buf.getvalue()


PLAIN, COPY = _image((200, 220, 255)), _image((10, 20, 30))
SHI = make_id(801, dt.date(1981, 9, 24), area="500101")  # 石清
FU = make_id(802, dt.date(1985, 6, 1), area="500112")  # 付明艳
CUI = make_id(803, dt.date(1992, 2, 2), area="500102")  # 崔华静
OLD_FORM_FULL = make_id(804, dt.date(1966, 3, 4), area="500101")  # 王
OLD_FORM = OLD_FORM_FULL[:6] + OLD_FORM_FULL[8:17]
ALL = [SHI, FU, CUI, OLD_FORM_FULL, OLD_FORM]


def _add(db, admin, name: str, number: str, id_type: str = "201") -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        person = PersonInput(name, number, id_type=id_type)
        return add_person(s, admin, person, [RoleInput("proctor")]).id


def _folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _lines(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [report.summary_text()] + [line for _t, lines in report.sections() for line in lines]


def _assert_no_full_number(texts, numbers=ALL) -> None:  # type: ignore[no-untyped-def]
    for text in texts:
        for number in numbers:
            assert number not in text and number.lower() not in text, text


def _stored(db, pid: int) -> bytes | None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        photo = get_photo(s, pid)
        return None if photo is None else bytes(photo.data)


@pytest.mark.parametrize(
    ("name", "number", "file"),
    [
        ("石清", SHI, f"{SHI} - 副本.jpg"),  # Chinese Windows Explorer's copy
        ("石清", SHI, f"{SHI}身份证.jpg"),
        ("石清", SHI, f"{SHI}_1.jpg"),
        ("石清", SHI, f"照片_{SHI}.jpg"),
        ("付明艳", FU, f"付明艳-{FU}-二寸.jpg"),
        ("崔华静", CUI, f"{CUI}-崔华静证件照.jpg"),
        # more of the same kind
        ("石清", SHI, f"{SHI} - 副本 (2).jpg"),
        ("石清", SHI, f"{SHI} - Copy.JPG"),
        ("石清", SHI, f"{SHI} copy 2.jpg"),
        ("石清", SHI, f"{SHI}（1）.png"),
        ("石清", SHI, f"{SHI}-小二寸-蓝底.jpg"),
        ("石清", SHI, f"免冠2寸照片 {SHI}.jpeg"),
        ("石清", SHI, f"{SHI}_头像_正面_白底.jpg"),
        ("石清", SHI, f"身份证号{SHI}.jpg"),
        ("石清", SHI, f"石清 相片 {SHI} (1).jpg"),
        ("王", OLD_FORM_FULL, f"{OLD_FORM}-红底一寸.jpg"),  # a 15-digit number, a 1-letter name
        ("石清", SHI, f"{SHI}_白底照.jpg"),
        ("石清", SHI, f"{SHI}_报名照.jpg"),
        ("石清", SHI, f"石清-标准照-{SHI}.jpg"),
    ],
)
def test_decorated_names_from_real_folders_are_imported(  # type: ignore[no-untyped-def]
    db, admin, tmp_path, audit_ok, name: str, number: str, file: str
) -> None:
    pid = _add(db, admin, name, number)
    folder = _folder(tmp_path, {file: PLAIN})
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.added == [f"{name}（{mask_id(number)}）"], _lines(report)
    assert report.rejected == [] and report.unmatched == [] and report.ignored == []
    assert _stored(db, pid) == PLAIN
    with db.session() as s:
        _assert_no_full_number(s.scalars(select(AuditEntry.summary)))
    audit_ok()


@pytest.mark.parametrize(
    ("stem", "number", "name"),
    [
        (f"{SHI} - 副本", SHI, ""),
        (f"{SHI}身份证", SHI, ""),
        (f"{SHI}_1", SHI, ""),
        (f"照片_{SHI}", SHI, ""),
        (f"付明艳-{FU}-二寸", FU, "付明艳"),
        (f"{CUI}-崔华静证件照", CUI, "崔华静"),
        (f"张三 {SHI} (1)", SHI, "张三"),
        (f"李四_身份证_{SHI}", SHI, "李四"),
        (f"John Smith - Copy {SHI}", SHI, "John Smith"),
        (f"阿依古丽·买买提_{OLD_FORM}", OLD_FORM_FULL, "阿依古丽·买买提"),
    ],
)
def test_the_text_around_the_number_is_cleaned(stem: str, number: str, name: str) -> None:
    key = file_key(stem)
    assert (key.number, key.name) == (number, name)
    assert clean_name(" - 副本 (3) 一寸 copy （2） 蓝底") == ""


def test_the_plain_file_is_imported_and_a_copy_beside_it_skipped(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Row 1 with the plain file: it is imported, the copy is skipped with its reason (the
    round-7 code refused both as 同一人员有多个照片文件)."""
    pid = _add(db, admin, "石清", SHI)
    folder = _folder(tmp_path, {f"{SHI}.jpg": PLAIN, f"{SHI} - 副本.jpg": COPY})
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.added == [f"石清（{mask_id(SHI)}）"] and report.rejected == []
    assert report.unmatched == []
    [extra] = report.ignored
    assert extra.kind == "extra"
    line = (
        f"{mask_id(SHI)} - 副本.jpg（石清）：已有以证件号码命名的照片文件“{mask_id(SHI)}.jpg”，"
        "此文件未导入"
    )
    assert any(x.startswith(line) for x in dict(report.sections())["无对应人员及跳过的文件"])
    assert "不合格 0 张" in report.summary_text()
    assert "多余的照片文件 1 个" in report.summary_text()
    assert report.note_text()  # names are shown masked
    assert _stored(db, pid) == PLAIN
    _assert_no_full_number(_lines(report))


def test_a_plain_file_wins_over_any_decorated_one(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The plain file is imported even beside a decorated file with a wrong name, or several."""
    pid = _add(db, admin, "石清", SHI)
    folder = _folder(
        tmp_path,
        {
            f"{SHI}.jpg": PLAIN,
            f"{SHI}身份证.jpg": COPY,
            f"李四_{SHI}.jpg": COPY,  # a wrong name: skipped all the same
            f"{SHI}_1.png": COPY,
        },
    )
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.added == [f"石清（{mask_id(SHI)}）"] and report.rejected == []
    assert sorted(x.file for x in report.ignored) == sorted(
        [
            f"{mask_id(SHI)}身份证.jpg（石清）",
            f"李四_{mask_id(SHI)}.jpg（石清）",
            f"{mask_id(SHI)}_1.png（石清）",
        ]
    )
    assert {x.kind for x in report.ignored} == {"extra"}
    assert _stored(db, pid) == PLAIN


def test_photos_to_replace_counts_the_plain_file_only(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The plain file is the stored photo: a different copy beside it replaces nothing."""
    pid = _add(db, admin, "石清", SHI)
    with db.session() as s:
        set_photo(s, admin, pid, PLAIN, "旧.jpg")
    folder = _folder(tmp_path, {f"{SHI}.jpg": PLAIN, f"{SHI} - 副本.jpg": COPY})
    with db.session() as s:
        assert photos_to_replace(s, admin, folder) == []
        report = import_photos(s, admin, folder)
    assert report.unchanged == [f"石清（{mask_id(SHI)}）"] and report.replaced == []
    assert [x.kind for x in report.ignored] == ["extra"]
    assert _stored(db, pid) == PLAIN
    # alone, the copy is the person's file and would replace the stored photo
    (folder / f"{SHI}.jpg").unlink()
    with db.session() as s:
        assert photos_to_replace(s, admin, folder) == [f"石清（{mask_id(SHI)}）"]


def test_decorated_files_without_a_plain_one_still_conflict(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pid = _add(db, admin, "石清", SHI)
    folder = _folder(tmp_path, {f"{SHI}身份证.jpg": PLAIN, f"{SHI} - 副本.jpg": COPY})
    with db.session() as s:
        assert photos_to_replace(s, admin, folder) == []
        report = import_photos(s, admin, folder)
    assert report.accepted == [] and report.ignored == []
    assert len(report.rejected) == 2
    assert all("同一人员有多个照片文件" in x.reason for x in report.rejected)
    assert _stored(db, pid) is None


def test_two_plain_files_conflict_and_a_decorated_one_is_skipped(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pid = _add(db, admin, "石清", SHI)
    folder = _folder(tmp_path, {f"{SHI}.jpg": PLAIN, f"{SHI}.png": COPY, f"{SHI} - 副本.jpg": COPY})
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.accepted == []
    assert sorted(x.file for x in report.rejected) == [
        f"{mask_id(SHI)}.jpg（石清）",
        f"{mask_id(SHI)}.png（石清）",
    ]
    assert all("同一人员有多个照片文件" in x.reason for x in report.rejected)
    assert [x.kind for x in report.ignored] == ["extra"]
    assert _stored(db, pid) is None


@pytest.mark.parametrize(
    "file",
    [
        f"李四-{SHI}-二寸.jpg",
        f"{SHI}_李四证件照 (1).jpg",
        f"照片_李四_{SHI}.jpg",
    ],
)
def test_a_name_left_after_cleaning_must_be_the_persons(db, admin, tmp_path, file: str) -> None:  # type: ignore[no-untyped-def]
    pid = _add(db, admin, "石清", SHI)
    folder = _folder(tmp_path, {file: PLAIN})
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.accepted == [] and report.ignored == []
    [rejected] = report.rejected
    assert "文件名中的姓名“李四”与该证件号码登记的姓名“石清”不一致" in rejected.reason
    assert _stored(db, pid) is None
    _assert_no_full_number(_lines(report))


@pytest.mark.parametrize("file", [f"石清清_{SHI}.jpg", f"{SHI}-欧阳石清.jpg"])
def test_a_longer_name_holding_the_persons_is_another_person(db, admin, tmp_path, file: str) -> None:  # type: ignore[no-untyped-def]
    """石清清's photo under 石清's number (a mistyped number): refused, not imported as 石清's."""
    pid = _add(db, admin, "石清", SHI)
    with db.session() as s:
        report = import_photos(s, admin, _folder(tmp_path, {file: PLAIN}))
    assert report.accepted == [] and len(report.rejected) == 1
    assert "与该证件号码登记的姓名“石清”不一致" in report.rejected[0].reason
    assert _stored(db, pid) is None


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("石清", f"石清身份证{SHI}.jpg"),  # the name and a photo word
        ("石清", f"{SHI} 石 清 证件照.jpg"),  # spaces inside
        ("John Smith", f"JOHN SMITH_{SHI}.jpg"),  # case
        ("John Smith", f"ＪＯＨＮ　ＳＭＩＴＨ－{SHI}.jpg"),  # full width
        ("阿依古丽·买买提", f"阿依古丽・买买提-{SHI}-二寸.jpg"),  # another middle dot
    ],
)
def test_the_persons_name_written_otherwise_matches(db, admin, tmp_path, name: str, file: str) -> None:  # type: ignore[no-untyped-def]
    pid = _add(db, admin, name, SHI)
    with db.session() as s:
        report = import_photos(s, admin, _folder(tmp_path, {file: PLAIN}))
    assert report.added == [f"{name}（{mask_id(SHI)}）"], _lines(report)
    assert _stored(db, pid) == PLAIN


def test_two_numbers_stay_ambiguous_whatever_the_words(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = _add(db, admin, "石清", SHI)
    second = _add(db, admin, "付明艳", FU)
    folder = _folder(tmp_path, {f"{SHI}-{FU}-身份证.jpg": PLAIN, f"{SHI}_1 {FU} - 副本.jpg": COPY})
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.accepted == [] and report.ignored == [] and len(report.rejected) == 2
    assert all("文件名中有 2 段像证件号码的数字" in x.reason for x in report.rejected)
    assert _stored(db, first) is None and _stored(db, second) is None
    _assert_no_full_number(_lines(report))


def test_the_unmatched_reason_fits_passport_holders(db, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """D5: a passport number names a file only as the whole name; the reason says so."""
    pid = _add(db, admin, "JOHN SMITH", "E12345678", "227")
    folder = _folder(tmp_path, {"JOHN SMITH_E12345678.jpg": PLAIN})
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.unmatched == [f"JOHN SMITH_{mask_id('E12345678')}.jpg"]
    assert "整个文件名只是号码" in UNMATCHED_REASON
    assert "仅居民身份证号码可再加上姓名" in UNMATCHED_REASON
    assert "请核对文件名" in UNMATCHED_REASON
    assert _stored(db, pid) is None
    (folder / "JOHN SMITH_E12345678.jpg").rename(folder / "E12345678.jpg")
    with db.session() as s:
        assert import_photos(s, admin, folder).added == [f"JOHN SMITH（{mask_id('E12345678')}）"]


def test_cli_lists_the_skipped_copy(db, admin, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _add(db, admin, "石清", SHI)
    folder = _folder(tmp_path, {f"{SHI}.jpg": PLAIN, f"{SHI} - 副本.jpg": COPY})
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    code = main(
        ["--data-dir", str(db.data_dir), "import", "photos", str(folder), "--user", "admin"]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "新增 1 张" in out and "多余的照片文件 1 个" in out
    assert (
        f"  {mask_id(SHI)} - 副本.jpg（石清）：已有以证件号码命名的照片文件“{mask_id(SHI)}.jpg”"
        in out
    )
    assert SHI not in out
