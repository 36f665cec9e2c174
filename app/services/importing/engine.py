"""Excel import of people (candidates' base records) and staff: preview, then commit all-or-nothing.

Modes (matching is by ID type + number):
- ``add``: rows not yet in the database are created; rows already there are reported with
  status ``exists`` and left unchanged (not an error).
- ``update``: rows must match an existing person, who is updated (status ``update`` or
  ``unchanged``); a row that matches nobody is an error. Blank cells never erase data.
- ``replace``: new rows are created and existing ones updated; for a staff import, every
  person who holds one of the roles named in the file but is not listed in the file with that
  role loses the role (people are never deleted; qualifications stay). For a people import
  there is no set to shrink, so ``replace`` adds and updates only.

A staff row may name several roles (考评员、监考员) and several examined occupations (same
max level, certificate and validity); a person appears once per file (a repeat is an error).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.errors import ValidationError
from app.models import ExaminerQualification, Occupation, Person, StaffRoleEntry
from app.models.enums import STAFF_ROLE_NAMES, StaffRole
from app.rules.id_types import ID_TYPES
from app.rules.idcard import mask_id
from app.services.actor import Actor
from app.services.audit import record
from app.services.importing import cells as C
from app.services.importing.columns import KIND_NAMES
from app.services.importing.reader import SheetTable, read_sheet
from app.services.permissions import Perm, require
from app.services.roster import (
    FIELD_NAMES,
    check_identity,
    check_qualification,
    check_text,
    delete_role,
    upsert_qualification,
    upsert_role,
)

Progress = Callable[[str, int, int], None]  # (stage, done, total)
MODES: Final = ("add", "update", "replace")
MODE_NAMES: Final = {"add": "新增", "update": "更新", "replace": "替换"}
STATUS_NAMES: Final = {
    "new": "新增", "update": "更新", "unchanged": "无变化", "exists": "已存在（未改动）", "error": "错误",
}  # fmt: skip
_TEXT_KEYS: Final = ("phone", "employer", "education", "city", "title")
_OCC_CODE: Final = re.compile(r"\d-\d{2}-\d{2}-\d{2}")
_PROGRESS_EVERY: Final = 250


@dataclass(frozen=True)
class RowIssue:
    sheet: str
    row: int
    column: str  # letter, "" when the problem is the whole row
    header: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" + (f" {self.column} 列（{self.header}）" if self.column else "")
        return f"{where}：{self.message}"


@dataclass
class _Parsed:
    """What a row says, already validated cell by cell (None / missing keys = not given)."""

    person: dict[str, Any] = field(default_factory=dict)
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    quals: list[tuple[int, int | None, dict[str, Any]]] = field(default_factory=list)
    key: tuple[str, str] | None = None
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportRow:
    row: int  # Excel 1-based row number
    name: str
    id_type: str
    id_masked: str
    status: str = "new"
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    person_id: int | None = None
    parsed: _Parsed = field(default_factory=_Parsed, repr=False)

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]


@dataclass(frozen=True)
class RoleRemoval:
    person_id: int
    name: str
    id_masked: str
    role: str

    @property
    def role_name(self) -> str:
        return STAFF_ROLE_NAMES[StaffRole(self.role)]


@dataclass
class ImportPreview:
    path: Path
    kind: str
    mode: str
    sheet: str
    header_row: int
    columns: dict[str, str]  # column key -> header text in the file
    unknown_headers: list[str]
    rows: list[ImportRow]
    removals: list[RoleRemoval] = field(default_factory=list)
    roles_in_file: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_NAMES, 0)
        for r in self.rows:
            out[r.status] += 1
        return out

    @property
    def has_errors(self) -> bool:
        return any(r.errors for r in self.rows)

    @property
    def errors(self) -> list[RowIssue]:
        return [e for r in self.rows for e in r.errors]

    def summary_text(self) -> str:
        c = self.counts
        parts = [f"{STATUS_NAMES[k]} {v} 行" for k, v in c.items() if v]
        text = (
            f"“{self.file_name}”（工作表“{self.sheet}”，表头在第 {self.header_row} 行）"
            f"{KIND_NAMES[self.kind]}导入（{MODE_NAMES[self.mode]}模式）：共 {len(self.rows)} 行，"
            + "，".join(parts or ["无数据"])
        )
        if self.removals:
            text += f"；将移除角色 {len(self.removals)} 项"
        return text + "。"


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    kind: str
    mode: str
    created: int
    updated: int
    unchanged: int
    skipped_existing: int
    roles_added: int
    roles_updated: int
    roles_removed: int
    qualifications_added: int
    qualifications_updated: int

    def summary_text(self) -> str:
        return (
            f"已导入“{self.file_name}”：新增 {self.created} 人，更新 {self.updated} 人，"
            f"无变化 {self.unchanged} 人，已存在未改动 {self.skipped_existing} 人；"
            f"角色新增 {self.roles_added}、修改 {self.roles_updated}、移除 {self.roles_removed}；"
            f"考评资格新增 {self.qualifications_added}、修改 {self.qualifications_updated}。"
        )


# --- parsing ------------------------------------------------------------------------------------
class _Catalogue:
    """Occupations by code and by name, work types by (occupation, name) — for 考评职业/考评工种."""

    def __init__(self, session: Session) -> None:
        self.by_code: dict[str, Occupation] = {}
        self.by_name: dict[str, list[Occupation]] = {}
        for occ in session.scalars(select(Occupation).options(selectinload(Occupation.work_types))):
            self.by_code[occ.code] = occ
            self.by_name.setdefault(occ.name, []).append(occ)

    def occupation(self, text: str) -> Occupation:
        m = _OCC_CODE.search(text)
        if m:
            occ = self.by_code.get(m.group(0))
            if occ is None:
                raise C.CellError(
                    f"职业编码“{m.group(0)}”不在职业目录中：请先在职业目录中添加该职业"
                )
            return occ
        found = self.by_name.get(text.strip(), [])
        if len(found) == 1:
            return found[0]
        if found:
            raise C.CellError(f"职业名称“{text}”在目录中有多个，请改填职业编码")
        raise C.CellError(
            f"职业“{text}”不在职业目录中：请填写目录中的职业名称或编码，或先添加该职业"
        )

    @staticmethod
    def work_type(occ: Occupation, name: str) -> int:
        for wt in occ.work_types:
            if wt.name == name or (wt.code and wt.code == name):
                return wt.id
        raise C.CellError(f"职业“{occ.name}”下没有工种“{name}”")


class _RowReader:
    def __init__(self, table: SheetTable, excel_row: int, cells: list[object]) -> None:
        self.table, self.row, self.cells = table, excel_row, cells
        self.out = _Parsed()

    def has(self, key: str) -> bool:
        return key in self.table.columns

    def raw(self, key: str) -> object:
        i = self.table.columns.get(key)
        return None if i is None or i >= len(self.cells) else self.cells[i]

    def given(self, key: str) -> bool:
        return self.has(key) and not C.is_blank(self.raw(key))

    def issue(self, key: str | None, message: str) -> None:
        col = header = ""
        if key and key in self.table.columns:
            col, header = self.table.where(key)
        elif key:
            header = FIELD_NAMES.get(key, key)
        self.out.errors.append(RowIssue(self.table.sheet, self.row, col, header, message))

    def parse(self, key: str, fn: Callable[[object], Any]) -> Any:
        """fn(cell) if the cell is filled; None if blank or invalid (the problem is recorded)."""
        if not self.given(key):
            return None
        try:
            return fn(self.raw(key))
        except C.CellError as exc:
            self.issue(key, str(exc))
        except ValidationError as exc:
            self.issue(key, exc.message)
        return None


def _parse_row(
    table: SheetTable, kind: str, excel_row: int, cells: list[object], cat: _Catalogue
) -> ImportRow:
    r = _RowReader(table, excel_row, cells)
    p = r.out
    name = C.clean_text(r.raw("name"))
    try:
        name = check_text("name", name)
        p.person["name"] = name
    except ValidationError as exc:
        r.issue("name", exc.message)
    id_type = r.parse("id_type", C.parse_id_type) or ("201" if not r.given("id_type") else None)
    gender = r.parse("gender", C.parse_gender)
    birth = r.parse("birth_date", C.parse_date)
    number_shown = ""
    if id_type is not None:
        raw = r.raw("id_number")
        if isinstance(raw, str):
            raw = raw.strip()
        try:
            info, gender, birth = check_identity(
                id_type, raw if not C.is_blank(raw) else None, gender, birth
            )
            p.key = (info.id_type, info.number)
            number_shown = mask_id(info.number)
            p.warnings.extend(info.warnings)
            p.person.update(gender=gender, birth_date=birth)
        except ValidationError as exc:
            r.issue(
                exc.field if exc.field in ("gender", "birth_date", "id_type") else "id_number",
                exc.message,
            )
    for key in _TEXT_KEYS:
        if r.given(key):
            try:
                p.person[key] = check_text(key, C.clean_text(r.raw(key)))
            except ValidationError as exc:
                r.issue(key, exc.message)
    if kind == "staff":
        _parse_staff(r, cat)
    return ImportRow(excel_row, name, id_type or "", number_shown, parsed=p)


def _parse_staff(r: _RowReader, cat: _Catalogue) -> None:
    p = r.out
    roles = r.parse("roles", C.parse_roles) or []
    if not roles and not r.given("roles"):
        r.issue("roles", "角色为空：请填写专职工作人员、专家、考评员、内部督导员或监考员")
    details: dict[str, Any] = {}
    for key in ("duties", "specialty"):
        if r.given(key):
            details[key] = C.clean_text(r.raw(key))
    in_house = r.parse("in_house", C.parse_bool)
    if in_house is not None:
        details["in_house"] = in_house
    on_file = r.parse("agreement_on_file", C.parse_bool)
    until = r.parse("agreement_until", C.parse_date)
    if until is not None:
        details["agreement_until"] = until
        if on_file is None:
            on_file = True  # an agreement with an end date is on file
    if on_file is not None:
        details["agreement_on_file"] = on_file
    if in_house is False and not on_file:
        p.warnings.append("非本单位人员未登记承诺书或合作协议")
    for role in roles:
        p.roles[role.value] = dict(details)
    occ_texts = C.split_list(r.raw("occupations")) if r.given("occupations") else []
    qual_given = [
        k
        for k in ("certificate_no", "max_level", "valid_from", "valid_until", "work_type")
        if r.given(k)
    ]
    if not occ_texts:
        if qual_given:
            r.issue("occupations", "填写了考评资格信息，但未填写考评职业")
        elif StaffRole.EXAMINER in roles:
            p.warnings.append("考评员未填写考评职业")
        return
    if StaffRole.EXAMINER not in roles:
        p.warnings.append("填写了考评职业，但角色中没有考评员")
    values: dict[str, Any] = {}
    level = r.parse("max_level", C.parse_level)
    if level is not None:
        values["max_level"] = level
    if r.given("certificate_no"):
        values["certificate_no"] = C.clean_text(r.raw("certificate_no")).replace(" ", "")
    for key in ("valid_from", "valid_until"):
        d = r.parse(key, C.parse_date)
        if d is not None:
            values[key] = d
    if (
        values.get("valid_from")
        and values.get("valid_until")
        and values["valid_until"] < values["valid_from"]
    ):
        r.issue("valid_until", "资格有效期至早于有效期起")
    if r.given("work_type") and len(occ_texts) > 1:
        r.issue("work_type", "填写了多个考评职业时不能填写工种：请每个工种分行或分别导入")
        return
    for text in occ_texts:
        try:
            occ = cat.occupation(text)
            wt = (
                cat.work_type(occ, C.clean_text(r.raw("work_type")))
                if r.given("work_type")
                else None
            )
        except C.CellError as exc:
            r.issue("occupations" if "工种" not in str(exc) else "work_type", str(exc))
            continue
        p.quals.append((occ.id, wt, dict(values)))


# --- planning (against the database) -------------------------------------------------------------
def _load_people(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Person]:
    from sqlalchemy import tuple_

    out: dict[tuple[str, str], Person] = {}
    keys = list(dict.fromkeys(keys))
    for i in range(0, len(keys), 400):
        stmt = (
            select(Person)
            .where(tuple_(Person.id_type, Person.id_number).in_(keys[i : i + 400]))
            .options(selectinload(Person.roles), selectinload(Person.qualifications))
        )
        for person in session.scalars(stmt):
            out[(person.id_type, person.id_number)] = person
    return out


def _role_name(role: str) -> str:
    return STAFF_ROLE_NAMES[StaffRole(role)]


def _diff(obj: Any, values: dict[str, Any]) -> list[str]:
    return [k for k, v in values.items() if getattr(obj, k) != v]


def _plan_row(row: ImportRow, person: Person | None, mode: str, occ_names: dict[int, str]) -> None:
    p = row.parsed
    row.errors = list(p.errors)
    row.warnings = list(p.warnings)
    row.changes = []
    row.person_id = person.id if person else None
    if row.errors:
        row.status = "error"
        return
    if person is None:
        if mode == "update":
            row.errors.append(
                RowIssue(
                    "",
                    row.row,
                    "",
                    "",
                    "库中没有此人（按证件类型和号码查找）：更新模式只修改已登记的人员；"
                    "新人员请用新增（add）或替换（replace）模式导入",
                )
            )
            row.status = "error"
            return
        for occ_id, _wt, values in p.quals:
            if "max_level" not in values:
                row.errors.append(
                    RowIssue(
                        "", row.row, "", "", f"考评职业“{occ_names.get(occ_id, '')}”未填写最高等级"
                    )
                )
        row.status = "error" if row.errors else "new"
        row.changes = [f"新增角色：{_role_name(k)}" for k in p.roles]
        return
    if mode == "add":
        row.status = "exists"
        row.warnings.append(f"库中已有此人（{person.name}），新增模式不作改动")
        return
    changed = _diff(person, p.person)
    if "name" in changed:
        row.warnings.append(f"姓名将由“{person.name}”改为“{p.person['name']}”")
    row.changes = [FIELD_NAMES[k] for k in changed]
    held = {e.role: e for e in person.roles}
    for role, values in p.roles.items():
        if role not in held:
            row.changes.append(f"新增角色：{_role_name(role)}")
        elif _diff(held[role], values):
            row.changes.append(f"修改角色：{_role_name(role)}")
    quals = {(q.occupation_id, q.work_type_id): q for q in person.qualifications}
    for occ_id, wt, values in p.quals:
        q = quals.get((occ_id, wt))
        if q is None:
            if "max_level" not in values:
                row.errors.append(
                    RowIssue(
                        "", row.row, "", "", f"考评职业“{occ_names.get(occ_id, '')}”未填写最高等级"
                    )
                )
            row.changes.append(f"新增考评资格：{occ_names.get(occ_id, '')}")
        elif _diff(q, values):
            row.changes.append(f"修改考评资格：{occ_names.get(occ_id, '')}")
    row.status = "error" if row.errors else ("update" if row.changes else "unchanged")


def _fix_sheet(row: ImportRow, sheet: str) -> None:
    row.errors = [
        RowIssue(sheet, e.row, e.column, e.header, e.message) if not e.sheet else e
        for e in row.errors
    ]


def _plan(
    session: Session,
    rows: list[ImportRow],
    kind: str,
    mode: str,
    sheet: str,
) -> tuple[dict[tuple[str, str], Person], list[RoleRemoval], list[str]]:
    keys = [r.parsed.key for r in rows if r.parsed.key is not None]
    people = _load_people(session, keys)
    occ_names = dict(session.execute(select(Occupation.id, Occupation.name)).tuples().all())
    first_row: dict[tuple[str, str], int] = {}
    for row in rows:
        key = row.parsed.key
        dup = key is not None and key in first_row
        _plan_row(row, people.get(key) if key else None, mode, occ_names)
        if dup:
            row.errors.append(
                RowIssue(
                    "",
                    row.row,
                    "",
                    "",
                    f"证件号码与第 {first_row[key]} 行重复：同一人在文件中只能出现一次",
                )
            )
            row.status = "error"
        elif key is not None:
            first_row[key] = row.row
        _fix_sheet(row, sheet)
    removals: list[RoleRemoval] = []
    roles_in_file = sorted(
        {role for r in rows for role in r.parsed.roles},
        key=lambda x: list(StaffRole).index(StaffRole(x)),
    )
    if kind == "staff" and mode == "replace" and roles_in_file:
        listed = {(r.parsed.key, role) for r in rows if r.parsed.key for role in r.parsed.roles}
        stmt = (
            select(StaffRoleEntry, Person)
            .join(Person, Person.id == StaffRoleEntry.person_id)
            .where(StaffRoleEntry.role.in_(roles_in_file))
            .order_by(StaffRoleEntry.role, Person.id)
        )
        for entry, person in session.execute(stmt):
            if ((person.id_type, person.id_number), entry.role) not in listed:
                removals.append(
                    RoleRemoval(person.id, person.name, mask_id(person.id_number), entry.role)
                )
    return people, removals, roles_in_file


def preview_import(
    session: Session,
    actor: Actor,
    path: str | Path,
    kind: str,
    mode: str = "add",
    *,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read and check the file; every row gets a status and its reasons. Nothing is written."""
    if kind not in KIND_NAMES:
        raise ValidationError(
            f"导入类型“{kind}”无效：应为 staff（工作人员）或 people（人员/考生）。"
        )
    if mode not in MODES:
        raise ValidationError(
            f"导入模式“{mode}”无效：应为 add（新增）、update（更新）或 replace（替换）。"
        )
    require(session, actor, Perm.EDIT_ROSTER, what=f"导入{KIND_NAMES[kind]}")
    path = Path(path)
    table = read_sheet(path, kind)
    cat = _Catalogue(session) if kind == "staff" else None
    rows: list[ImportRow] = []
    total = len(table.rows)
    for i, (excel_row, cells) in enumerate(table.rows, start=1):
        rows.append(_parse_row(table, kind, excel_row, cells, cat))  # type: ignore[arg-type]
        if progress and (i % _PROGRESS_EVERY == 0 or i == total):
            progress("校验", i, total)
    if not rows:
        raise ValidationError(
            f"文件“{path.name}”的工作表“{table.sheet}”在第 {table.header_row} 行表头之下没有任何数据行。"
        )
    _people, removals, roles_in_file = _plan(session, rows, kind, mode, table.sheet)
    return ImportPreview(
        path,
        kind,
        mode,
        table.sheet,
        table.header_row,
        dict(table.headers),
        table.unknown_headers,
        rows,
        removals,
        roles_in_file,
    )


