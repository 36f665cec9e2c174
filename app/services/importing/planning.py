"""Planning an import against the database: each parsed row gets its status (new, update,
unchanged, exists, error), its changes and its issues, and a staff import in replace mode the
roles it would take away. Nothing here writes; `engine` previews and commits with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import (
    Batch,
    ExaminerQualification,
    Occupation,
    Person,
    StaffAssignment,
    StaffRoleEntry,
    WorkType,
)
from app.models.enums import STAFF_ROLE_NAMES, StaffRole
from app.rules._text import width_key
from app.rules.id_types import id_type_name
from app.rules.idcard import mask_id
from app.services.examiner_certificates import CertificateClaim, certificate_clashes
from app.services.importing.parsing import NO_OCCUPATION_WARNING, agreement_note
from app.services.importing.results import ImportRow, RoleRemoval, RowIssue
from app.services.person_text import FIELD_NAMES
from app.services.roster import (
    UNFINISHED_BATCH_STATUSES,
    number_taken_text,
    same_number_other_type,
)


def _load_people(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Person]:
    """The people the file names who are already registered, with their roles and qualifications.

    Their ids are looked up first (plain rows, by the unique index), so a file of new people
    costs a few index lookups and no ORM loading.
    """
    by_type: dict[str, list[str]] = {}
    for id_type, number in sorted(set(keys)):
        by_type.setdefault(id_type, []).append(number)
    ids: list[int] = []
    for id_type, numbers in by_type.items():  # (type, number) is the unique index
        for i in range(0, len(numbers), 500):
            stmt = select(Person.id).where(
                Person.id_type == id_type, Person.id_number.in_(numbers[i : i + 500])
            )
            ids.extend(session.scalars(stmt))
    out: dict[tuple[str, str], Person] = {}
    for i in range(0, len(ids), 500):
        stmt = (
            select(Person)
            .where(Person.id.in_(ids[i : i + 500]))
            .options(selectinload(Person.roles), selectinload(Person.qualifications))
        )
        for person in session.scalars(stmt):
            out[(person.id_type, person.id_number)] = person
    return out


def _role_name(role: str) -> str:
    return STAFF_ROLE_NAMES[StaffRole(role)]


def _diff(obj: Any, values: dict[str, Any]) -> list[str]:
    return [k for k, v in values.items() if getattr(obj, k) != v]


def _keep_stored_widths(person: Person, values: dict[str, Any]) -> None:
    """A text the file writes with other-width punctuation than the stored one — 李（小）明 for
    李(小)明, 某某（集团） for 某某(集团), stored before prose kept its punctuation — is no change:
    the stored text stays (a name is printed on certificates already issued)."""
    for key, value in values.items():
        stored = getattr(person, key, None)
        if type(value) is str and type(stored) is str and value != stored:
            if width_key(value) == width_key(stored):
                values[key] = stored


# Where a column is in the file: column key -> (letter, header text); a problem found while
# planning names the cell it is about, like a problem found while reading.
Where = dict[str, tuple[str, str]]


def _issue(row: ImportRow, where: Where, key: str, message: str) -> RowIssue:
    letter, header = where.get(key, ("", ""))
    return RowIssue("", row.row, letter, header, message)


def _no_max_level(row: ImportRow, where: Where, occupation: str) -> RowIssue:
    key = "max_level" if "max_level" in where else "occupations"
    return _issue(row, where, key, f"考评职业“{occupation}”未填写最高等级")


# The names of occupations (by id) and of work types (by id): for changes and messages.
Names = tuple[dict[int, str], dict[int, str]]


def _qual_name(names: Names, occ_id: int, wt: int | None) -> str:
    occ = names[0].get(occ_id, "")
    return f"{occ}（{names[1].get(wt, '')}）" if wt is not None else occ


def merged_validity(
    q: ExaminerQualification | None, values: dict[str, Any]
) -> tuple[dt.date | None, dt.date | None]:
    """A qualification's validity as the row leaves it: the file's dates over the stored ones.

    When the file gives no date, only its own (none): a stored inconsistency that the row does
    not touch is not the row's doing.
    """
    if q is None or ("valid_from" not in values and "valid_until" not in values):
        return values.get("valid_from"), values.get("valid_until")
    return values.get("valid_from", q.valid_from), values.get("valid_until", q.valid_until)


def _merged_dates(
    row: ImportRow, where: Where, q: ExaminerQualification, values: dict[str, Any], what: str
) -> RowIssue | None:
    """A stored qualification whose validity, merged with the file's, would end before it starts."""
    start, end = merged_validity(q, values)
    if not (start and end and end < start):
        return None
    if "valid_until" in values and "valid_from" in values:  # checked when the row was read
        return None
    if "valid_until" in values:
        key = "valid_until"
        text = f"资格有效期至 {end.isoformat()} 早于库中已登记的资格有效期起 {start.isoformat()}"
    else:
        key = "valid_from"
        text = f"资格有效期起 {start.isoformat()} 晚于库中已登记的资格有效期至 {end.isoformat()}"
    return _issue(
        row,
        where,
        key,
        f"考评资格“{what}”：{text}。请核对，并同时填写“资格有效期起”和“资格有效期至”后重新导入",
    )


