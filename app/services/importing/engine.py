"""Excel import of people (candidates' base records) and staff: preview, then commit all-or-nothing.

Modes (matching is by ID type + number):
- ``add``: rows not yet in the database are created; rows already there are reported with
  status ``exists`` and left unchanged (not an error).
- ``update``: rows must match an existing person, who is updated (status ``update`` or
  ``unchanged``); a row that matches nobody is an error. Blank cells never erase data.
- ``replace``: new rows are created and existing ones updated; for a staff import, every
  person who holds one of the roles named in the file but is not listed in the file with that
  role loses the role (people are never deleted; qualifications stay). A role the person is
  still assigned in an unfinished batch cannot be taken away: such a preview has errors (as
  `roster.refuse_if_assigned` refuses it in the edit dialog). For a people import there is no
  set to shrink, so ``replace`` adds and updates only.

A staff row may name several roles (考评员、监考员) and several examined occupations, or one
occupation and several of its work types (one qualification each, with the same max level,
certificate and validity); a person appears once per file (a repeat is an error). In update
and replace mode a qualification already stored is checked as it will be after the merge
(stored dates the file leaves blank, with the file's).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.locks import PEOPLE_IMPORT, lock_for_create
from app.errors import ValidationError
from app.gc_pause import paused_gc
from app.models import (
    StaffRoleEntry,
)
from app.rules.id_types import ID_TYPES
from app.services.actor import Actor
from app.services.audit import record
from app.services.importing.bulk import CHANGED_SINCE_PREVIEW, ROLE_DEFAULTS, insert_new_people
from app.services.importing.columns import KIND_NAMES
from app.services.importing.fingerprint import file_fingerprint, require_unchanged
from app.services.importing.parsing import (
    Catalogue,
    parse_row,
)
from app.services.importing.planning import (
    merged_validity,
    new_rows_still_fit,
    plan_rows,
    role_removals,
    roles_in_file,
)
from app.services.importing.reader import read_sheet
from app.services.importing.results import (
    MODES,
    ImportPreview,
    ImportResult,
    ImportRow,
    Progress,
)
from app.services.permissions import Perm, require
from app.services.roster import (
    check_qualification,
    delete_role,
    upsert_qualification,
    upsert_role,
)

_PROGRESS_EVERY: Final = 250


HIDDEN_ROW: Final = (
    "此行在 Excel 中是隐藏行（或被筛选隐藏），仍会导入：如不应导入，请在文件中删除此行后重新检查"
)


@paused_gc()
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
    fingerprint = file_fingerprint(path)  # (before reading: a change while reading shows too)
    table = read_sheet(path, kind)
    cat = Catalogue(session) if kind == "staff" else None
    rows: list[ImportRow] = []
    total = len(table.rows)
    for i, (excel_row, cells) in enumerate(table.rows, start=1):
        rows.append(parse_row(table, kind, excel_row, cells, cat))  # type: ignore[arg-type]
        if excel_row in table.hidden_rows:
            rows[-1].hidden = True
            rows[-1].parsed.warnings.append(HIDDEN_ROW)  # (the planning rebuilds row.warnings)
        if progress and (i % _PROGRESS_EVERY == 0 or i == total):
            progress("校验", i, total)
    if not rows:
        raise ValidationError(
            f"文件“{path.name}”的工作表“{table.sheet}”在第 {table.header_row} 行表头之下没有任何数据行。"
        )
    where = {key: table.where(key) for key in table.columns}
    plan_rows(session, rows, mode, table.sheet, where)
    return ImportPreview(
        path,
        kind,
        mode,
        table.sheet,
        table.header_row,
        dict(table.headers),
        table.unknown_headers,
        rows,
        role_removals(session, rows, kind, mode),
        roles_in_file(rows),
        where,
        table.hidden_fields(),
        table.other_sheets,
        fingerprint,
    )


# --- commit -----------------------------------------------------------------------------------------
@paused_gc()
def commit_import(
    session: Session,
    actor: Actor,
    preview: ImportPreview,
    *,
    progress: Progress | None = None,
    reason: str = "",
) -> ImportResult:
    """Write a clean preview in the caller's transaction (all rows or none), audited row by row.

    The database may have changed since the preview: the rows that matched somebody are planned
    again and must come out the same, the certificate numbers and catalogue entries the rows name
    are checked again (`new_rows_still_fit`), and a new row that somebody registered meanwhile
    is refused by the unique index (`bulk`). Either way nothing is written.
    """
    require(session, actor, Perm.EDIT_ROSTER, what=f"导入{KIND_NAMES[preview.kind]}")
    if preview.has_errors:
        raise ValidationError(
            f"“{preview.file_name}”{preview.refusal_text()}请改正后重新导入"
            "（可导出错误报告逐条核对）。"
        )
    # PostgreSQL: one import commits at a time, so the re-check below sees what another PC's
    # import committed, and two imports of the same people never deadlock on them
    lock_for_create(session, PEOPLE_IMPORT)
    require_unchanged(preview.path, preview.fingerprint)
    known = [r for r in preview.rows if r.status != "new"]
    snapshot = [(r.status, tuple(r.changes)) for r in known]
    people = plan_rows(session, known, preview.mode, preview.sheet, preview.where)
    if (
        [(r.status, tuple(r.changes)) for r in known] != snapshot
        or role_removals(session, preview.rows, preview.kind, preview.mode) != preview.removals
        or not new_rows_still_fit(session, preview.rows, people)
    ):
        raise ValidationError(CHANGED_SINCE_PREVIEW)
    reason = reason or f"导入{preview.file_name}"
    total = len(preview.rows) + len(preview.removals)
    done = 0
    counts = dict.fromkeys(("roles_added", "roles_updated", "quals_added", "quals_updated"), 0)

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress and (done % _PROGRESS_EVERY == 0 or done == total):
            progress("写入", done, total)

    fresh = [r for r in preview.rows if r.status == "new"]
    counts.update(insert_new_people(session, actor, fresh, reason, tick))
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
                values if held else {**ROLE_DEFAULTS, **values},
                reason,
            )
            counts["roles_added"] += outcome == "added"
            counts["roles_updated"] += outcome == "updated"
        for occ_id, wt, values in p.quals:
            stored = next(
                (
                    q
                    for q in person.qualifications
                    if (q.occupation_id, q.work_type_id) == (occ_id, wt)
                ),
                None,
            )
            check_qualification(
                session, occ_id, wt, values.get("max_level"), *merged_validity(stored, values)
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
