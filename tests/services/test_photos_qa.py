"""Photo import QA fixes: EXIF orientation applied and stored upright; several files for one
person are a conflict; same photo again is "unchanged"; unreadable folder/file in Chinese; size
message precise enough; subfolders and dot-files listed as ignored with their reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps
from sqlalchemy import func, select

from app.cli.main import main
from app.errors import UserInputError, ValidationError
from app.models import AuditEntry, Photo
from app.rules.idcard import mask_id
from app.services.photo_image import MAX_BYTES, check_photo
from app.services.photos import (
    FOLDER_REASON,
    HIDDEN_REASON,
    IGNORED_REASON,
    get_photo,
    import_photos,
    set_photo,
)
from app.services.roster import PersonInput, RoleInput, add_person
from tests.conftest import ADMIN_PASSWORD
from tests.services.conftest import make_id

ORIENTATION = 0x0112


def _marked(w: int, h: int) -> Image.Image:
    """A w×h image, light blue with a red block in its top-left corner (to see the turn)."""
    img = Image.new("RGB", (w, h), (200, 220, 255))
    img.paste((255, 0, 0), (0, 0, w // 4, h // 4))
    return img


def _encode(img: Image.Image, fmt: str = "JPEG", orientation: int | None = None) -> bytes:
    buf = io.BytesIO()
    if orientation is None:
        img.save(buf, fmt)
    else:
        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        img.save(buf, fmt, exif=exif.tobytes())
    return buf.getvalue()


def _photo_actions(s) -> list[str]:  # type: ignore[no-untyped-def]
    return [a for a in s.scalars(select(AuditEntry.action)) if a.startswith("photo.")]


def _staff(db, admin, *numbers: str) -> list[int]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return [
            add_person(s, admin, PersonInput(f"员{i}", n), [RoleInput("proctor")]).id
            for i, n in enumerate(numbers)
        ]


def _red_corner(data: bytes) -> tuple[int, int]:
    """Which corner (x, y in 0/1) of the stored image is red, read without applying EXIF."""
    with Image.open(io.BytesIO(data)) as img:
        rgb = img.convert("RGB")
        w, h = rgb.size
        corners = {
            (cx, cy): rgb.getpixel(
                (cx * (w - 1) - (2 * cx - 1) * 5, cy * (h - 1) - (2 * cy - 1) * 5)
            )
            for cx in (0, 1)
            for cy in (0, 1)
        }
    red = [c for c, (r, g, b) in corners.items() if r > 200 and g < 80 and b < 80]
    assert len(red) == 1, corners
    return red[0]


# 1. EXIF orientation ----------------------------------------------------------------------------


def test_exif_orientation_is_applied_and_photo_stored_upright(
    db, admin, tmp_path: Path, audit_ok
) -> None:  # type: ignore[no-untyped-def]
    phone, sideways, png = make_id(301), make_id(302), make_id(303)
    pid = _staff(db, admin, phone, sideways, png)
    folder = tmp_path / "photos"
    folder.mkdir()
    # stored 420×300 with Orientation=6: displays as a 300×420 portrait (a phone photo)
    phone_file = _encode(_marked(420, 300), orientation=6)
    (folder / f"{phone}.jpg").write_bytes(phone_file)
    # stored 300×420 with Orientation=6: displays landscape
    (folder / f"{sideways}.jpg").write_bytes(_encode(_marked(300, 420), orientation=6))
    png_source = _marked(450, 320)
    (folder / f"{png}.png").write_bytes(_encode(png_source, "PNG", orientation=6))
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert sorted(report.accepted) == sorted([f"员0（{mask_id(phone)}）", f"员2（{mask_id(png)}）"])
    [rejected] = report.rejected
    assert rejected.file == f"{mask_id(sideways)}.jpg（员1）"
    assert "竖版" in rejected.reason and "420×300" in rejected.reason
    with db.session() as s:
        stored = get_photo(s, pid[0])
        assert (stored.mime, stored.width, stored.height) == ("image/jpeg", 300, 420)
        with Image.open(io.BytesIO(stored.data)) as img:
            # upright in its pixels, without an orientation tag, still a JPEG
            assert img.format == "JPEG" and img.size == (300, 420)
            assert img.getexif().get(ORIENTATION, 1) == 1
        # Orientation 6 turns the picture clockwise: the stored top-left red block is top-right
        assert _red_corner(stored.data) == (1, 0)
        with Image.open(io.BytesIO(phone_file)) as original:
            expected = ImageOps.exif_transpose(original).convert("RGB")
        with Image.open(io.BytesIO(stored.data)) as img:
            bands = ImageChops.difference(img.convert("RGB"), expected).getextrema()
            diff = max(hi for _, hi in bands)
        assert diff < 40  # high quality re-encoding
        stored_png = get_photo(s, pid[2])
        assert (stored_png.mime, stored_png.width, stored_png.height) == ("image/png", 320, 450)
        with Image.open(io.BytesIO(stored_png.data)) as img:
            assert img.format == "PNG" and img.getexif().get(ORIENTATION, 1) == 1
            # PNG stays lossless
            upright = png_source.transpose(Image.Transpose.ROTATE_270)
            assert ImageChops.difference(img.convert("RGB"), upright).getbbox() is None
        assert get_photo(s, pid[1]) is None
    # the same folder again: the upright copy is the same, so nothing is written or audited
    with db.session() as s:
        again = import_photos(s, admin, folder)
        assert again.accepted == [] and len(again.unchanged) == 2
        assert len(_photo_actions(s)) == 2
    audit_ok()


def test_single_upload_applies_the_same_orientation_check(db, admin, audit_ok) -> None:  # type: ignore[no-untyped-def]
    number = make_id(310)
    [pid] = _staff(db, admin, number)
    assert check_photo(_encode(_marked(420, 300), orientation=6)).width == 300
    with pytest.raises(ValidationError, match="竖版"):
        check_photo(_encode(_marked(300, 420), orientation=8))
    with db.session() as s:
        with pytest.raises(ValidationError, match="竖版") as caught:
            set_photo(s, admin, pid, _encode(_marked(300, 420), orientation=6), f"{number}.jpg")
        assert number not in caught.value.message
        upload = _encode(_marked(420, 300), orientation=8)
        assert set_photo(s, admin, pid, upload, f"{number}.jpg") is True
        stored = get_photo(s, pid)
        assert (stored.width, stored.height) == (300, 420) and stored.data != upload
        # Orientation 8 turns the picture anticlockwise: top-left goes to bottom-left
        assert _red_corner(stored.data) == (0, 1)
        assert set_photo(s, admin, pid, upload, f"{number}.jpg") is False  # same photo again
    with db.session() as s:
        summaries = list(s.scalars(select(AuditEntry.summary)))
        assert _photo_actions(s) == ["photo.import"]
    assert any('"upright"' in x for x in summaries)
    assert not any(number in x for x in summaries)
    audit_ok()


# 2. several files for one person; unchanged photos -------------------------------------------


def test_several_files_for_one_person_are_a_conflict(db, admin, tmp_path: Path, audit_ok) -> None:  # type: ignore[no-untyped-def]
    with_x = next(n for n in (make_id(i) for i in range(400, 999)) if n.endswith("X"))
    single = make_id(320)
    pid = _staff(db, admin, with_x, single)
    folder = tmp_path / "photos"
    folder.mkdir()
    names = [f"{with_x}.jpg", f"{with_x}.png", f"{with_x.lower()}.jpeg"]
    (folder / names[0]).write_bytes(_encode(_marked(300, 420)))
    (folder / names[1]).write_bytes(_encode(_marked(310, 430), "PNG"))
    (folder / names[2]).write_bytes(_encode(_marked(320, 440)))
    (folder / f"{single}.jpg").write_bytes(_encode(_marked(300, 420)))
    for _ in range(2):  # importing the unchanged folder again changes nothing
        with db.session() as s:
            report = import_photos(s, admin, folder)
        shown = [f"{mask_id(with_x)}.jpg", f"{mask_id(with_x)}.png", f"{mask_id(with_x)}.jpeg"]
        reasons = {r.file: r.reason for r in report.rejected}
        assert set(reasons) == {f"{x}（员0）" for x in shown}
        for mine in shown:
            reason = reasons[f"{mine}（员0）"]
            assert "只保留其中一个" in reason
            assert all(other in reason for other in shown if other != mine)
            assert mine not in reason
            assert with_x not in reason.upper()
        assert report.names_masked
        assert pid[0] in {m.person_id for m in report.missing}
        with db.session() as s:
            assert get_photo(s, pid[0]) is None
            assert len(_photo_actions(s)) == 1  # the other person's photo only, imported once
    assert report.accepted == [] and report.unchanged == [f"员1（{mask_id(single)}）"]
    assert "新增 0 张，替换 0 张，未变 1 张，不合格 3 张" in report.summary_text()
    audit_ok()


def test_same_photo_again_is_unchanged_and_not_audited(db, admin, tmp_path: Path, audit_ok) -> None:  # type: ignore[no-untyped-def]
    number = make_id(330)
    [pid] = _staff(db, admin, number)
    data = _encode(_marked(300, 420))
    with db.session() as s:
        assert set_photo(s, admin, pid, data, "上传.jpg") is True
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / f"{number}.jpg").write_bytes(data)
    with db.session() as s:
        report = import_photos(s, admin, folder)
        assert report.accepted == [] and report.unchanged == [f"员0（{mask_id(number)}）"]
        assert "未变 1 张" in report.summary_text()
        assert _photo_actions(s) == ["photo.import"]
    audit_ok()


# 3. unreadable folder or file ----------------------------------------------------------------


def test_unreadable_folder_is_a_chinese_error(db, admin, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "受限照片"
    folder.mkdir()
    real_iterdir = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    with db.session() as s, pytest.raises(UserInputError) as caught:
        import_photos(s, admin, folder)
    message = caught.value.message
    assert isinstance(caught.value, ValidationError)
    assert str(folder) in message and "权限" in message
    assert "Permission" not in message and "Errno" not in message


def test_unreadable_file_is_rejected_in_chinese(
    db, admin, tmp_path: Path, monkeypatch, audit_ok
) -> None:  # type: ignore[no-untyped-def]
    locked, gone, good = make_id(340), make_id(341), make_id(342)
    _staff(db, admin, locked, gone, good)
    folder = tmp_path / "photos"
    folder.mkdir()
    data = _encode(_marked(300, 420))
    (folder / f"{locked}.jpg").write_bytes(data)
    (folder / f"{good}.jpg").write_bytes(data)
    (folder / f"{gone}.jpg").symlink_to(tmp_path / "不存在.jpg")  # a dangling link
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == f"{locked}.jpg":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.accepted == [f"员2（{mask_id(good)}）"]
    reasons = {r.file: r.reason for r in report.rejected}
    assert reasons[f"{mask_id(locked)}.jpg（员0）"].startswith(
        "无法读取文件（没有权限或已被其他程序占用）"
    )
    assert "移动或删除" in reasons[f"{mask_id(gone)}.jpg（员1）"]
    for reason in reasons.values():
        assert "Errno" not in reason and "denied" not in reason and "No such" not in reason
    audit_ok()


# 4. size message -----------------------------------------------------------------------------


def test_size_message_shows_the_excess() -> None:
    with pytest.raises(ValidationError) as caught:
        check_photo(bytes(MAX_BYTES + 1))
    assert "文件过大（2.01 MB），不能超过 2 MB" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        check_photo(bytes(MAX_BYTES + 300 * 1024))
    assert "（2.3 MB）" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        check_photo(bytes(1500 * 1024 + 1), max_bytes=1500 * 1024)
    assert "（1.47 MB），不能超过 1.46 MB" in caught.value.message


# 5. subfolders and dot-files -----------------------------------------------------------------


def test_subfolders_and_dot_files_are_listed_with_a_reason(
    db, admin, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    number, in_sub = make_id(350), make_id(351)
    _staff(db, admin, number, in_sub)
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / f"{number}.jpg").write_bytes(_encode(_marked(300, 420)))
    (folder / "旧照片").mkdir()
    (folder / "旧照片" / f"{in_sub}.jpg").write_bytes(_encode(_marked(300, 420)))
    (folder / in_sub).mkdir()  # a folder named by an ID number: masked too
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / f"._{number}.jpg").write_bytes(b"\0\5\26\7")  # macOS resource fork
    (folder / "说明.txt").write_text("x")
    with db.session() as s:
        report = import_photos(s, admin, folder)
    assert report.accepted == [f"员0（{mask_id(number)}）"] and report.rejected == []
    assert report.unmatched == []
    by_name = {x.shown: x for x in report.ignored}
    assert set(by_name) == {
        ".DS_Store（隐藏文件）",
        f"._{mask_id(number)}.jpg（隐藏文件）",
        f"{mask_id(in_sub)}（子文件夹）",
        "旧照片（子文件夹）",
        "说明.txt",
    }
    assert by_name["旧照片（子文件夹）"].reason == FOLDER_REASON
    assert by_name["旧照片（子文件夹）"].kind == "folder"
    assert by_name[".DS_Store（隐藏文件）"].reason == HIDDEN_REASON
    assert by_name["说明.txt"].reason == IGNORED_REASON and by_name["说明.txt"].kind == "file"
    assert by_name["旧照片（子文件夹）"].line == f"旧照片（子文件夹）：{FOLDER_REASON}"
    assert report.names_masked
    assert "跳过非 jpg/png 文件 1 个、子文件夹 2 个、隐藏文件 2 个" in report.summary_text()
    texts = [report.summary_text(), *(x.line for x in report.ignored)]
    assert not any(n in t.upper() for t in texts for n in (number, in_sub))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Photo)) == 1
    # the CLI (which prints each ignored entry) keeps working and shows them, masked
    monkeypatch.setenv("SKILLSITE_PASSWORD", ADMIN_PASSWORD)
    code = main(
        ["--data-dir", str(db.data_dir), "import", "photos", str(folder), "--user", "admin"]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "未变 1 张" in out and f"  旧照片（子文件夹）：{FOLDER_REASON}" in out
    assert f"  .DS_Store（隐藏文件）：{HIDDEN_REASON}" in out
    assert number not in out and in_sub not in out