def _plan_row(row: ImportRow, person: Person | None, mode: str, names: Names, where: Where) -> None:
    p = row.parsed
    row.errors = list(p.errors)
    row.warnings = list(p.warnings)
    if person is not None and person.qualifications:  # (kept: the file adds none, erases none)
        row.warnings = [w for w in row.warnings if w != NO_OCCUPATION_WARNING]
    row.changes = []
    row.person_id = person.id if person else None
    if row.errors:
        row.status = "error"
        return
    if person is None:
        if mode == "update":
            row.errors.append(
                _issue(
                    row,
                    where,
                    "id_number",
                    "库中没有此人（按证件类型和号码查找）：更新模式只修改已登记的人员；"
                    "新人员请用新增（add）或替换（replace）模式导入",
                )
            )
            row.status = "error"
            return
        _check_max_levels(row, where, names, p.quals)
        row.status = "error" if row.errors else "new"
        row.changes = [f"新增角色：{_role_name(k)}" for k in p.roles]
        return
    if mode == "add":
        row.status = "exists"
        row.warnings.append(_skipped(person, p.roles, len(p.quals)))
        return
    _keep_stored_widths(person, p.person)
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
        stored = held.get(role)
        external = values.get("in_house", stored.in_house if stored else True) is False
        until = values.get("agreement_until")
        note = agreement_note(until) if external and until and "in_house" not in values else None
        if note and note not in row.warnings:  # (stored external, the file's 是否本单位人员 blank)
            row.warnings.append(note)
    quals = {(q.occupation_id, q.work_type_id): q for q in person.qualifications}
    _check_max_levels(row, where, names, [x for x in p.quals if (x[0], x[1]) not in quals])
    for occ_id, wt, values in p.quals:
        q = quals.get((occ_id, wt))
        what = _qual_name(names, occ_id, wt)
        if q is None:
            row.changes.append(f"新增考评资格：{what}")
            continue
        bad = _merged_dates(row, where, q, values, what)
        if bad is not None:
            row.errors.append(bad)
        elif _diff(q, values):
            row.changes.append(f"修改考评资格：{what}")
    row.status = "error" if row.errors else ("update" if row.changes else "unchanged")


def _check_max_levels(
    row: ImportRow, where: Where, names: Names, quals: list[tuple[int, int | None, dict[str, Any]]]
) -> None:
    """New qualifications need a max level: one message per occupation (its work types share it)."""
    for occ_id in dict.fromkeys(occ for occ, _wt, values in quals if "max_level" not in values):
        row.errors.append(_no_max_level(row, where, names[0].get(occ_id, "")))


SKIPPED_PREFIX: Final = "库中已有此人"  # (the candidate import words the row its own way)


