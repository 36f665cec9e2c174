"""The pure score rules: parsing what a clerk types, the pass rule, and which stored entry counts.

No database access here: app/services/score_entries.py loads and writes the entries,
app/services/scores.py runs the use cases, this module decides."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from app.errors import ValidationError
from app.models import Batch, ScoreEntry
from app.models.enums import COMPONENT_NAMES, BatchStatus, Component, Result, ScoreMark
from app.models.score import FINAL_ROUND, SINGLE_ROUND

SECOND_ROUND = 2
ENTRY_STATUSES = frozenset({BatchStatus.IN_PROGRESS.value, BatchStatus.SCORING.value})
LOCKED_STATUSES = frozenset(
    {
        BatchStatus.PUBLICITY.value,
        BatchStatus.RESULTS_FILED.value,
        BatchStatus.CERTIFIED.value,
        BatchStatus.ARCHIVED.value,
    }
)
MARK_NAMES = {ScoreMark.NORMAL.value: "", ScoreMark.ABSENT.value: "缺考", ScoreMark.DISQUALIFIED.value: "违纪"}
RESULT_NAMES = {Result.PASS.value: "合格", Result.FAIL.value: "不合格", Result.PENDING.value: "未计算"}
_MARK_WORDS = {
    "缺考": ScoreMark.ABSENT.value,
    "缺": ScoreMark.ABSENT.value,
    "absent": ScoreMark.ABSENT.value,
    "违纪": ScoreMark.DISQUALIFIED.value,
    "disqualified": ScoreMark.DISQUALIFIED.value,
}
_SCORE_RE = re.compile(r"\d{1,3}(?:\.\d)?")
DEFAULT_FULL_MARK = 100

CellState = Literal["ok", "missing", "mismatch"]


# --- plain results ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """The effective value of one enrolment + component."""

    state: CellState
    score: Decimal | None = None
    mark: str | None = None  # normal / absent / disqualified; None unless state == "ok"

    @property
    def text(self) -> str:
        """What a grid shows: 85.5, 缺考, 违纪, 不一致 or empty."""
        if self.state == "mismatch":
            return "不一致"
        return display_value(self.score, self.mark)


MISSING = Cell("missing")
MISMATCH = Cell("mismatch")

# --- pure rules -------------------------------------------------------------------------------
def display_value(score: Decimal | None, mark: str | None) -> str:
    if mark is None:
        return ""
    if mark != ScoreMark.NORMAL.value:
        return MARK_NAMES[mark]
    return format(score, "f") if score is not None else ""


def required_components(batch: Batch) -> tuple[str, ...]:
    """The components a candidate of this batch must pass, in display order.

    The batch's evaluation methods, plus the comprehensive review for levels 1–2
    (000 二(四)2), whether or not the batch plan ticked it.
    """
    out = []
    if batch.method_theory:
        out.append(Component.THEORY.value)
    if batch.method_skill:
        out.append(Component.SKILL.value)
    if batch.method_review or batch.level <= 2:
        out.append(Component.REVIEW.value)
    return tuple(out)


def component_name(component: str) -> str:
    try:
        return COMPONENT_NAMES[Component(component)]
    except ValueError:
        return component


def check_component(batch: Batch, component: str) -> str:
    """`component` if the batch requires it; otherwise a ValidationError naming the ones it has."""
    comps = required_components(batch)
    if component not in comps:
        names = "、".join(f"{c}（{component_name(c)}）" for c in comps)
        raise ValidationError(
            f"批次「{batch.code}」没有“{component}”科目：可录入的科目为 {names}。", field="component"
        )
    return component


def parse_score(raw: object, *, full_mark: int = DEFAULT_FULL_MARK) -> Decimal:
    """A score 0–full_mark with at most one decimal, as Decimal; ValidationError otherwise."""
    if isinstance(raw, bool) or raw is None:
        raise ValidationError("请填写成绩（0–100，可保留一位小数），或标记缺考/违纪。", field="score")
    if isinstance(raw, float):
        raw = repr(raw)
    if isinstance(raw, Decimal):
        value = raw
        if not value.is_finite():
            raise ValidationError(f"成绩“{raw}”无效：应为0–{full_mark}的数字。", field="score")
        if value < 0 or value > full_mark:
            raise ValidationError(f"成绩“{raw}”超出范围：应在0–{full_mark}之间。", field="score")
        if value != value.quantize(Decimal("0.1")):
            raise ValidationError(
                f"成绩“{raw}”超过一位小数：成绩最多保留一位小数（如 85.5）。", field="score"
            )
    else:
        text = str(raw).strip().replace("．", ".")
        text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        if not _SCORE_RE.fullmatch(text):
            if re.fullmatch(r"\d+\.\d{2,}", text):
                decimals = len(text.split(".")[1])
                raise ValidationError(
                    f"成绩“{raw}”有{decimals}位小数：成绩最多保留一位小数（如 85.5）。", field="score"
                )
            raise ValidationError(
                f"成绩“{raw}”无效：应为0–{full_mark}的数字，最多一位小数（如 85.5）；"
                "缺考、违纪请用标记录入。",
                field="score",
            )
        try:
            value = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the pattern already checked it
            raise ValidationError(f"成绩“{raw}”无效。", field="score") from exc
    if value < 0 or value > full_mark:
        raise ValidationError(
            f"成绩“{raw}”超出范围：应在0–{full_mark}之间。", field="score"
        )
    return value.quantize(Decimal("0.1"))


def parse_mark(raw: str | None) -> str:
    if raw is None or str(raw).strip() == "":
        return ScoreMark.NORMAL.value
    text = str(raw).strip().lower()
    if text in (m.value for m in ScoreMark):
        return text
    if text in _MARK_WORDS:
        return _MARK_WORDS[text]
    raise ValidationError(
        f"标记“{raw}”无效：应为 normal（正常）、absent（缺考）或 disqualified（违纪）。", field="mark"
    )


def parse_entry(text: str) -> tuple[Decimal | None, str]:
    """What a grid cell typed by a clerk means: "85.5" → (85.5, normal); "缺考"/"缺" → absent;
    "违纪" → disqualified. ValidationError for anything else."""
    t = str(text).strip()
    if t.lower() in _MARK_WORDS:
        return None, _MARK_WORDS[t.lower()]
    return parse_score(t), ScoreMark.NORMAL.value


def normalise_entry(score: object, mark: str | None, full_mark: int) -> tuple[Decimal | None, str]:
    m = parse_mark(mark)
    if m != ScoreMark.NORMAL.value:
        if score not in (None, ""):
            raise ValidationError(
                f"标记为{MARK_NAMES[m]}时不能同时填写成绩：请清空成绩或取消标记。", field="score"
            )
        return None, m
    return parse_score(score, full_mark=full_mark), m


def evaluate(
    required: Sequence[str], cells: Mapping[str, Cell], pass_mark: int | Decimal
) -> str | None:
    """The pass rule: every required component present (not absent, not disqualified) and at
    least the pass mark. None while any required component is missing or in mismatch."""
    mark = Decimal(pass_mark)
    passed = True
    for comp in required:
        cell = cells.get(comp, MISSING)
        if cell.state != "ok":
            return None
        if cell.mark != ScoreMark.NORMAL.value or cell.score is None or cell.score < mark:
            passed = False
    return Result.PASS.value if passed else Result.FAIL.value


def same_entry(a: ScoreEntry, b: ScoreEntry) -> bool:
    return a.mark == b.mark and (
        (a.score is None and b.score is None)
        or (a.score is not None and b.score is not None and Decimal(a.score) == Decimal(b.score))
    )


def _cell_of(entry: ScoreEntry) -> Cell:
    score = Decimal(entry.score).quantize(Decimal("0.1")) if entry.score is not None else None
    return Cell("ok", score, entry.mark)


def effective_cell(rounds: Mapping[int, ScoreEntry], double_entry: bool) -> Cell:
    final = rounds.get(FINAL_ROUND)
    if final is not None:
        return _cell_of(final)
    first = rounds.get(SINGLE_ROUND)
    if first is None:
        return MISSING
    if not double_entry:
        return _cell_of(first)
    second = rounds.get(SECOND_ROUND)
    if second is None:
        return MISSING
    return _cell_of(first) if same_entry(first, second) else MISMATCH


