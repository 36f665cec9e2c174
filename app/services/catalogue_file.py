"""The occupation catalogue as an Excel file: import (职业编码, 职业名称, 是否新职业, 工种 — several
work types in one cell separated by 、 , ; or line breaks, as `split_work_types` splits the edit
dialog's, or one row per work type with the same code) and export in the same layout.

The import adds and updates, all or nothing; it never removes, and never renames what
`occupation_use` protects (it has no question to ask: the edit dialog asks). Every problem is
reported with its sheet, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Occupation
from app.rules._text import width_key
from app.services.actor import Actor
from app.services.audit import record
from app.services.catalogue import (
    OccupationInput,
    apply_changes,
    insert_occupations,
    list_occupations,
    normalise_code,
    split_work_types,
    sync_work_types,
    validated,
)
from app.services.occupation_use import refuse_renaming_filed, scope_rename_question
from app.services.permissions import Perm, require

_HEADERS: Final = {
    "code": ("职业编码", "职业代码", "编码"),
    "name": ("职业名称", "职业", "名称"),
    "is_new": ("是否新职业", "新职业"),
    "work_types": ("工种", "工种名称", "工种(多个用、分隔)"),
}


@dataclass(frozen=True)
class CatalogueImport:
    file_name: str
    created: int
    updated: int
    unchanged: int
    work_types_added: int
    other_sheets_note: str = ""  # "；注意：……" when other sheets hold data (not read)
    renamed: list[str] = field(default_factory=list)  # "4-10-01-03 保育员→保育师"

    def summary_text(self) -> str:
        renamed = f"（其中改名：{'；'.join(self.renamed)}）" if self.renamed else ""
        return (
            f"“{self.file_name}”已导入：新增职业 {self.created} 个，更新 {self.updated} 个{renamed}，"
            f"无变化 {self.unchanged} 个，新增工种 {self.work_types_added} 个"
            + self.other_sheets_note
            + "。"
        )


def import_catalogue(
    session: Session, actor: Actor, path: str | Path, reason: str = ""
) -> CatalogueImport:
    """Import 职业编码/职业名称/是否新职业/工种 rows: all or nothing, first bad row reported."""
    from app.services.importing.cells import (
        CellError,
        clean_prose,
        clean_text,
        is_blank,
        parse_bool,
    )
    from app.services.importing.columns import header_key
    from app.services.importing.reader import read_table

    require(session, actor, Perm.EDIT_ORGANISATION, what="导入职业目录")
    aliases = {header_key(a): key for key, names in _HEADERS.items() for a in names}
    table = read_table(path, aliases, [("code", "职业编码"), ("name", "职业名称")], "职业目录")
    wanted: dict[str, OccupationInput] = {}
    rows: dict[str, str] = {}  # code -> where its name is first given ("第 3 行 B 列（职业名称）")
    flagged: dict[str, tuple[bool, str]] = {}  # code -> 是否新职业 as the file states it, and where
    problems: list[str] = []
    for excel_row, cells in table.rows:

        def cell(key: str, cells: list[object] = cells) -> object:
            i = table.columns.get(key)
            return None if i is None else cells[i]

        def where(key: str, excel_row: int = excel_row) -> str:
            if key not in table.columns:
                return f"第 {excel_row} 行"
            letter, header = table.where(key)
            return f"第 {excel_row} 行 {letter} 列（{header}）"

        row_problems = table.problems.get(excel_row, {})
        bad = [(k, row_problems[i]) for k, i in table.columns.items() if i in row_problems]
        if bad:
            problems.extend(f"{where(k)}：{message}" for k, message in bad)
            continue
        key = "code"
        try:
            code = normalise_code(clean_text(cell("code")))
            key = "name"
            name = clean_prose(cell("name"))
            key = "is_new"
            given = not is_blank(cell("is_new"))
            is_new = parse_bool(cell("is_new")) if given else False
            key = "work_types"
            raw_wts = cell("work_types")
            wts = [] if is_blank(raw_wts) else split_work_types(clean_prose(raw_wts))
            item = validated(OccupationInput(code, name, is_new, wts))
        except (ValidationError, CellError) as exc:
            column = getattr(exc, "field", None) or key
            problems.append(f"{where(column)}：{str(exc).rstrip('。')}")
            continue
        if given:  # (a blank cell keeps the stored 是否新职业)
            stated = flagged.setdefault(code, (is_new, where("is_new")))
            if stated[0] != is_new:
                problems.append(
                    f"{where('is_new')}：职业编码 {code} 在{stated[1]}填为“{'是' if stated[0] else '否'}”，"
                    f"本行为“{'是' if is_new else '否'}”：同一职业的是否新职业须一致"
                )
                continue
        prev = wanted.get(code)
        if prev is None:
            wanted[code] = item
            rows[code] = where("name")
        elif width_key(prev.name) != width_key(item.name):  # (电工(初级) is 电工（初级）)
            problems.append(
                f"{where('name')}：职业编码 {code} 在{rows[code]}的名称为“{prev.name}”，"
                f"本行为“{item.name}”：同一编码的名称须一致"
            )
        else:
            prev.work_types += [w for w in item.work_types if w not in prev.work_types]
            prev.is_new = prev.is_new or item.is_new
    existing = {o.code: o for o in list_occupations(session)}
    if not problems:
        problems = _planned_problems(session, wanted, rows, existing)
    if problems:
        shown = "\n".join(f"· {p}" for p in problems[:20])
        more = f"\n……另有 {len(problems) - 20} 处" if len(problems) > 20 else ""
        raise ValidationError(
            f"“{Path(path).name}”工作表“{table.sheet}”有 {len(problems)} 处错误，未导入任何数据"
            f"（请改正后重新导入）：\n{shown}{more}"
        )
    if not wanted:
        raise ValidationError(f"“{Path(path).name}”中没有职业数据行。")
    reason = reason or f"导入{Path(path).name}"
    created = updated = unchanged = wt_added = 0
    renamed: list[str] = []
    new: list[OccupationInput] = []
    # the catalogue's occupations first: a name one of them gives up is free for a new one
    for code, item in sorted(wanted.items(), key=lambda kv: kv[0] not in existing):
        occ = existing.get(code)
        if occ is None:  # (its code and name checked free by `_planned_problems`)
            new.append(item)
            continue
        if width_key(item.name) == width_key(occ.name):  # 电工（初级）, stored as 电工(初级)
            item = replace(item, name=occ.name)
        if item.name != occ.name:
            renamed.append(f"{code} {occ.name}→{item.name}")
        fields = ("name", "is_new") if code in flagged else ("name",)
        changed = apply_changes(session, actor, occ, item, fields, reason)
        added = sync_work_types(session, actor, occ, item.work_types, remove=False, reason=reason)
        wt_added += added
        if changed or added:
            updated += 1
        else:
            unchanged += 1
    inserted = insert_occupations(session, actor, new, reason)
    created = len(inserted)
    wt_added += sum(len(occ.work_types) for occ in inserted)
    record(
        session,
        actor,
        "catalogue.import",
        entity="occupation",
        summary={
            "file": Path(path).name,
            "created": created,
            "updated": updated,
            "renamed": renamed,
        },
        reason=reason,
    )
    return CatalogueImport(
        Path(path).name,
        created,
        updated,
        unchanged,
        wt_added,
        table.other_sheets_note("职业"),
        renamed,
    )


def _planned_problems(
    session: Session,
    wanted: dict[str, OccupationInput],
    rows: dict[str, str],
    existing: dict[str, Occupation],
) -> list[str]:
    """What the file's occupations would do wrong to the catalogue, each with its row: a
    name that another code has (in the catalogue or the file), a rename of an occupation whose
    name is filed, certified or in the filed scope (`occupation_use`; the import asks nothing,
    so a rename of an occupation in the scope is made in the edit dialog, which asks)."""
    problems: list[str] = []
    names: dict[str, str] = {width_key(o.name): code for code, o in existing.items()}
    for code, item in wanted.items():
        key = width_key(item.name)
        occ = existing.get(code)
        if occ is not None and width_key(occ.name) == key:
            continue  # the name stays
        other = names.get(key)
        freed = other in wanted and width_key(wanted[other].name) != key  # renamed by the file
        if other is not None and other != code and not freed:
            problems.append(
                f"{rows[code]}：职业名称“{item.name}”已用于职业编码 {other}，同名的两个职业在导入"
                "考评员、选择职业时无法区分：请核对编码"
            )
            continue
        names[key] = code
        if occ is None:
            continue
        try:
            refuse_renaming_filed(session, occ, item.name)
        except ValidationError as exc:
            problems.append(f"{rows[code]}：{exc.message.rstrip('。')}")
            continue
        if scope_rename_question(session, occ, item.name):
            problems.append(
                f"{rows[code]}：职业编码 {code} 在库中为“{occ.name}”，在本机构的备案范围中，"
                f"导入不能把它改名为“{item.name}”；如职业名称确已变更，请在“职业目录 › 修改”中"
                f"逐个改名（会提示办理备案变更），或把本行名称改回“{occ.name}”"
            )
    return problems


CATALOGUE_COLUMNS: Final = ("职业编码", "职业名称", "是否新职业", "工种")


def export_catalogue(session: Session, actor: Actor, out_xlsx: str | Path) -> Path:
    """The catalogue as an xlsx in the import's own layout (one row per occupation, work types
    joined by 、): a backup, and the template to edit and import back (an empty catalogue gives
    the header alone). A 填写说明 sheet explains each column."""
    from app.reports.xlsx import Column, Sheet, write_workbook

    require(session, actor, Perm.READ, what="导出职业目录")
    rows = [
        [o.code, o.name, "是" if o.is_new else "否", "、".join(w.name for w in o.work_types)]
        for o in list_occupations(session)
    ]
    notes = [
        ["职业编码", "必填。职业分类大典编码，如 4-12-01-01（1位-2位-2位-2位数字）。"],
        ["职业名称", "必填。同一编码在多行出现时名称须一致。"],
        ["是否新职业", "填“是”或“否”；留空则保持原有标记（新增职业视为“否”）。"],
        ["工种", "可空。多个工种用顿号“、”分隔，或同一编码分多行填写。"],
        [
            "提示",
            "导入只新增和更新，不删除已有职业或工种；删除请在程序中操作（已被使用的不能删除）。",
        ],
    ]
    return write_workbook(
        Path(out_xlsx),
        [
            Sheet(
                "职业目录",
                [Column(t, w) for t, w in zip(CATALOGUE_COLUMNS, (14, 24, 12, 50), strict=True)],
                rows,
            ),
            Sheet("填写说明", [Column("列名", 14), Column("说明", 90)], notes),
        ],
    )