def _skipped(person: Person, roles: dict[str, Any], quals: int) -> str:
    """Add mode, a person already registered: the row is skipped; say what the file would add."""
    held = {e.role for e in person.roles}
    missing = [_role_name(r) for r in roles if r not in held]
    lost = []
    if missing:
        lost.append(f"角色 {'、'.join(missing)}")
    if quals:
        lost.append("考评资格")
    text = f"{SKIPPED_PREFIX}（{person.name}），新增模式跳过此行、不作任何改动"
    if lost:
        return (
            f"{text}：文件中的{'和'.join(lost)}不会添加。如需为已登记的人员添加角色或考评资格、"
            "修改其信息，请改用更新（update）模式导入"
        )
    return f"{text}。如需修改其信息，请改用更新（update）模式导入"


def _fix_sheet(row: ImportRow, sheet: str) -> None:
    row.errors = [
        RowIssue(sheet, e.row, e.column, e.header, e.message) if not e.sheet else e
        for e in row.errors
    ]


# How a staff file gives one person several roles or qualifications (a row per person).
DUPLICATE_STAFF_HINT: Final = (
    "。多个角色、多个考评职业或同一职业的多个工种请合并在一行填写（用“、”分隔），"
    "一行中的考评资格共用同一最高等级、证书号和有效期；各职业的这些信息不同时，"
    "请把其他职业另存一个文件，在本次导入后用更新（update）模式导入，"
    "或导入后在人员的考评资格中修改"
)


def plan_rows(
    session: Session, rows: list[ImportRow], mode: str, sheet: str, where: Where
) -> dict[tuple[str, str], Person]:
    """Give every row its status, changes and issues against the database; the people matched."""
    keys = [r.parsed.key for r in rows if r.parsed.key is not None]
    people = _load_people(session, keys)
    names = (
        dict(session.execute(select(Occupation.id, Occupation.name)).tuples().all()),
        dict(session.execute(select(WorkType.id, WorkType.name)).tuples().all()),
    )
    # one number is one person, whatever the ID type: against the database and earlier rows
    elsewhere = same_number_other_type(session, [k for k in keys if k not in people])
    first_row: dict[tuple[str, str], int] = {}
    number_row: dict[str, tuple[int, str]] = {}  # number -> (its first row, that row's ID type)
    for row in rows:
        key = row.parsed.key
        dup = key is not None and key in first_row
        taken = _number_taken(row, elsewhere, number_row)
        if taken:  # (not planned further: the row is nobody new, nor anybody to update)
            row.errors.append(_issue(row, where, "id_number", taken))
            row.status = "error"
        else:
            _plan_row(row, people.get(key) if key else None, mode, names, where)
        if dup:
            text = f"证件号码与第 {first_row[key]} 行重复：同一人在文件中只能出现一次"
            if "roles" in where:  # a staff file (it has a 角色 column): how one row holds more
                text += DUPLICATE_STAFF_HINT
            row.errors.append(_issue(row, where, "id_number", text))
            row.status = "error"
        elif key is not None:
            first_row[key] = row.row
        _fix_sheet(row, sheet)
    _certificate_issues(session, rows, people, where, sheet)
    return people


def _number_taken(
    row: ImportRow,
    elsewhere: dict[tuple[str, str], Person],
    number_row: dict[str, tuple[int, str]],
) -> str | None:
    """Why the row's number cannot be its person's: it is registered, or given by an earlier
    row, under another ID type. Records the row's number for the rows below."""
    key = row.parsed.key
    if key is None:
        return None
    first, first_type = number_row.setdefault(key[1], (row.row, key[0]))
    if key in elsewhere:
        return number_taken_text(elsewhere[key])
    if first_type != key[0]:
        return (
            f"证件号码与第 {first} 行相同，但证件类型不同（第 {first} 行为“{id_type_name(first_type)}”）："
            "同一号码只能是一个人。请核对两行的证件类型"
        )
    return None


def _certificate_issues(
    session: Session,
    rows: list[ImportRow],
    people: dict[tuple[str, str], Person],
    where: Where,
    sheet: str,
) -> None:
    """考评员证书号: one that a registered person or an earlier row already gives to somebody else
    is an error of the row, in its column (as `roster.check_certificate_numbers` in the dialog)."""
    claims = _certificate_claims(rows, people)
    if not claims:
        return
    problems = certificate_clashes(session, [claim for _row, claim in claims])
    for (row, _claim), problem in zip(claims, problems, strict=True):
        if problem:
            row.errors.append(_issue(row, where, "certificate_no", problem))
            row.status = "error"
            _fix_sheet(row, sheet)


