"""The organisation's 基本情况表 (000 附件1, 002 附件1, 003 附件1; Guizhou's 备案申请表, 001
附件1) as two printable sheets over plain data: 一、基本信息 (item and content, the 机构性质 boxes
ticked as on the paper form) and 二、the occupations (work types) to assess, one line per
occupation and work type with its level range and history, as the forms list them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.reports.xlsx import Column, Sheet


@dataclass(frozen=True)
class ScopeLine:
    """One occupation (work type) of the filed scope, its levels gathered."""

    name: str  # 汽车维修工（汽车检测工）
    code: str
    is_new: bool
    levels: Sequence[str]  # 三级/高级工 …, highest first
    started_on: dt.date | None  # the earliest of its levels
    assessed_count: int  # over its levels
    standards: Sequence[str] = field(default_factory=tuple)
    subsidised_training: Sequence[str] = field(default_factory=tuple)


def nature_boxes(nature: str, choices: Sequence[str]) -> str:
    """机构性质 as the form's boxes: "☑社会组织　☐企事业单位 …"; the text alone without boxes."""
    if not choices:
        return nature
    boxes = [f"{'☑' if c == nature else '☐'}{c}" for c in choices]
    if nature and nature not in choices:  # stored before the profile's boxes applied
        boxes.append(f"☑{nature}")
    return "　".join(boxes)


def org_form_sheets(
    title: str, basics: Sequence[tuple[str, str]], scope: Sequence[ScopeLine], source: str
) -> list[Sheet]:
    """`basics` are the (item, content) lines of 一、基本信息, in the form's order."""
    note = f"依据：{source}" if source else ""
    return [
        Sheet(
            "基本信息",
            [Column("项目", 20), Column("内容", 64)],
            [[label, value] for label, value in basics],
            title_rows=[title, "一、基本信息", *([note] if note else [])],
        ),
        Sheet(
            "职业（工种）情况",
            [
                Column("序号", 6),
                Column("职业（工种）名称", 24),
                Column("职业编码", 12),
                Column("是否新职业", 8),
                Column("评价等级范围", 22),
                Column("培训评价起始日期", 12, "yyyy-mm-dd"),
                Column("已培训评价人数（人）", 10),
                Column("职业标准或评价规范", 24),
                Column("开展补贴性培训情况", 20),
            ],
            [
                [
                    i, x.name, x.code, "是" if x.is_new else "否", "、".join(x.levels),
                    x.started_on, x.assessed_count, "；".join(x.standards),
                    "；".join(x.subsidised_training),
                ]
                for i, x in enumerate(scope, 1)
            ],
            title_rows=[title, "二、拟开展职业技能等级认定的职业（工种）情况"],
        ),
    ]
