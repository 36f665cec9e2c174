"""Scores from Excel, matched by admission number or ID number: preview, error report, all-or-nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Batch, Enrolment, Person
from app.models.enums import COMPONENT_NAMES, Component
from app.rules._text import name_key
from app.rules.idcard import mask_id
from app.services.actor import Actor
from app.services.batch_workflow import get_batch, status_name
from app.services.importing.cells import clean_text, is_blank
from app.services.importing.columns import header_key
from app.services.importing.fingerprint import file_fingerprint, require_unchanged
from app.services.importing.reader import read_table
from app.services.importing.results import RowIssue
from app.services.permissions import Perm, require
from app.services.score_rules import (
    ENTRY_STATUSES,
    LOCKED_STATUSES,
    parse_entry,
    required_components,
)
from app.services.scores import enter_score

ALIASES = {
    "admission_no": ("准考证号", "准考证号码", "考号", "准考号", "考生编号"),
    "id_number": ("证件号码", "身份证号", "身份证号码", "公民身份号码"),
    "name": ("姓名", "考生姓名"),
    "theory": ("理论", "理论知识", "理论成绩", "理论知识考试", "理论考试成绩"),
    "skill": ("技能", "技能操作", "技能成绩", "实操", "实操成绩", "技能操作考核"),
    "review": ("综合评审", "评审", "综合评审成绩"),
}


@dataclass
class ScoreRow:
    row: int
    name: str
    enrolment_id: int | None = None
    id_shown: str = ""  # the matched candidate's ID number, masked (what the preview shows)
    values: dict[str, str] = field(default_factory=dict)  # component -> cell text as typed
    errors: list[RowIssue] = field(default_factory=list)


@dataclass
class ScorePreview:
    path: Path
    batch_code: str
    components: list[str]
    rows: list[ScoreRow]
    other_sheets_note: str = ""  # "；注意：……" when other sheets hold data (not read)
    fingerprint: str = ""  # the file's digest when checked (`fingerprint.require_unchanged`)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def errors(self) -> list[RowIssue]:
        return [e for r in self.rows for e in r.errors]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def summary_text(self) -> str:
        names = "、".join(COMPONENT_NAMES[Component(c)] for c in self.components)
        return (f"“{self.file_name}”：{len(self.rows)} 名考生的{names}成绩，"
                + (f"{len(self.errors)} 处错误" if self.errors else "无错误，可以导入")
                + self.other_sheets_note + "。")


def _check_importable(batch: Batch) -> None:
    """A file of scores is entered into a batch that takes scores: 实施中 or 成绩录入. Once the
    publicity has started, scores are locked: each correction is its own, with its reason."""
    if batch.status in LOCKED_STATUSES:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”，成绩已锁定，不能批量导入："
            "确需更正的，请在成绩页逐条更正并填写理由（更正后须重新公示）。"
        )
    if batch.status not in ENTRY_STATUSES:
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”：只有“实施中”或“成绩录入”"
            "状态的批次可以导入成绩。"
        )


def preview_scores(session: Session, actor: Actor, batch_ref: int | str, path: Path) -> ScorePreview:
    batch = get_batch(session, batch_ref)
    require(session, actor, Perm.ENTER_SCORES, batch_id=batch.id, what="导入成绩")
    _check_importable(batch)
    aliases = {header_key(a): key for key, names in ALIASES.items() for a in names}
    fingerprint = file_fingerprint(Path(path))
    table = read_table(path, aliases, [], "成绩")
    if "admission_no" not in table.columns and "id_number" not in table.columns:
        raise ValidationError(f"文件“{Path(path).name}”缺少“准考证号”或“证件号码”列：至少需要其中一列来对应考生。")
    allowed = required_components(batch)
    comps = [c for c in ("theory", "skill", "review") if c in table.columns]
    if not comps:
        raise ValidationError(f"文件“{Path(path).name}”中没有成绩列（理论知识、技能操作、综合评审）。")
    enrolled = session.execute(
        select(Enrolment, Person.id_number, Person.name).join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.batch_id == batch.id)).all()
    enrolments = {e.admission_no: e for e, _num, _name in enrolled}
    by_id = {num: e for e, num, _name in enrolled}
    person_of = {e.id: (num, name) for e, num, name in enrolled}
    rows, seen = [], {}

    def issue(r: ScoreRow, key: str, msg: str) -> None:
        col, head = table.where(key) if key else ("", "")
        r.errors.append(RowIssue(table.sheet, r.row, col, head, msg))

    for excel_row, cells in table.rows:
        def cell(key: str, cells: list[object] = cells) -> object:
            return cells[table.columns[key]] if key in table.columns else None

        r = ScoreRow(excel_row, clean_text(cell("name")))
        # error values and value-less formulas read as blank: reported, never taken as "no score"
        flagged = {k for k, i in table.columns.items() if i in table.problems.get(excel_row, {})}
        for key in flagged:
            issue(r, key, table.problems[excel_row][table.columns[key]])
        adm, idn = clean_text(cell("admission_no")), clean_text(cell("id_number")).upper()
        e = enrolments.get(adm) if adm else by_id.get(idn) if idn else None
        if e is None:
            if not flagged & {"admission_no", "id_number"}:  # (already reported above)
                issue(r, "admission_no" if adm or "id_number" not in table.columns else "id_number",
                      f"本批次中没有{'准考证号为“' + adm + '”' if adm else '该证件号码'}的考生。")
        elif e.id in seen:
            issue(r, "", f"与第 {seen[e.id]} 行是同一名考生：每名考生只能出现一次。")
        else:
            seen[e.id] = excel_row
            r.enrolment_id = e.id
            number, enrolled_name = person_of[e.id]
            r.id_shown = mask_id(number)
            if r.name and name_key(r.name) != name_key(enrolled_name):  # a mistyped 准考证号?
                key = "admission_no" if adm else "id_number"
                issue(r, "name" if "name" in table.columns else key,
                      f"姓名“{r.name}”与{'准考证号' if adm else '证件号码'}对应的考生“{enrolled_name}”不符："
                      "成绩会记到他人名下。请核对该行的准考证号（或证件号码）和姓名后重新检查。")
        for c in comps:
            raw = cell(c)
            if is_blank(raw) or c in flagged:
                continue
            if c not in allowed:
                issue(r, c, f"本批次的评价方式不含“{COMPONENT_NAMES[Component(c)]}”，请删除该列的成绩。")
                continue
            text = clean_text(raw) if isinstance(raw, str) else str(raw)
            try:
                parse_entry(text)
            except ValidationError as exc:
                issue(r, c, exc.message)
                continue
            r.values[c] = text
        rows.append(r)
    return ScorePreview(
        Path(path), batch.code, comps, rows, table.other_sheets_note("成绩"), fingerprint
    )


def commit_scores(session: Session, actor: Actor, batch_ref: int | str, preview: ScorePreview) -> int:
    """Enter every score of the preview (round 1); any refusal rolls the whole file back."""
    batch = get_batch(session, batch_ref)
    require(session, actor, Perm.ENTER_SCORES, batch_id=batch.id, what="导入成绩")
    _check_importable(batch)
    if preview.has_errors:
        raise ValidationError(f"“{preview.file_name}”中还有 {len(preview.errors)} 处错误：改正后重新检查文件（预览）再导入。")
    require_unchanged(preview.path, preview.fingerprint)
    count = 0
    for r in preview.rows:
        for comp, text in r.values.items():
            score, mark = parse_entry(text)
            try:
                enter_score(session, actor, r.enrolment_id, comp, score, None if mark == "normal" else mark,
                            reason=f"导入 {preview.file_name}")
            except ValidationError as exc:
                raise ValidationError(f"第 {r.row} 行（{r.name}）{COMPONENT_NAMES[Component(comp)]}：{exc.message}") from None
            count += 1
    return count