# --- commit -----------------------------------------------------------------------------------------
def _new_person_values(p: _Parsed) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(_TEXT_KEYS, "")
    values.update(p.person)
    assert p.key is not None
    values["id_type"], values["id_number"] = p.key
    return values


_ROLE_DEFAULTS: Final = {
    "duties": "",
    "specialty": "",
    "in_house": True,
    "agreement_on_file": False,
    "agreement_until": None,
}


def commit_import(
    session: Session,
    actor: Actor,
    preview: ImportPreview,
    *,
    progress: Progress | None = None,
    reason: str = "",
) -> ImportResult:
    """Write a clean preview in the caller's transaction (all rows or none), audited row by row."""
    require(session, actor, Perm.EDIT_ROSTER, what=f"导入{KIND_NAMES[preview.kind]}")
    if preview.has_errors:
        bad = sum(1 for r in preview.rows if r.errors)
        raise ValidationError(
            f"“{preview.file_name}”有 {bad} 行错误，未导入任何数据。请改正这些行后重新导入"
            "（可导出错误报告逐条核对）。"
        )
    snapshot = [(r.status, tuple(r.changes)) for r in preview.rows]
    people, removals, _ = _plan(session, preview.rows, preview.kind, preview.mode, preview.sheet)
    if [
        (r.status, tuple(r.changes)) for r in preview.rows
    ] != snapshot or removals != preview.removals:
        raise ValidationError(
            "预览之后库中人员数据已发生变化（可能有其他人同时在修改），未导入任何数据。"
            "请重新预览后再导入。"
        )
    reason = reason or f"导入{preview.file_name}"
    total = len(preview.rows) + len(preview.removals)
    done = 0
    counts = dict.fromkeys(("roles_added", "roles_updated", "quals_added", "quals_updated"), 0)

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress and (done % _PROGRESS_EVERY == 0 or done == total):
            progress("写入", done, total)

    # New people: inserted together (then their roles and qualifications), then every row audited.
    # Children are linked by person_id, not through the relationship collections: assigning a
    # collection costs far more than the insert, and reading one back would lazy-load it.
    fresh: list[tuple[Person, ImportRow]] = []
    for row in preview.rows:
        if row.status == "new":
            fresh.append((Person(**_new_person_values(row.parsed)), row))
    session.add_all([person for person, _ in fresh])
    session.flush()
    children: dict[int, tuple[list[StaffRoleEntry], list[ExaminerQualification]]] = {}
    for person, row in fresh:
        p = row.parsed
        if not p.roles and not p.quals:
            continue
        roles = [
            StaffRoleEntry(person_id=person.id, role=role, **{**_ROLE_DEFAULTS, **v})
            for role, v in p.roles.items()
        ]
        quals = [
            ExaminerQualification(
                person_id=person.id, occupation_id=o, work_type_id=w, **{"certificate_no": "", **v}
            )
            for o, w, v in p.quals
        ]
        session.add_all([*roles, *quals])
        children[person.id] = (roles, quals)
    session.flush()
    for person, row in fresh:
        record(
            session,
            actor,
            "person.create",
            person,
            summary={"name": person.name, "id_number": person.id_number},
            reason=reason,
        )
        roles, quals = children.get(person.id, ([], []))
        for entry in roles:
            record(
                session,
                actor,
                "staff_role.add",
                entry,
                summary={"role": entry.role, "name": person.name},
                reason=reason,
            )
            counts["roles_added"] += 1
        for q in quals:
            record(
                session,
                actor,
                "qualification.add",
                q,
                summary={"name": person.name, "occupation_id": q.occupation_id},
                reason=reason,
            )
            counts["quals_added"] += 1
        row.person_id = person.id
        tick()
    for row in preview.rows:
        if row.status not in ("update",):
            if row.status != "new":
                tick()
            continue
        p = row.parsed
        person = people[p.key]  # type: ignore[index]
        changed = sorted(k for k, v in p.person.items() if getattr(person, k) != v)
        if changed:
            for k in changed:
                setattr(person, k, p.person[k])
            record(
                session,
                actor,
                "person.update",
                person,
                summary={"name": person.name, "changed": changed},
                reason=reason,
            )
        for role, values in p.roles.items():
            held = any(e.role == role for e in person.roles)
            outcome = upsert_role(
                session,
                actor,
                person,
                role,
                values if held else {**_ROLE_DEFAULTS, **values},
                reason,
            )
            counts["roles_added"] += outcome == "added"
            counts["roles_updated"] += outcome == "updated"
        for occ_id, wt, values in p.quals:
            check_qualification(
                session,
                occ_id,
                wt,
                values.get("max_level"),
                values.get("valid_from"),
                values.get("valid_until"),
            )
            outcome = upsert_qualification(session, actor, person, occ_id, wt, values, reason)
            counts["quals_added"] += outcome == "added"
            counts["quals_updated"] += outcome == "updated"
        tick()
    for removal in preview.removals:
        entry = session.scalar(
            select(StaffRoleEntry).where(
                StaffRoleEntry.person_id == removal.person_id, StaffRoleEntry.role == removal.role
            )
        )
        if entry is not None:
            delete_role(
                session, actor, entry, reason=f"{reason}（替换模式：文件中没有此人的该角色）"
            )
        tick()
    c = preview.counts
    result = ImportResult(
        preview.file_name,
        preview.kind,
        preview.mode,
        c["new"],
        c["update"],
        c["unchanged"],
        c["exists"],
        counts["roles_added"],
        counts["roles_updated"],
        len(preview.removals),
        counts["quals_added"],
        counts["quals_updated"],
    )
    record(
        session,
        actor,
        f"import.{preview.kind}",
        entity="person",
        summary={
            "file": preview.file_name,
            "mode": preview.mode,
            "rows": len(preview.rows),
            "created": result.created,
            "updated": result.updated,
            "roles_removed": result.roles_removed,
        },
        reason=reason,
    )
    return result


def id_type_label(code: str) -> str:
    return f"{code} {ID_TYPES.get(code, '')}".strip()
