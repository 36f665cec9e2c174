"""What an import preview and an import result are: rows with their status, issues by sheet/row/column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from app.models.enums import STAFF_ROLE_NAMES, StaffRole
from app.services.importing.columns import KIND_NAMES
from app.services.importing.reader import other_sheets_note

Progress = Callable[[str, int, int], None]  # (stage, done, total)
MODES: Final = ("add", "update", "replace")
MODE_NAMES: Final = {"add": "新增", "update": "更新", "replace": "替换"}


def mode_hint(kind: str, mode: str) -> str:
    """What a mode does to the database, in the user's words (template notes, dialog tooltips)."""
    if mode == "add":
        return "只添加文件中尚未登记的人员；已登记的人员（按证件类型和号码对应）保持不变。"
    if mode == "update":
        return (
            "文件中每一行都须是已登记的人员（按证件类型和号码对应），按文件修改其信息；"
            "空白单元格不会清除已有内容。"
        )
    if kind == "staff":
        return (
            "新增未登记的人员、更新已登记的人员；此外，文件中出现的每种角色（如考评员），"
            "凡未在文件中以该角色列出的人员都将被移除该角色（人员本身和考评资格保留）。"
            "仍在未结束的批次中担任该职务的人员不能移除：请先在批次中换人。"
        )
    return "新增未登记的人员并更新已登记的人员（人员/考生导入中没有可移除的内容）。"
STATUS_NAMES: Final = {
    "new": "新增", "update": "更新", "unchanged": "无变化", "exists": "已存在（未改动）", "error": "错误",
}  # fmt: skip


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
class ParsedRow:
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
    parsed: ParsedRow = field(default_factory=ParsedRow, repr=False)
    hidden: bool = False  # hidden in Excel (by hand or by a filter): read all the same

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]


@dataclass(frozen=True)
class RoleRemoval:
    person_id: int
    name: str
    id_masked: str
    role: str
    batches: tuple[str, ...] = ()  # unfinished batches that still assign the person in this role

    @property
    def role_name(self) -> str:
        return STAFF_ROLE_NAMES[StaffRole(self.role)]

    @property
    def blocked(self) -> bool:
        """Still assigned this duty in an unfinished batch: the role cannot be taken away (as in
        the person's edit dialog, `roster.refuse_if_assigned`)."""
        return bool(self.batches)

    @property
    def text(self) -> str:
        """One line for a preview: who loses which role, or why the role cannot be removed."""
        line = f"{self.name}（{self.id_masked}）的{self.role_name}角色"
        if self.blocked:
            line += f"不能移除：{self.reason}"
        return line

    @property
    def reason(self) -> str:
        return (
            f"此人仍被安排在未结束的批次 {'、'.join(self.batches)} 中担任{self.role_name}。"
            f"请先在这些批次的“人员安排”中换人，或在文件中保留此人的{self.role_name}角色，"
            "再重新检查文件。"
        )


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
    where: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (letter, header)
    hidden_columns: list[str] = field(default_factory=list)  # "B 列（证件号码）": hidden, still read
    other_sheets: list[str] = field(default_factory=list)  # visible sheets with data, not read
    fingerprint: str = ""  # the file's digest when checked (`fingerprint.require_unchanged`)

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
    def blocked_removals(self) -> list[RoleRemoval]:
        return [r for r in self.removals if r.blocked]

    @property
    def has_errors(self) -> bool:
        """Any refused row, or (替换) a role that cannot be taken away: nothing may be written."""
        return any(r.errors for r in self.rows) or bool(self.blocked_removals)

    def refusal_text(self) -> str:
        """Why nothing can be imported, counted: rows with errors and roles that cannot go."""
        parts = []
        bad = sum(1 for r in self.rows if r.errors)
        if bad:
            parts.append(f"{bad} 行错误")
        if self.blocked_removals:
            parts.append(f"{len(self.blocked_removals)} 项角色不能移除（人员仍在未结束的批次中）")
        return f"有 {'、'.join(parts)}：未导入任何数据。"  # 有 6 行错误: a space either side of a number

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
        hidden = sum(1 for r in self.rows if r.hidden)
        if hidden:
            text += f"；其中 {hidden} 行在 Excel 中是隐藏的，仍会导入"
        if self.hidden_columns:
            text += f"；隐藏的列 {'、'.join(self.hidden_columns)} 仍会导入"
        text += other_sheets_note(self.sheet, self.other_sheets, "人员")
        if self.removals:
            text += f"；将移除角色 {len(self.removals)} 项"
            if self.blocked_removals:
                text += (
                    f"，其中 {len(self.blocked_removals)} 项不能移除：人员仍被安排在未结束的批次中，"
                    "请先在批次中换人或在文件中保留其角色"
                )
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
