"""Photos (二寸照片): import a folder of files named by ID number, check each, keep the bytes as-is.

A photo is accepted when Pillow can read it, it is JPEG or PNG, portrait (height > width), at
least 295 × 413 px (a 2-inch photo at 300 dpi, the size the certificate prints) and under the
size limit. The bytes are stored unchanged (never re-encoded) with mime, size and SHA-256.

File names are ID numbers, which are personal data: the report and the audit log name a file
with the ID-like part masked (`masked_file_name`), and a file that names a person by the
person's name and masked ID; the full number is never shown or recorded.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
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
IGNORED_REASON: Final = "不是 jpg/png 照片（如是照片，请另存为 JPG 或 PNG 后重新导入）"
_MIN_ID_DIGITS: Final = 6  # a run of letters and digits with this many digits may be an ID number
_ALNUM_RUN: Final = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+")
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
    file: str  # as shown: masked file name, with "（姓名）" when the file names a person
    reason: str


@dataclass(frozen=True)
class MissingPhoto:
    person_id: int
    name: str
    id_masked: str
    why: str  # "工作人员" / "考生（批次 2026-05）"


@dataclass
class PhotoReport:
    """What an import did; every entry is display-safe (no full ID number)."""

    folder: str
    accepted: list[str] = field(default_factory=list)  # "姓名（masked ID）": stored (new/replaced)
    unchanged: list[str] = field(default_factory=list)  # "姓名（masked ID）": same bytes as stored
    rejected: list[RejectedPhoto] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # masked names of files nobody matches
    ignored: list[str] = field(default_factory=list)  # masked names of files not .jpg/.jpeg/.png
    missing: list[MissingPhoto] = field(default_factory=list)
    names_masked: bool = False  # some file name shown has its ID-like part masked

    def summary_text(self) -> str:
        return (
            f"照片导入（{self.folder}）：接收 {len(self.accepted)} 张，未变 {len(self.unchanged)} 张，"
            f"不合格 {len(self.rejected)} 张，无对应人员 {len(self.unmatched)} 张，"
            f"跳过非 jpg/png 文件 {len(self.ignored)} 个；仍缺照片 {len(self.missing)} 人。"
        )


def _mask_run(run: str) -> str:
    return mask_id(run) if sum(c.isdigit() for c in run) >= _MIN_ID_DIGITS else run


def masked_file_name(name: str) -> str:
    """`name` with any ID-like part masked (mask_id), the extension kept: safe to show and log.

    A stem that is one number (spaces, full-width characters and a lower-case x allowed) is
    masked whole, e.g. 11010519491231002x.jpg → 110105**********2X.jpg; otherwise each run of
    letters and digits holding six or more digits is masked.
    """
    suffix = Path(name).suffix
    stem = name[: len(name) - len(suffix)] if suffix else name
    compact = compact_upper(stem)
    if compact.isascii() and compact.isalnum():
        masked = _mask_run(compact)
        return name if masked == compact else masked + suffix
    return _ALNUM_RUN.sub(lambda m: _mask_run(m.group()), stem) + suffix


def _person_label(person: Person) -> str:
    return f"{person.name}（{mask_id(person.id_number)}）"


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
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; such an image is no ID photo either
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format or ""
                width, height = img.size
                img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"图片像素过多（超过 {Image.MAX_IMAGE_PIXELS // 10000} 万像素），图片尺寸异常；"
            f"请用正常的证件照（二寸照 {MIN_WIDTH}×{MIN_HEIGHT} 像素即可）"
        ) from None
    except Exception as exc:  # Pillow raises many types on a damaged file; none may stop an import
        what = "" if isinstance(exc, UnidentifiedImageError) else f"：{type(exc).__name__}"
        raise ValidationError(
            f"无法读取图片（文件损坏或不是图片{what}），请换用能正常打开的 JPG 或 PNG 照片"
        ) from None
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
        summary={
            "name": person.name,
            "file": masked_file_name(source),
            "width": info.width,
            "height": info.height,
        },
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
    shown = {p.name: masked_file_name(p.name) for p in files}
    listed = [p.name for p in files if p.suffix.lower() not in SUFFIXES]  # named in the report
    report.ignored = [shown[name] for name in listed]
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
        if len(matches) != 1:
            listed.append(path.name)
        if not matches:
            report.unmatched.append(shown[path.name])
            continue
        if len(matches) > 1:
            report.rejected.append(
                RejectedPhoto(
                    shown[path.name], "该号码对应多名人员（证件类型不同），请在人员页面单独上传"
                )
            )
            continue
        person = next(iter(matches.values()))
        label = f"{shown[path.name]}（{person.name}）"
        try:
            data = path.read_bytes()
            info = check_photo(data, max_bytes=max_bytes)
        except OSError as exc:
            listed.append(path.name)
            reason = f"无法读取文件：{exc.strerror or type(exc).__name__}"
            report.rejected.append(RejectedPhoto(label, reason))
            continue
        except ValidationError as exc:
            listed.append(path.name)
            report.rejected.append(RejectedPhoto(label, exc.message))
            continue
        if _store(session, actor, person, data, info, path.name):
            report.accepted.append(_person_label(person))
        else:
            report.unchanged.append(_person_label(person))
    report.names_masked = any(shown[name] != name for name in listed)
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
        shown = masked_file_name(source) if source else person.name
        raise ValidationError(f"照片“{shown}”不合格：{exc.message}。") from None
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
