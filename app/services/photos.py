"""Photos (二寸照片): import a folder of files named by ID number (or by a name and a resident ID
number, `photo_names`), check each (`photo_image`), store it with its mime, size and SHA-256.
The folder import (`import_photos`) and the single upload (`set_photo`) share one check
(`prepare_photo`) and its messages. An import replaces the photos people have already, and
reports those apart from new ones; `photos_to_replace` tells beforehand whose (without decoding
any image), for the GUI to ask first.

File names are ID numbers, which are personal data: the report and the audit log name a file
with the ID-like part masked (`masked_file_name`), and a file that names a person by the
person's name and masked ID; the full number is never shown or recorded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import Batch, Enrolment, Person, Photo, StaffRoleEntry
from app.models.enums import BatchStatus
from app.rules.idcard import mask_id
from app.services.actor import Actor
from app.services.audit import record
from app.services.permissions import Perm, require
from app.services.photo_image import (
    MAX_BYTES,
    PreparedPhoto,
    prepare_photo,
    read_photo_file,
)
from app.services.photo_names import file_key, masked_file_name, numbers_in, shown_text

T = TypeVar("T")
SUFFIXES: Final = (".jpg", ".jpeg", ".png")
IGNORED_REASON: Final = "不是 jpg/png 照片（如是照片，请另存为 JPG 或 PNG 后重新导入）"
FOLDER_REASON: Final = (
    "子文件夹中的文件不会导入（如其中有照片，请把照片移到所选文件夹中后重新导入）"
)
HIDDEN_REASON: Final = (
    "文件名以“.”开头，是隐藏或系统生成的文件，未导入（如是照片，请去掉文件名开头的“.”后重新导入）"
)
UNREADABLE_REASON: Final = (
    "无法读取文件（没有权限或已被其他程序占用）：请检查文件的访问权限、关闭占用它的程序后再试"
)
GONE_REASON: Final = "无法读取文件（文件已被移动或删除）：请确认文件仍在原处后再试"
UNMATCHED_REASON: Final = (
    "无对应人员（文件名应为人员的证件号码，整个文件名只是号码，如“证件号码.jpg”；"
    "仅居民身份证号码可再加上姓名，如“张三_证件号码.jpg”：请核对文件名，或先添加该人员再导入）"
)
MASKED_NOTE: Final = "文件名中的证件号码已部分隐藏，只显示前后几位。"
MISSING_TITLE: Final = "缺少照片的人员"  # the report's last section (the CLI lists --limit of it)
OPEN_BATCH_STATUSES: Final = tuple(
    s.value for s in BatchStatus if s not in (BatchStatus.CERTIFIED, BatchStatus.ARCHIVED)
)


@dataclass(frozen=True)
class IgnoredFile:
    """A skipped folder entry: `file` as shown (masked name), `kind` "file" (not jpg/png),
    "folder", "hidden" or "extra" (a photo named by a person's ID number and more text, for a
    person whose file is named by the number alone; shown with "（姓名）"), and `reason`, why
    it was skipped."""

    file: str
    reason: str = IGNORED_REASON
    kind: str = "file"

    @property
    def shown(self) -> str:
        """The name with "（子文件夹）" / "（隐藏文件）" for those."""
        return self.file + {"folder": "（子文件夹）", "hidden": "（隐藏文件）"}.get(self.kind, "")

    @property
    def line(self) -> str:
        return f"{self.shown}：{self.reason}"


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
    """What an import did; every entry is display-safe (no full ID number).

    The GUI's report dialog and the CLI show the same texts: `summary_text`, `sections` and
    `note_text`.
    """

    folder: str
    added: list[str] = field(default_factory=list)  # "姓名（masked ID）": had no photo, now has
    replaced: list[str] = field(default_factory=list)  # "姓名（masked ID）": stored photo replaced
    unchanged: list[str] = field(default_factory=list)  # "姓名（masked ID）": same bytes as stored
    rejected: list[RejectedPhoto] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # masked names of files nobody matches
    # skipped entries (files not .jpg/.jpeg/.png, subfolders, dot-files), each with its reason
    ignored: list[IgnoredFile] = field(default_factory=list)
    missing: list[MissingPhoto] = field(default_factory=list)
    names_masked: bool = False  # some file name shown has its ID-like part masked

    @property
    def accepted(self) -> list[str]:
        """Everyone whose photo was stored: added, then replaced."""
        return self.added + self.replaced

    def summary_text(self) -> str:
        kinds = [x.kind for x in self.ignored]
        skipped = f"跳过非 jpg/png 文件 {kinds.count('file')} 个"
        if kinds.count("folder"):
            skipped += f"、子文件夹 {kinds.count('folder')} 个"
        if kinds.count("hidden"):
            skipped += f"、隐藏文件 {kinds.count('hidden')} 个"
        if kinds.count("extra"):
            skipped += f"、多余的照片文件 {kinds.count('extra')} 个"
        replaced = f"替换 {len(self.replaced)} 张" + ("（原照片已被替换）" if self.replaced else "")
        return (
            f"照片导入（{self.folder}）：新增 {len(self.added)} 张，{replaced}，"
            f"未变 {len(self.unchanged)} 张，不合格 {len(self.rejected)} 张，"
            f"无对应人员 {len(self.unmatched)} 张，{skipped}；仍缺照片 {len(self.missing)} 人。"
        )

    def sections(self) -> list[tuple[str, list[str]]]:
        """The report's lists, (title, lines), each line saying what happened or why not."""
        return [
            (
                "已导入",
                [f"{n}：替换（原照片已被替换）" for n in self.replaced]
                + [f"{n}：新增" for n in self.added]
                + [f"{n}：未变（与已存照片相同，未改动）" for n in self.unchanged],
            ),
            ("不合格", [f"{x.file}：{x.reason}" for x in self.rejected]),
            (
                "无对应人员及跳过的文件",
                [f"{n}：{UNMATCHED_REASON}" for n in self.unmatched]
                + [x.line for x in self.ignored],
            ),
            (MISSING_TITLE, [f"{m.name}（{m.id_masked}）：{m.why}" for m in self.missing]),
        ]

    def note_text(self) -> str:
        """How to read the file names shown ("" when none is masked)."""
        return MASKED_NOTE if self.names_masked else ""

    @property
    def left(self) -> int:
        """Photo files not imported that the user should deal with: unfit or naming nobody."""
        return len(self.rejected) + len(self.unmatched)

    def left_text(self) -> str:
        """What is left to do, "" when nothing: the files not imported, or an empty folder."""
        if self.left:
            return (
                f"有 {self.left} 个照片文件未导入（见“不合格”和“无对应人员”）：改正或改名后可重新"
                "导入该文件夹（与已存照片相同的不会重复写入）。"
            )
        if not (self.accepted or self.unchanged):
            return "文件夹中没有可导入的 jpg/png 照片：请确认选择的是存放照片的文件夹。"
        return ""


