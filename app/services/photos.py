"""Photos (二寸照片): import a folder of files named by ID number, check each, keep the bytes as-is.

A photo is accepted when Pillow can read it, it is JPEG or PNG, portrait (height > width), at
least 295 × 413 px (a 2-inch photo at 300 dpi, the size the certificate prints) and under the
size limit. The bytes are stored unchanged (never re-encoded) with mime, size and SHA-256.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import Batch, Enrolment, Person, Photo, StaffRoleEntry
from app.models.enums import BatchStatus
from app.rules._text import compact_upper
from app.rules.idcard import mask_id
from app.services.actor import Actor
from app.services.audit import record
from app.services.permissions import Perm, require

MIN_WIDTH: Final = 295
MIN_HEIGHT: Final = 413
MAX_BYTES: Final = 2 * 1024 * 1024
SUFFIXES: Final = (".jpg", ".jpeg", ".png")
_MIMES: Final = {"JPEG": "image/jpeg", "PNG": "image/png"}
OPEN_BATCH_STATUSES: Final = tuple(
    s.value for s in BatchStatus if s not in (BatchStatus.CERTIFIED, BatchStatus.ARCHIVED)
)


@dataclass(frozen=True)
class PhotoInfo:
    mime: str
    width: int
    height: int


@dataclass(frozen=True)
class RejectedPhoto:
    file: str
    reason: str


@dataclass(frozen=True)
class MissingPhoto:
    person_id: int
    name: str
    id_masked: str
    why: str  # "工作人员" / "考生（批次 2026-05）"


@dataclass
class PhotoReport:
    folder: str
    accepted: list[str] = field(default_factory=list)  # file names stored (new or replaced)
    unchanged: list[str] = field(default_factory=list)  # same bytes as already stored
    rejected: list[RejectedPhoto] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # named by a number nobody has
    ignored: list[str] = field(default_factory=list)  # not .jpg/.jpeg/.png
    missing: list[MissingPhoto] = field(default_factory=list)

    def summary_text(self) -> str:
        return (
            f"照片导入（{self.folder}）：接收 {len(self.accepted)} 张，未变 {len(self.unchanged)} 张，"
            f"不合格 {len(self.rejected)} 张，无对应人员 {len(self.unmatched)} 张；"
            f"仍缺照片 {len(self.missing)} 人。"
        )


def check_photo(data: bytes, *, max_bytes: int = MAX_BYTES) -> PhotoInfo:
    """Check one photo's bytes; ValidationError with the reason in Chinese."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > max_bytes:
        raise ValidationError(
            f"文件过大（{len(data) / 1024 / 1024:.1f} MB），不能超过 {max_bytes / 1024 / 1024:.0f} MB"
        )
    if not data:
        raise ValidationError("文件是空的（0 字节）")
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format or ""
            width, height = img.size
            img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"无法读取图片（文件损坏或不是图片：{type(exc).__name__}）") from None
    if fmt not in _MIMES:
        raise ValidationError(f"图片格式为 {fmt or '未知'}，只接受 JPG 或 PNG")
    if height <= width:
        raise ValidationError(f"照片应为竖版（高大于宽），实为 {width}×{height} 像素")
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValidationError(
            f"照片尺寸 {width}×{height} 像素过小：至少 {MIN_WIDTH}×{MIN_HEIGHT} 像素（二寸，300 dpi）"
        )
    return PhotoInfo(_MIMES[fmt], width, height)


def _store(
    session: Session, actor: Actor, person: Person, data: bytes, info: PhotoInfo, source: str
) -> bool:
    """Insert or replace the person's photo (audited); False when the same bytes are stored."""
    digest = hashlib.sha256(data).hexdigest()
    photo = session.get(Photo, person.id)
    if photo is not None and photo.sha256 == digest:
        return False
    action = "photo.replace" if photo is not None else "photo.import"
    if photo is None:
        photo = Photo(
            person_id=person.id,
            data=data,
            mime=info.mime,
            width=info.width,
            height=info.height,
            sha256=digest,
        )
        session.add(photo)
    else:
        photo.data, photo.mime, photo.width, photo.height, photo.sha256 = (
            data,
            info.mime,
            info.width,
            info.height,
            digest,
        )
    record(
        session,
        actor,
        action,
        photo,
        person_id=person.id,
        summary={"name": person.name, "file": source, "width": info.width, "height": info.height},
    )
    return True


