"""The organisation's 基本情况表 laid out as the province's form (000/002/003 附件1; Guizhou's
备案申请表, 001 附件1), over plain data: 一、基本信息 (the form's fields and labels, the 机构性质
boxes ticked as on paper), 二、the occupations (work types) with the form's columns, one line per
occupation and work type, and the form's closing pledge with its signature lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from app.reports.xlsx import Column, PrintLayout, Sheet


@dataclass(frozen=True)
class ScopeLine:
    """One occupation (work type) of the filed scope, its levels gathered."""

    occupation: str  # 汽车维修工
    work_type: str  # 汽车检测工 ("" for the occupation as a whole)
    code: str
    is_new: bool
    levels: Sequence[str]  # 三级/高级工 …, highest first
    started_on: dt.date | None  # the earliest of its levels
    assessed_count: int  # over its levels
    standards: Sequence[str] = field(default_factory=tuple)
    subsidised_training: Sequence[str] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        """职业（工种）名称 as the forms write it: 汽车维修工（汽车检测工）."""
        return self.occupation + (f"（{self.work_type}）" if self.work_type else "")


@dataclass(frozen=True)
class FormLayout:
    """What a province's form asks for (from its profile): title, fields and columns with the
    form's own labels, and the pledge ("" when the form has none)."""

    title: str
    basics: Sequence[tuple[str, str]]  # (field key, label)
    scope_title: str
    scope_columns: Sequence[tuple[str, str]]  # (column key, label)
    pledge_title: str = ""
    pledge: str = ""
    source: str = ""
    note: str = ""  # the form's closing 注, under the signatures


# column key -> (width, number format, the cell's value)
_SCOPE_CELLS: Final[Mapping[str, tuple[float, str | None, Callable[[ScopeLine], Any]]]] = {
    "name": (24, None, lambda x: x.name),
    "occupation": (16, None, lambda x: x.occupation),
    "work_type": (16, None, lambda x: x.work_type),
    "code": (12, None, lambda x: x.code),
    "is_new": (8, None, lambda x: "是" if x.is_new else "否"),
    "levels": (22, None, lambda x: "、".join(x.levels)),
    "started_on": (12, "yyyy-mm-dd", lambda x: x.started_on),
    "assessed_count": (10, None, lambda x: x.assessed_count),
    "standards": (26, None, lambda x: "；".join(x.standards)),
    "has_standard": (10, None, lambda x: "有" if x.standards else "无"),
    "subsidised_training": (20, None, lambda x: "；".join(x.subsidised_training)),
}

SIGNATURE_LINES: Final = ("法定代表人（签字）：", "单位名称（公章）：")  # as every seed form has them


def nature_boxes(nature: str, choices: Sequence[str]) -> str:
    """机构性质 as the form's boxes: "☑社会组织　☐企事业单位 …"; the text alone without boxes."""
    if not choices:
        return nature
    return "　".join(f"{'☑' if c == nature else '☐'}{c}" for c in choices)


def org_form_sheets(
    form: FormLayout,
    values: Mapping[str, str],
    scope: Sequence[ScopeLine],
    filing: Sequence[tuple[str, str]] = (),
) -> list[Sheet]:
    """`values` holds each basics field's text; `filing` (item, content) lines follow the form's
    fields on the first sheet under their own heading (they are not part of the form)."""
    # the seed form it follows; nothing for a profile whose source is practice, not a form
    note = [f"依据：{form.source}"] if form.source and not form.source.startswith("未规定") else []
    basics: list[list[str]] = [[label, values.get(key, "")] for key, label in form.basics]
    if filing:
        basics += [["", ""], ["（以下为本机构备案信息，不属于本表，供核对）", ""]]
        basics += [[label, value] for label, value in filing]
    sheets = [
        Sheet(
            "基本信息",
            [Column("项目", 20), Column("内容", 64)],
            basics,
            title_rows=[form.title, "一、基本信息", *note],
        ),
        Sheet(
            "职业（工种）情况",
            [Column("序号", 6)]
            + [Column(label, *_SCOPE_CELLS[key][:2]) for key, label in form.scope_columns],
            [
                [i] + [_SCOPE_CELLS[key][2](x) for key, _ in form.scope_columns]
                for i, x in enumerate(scope, 1)
            ],
            title_rows=[form.title, form.scope_title],
        ),
    ]
    if form.pledge:
        sheets.append(
            Sheet(
                "承诺",
                [Column(form.pledge_title, 84)],
                [
                    [form.pledge], [""], *([line] for line in SIGNATURE_LINES),
                    *([[""], [form.note]] if form.note else []),
                ],
                title_rows=[form.title],
                layout=PrintLayout(orientation="portrait", borders=False),
            )
        )
    return sheets