def _person_label(person: Person) -> str:
    return f"{person.name}（{mask_id(person.id_number)}）"


def _store(
    session: Session, actor: Actor, person: Person, photo_in: PreparedPhoto, source: str
) -> str | None:
    """Insert or replace the person's photo (audited): "added" or "replaced"; None when the
    same bytes are stored already (nothing written)."""
    data, info = photo_in.data, photo_in.info
    digest = hashlib.sha256(data).hexdigest()
    photo = session.get(Photo, person.id)
    if photo is not None and photo.sha256 == digest:
        return None
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
    summary: dict[str, object] = {
        "name": person.name,
        "file": masked_file_name(source),
        "width": info.width,
        "height": info.height,
    }
    if photo_in.rotated:
        summary["upright"] = True  # EXIF orientation applied, stored re-encoded
    record(session, actor, action, photo, person_id=person.id, summary=summary)
    return "added" if action == "photo.import" else "replaced"


def _name_reason(in_file: str, person: Person) -> str:
    return (
        f"文件名中的姓名“{shown_text(in_file)}”与该证件号码登记的姓名“{person.name}”不一致，"
        "未导入：请核对证件号码和姓名，改正文件名后重新导入（号码无误时也可只用证件号码命名）"
    )


def _extra_reason(plain: str) -> str:
    """Why a file naming a person by the ID number and more text is skipped: `plain` (masked)
    names the person by the number alone."""
    return (
        f"已有以证件号码命名的照片文件“{plain}”，此文件未导入"
        "（如要改用此文件，请移走那个文件后重新导入）"
    )


