"""The commit writes what was checked: a file edited, moved or deleted after its preview is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import ValidationError
from app.models import AuditEntry, Person
from app.services.importing import commit_import, preview_import
from app.services.importing.fingerprint import MISSING, file_fingerprint
from tests.services.conftest import make_id

HEADER = ["姓名", "证件号码", "工作单位"]


def _counts(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Person)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def test_an_unchanged_file_commits(db, admin, make_xlsx) -> None:
    path = make_xlsx([HEADER, ["张三", make_id(1), "甲公司"]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "people")
        assert preview.fingerprint == file_fingerprint(path) != MISSING
        assert commit_import(s, admin, preview).created == 1


def test_a_file_edited_after_the_preview_is_refused_and_nothing_written(
    db, admin, make_xlsx
) -> None:
    path = make_xlsx([HEADER, ["张三", make_id(1), "甲公司"]])
    before = _counts(db)
    with db.session() as s:
        preview = preview_import(s, admin, path, "people")
    # the user fixes the file in Excel after reading the preview, keeping its name and time
    stat = path.stat()
    make_xlsx([HEADER, ["张三", make_id(1), "乙公司"]])
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(ValidationError, match=r"在检查之后已被修改.*请重新检查文件") as err:
        with db.session() as s:
            commit_import(s, admin, preview)
    assert "data.xlsx" in err.value.message
    assert _counts(db) == before


def test_a_file_deleted_after_the_preview_is_refused(db, admin, make_xlsx) -> None:
    path = make_xlsx([HEADER, ["张三", make_id(1), "甲公司"]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "people")
    path.rename(path.with_name("moved.xlsx"))
    with pytest.raises(ValidationError, match="已被移动、删除或无法读取"):
        with db.session() as s:
            commit_import(s, admin, preview)
    assert _counts(db)[0] == 0


def test_the_fingerprint_is_of_the_bytes(tmp_path: Path) -> None:
    f = tmp_path / "a.xlsx"
    f.write_bytes(b"one")
    first = file_fingerprint(f)
    f.write_bytes(b"two")
    assert file_fingerprint(f) != first
    assert file_fingerprint(tmp_path / "none.xlsx") == MISSING
