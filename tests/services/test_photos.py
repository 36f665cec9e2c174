"""Photo import: good, landscape, too small, unreadable, too big, unmatched; bytes kept as they are."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.errors import ValidationError
from app.models import AuditEntry
from app.services.photos import check_photo, get_photo, import_photos, set_photo
from app.services.roster import PersonInput, RoleInput, add_person
from tests.services.conftest import make_id


def _image(w: int, h: int, fmt: str = "JPEG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 220, 255)).save(buf, fmt)
    return buf.getvalue()


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
    (folder / "readme.txt").write_text("x")
    with db.session() as s:
        report = import_photos(s, admin, folder, max_bytes=2 * 1024 * 1024)
    assert sorted(report.accepted) == sorted([f"{ids[0].lower()}.jpg", f"{ids[1]}.PNG"])
    reasons = {r.file: r.reason for r in report.rejected}
    assert "竖版" in reasons[f"{ids[2]}.jpg"]
    assert "过小" in reasons[f"{ids[3]}.jpg"]
    assert "无法读取" in reasons[f"{ids[4]}.jpg"]
    assert report.unmatched == [f"{make_id(999)}.jpg"] and report.ignored == ["readme.txt"]
    assert {m.person_id for m in report.missing} == set(pid[2:])
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
