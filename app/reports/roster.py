"""The roster tables of the filing application (000 附件1 四), one sheet each, over plain data.

专职工作人员 (序号 姓名 身份证号 职称/职务 学历 工作职责), 专家 (… 专业方向 是否本单位人员),
考评人员 (… 考评员证书号 考评职业 职称/职务/技能等级 学历 是否本单位人员) and 内部督导人员
(… 所在单位 职称/职务/技能等级 学历). For filing, so the full ID number is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.reports.xlsx import TEXT_FORMAT, Column, Sheet, write_workbook


@dataclass(frozen=True)
class RosterLine:
    name: str
    id_number: str
    title: str = ""
    education: str = ""
    duties: str = ""
    specialty: str = ""
    in_house: bool = True
    certificate_no: str = ""
    occupations: Sequence[str] = field(default_factory=tuple)
    employer: str = ""


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _c(title: str, width: float = 14) -> Column:
    return Column(title, width)


def roster_sheets(
    fulltime: Sequence[RosterLine],
    experts: Sequence[RosterLine],
    examiners: Sequence[RosterLine],
    supervisors: Sequence[RosterLine],
) -> list[Sheet]:
    # the ID column formatted as text: a number retyped or pasted there never becomes 5.0011E+17
    base = [_c("序号", 6), _c("姓名", 12), Column("身份证号", 22, TEXT_FORMAT)]
    return [
        Sheet(
            "专职工作人员",
            [*base, _c("职称/职务", 16), _c("学历"), _c("工作职责", 30)],
            [
                [i, x.name, x.id_number, x.title, x.education, x.duties]
                for i, x in enumerate(fulltime, 1)
            ],
            title_rows=["（一）专职工作人员情况"],
        ),
        Sheet(
            "专家",
            [*base, _c("职称/职务", 16), _c("学历"), _c("专业方向", 20), _c("是否本单位人员", 14)],
            [
                [i, x.name, x.id_number, x.title, x.education, x.specialty, _yes(x.in_house)]
                for i, x in enumerate(experts, 1)
            ],
            title_rows=["（二）专家情况"],
        ),
        Sheet(
            "考评人员",
            [
                *base,
                _c("考评员证书号", 18),
                _c("考评职业", 24),
                _c("职称/职务/技能等级", 18),
                _c("学历"),
                _c("是否本单位人员", 14),
            ],
            [
                [
                    i,
                    x.name,
                    x.id_number,
                    x.certificate_no,
                    "、".join(x.occupations),
                    x.title,
                    x.education,
                    _yes(x.in_house),
                ]
                for i, x in enumerate(examiners, 1)
            ],
            title_rows=["（三）考评人员情况"],
        ),
        Sheet(
            "内部督导人员",
            [*base, _c("所在单位", 28), _c("职称/职务/技能等级", 18), _c("学历")],
            [
                [i, x.name, x.id_number, x.employer, x.title, x.education]
                for i, x in enumerate(supervisors, 1)
            ],
            title_rows=["（四）内部督导人员情况"],
        ),
    ]


def write_roster(
    path: str | Path,
    fulltime: Sequence[RosterLine],
    experts: Sequence[RosterLine],
    examiners: Sequence[RosterLine],
    supervisors: Sequence[RosterLine],
) -> Path:
    return write_workbook(Path(path), roster_sheets(fulltime, experts, examiners, supervisors))