def _numbers_reason(count: int) -> str:
    return (
        f"文件名中有 {count} 段像证件号码的数字，无法确定是谁的照片，未导入："
        "请让文件名只含本人的证件号码（可加姓名，如“张三_证件号码.jpg”）后重新导入"
    )


def _list_folder(folder: Path) -> list[Path]:
    """The folder's entries, sorted; ValidationError (in Chinese) when it cannot be read."""
    try:
        if not folder.is_dir():
            raise ValidationError(f"找不到照片文件夹“{folder}”。请选择存放照片的文件夹。")
        return sorted(folder.iterdir())
    except OSError:
        raise ValidationError(
            f"无法读取照片文件夹“{folder}”（没有访问权限或文件夹不可用）。"
            "请检查该文件夹的访问权限（或把照片复制到自己有权限的文件夹），然后重新导入。"
        ) from None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # cannot even look at it: taken as a file, whose reading then fails
        return False


def _read_error(exc: OSError) -> str:
    return GONE_REASON if isinstance(exc, FileNotFoundError) else UNREADABLE_REASON


@dataclass
class _Scan:
    """A photo folder read and matched to people, nothing checked or written yet."""

    shown: dict[str, str]  # file name → masked name
    ignored: list[tuple[str, IgnoredFile]]  # (file name, why skipped)
    images: list[Path]  # the .jpg/.jpeg/.png files
    matched: dict[str, dict[int, Person]]  # image file name → the people its name may mean
    files_of: dict[int, list[str]]  # person id → the files that name only that person (not extra)
    wrong_name: dict[str, str]  # file name → its name part, not the name of the one it names
    ambiguous: dict[str, int]  # file name → how many ID numbers it holds (2 or more)
    # a file naming one person by the number and more text → the file named by the number alone
    extra: dict[str, str]

    def single(self, name: str) -> Person | None:
        """The person the file `name` is for: it names one person, by the person's name too if it
        holds one, no other file names the person, and it does not give way to a file named by
        the person's number alone."""
        matches = self.matched[name]
        if len(matches) != 1 or name in self.wrong_name or name in self.extra:
            return None
        person = next(iter(matches.values()))
        return person if self.files_of[person.id] == [name] else None


def _scan(session: Session, folder: Path) -> _Scan:
    entries = _list_folder(folder)
    shown = {p.name: masked_file_name(p.name) for p in entries}
    ignored: list[tuple[str, IgnoredFile]] = []
    images: list[Path] = []
    for p in entries:
        if p.name.startswith("."):
            ignored.append((p.name, IgnoredFile(shown[p.name], HIDDEN_REASON, "hidden")))
        elif _is_dir(p):
            ignored.append((p.name, IgnoredFile(shown[p.name], FOLDER_REASON, "folder")))
        elif p.suffix.lower() in SUFFIXES:
            images.append(p)
        else:
            ignored.append((p.name, IgnoredFile(shown[p.name])))
    keys = {p.name: file_key(p.stem) for p in images}
    numbers = sorted({n for k in keys.values() for n in (*k.plain, k.number) if n})
    people: dict[str, list[Person]] = {}
    for chunk in _chunks(numbers):
        for person in session.scalars(select(Person).where(Person.id_number.in_(chunk))):
            people.setdefault(person.id_number, []).append(person)
    matched: dict[str, dict[int, Person]] = {}
    wrong_name: dict[str, str] = {}
    ambiguous: dict[str, int] = {}
    decorated: set[str] = set()  # named by a resident ID number and more text
    for name, key in keys.items():
        matches = {x.id: x for num in key.plain for x in people.get(num, [])}
        if not matches and key.numbers > 1:
            ambiguous[name] = key.numbers
        elif not matches and key.number:
            decorated.add(name)
            matches = {x.id: x for x in people.get(key.number, [])}
            if len(matches) == 1 and not key.names(next(iter(matches.values())).name):
                wrong_name[name] = key.name
        matched[name] = matches
    # person id → the (first) file naming the person by the number alone
    plain_of = {
        pid: name for name in reversed(keys) if name not in decorated for pid in matched[name]
    }
    extra: dict[str, str] = {}
    files_of: dict[int, list[str]] = {}
    for name, matches in matched.items():
        if len(matches) != 1:
            continue
        pid = next(iter(matches))
        if name in decorated and pid in plain_of:
            extra[name] = plain_of[pid]
        else:
            files_of.setdefault(pid, []).append(name)
    return _Scan(shown, ignored, images, matched, files_of, wrong_name, ambiguous, extra)


