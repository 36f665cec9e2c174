"""Candidates of a batch from Excel: the roster's people importer, then enrolment — all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Batch, Enrolment, Person
from app.rules._text import name_key
from app.services.actor import Actor
from app.services.batch_workflow import get_batch
from app.services.batches import require_draft
from app.services.enrolment import enrol_people
from app.services.enrolment_checks import check_candidates
from app.services.importing import ImportPreview, Progress, commit_import, preview_import
from app.services.importing.planning import SKIPPED_PREFIX
from app.services.importing.results import RowIssue
from app.services.permissions import Perm, require
from app.services.roster import find_person


@dataclass(frozen=True)
class CandidateImport:
    people_summary: str
    enrolled: int
    already_enrolled: int
    warnings: list[str]


def preview_candidates(
    session: Session, actor: Actor, batch_ref: int | str, path: Path, *, progress: Progress | None = None
) -> ImportPreview:
    """Check the file (nothing written). New people are added; people already on file are used as
    they are (their records are not changed by a candidate list)."""
    batch = get_batch(session, batch_ref)
    require(session, actor, Perm.EDIT_BATCH, batch_id=batch.id, what="导入考生")
    require_draft(batch, "导入考生")
    preview = preview_import(session, actor, path, "people", "add", progress=progress)
    _check_enrolment(session, batch, preview)
    return preview


def _check_enrolment(session: Session, batch: Batch, preview: ImportPreview) -> None:
    """What enrolling the rows' registered people would refuse or warn (`check_candidates`),
    beside each row: a file that passes the check is not refused at import. A registered
    person's row must carry the registered name (a mistyped ID number would enrol somebody
    else: a candidate list changes nobody's record, so a differing name is no update either).
    A person already in the roster is no refusal here (the import leaves them enrolled); new
    people have no bookings or certificates yet."""
    rows = [r for r in preview.rows if r.person_id is not None and not r.errors]
    ids = list(dict.fromkeys(r.person_id for r in rows if r.person_id is not None))
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
    enrolled = set(
        session.scalars(select(Enrolment.person_id).where(Enrolment.batch_id == batch.id))
    )
    checks = check_candidates(
        session, batch, {pid: people[pid] for pid in ids if pid not in enrolled}
    )
    id_where = preview.where.get("id_number", ("", ""))
    name_where = preview.where.get("name", ("", ""))
    for row in rows:
        person = people[row.person_id]  # type: ignore[index]
        row.warnings = [w for w in row.warnings if not w.startswith(SKIPPED_PREFIX)]
        if name_key(row.name) != name_key(person.name):
            issue = (
                f"姓名“{row.name}”与库中该证件号码（{row.id_masked}）登记的姓名“{person.name}”"
                "不一致：请核对证件号码或姓名（考生名单不修改已登记人员的信息）"
            )
            row.errors.append(RowIssue(preview.sheet, row.row, *name_where, issue))
        elif person.id in checks.refusals:
            row.errors.append(RowIssue(preview.sheet, row.row, *id_where, checks.refusals[person.id]))
        elif person.id in enrolled:
            row.warnings.append(f"{person.name}已在本批次考生名册中，不重复报名")
        else:
            row.warnings.append(
                f"库中已登记：{person.name}，按已登记的信息报名，不修改其人员信息"
                "（如需修改，请在“人员”页中编辑）"
            )
            if person.id in checks.warnings:
                row.warnings.append(checks.warnings[person.id])
        if row.errors:
            row.status = "error"


def commit_candidates(
    session: Session, actor: Actor, batch_ref: int | str, preview: ImportPreview,
    *, progress: Progress | None = None,
) -> CandidateImport:
    """Write the people and enrol every row's person; any refusal leaves nothing written."""
    batch = get_batch(session, batch_ref)
    require(session, actor, Perm.EDIT_BATCH, batch_id=batch.id, what="导入考生")
    require_draft(batch, "导入考生")
    if preview.has_errors:
        raise ValidationError(f"“{preview.file_name}”中还有 {len(preview.errors)} 处错误：改正后重新检查文件（预览）再导入。")
    result = commit_import(session, actor, preview, progress=progress)
    ids: list[int] = []
    for row in preview.rows:
        pid = row.person_id  # (set by the commit: the new person's, or the one matched)
        if pid is None:
            key = row.parsed.key
            person = find_person(session, key[0], key[1]) if key else None
            if person is None:  # cannot happen after a successful commit; refuse, not guess
                raise ValidationError(f"第 {row.row} 行的人员未能写入，请重新检查文件（预览）后导入。")
            pid = person.id
        ids.append(pid)
    enrolled_ids = set(session.scalars(select(Enrolment.person_id).where(Enrolment.batch_id == batch.id)))
    new_ids = [i for i in dict.fromkeys(ids) if i not in enrolled_ids]
    enrolled = enrol_people(session, actor, batch.id, new_ids, progress=progress) if new_ids else None
    return CandidateImport(
        people_summary=result.summary_text(),
        enrolled=len(new_ids),
        already_enrolled=len(ids) - len(new_ids),
        warnings=[str(w) for w in (enrolled.warnings if enrolled else [])],
    )
