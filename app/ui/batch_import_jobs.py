"""Import jobs for one batch — candidates and scores — shown in the shared ImportDialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.models.enums import COMPONENT_NAMES, Component
from app.services.actor import Actor
from app.services.candidate_import import commit_candidates, preview_candidates
from app.services.importing import Progress
from app.services.score_import import commit_scores, preview_scores
from app.ui.import_wizard import ImportJob, person_row_cells


def candidates_job(actor: Actor, batch_id: int) -> ImportJob:
    def commit(s: Session, preview: Any, progress: Progress | None) -> str:
        r = commit_candidates(s, actor, batch_id, preview, progress=progress)
        text = f"{r.people_summary} 报名 {r.enrolled} 人（已在本批次 {r.already_enrolled} 人）。"
        return "\n".join([text, *r.warnings])  # (each warning says what to verify)

    return ImportJob(
        "从 Excel 导入考生", (),
        lambda s, path, _mode, progress: preview_candidates(s, actor, batch_id, Path(path), progress=progress),
        commit, person_row_cells,
    )


def _score_row_cells(row: Any) -> tuple[tuple[str, str, str, str, str], bool, str]:
    if row.errors:
        detail = "；".join(f"{e.header or e.column}：{e.message}" if e.header else e.message for e in row.errors)
        return (str(row.row), row.name, row.id_shown, "错误", detail), True, "error"
    values = "，".join(f"{COMPONENT_NAMES[Component(k)]} {v}" for k, v in row.values.items()) or "（无成绩）"
    return (str(row.row), row.name, row.id_shown, "可导入", values), False, "new"


def scores_job(actor: Actor, batch_id: int) -> ImportJob:
    # (a score file is one batch's candidates: checked and written without a progress bar)
    def commit(s: Session, preview: Any, _progress: Progress | None) -> str:
        return f"已导入 {commit_scores(s, actor, batch_id, preview)} 项成绩。"

    return ImportJob(
        "从 Excel 导入成绩", (),
        lambda s, path, _mode, _progress: preview_scores(s, actor, batch_id, Path(path)), commit, _score_row_cells,
    )