def _chunks(values: list[T], size: int = 400) -> list[list[T]]:
    """`values` in slices short enough for one SQL IN (…) list."""
    return [values[i : i + size] for i in range(0, len(values), size)]


def photos_to_replace(
    session: Session, actor: Actor, folder: str | Path, *, max_bytes: int = MAX_BYTES
) -> list[str]:
    """Who would have a stored photo replaced by `import_photos(folder)`: "姓名（masked ID）" of
    each person who has a photo and is named by one file whose bytes differ from it.

    Cheap (no image is decoded) and writes nothing, for asking before an import. It may count a
    file the import then rejects as unfit, or one stored re-encoded upright that comes out the
    same again; it never misses a photo the import would replace.
    """
    require(session, actor, Perm.EDIT_ROSTER, what="导入照片")
    folder = Path(folder)
    scan = _scan(session, folder)
    people = {p.name: person for p in scan.images if (person := scan.single(p.name))}
    stored: dict[int, str] = {}
    for chunk in _chunks(sorted({x.id for x in people.values()})):
        stored.update(
            session.execute(select(Photo.person_id, Photo.sha256).where(Photo.person_id.in_(chunk)))
            .tuples()
            .all()
        )
    out: list[str] = []
    for name, person in people.items():
        if person.id not in stored:
            continue
        try:
            data = read_photo_file(folder / name, max_bytes=max_bytes)
        except (OSError, ValidationError):  # the import rejects it: nothing replaced
            continue
        if hashlib.sha256(data).hexdigest() != stored[person.id]:
            out.append(_person_label(person))
    return out


def import_photos(
    session: Session,
    actor: Actor,
    folder: str | Path,
    *,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[str, int, int], None] | None = None,
) -> PhotoReport:
    """Import every jpg/png in `folder` named by ID number (11010519491231002X.jpg; x or X), or
    by one resident ID number and more text, a name (张三11010519491231002X.jpg,
    11010519491231002X-张三.jpg, 11010519491231002X_张三.jpg) or none (a copy's “ - 副本”, words
    such as 身份证 or 二寸: `photo_names`). A name that is not the person's, or two ID numbers in
    one file name, is reported as such and the file not imported. A file named by the number and
    more text gives way to one named by the person's number alone: it is listed as skipped.

    A person's stored photo is replaced (reported as such; `photos_to_replace` tells before).
    Several files for one person (not giving way) are a conflict: none of them is imported. A photo whose
    stored form is the one already stored is reported unchanged (nothing written or audited).
    Subfolders, dot-files and other files are listed as ignored, each with its reason.
    """
    require(session, actor, Perm.EDIT_ROSTER, what="导入照片")
    folder = Path(folder)
    scan = _scan(session, folder)
    shown = scan.shown
    report = PhotoReport(str(folder), ignored=[x for _, x in scan.ignored])
    listed = [name for name, _ in scan.ignored]  # file names the report shows by (masked) name
    images = scan.images
    for n, path in enumerate(images, start=1):
        if progress:
            progress("照片", n, len(images))
        matches = scan.matched[path.name]
        if len(matches) != 1:
            listed.append(path.name)
        if path.name in scan.ambiguous:
            reason = _numbers_reason(scan.ambiguous[path.name])
            report.rejected.append(RejectedPhoto(shown[path.name], reason))
            continue
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
        if path.name in scan.extra:
            listed.append(path.name)
            reason = _extra_reason(shown[scan.extra[path.name]])
            report.ignored.append(IgnoredFile(label, reason, "extra"))
            continue
        if path.name in scan.wrong_name:
            listed.append(path.name)
            reason = _name_reason(scan.wrong_name[path.name], person)
            report.rejected.append(RejectedPhoto(label, reason))
            continue
        others = [x for x in scan.files_of[person.id] if x != path.name]
        if others:
            listed.append(path.name)
            report.rejected.append(RejectedPhoto(label, _conflict_reason(path.name, others, shown)))
            continue
        try:
            data = read_photo_file(path, max_bytes=max_bytes)
            prepared = prepare_photo(data, max_bytes=max_bytes)
        except OSError as exc:
            listed.append(path.name)
            report.rejected.append(RejectedPhoto(label, _read_error(exc)))
            continue
        except ValidationError as exc:
            listed.append(path.name)
            report.rejected.append(RejectedPhoto(label, exc.message))
            continue
        done = _store(session, actor, person, prepared, path.name)
        if done == "added":
            report.added.append(_person_label(person))
        elif done == "replaced":
            report.replaced.append(_person_label(person))
        else:
            report.unchanged.append(_person_label(person))
    report.names_masked = any(shown[name] != name for name in listed)
    report.missing = people_without_photo(session)
    return report


