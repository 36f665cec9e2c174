"""Candidates of a batch from Excel: the roster's people importer, then enrolment — all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Batch, Enrolment, Person
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
    beside each row: a file that passes the check is not refused at import. A person already in
    the roster is no refusal here (the import leaves them enrolled); new people have no
    bookings or certificates yet."""
    for row in preview.rows:  # (no 更新模式 here: a candidate list never changes a person)
        row.warnings = [
            f"{SKIPPED_PREFIX}（{row.name}），按库中已登记的信息报名，不修改其人员信息"
            "（如需修改，请在“人员”页中编辑）"
            if w.startswith(SKIPPED_PREFIX)
            else w
            for w in row.warnings
        ]
    rows = [r for r in preview.rows if r.person_id is not None and not r.errors]
    if not rows:
        return
    ids = list(dict.fromkeys(r.person_id for r in rows if r.person_id is not None))
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
    enrolled = set(
        session.scalars(select(Enrolment.person_id).where(Enrolment.batch_id == batch.id))
    )
    checks = check_candidates(
        session, batch, {pid: people[pid] for pid in ids if pid not in enrolled}
    )
    letter, header = preview.where.get("id_number", ("", ""))
    for row in rows:
        pid = row.person_id
        if pid in checks.refusals:
            row.errors.append(
                RowIssue(preview.sheet, row.row, letter, header, checks.refusals[pid])
            )
            row.status = "error"
            row.warnings = [w for w in row.warnings if not w.startswith(SKIPPED_PREFIX)]
        elif pid in checks.warnings:
            row.warnings.append(checks.warnings[pid])


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
