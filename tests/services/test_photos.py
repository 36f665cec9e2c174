"""Photo import: good, landscape, too small, unreadable, too big, unmatched; bytes kept as they are;
file names (ID numbers) masked in the report, the audit log and the CLI; huge images rejected."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.cli.main import main
from app.errors import ValidationError
from app.models import AuditEntry
from app.rules.idcard import mask_id
from app.services.photo_image import check_photo
from app.services.photos import get_photo, import_photos, masked_file_name, set_photo
from app.services.roster import PersonInput, RoleInput, add_person
from tests.conftest import ADMIN_PASSWORD
from tests.services.conftest import make_id

OLD_ID = "500101850312123"  # a first-generation (15-digit) number nobody has


def _image(w: int, h: int, fmt: str = "JPEG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 220, 255)).save(buf, fmt)
    return buf.getvalue()


def _huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of huge dimensions; all-zero rows compress to a few KB."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = bytes(1 + (width + 7) // 8)  # filter byte + packed bits
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _assert_no_full_id(texts: Iterable[str], numbers: Iterable[str]) -> None:
    numbers = [n.upper() for n in numbers]
    for text in texts:
        for n in numbers:
            assert n not in text.upper(), text


def _report_texts(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        *report.accepted,
        *report.unchanged,
        *(f"{r.file}：{r.reason}" for r in report.rejected),
        *report.unmatched,
        *(x.line for x in report.ignored),
        *(f"{m.name} {m.id_masked}" for m in report.missing),
        report.summary_text(),
    ]


def test_import_photos_folder(db, admin, tmp_path: Path, audit_ok) -> None:
    with_x = next(n for n in (make_id(i) for i in range(100, 999)) if n.endswith("X"))
    ids = [with_x] + [make_id(i) for i in range(1, 7)]
    with db.session() as s:
        people = [
            add_person(s, admin, PersonInput(f"人{i}", n), [RoleInput("proctor")])
            for i, n in enumerate(ids)
        ]
        pid = [p.id for p in people]
    folder = tmp_path / "photos"
    folder.mkdir()
    good = _image(295, 413)
    (folder / f"{ids[0].lower()}.jpg").write_bytes(good)  # lower-case x tolerated
    (folder / f"{ids[1]}.PNG").write_bytes(_image(300, 420, "PNG"))
    (folder / f"{ids[2]}.jpg").write_bytes(_image(413, 295))  # landscape
    (folder / f"{ids[3]}.jpg").write_bytes(_image(200, 300))  # too small
    (folder / f"{ids[4]}.jpg").write_bytes(b"not an image at all")
    (folder / f"{make_id(999)}.jpg").write_bytes(good)  # nobody has this number
    (folder / f"{OLD_ID}.jpg").write_bytes(good)  # nor this one
    (folder / f"{ids[5]}.gif").write_bytes(b"GIF89a")  # not jpg/png: listed as skipped
    (folder / "readme.txt").write_text("x")
    with db.session() as s:
        report = import_photos(s, admin, folder, max_bytes=2 * 1024 * 1024)
    # a file that names a person is shown as 姓名（masked ID）, any other by its masked name
    assert sorted(report.accepted) == sorted(
        [f"人0（{mask_id(ids[0])}）", f"人1（{mask_id(ids[1])}）"]
    )
    reasons = {r.file: r.reason for r in report.rejected}
    assert "竖版" in reasons[f"{mask_id(ids[2])}.jpg（人2）"]
    assert "过小" in reasons[f"{mask_id(ids[3])}.jpg（人3）"]
    assert "无法读取" in reasons[f"{mask_id(ids[4])}.jpg（人4）"]
    assert report.unmatched == ["5001*********23.jpg", f"{mask_id(make_id(999))}.jpg"]
    assert [x.shown for x in report.ignored] == [f"{mask_id(ids[5])}.gif", "readme.txt"]
    assert report.names_masked
    assert {m.person_id for m in report.missing} == set(pid[2:])
    everyone = [*ids, make_id(999), OLD_ID]
    _assert_no_full_id(_report_texts(report), everyone)
    with db.session() as s:
        summaries = list(s.scalars(select(AuditEntry.summary)))
    assert any(f"{mask_id(ids[0])}.jpg" in x for x in summaries)
    _assert_no_full_id(summaries, everyone)
    with db.session() as s:
        photo = get_photo(s, pid[0])
        assert photo.data == good and photo.sha256 == hashlib.sha256(good).hexdigest()
        assert (photo.mime, photo.width, photo.height) == ("image/jpeg", 295, 413)
        assert get_photo(s, pid[1]).mime == "image/png"
        assert get_photo(s, pid[2]) is None
    # the same folder again: nothing new, nothing audited twice
    with db.session() as s:
        again = import_photos(s, admin, folder)
        assert again.accepted == [] and len(again.unchanged) == 2
        assert len([e for e in s.scalars(select(AuditEntry.action)) if e.startswith("photo.")]) == 2
    audit_ok()


def test_size_limit_and_single_upload(db, admin, audit_ok) -> None:
    big = _image(600, 800)
    assert check_photo(big).width == 600
    with pytest.raises(ValidationError, match="过大"):
        check_photo(big, max_bytes=len(big) - 1)
    with db.session() as s:
        p = add_person(s, admin, PersonInput("甲", make_id(50)))
        assert set_photo(s, admin, p.id, big, "甲.jpg") is True
        replacement = _image(300, 450)
        assert set_photo(s, admin, p.id, replacement) is True
        assert get_photo(s, p.id).data == replacement
        with pytest.raises(ValidationError, match="竖版"):
            set_photo(s, admin, p.id, _image(500, 400))
    audit_ok()


def test_upload_audit_and_message_mask_the_file_name(db, admin, audit_ok) -> None:
    number = make_id(60)
    with db.session() as s:
        p = add_person(s, admin, PersonInput("乙", number))
        set_photo(s, admin, p.id, _image(300, 420), f"{number}.jpg")
        with pytest.raises(ValidationError) as caught:
            set_photo(s, admin, p.id, _image(500, 400), f"{number}.jpg")
    assert f"{mask_id(number)}.jpg" in caught.value.message
    _assert_no_full_id([caught.value.message], [number])
    with db.session() as s:
        _assert_no_full_id(s.scalars(select(AuditEntry.summary)), [number])
    audit_ok()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("50010119800101919x.jpg", "500101**********9X.jpg"),
        ("500101 19800101 919X.JPEG", "500101**********9X.JPEG"),
        ("500101850312123.jpg", "5001*********23.jpg"),
        ("王小明_50010119800101919X (1).png", "王小明_500101**********9X (1).png"),
        ("E12345678.jpg", "E1******8.jpg"),  # a passport number
        ("IMG_0012.jpg", "IMG_0012.jpg"),
        ("说明.txt", "说明.txt"),
        ("", ""),
    ],
)
def test_masked_file_name(name: str, shown: str) -> None:
    assert masked_file_name(name) == shown


@pytest.mark.parametrize(
    ("width", "height"),
    [(13000, 14000), (9000, 10000)],  # over Pillow's error limit; between its warning and error
)
def test_huge_image_is_rejected_not_fatal(db, admin, tmp_path: Path, width, height) -> None:  # type: ignore[no-untyped-def]
    bomb = _huge_png(width, height)
    assert len(bomb) < 64 * 1024
    with pytest.raises(ValidationError, match="像素过多"):
        check_photo(bomb)
    good_id, bomb_id = make_id(70), make_id(71)
    with db.session() as s:
        add_person(s, admin, PersonInput("好", good_id), [RoleInput("proctor")])
        add_person(s, admin, PersonInput("大", bomb_id), [RoleInput("proctor")])
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / f"{good_id}.jpg").write_bytes(_image(300, 420))
    (folder / f"{bomb_id}.png").write_bytes(bomb)
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.accepted == [f"好（{mask_id(good_id)}）"]
    [rejected] = report.rejected
    assert rejected.file == f"{mask_id(bomb_id)}.png（大）"
    assert "像素过多" in rejected.reason and "证件照" in rejected.reason


def test_cli_lists_every_file_without_full_numbers(
    db, admin, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    ok, landscape, bomb, gif = (make_id(i) for i in (80, 81, 82, 83))
    with db.session() as s:
        for i, n in enumerate((ok, landscape, bomb, gif)):
            add_person(s, admin, PersonInput(f"员{i}", n), [RoleInput("proctor")])
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / f"{ok}.jpg").write_bytes(_image(300, 420))
    (folder / f"{landscape.lower()}.jpg").write_bytes(_image(420, 300))
    (folder / f"{bomb}.png").write_bytes(_huge_png(13000, 14000))
    (folder / f"{gif}.gif").write_bytes(b"GIF89a")
    (folder / f"{make_id(998)}.jpg").write_bytes(_image(300, 420))
    (folder / f"{OLD_ID}.jpg").write_bytes(_image(300, 420))
    (folder / "说明.txt").write_text("x")
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    args = ["--data-dir", str(db.data_dir), "import", "photos", str(folder), "--user", "admin"]
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 1, err  # the good photo is stored; the unfit and unmatched ones are left
    assert "有 4 个照片文件未导入（见“不合格”和“无对应人员”）" in err
    assert "新增 1 张，替换 0 张，未变 0 张，不合格 2 张" in out
    assert "跳过非 jpg/png 文件 2 个" in out
    assert f"  员0（{mask_id(ok)}）：新增" in out
    assert "不合格（2）：" in out
    assert f"  {mask_id(landscape)}.jpg（员1）：照片应为竖版" in out
    assert f"  {mask_id(bomb)}.png（员2）：图片像素过多" in out
    # an unmatched file says why and what to do, as in the GUI's tab
    assert f"  {mask_id(make_id(998))}.jpg：无对应人员（文件名应为人员的证件号码" in out
    assert "  5001*********23.jpg：无对应人员（" in out
    assert f"  {mask_id(gif)}.gif：不是 jpg/png 照片" in out
    assert "  说明.txt：不是 jpg/png 照片" in out
    assert "已部分隐藏" in out
    everyone = [ok, landscape, bomb, gif, make_id(998), OLD_ID]
    _assert_no_full_id([out, err], everyone)
    with db.session() as s:
        _assert_no_full_id(s.scalars(select(AuditEntry.summary)), everyone)