def _conflict_reason(name: str, others: list[str], shown: dict[str, str]) -> str:
    """Why a file that names the same person as other files is not imported (masked names)."""
    described = [
        shown[x] if shown[x] != shown[name] else f"{shown[x]}（文件名仅大小写或空格不同）"
        for x in others
    ]
    return (
        f"同一人员有多个照片文件（另有 {'、'.join(described)}），均未导入："
        "请只保留其中一个文件后重新导入"
    )


def set_photo(
    session: Session,
    actor: Actor,
    person_id: int,
    data: bytes,
    source: str = "",
    *,
    max_bytes: int = MAX_BYTES,
) -> bool:
    """Store one person's photo (the GUI's upload); ValidationError when the photo is unfit.

    The same check and normalisation as the folder import (`prepare_photo`); False when the
    photo stored already is the same.
    """
    require(session, actor, Perm.EDIT_ROSTER, what="上传照片")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"找不到编号为 {person_id} 的人员。")
    try:
        prepared = prepare_photo(data, max_bytes=max_bytes)
    except ValidationError as exc:
        shown = masked_file_name(source) if source else person.name
        raise ValidationError(f"照片“{shown}”不合格：{exc.message}。") from None
    return _store(session, actor, person, prepared, source) is not None


def upload_name_warning(
    session: Session, actor: Actor, person_id: int, file_name: str
) -> str | None:
    """Why a photo file chosen for one person looks like somebody else's, by its name (as the
    folder import reads names, `photo_names.file_key`): it is another registered person's ID
    number, a resident ID number that is not the person's, or the person's number beside
    another name. None when the name says nothing against it (IMG_0012.jpg, 张三.jpg). Asked
    only by who may upload (it tells whose number a name is)."""
    require(session, actor, Perm.EDIT_ROSTER, what="上传照片")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"找不到编号为 {person_id} 的人员。")
    stem = Path(file_name).stem
    key = file_key(stem)
    numbers = set(key.plain) | numbers_in(stem)
    shown = masked_file_name(file_name)
    mine = f"{person.name}（{mask_id(person.id_number)}）"
    other = session.scalar(
        select(Person)
        .where(Person.id_number.in_(numbers), Person.id != person.id)
        .order_by(Person.id)
        .limit(1)
    )
    if other is not None:
        theirs = f"另一人员{other.name}（{mask_id(other.id_number)}）的证件号码"
        if person.id_number in numbers:
            return f"文件名“{shown}”中除{mine}的证件号码外，还有{theirs}。"
        return f"文件名“{shown}”是{theirs}，不是{mine}的。"
    if person.id_number in numbers:
        if key.number == person.id_number and not key.names(person.name):
            return f"文件名“{shown}”中的姓名“{key.name}”与{mine}不一致。"
        return None
    if key.number or numbers_in(stem):
        return f"文件名“{shown}”中的证件号码不是{mine}的证件号码。"
    return None


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
