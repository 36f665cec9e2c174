"""Photo import QA round 5: replaced photos are counted apart from new ones (service, CLI), and
`photos_to_replace` tells beforehand whose; the report's lists say why a file was not used; the
single upload's messages fit both the upload and the folder import."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.cli.main import main
from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Person
from app.rules.idcard import mask_id
from app.services.photo_image import MAX_BYTES
from app.services.photos import (
    GONE_REASON,
    MISSING_TITLE,
    UNMATCHED_REASON,
    UNREADABLE_REASON,
    get_photo,
    import_photos,
    photos_to_replace,
    set_photo,
)
from app.services.roster import PersonInput, RoleInput, add_person
from app.services.users import authenticate, create_user
from tests.conftest import ADMIN_PASSWORD
from tests.services.conftest import make_id


def _image(w: int = 300, h: int = 420, colour: tuple[int, int, int] = (200, 220, 255)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), colour).save(buf, "JPEG")
    return buf.getvalue()


OLD, NEW = _image(colour=(10, 10, 10)), _image(colour=(250, 250, 250))
NUMBERS = [make_id(i) for i in range(500, 505)]


def _photo_actions(s) -> list[str]:  # type: ignore[no-untyped-def]
    return [a for a in s.scalars(select(AuditEntry.action)) if a.startswith("photo.")]


@pytest.fixture
def folder(db, admin, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """员0 and 员1 have photos, the folder replaces them; 员2 has the same photo as the folder's;
    员3 has none (added); 员4 has one, named by two files (a conflict: nothing replaced); a file
    names nobody."""
    numbers = NUMBERS
    with db.session() as s:
        ids = [
            add_person(s, admin, PersonInput(f"员{i}", n), [RoleInput("proctor")]).id
            for i, n in enumerate(numbers)
        ]
        for pid in (ids[0], ids[1], ids[4]):
            set_photo(s, admin, pid, OLD, "旧.jpg")
        set_photo(s, admin, ids[2], NEW, "旧.jpg")
    path = tmp_path / "photos"
    path.mkdir()
    for n in numbers[:4]:
        (path / f"{n}.jpg").write_bytes(NEW)
    (path / f"{numbers[4]}.jpg").write_bytes(NEW)
    (path / f"{numbers[4].lower()}.jpeg").write_bytes(NEW)
    (path / f"{make_id(999)}.jpg").write_bytes(NEW)
    return path


def _label(i: int, number: str) -> str:
    return f"员{i}（{mask_id(number)}）"


def test_replaced_photos_are_counted_apart_from_new_ones(db, admin, folder, audit_ok) -> None:  # type: ignore[no-untyped-def]
    n = NUMBERS
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.replaced == [_label(0, n[0]), _label(1, n[1])]
    assert report.added == [_label(3, n[3])]
    assert report.unchanged == [_label(2, n[2])]
    assert sorted(report.accepted) == sorted(report.added + report.replaced)
    assert "新增 1 张，替换 2 张（原照片已被替换），未变 1 张，不合格 2 张" in report.summary_text()
    title, lines = report.sections()[0]
    assert title == "已导入"
    assert lines == [
        f"{_label(0, n[0])}：替换（原照片已被替换）",
        f"{_label(1, n[1])}：替换（原照片已被替换）",
        f"{_label(3, n[3])}：新增",
        f"{_label(2, n[2])}：未变（与已存照片相同，未改动）",
    ]
    with db.session() as s:
        actions = _photo_actions(s)
        assert actions.count("photo.replace") == 2  # the audit and the report agree
        pid = s.scalar(select(Person.id).where(Person.id_number == n[0]))
        assert bytes(get_photo(s, pid).data) == NEW
    audit_ok()


def test_photos_to_replace_names_them_before_anything_is_written(db, admin, folder) -> None:  # type: ignore[no-untyped-def]
    n = NUMBERS
    with db.session() as s:
        before = _photo_actions(s)
        assert photos_to_replace(s, admin, folder) == [_label(0, n[0]), _label(1, n[1])]
    with db.session() as s:
        assert _photo_actions(s) == before  # nothing written
    # a file the import would reject as too big replaces nothing
    (folder / f"{n[1]}.jpg").write_bytes(b"\xff" * (MAX_BYTES + 1))
    with db.session() as s:
        assert photos_to_replace(s, admin, folder) == [_label(0, n[0])]
        report = import_photos(s, admin, folder)
    assert report.replaced == [_label(0, n[0])]  # what it said beforehand
    with db.session() as s:
        assert photos_to_replace(s, admin, folder) == []  # now the same photos are stored


def test_photos_to_replace_needs_the_import_permission(db, admin, folder) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        create_user(s, admin, "scorer1", "scorer", "Scorer#2026", "录分员甲")
    with db.session() as s:
        scorer = authenticate(s, "scorer1", "Scorer#2026")
    with db.session() as s, pytest.raises(PermissionDenied):
        photos_to_replace(s, scorer, folder)


def test_cli_reports_replaced_photos_apart(db, admin, folder, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    n = NUMBERS
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    code = main(
        ["--data-dir", str(db.data_dir), "import", "photos", str(folder), "--user", "admin"]
    )
    out, err = capsys.readouterr()
    assert code == 1, err  # no prompt (1: a file matched nobody; the others are stored)
    assert "新增 1 张，替换 2 张（原照片已被替换），未变 1 张" in out
    assert "接收" not in out
    assert f"  {_label(0, n[0])}：替换（原照片已被替换）" in out
    assert f"  {mask_id(make_id(999))}.jpg：{UNMATCHED_REASON}" in out
    with db.session() as s:
        assert _photo_actions(s).count("photo.replace") == 2
    # a big folder: every list stops at --limit and says how many there are
    code = main(["--data-dir", str(db.data_dir), "import", "photos", str(folder), "--user",
                 "admin", "--limit", "1"])  # fmt: skip
    out, _err = capsys.readouterr()
    assert code == 1 and "已导入（4）：" in out  # the second run: all four unchanged
    assert "……共 4 项，只列出前 1 项（用 --limit 列出更多）" in out
    assert sum(line.startswith("  ") and "：未变" in line for line in out.splitlines()) == 1


def test_sections_explain_every_line(db, admin, folder) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        report = import_photos(s, admin, folder)
    sections = dict(report.sections())
    assert list(sections) == ["已导入", "不合格", "无对应人员及跳过的文件", MISSING_TITLE]
    assert sections["无对应人员及跳过的文件"] == [
        f"{mask_id(make_id(999))}.jpg：{UNMATCHED_REASON}"
    ]
    assert all("：" in line for lines in sections.values() for line in lines)
    assert "请核对文件名" in UNMATCHED_REASON


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        b"GIF89a" + b"\0" * 20,
        _image(420, 300),  # landscape
        _image(200, 280),  # too small
        b"\xff" * (MAX_BYTES + 1),  # too big
    ],
    ids=["empty", "garbage", "gif", "landscape", "small", "big"],
)
def test_single_upload_messages_fit_an_upload(db, admin, data: bytes) -> None:  # type: ignore[no-untyped-def]
    """The upload shares the import's checks: its messages say what to do without "重新导入"."""
    with db.session() as s:
        pid = add_person(s, admin, PersonInput("甲", make_id(510)), [RoleInput("proctor")]).id
    with db.session() as s, pytest.raises(ValidationError) as caught:
        set_photo(s, admin, pid, data, "照片.jpg")
    message = caught.value.message
    assert "导入" not in message, message
    assert "再试" in message, message


def test_file_read_reasons_fit_an_upload() -> None:
    for reason in (GONE_REASON, UNREADABLE_REASON):
        assert "导入" not in reason and "再试" in reason