def _certificate_claims(
    rows: list[ImportRow], people: dict[tuple[str, str], Person]
) -> list[tuple[ImportRow, CertificateClaim]]:
    """The 考评员证书号 each row would give its person (an existing person left as is in 新增
    mode claims none)."""
    claims: list[tuple[ImportRow, CertificateClaim]] = []
    for row in rows:
        key = row.parsed.key
        if not row.parsed.quals or key is None or row.status == "exists":
            continue
        person = people.get(key)
        numbers = dict.fromkeys(v["certificate_no"] for _o, _w, v in row.parsed.quals if v.get("certificate_no"))
        claims.extend(
            (row, CertificateClaim(n, person.id if person else None, key, f"第 {row.row} 行"))
            for n in numbers
        )
    return claims


def new_rows_still_fit(
    session: Session, rows: list[ImportRow], people: dict[tuple[str, str], Person]
) -> bool:
    """At commit: the rows' 考评员证书号 still clash with nobody, and the occupations and work
    types the new rows' qualifications name still exist (somebody may have changed the roster or
    the catalogue since the preview; the rows that matched somebody were planned again)."""
    claims = _certificate_claims(rows, people)
    if claims and any(certificate_clashes(session, [claim for _row, claim in claims])):
        return False
    fresh = [r for r in rows if r.status == "new"]
    occupations = {o for r in fresh for o, _w, _v in r.parsed.quals}
    work_types = {w for r in fresh for _o, w, _v in r.parsed.quals if w is not None}
    found = set(session.scalars(select(Occupation.id).where(Occupation.id.in_(occupations))))
    found_wt = set(session.scalars(select(WorkType.id).where(WorkType.id.in_(work_types))))
    return found == occupations and found_wt == work_types


def roles_in_file(rows: list[ImportRow]) -> list[str]:
    order = list(StaffRole)
    return sorted(
        {role for r in rows for role in r.parsed.roles}, key=lambda x: order.index(StaffRole(x))
    )


def role_removals(session: Session, rows: list[ImportRow], kind: str, mode: str) -> list[RoleRemoval]:
    """Replace mode (staff): the role holders of the file's roles whom the file does not list."""
    roles = roles_in_file(rows)
    if kind != "staff" or mode != "replace" or not roles:
        return []
    listed = {(r.parsed.key, role) for r in rows if r.parsed.key for role in r.parsed.roles}
    stmt = (
        select(StaffRoleEntry, Person)
        .join(Person, Person.id == StaffRoleEntry.person_id)
        .where(StaffRoleEntry.role.in_(roles))
        .order_by(StaffRoleEntry.role, Person.id)
    )
    removals = [
        RoleRemoval(person.id, person.name, mask_id(person.id_number), entry.role)
        for entry, person in session.execute(stmt)
        if ((person.id_type, person.id_number), entry.role) not in listed
    ]
    return _with_open_assignments(session, removals)


# Batches whose staff still have work to do (up to scoring): losing the role matters there.


def _with_open_assignments(session: Session, removals: list[RoleRemoval]) -> list[RoleRemoval]:
    """Each removal with the unfinished batches that assign the person in that role (duty)."""
    if not removals:
        return removals
    wanted = {(r.person_id, r.role) for r in removals}
    where: dict[tuple[int, str], set[str]] = {}
    ids = sorted({r.person_id for r in removals})
    for i in range(0, len(ids), 500):
        stmt = (
            select(StaffAssignment.person_id, StaffAssignment.duty, Batch.code)
            .join(Batch, Batch.id == StaffAssignment.batch_id)
            .where(StaffAssignment.person_id.in_(ids[i : i + 500]), Batch.status.in_(UNFINISHED_BATCH_STATUSES))
        )
        for person_id, duty, code in session.execute(stmt):
            if (person_id, duty) in wanted:
                where.setdefault((person_id, duty), set()).add(code)
    return [
        replace(r, batches=tuple(sorted(where.get((r.person_id, r.role), ())))) for r in removals
    ]