def _candidate_numbers(stem: str) -> set[str]:
    from app.rules.idcard import validate_id

    number = compact_upper(stem)
    out = {number}
    if len(number) == 15 and number.isdigit():  # a first-generation number names the 18-digit one
        try:
            out.add(validate_id("201", number).number)
        except ValidationError:
            pass
    return out


def import_photos(
    session: Session,
    actor: Actor,
    folder: str | Path,
    *,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[str, int, int], None] | None = None,
) -> PhotoReport:
    """Import every jpg/png in `folder` named by ID number (11010519491231002X.jpg; x or X)."""
    require(session, actor, Perm.EDIT_ROSTER, what="导入照片")
    folder = Path(folder)
    if not folder.is_dir():
        raise ValidationError(f"找不到照片文件夹“{folder}”。请选择存放照片的文件夹。")
    report = PhotoReport(str(folder))
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    images = [p for p in files if p.suffix.lower() in SUFFIXES]
    report.ignored = [p.name for p in files if p.suffix.lower() not in SUFFIXES]
    wanted = {p.name: _candidate_numbers(p.stem) for p in images}
    numbers = sorted({n for ns in wanted.values() for n in ns})
    people: dict[str, list[Person]] = {}
    for i in range(0, len(numbers), 400):
        for person in session.scalars(
            select(Person).where(Person.id_number.in_(numbers[i : i + 400]))
        ):
            people.setdefault(person.id_number, []).append(person)
    for n, path in enumerate(images, start=1):
        if progress:
            progress("照片", n, len(images))
        matches = {p.id: p for num in wanted[path.name] for p in people.get(num, [])}
        if not matches:
            report.unmatched.append(path.name)
            continue
        if len(matches) > 1:
            report.rejected.append(
                RejectedPhoto(path.name, "该号码对应多名人员（证件类型不同），请在人员页面单独上传")
            )
            continue
        person = next(iter(matches.values()))
        try:
            data = path.read_bytes()
            info = check_photo(data, max_bytes=max_bytes)
        except OSError as exc:
            report.rejected.append(RejectedPhoto(path.name, f"无法读取文件：{exc.strerror or exc}"))
            continue
        except ValidationError as exc:
            report.rejected.append(RejectedPhoto(path.name, exc.message))
            continue
        if _store(session, actor, person, data, info, path.name):
            report.accepted.append(path.name)
        else:
            report.unchanged.append(path.name)
    report.missing = people_without_photo(session)
    return report


def set_photo(
    session: Session,
    actor: Actor,
    person_id: int,
    data: bytes,
    source: str = "",
    *,
    max_bytes: int = MAX_BYTES,
) -> bool:
    """Store one person's photo (the GUI's upload); ValidationError when the photo is unfit."""
    require(session, actor, Perm.EDIT_ROSTER, what="上传照片")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"找不到编号为 {person_id} 的人员。")
    try:
        info = check_photo(data, max_bytes=max_bytes)
    except ValidationError as exc:
        raise ValidationError(f"照片“{source or person.name}”不合格：{exc.message}。") from None
    return _store(session, actor, person, data, info, source)


def get_photo(session: Session, person_id: int) -> Photo | None:
    return session.get(Photo, person_id)


def people_without_photo(session: Session) -> list[MissingPhoto]:
    """Staff, and candidates enrolled in batches not yet certified or archived, without a photo."""
    has_photo = select(Photo.person_id)
    out: dict[int, MissingPhoto] = {}
    staff = session.execute(
        select(Person.id, Person.name, Person.id_number)
        .where(Person.id.in_(select(StaffRoleEntry.person_id)), Person.id.not_in(has_photo))
        .order_by(Person.id)
    )
    for pid, name, number in staff:
        out[pid] = MissingPhoto(pid, name, mask_id(number), "工作人员")
    candidates = session.execute(
        select(Person.id, Person.name, Person.id_number, Batch.code)
        .join(Enrolment, Enrolment.person_id == Person.id)
        .join(Batch, Batch.id == Enrolment.batch_id)
        .where(Batch.status.in_(OPEN_BATCH_STATUSES), Person.id.not_in(has_photo))
        .order_by(Batch.code, Person.id)
    )
    for pid, name, number, code in candidates:
        if pid not in out:
            out[pid] = MissingPhoto(pid, name, mask_id(number), f"考生（批次 {code}）")
    return list(out.values())
