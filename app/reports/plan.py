"""The plan filing document (认定计划报备表) as xlsx, and the plain data it is written from.

`PlanDocument` carries everything the seeds ask a plan to carry (000 二(四)1, 001 五(三)1,
003 五(一)): occupation and work type, level, methods, the schedule of sessions and rooms,
the candidate roster, examiners, proctors and internal quality supervisors. The PDF
(app/printing/plan_pdf.py) is written from the same document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from app.reports.xlsx import TEXT_FORMAT, Column, Sheet, write_workbook


@dataclass(frozen=True)
class PlanSession:
    day: dt.date
    start: dt.time
    end: dt.time
    subject: str  # 理论知识 / 技能操作 / 综合评审
    venue: str
    room: str
    address: str
    video: bool
    capacity: str  # "60 座" / "20 个工位"
    candidates: int
    examiners: list[str]
    proctors: list[str]

    @property
    def time_text(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class PlanCandidate:
    seq: int
    admission_no: str
    name: str
    gender: str
    id_type: str  # name of the ID type
    id_number: str  # full for the authority's roster
    employer: str
    city: str
    room: str
    seat: str


@dataclass(frozen=True)
class PlanStaff:
    name: str
    id_number: str  # masked
    duty: str
    certificate_no: str
    qualification: str  # e.g. 电工 二级/技师
    title: str
    education: str
    employer: str
    in_house: str  # 是 / 否
    sessions: str  # where they serve


@dataclass
class PlanDocument:
    organisation: str
    filing_code: str
    batch_code: str
    batch_name: str
    occupation: str
    occupation_code: str
    work_type: str  # "——" when none
    level: str
    methods: list[str]
    candidate_source: str
    first_day: dt.date | None
    last_day: dt.date | None
    plan_deadline: dt.date | None
    prepared_on: dt.date
    sessions: list[PlanSession] = field(default_factory=list)
    candidates: list[PlanCandidate] = field(default_factory=list)
    examiners: list[PlanStaff] = field(default_factory=list)
    proctors: list[PlanStaff] = field(default_factory=list)
    supervisors: list[PlanStaff] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)  # warnings accepted, with reasons

    @property
    def title(self) -> str:
        return f"职业技能等级认定计划报备表（{self.batch_code}）"

    def overview(self) -> list[tuple[str, str]]:
        def d(x: dt.date | None) -> str:
            return x.isoformat() if x else "——"

        rows = [
            ("评价机构", self.organisation),
            ("机构备案编码", self.filing_code or "——"),
            ("批次编号", self.batch_code),
            ("批次名称", self.batch_name),
            ("职业名称", f"{self.occupation}（{self.occupation_code}）"),
            ("工种名称", self.work_type),
            ("职业技能等级", self.level),
            ("评价方式", "、".join(self.methods)),
            ("认定时间", f"{d(self.first_day)} 至 {d(self.last_day)}"),
            ("场次数", str(len(self.sessions))),
            ("考生人数", str(len(self.candidates))),
            ("考生来源", self.candidate_source or "——"),
            ("考评人员", "、".join(s.name for s in self.examiners) or "——"),
            ("监考人员", "、".join(s.name for s in self.proctors) or "——"),
            ("内部质量督导人员", "、".join(s.name for s in self.supervisors) or "——"),
            ("最迟报备日", d(self.plan_deadline)),
            ("填报日期", self.prepared_on.isoformat()),
        ]
        rows += [("已确认的提示", text) for text in self.acknowledged]
        return rows


_STAFF_COLUMNS = [
    Column("序号", 6),
    Column("姓名", 12),
    Column("证件号码", 22, TEXT_FORMAT),
    Column("考评员证书号", 18),
    Column("考评资格", 22),
    Column("职称/职务/技能等级", 18),
    Column("学历", 10),
    Column("工作单位", 26),
    Column("是否本单位人员", 10),
    Column("安排场次", 40),
]


def _staff_rows(staff: list[PlanStaff]) -> list[list[object]]:
    return [
        [i, s.name, s.id_number, s.certificate_no, s.qualification, s.title, s.education, s.employer,
         s.in_house, s.sessions]
        for i, s in enumerate(staff, 1)
    ]


def write_plan_xlsx(doc: PlanDocument, path: Path) -> Path:
    """Six sheets: 批次概况, 场次安排, 考生名册, 考评人员, 监考人员, 督导人员."""
    caption = [doc.title, f"评价机构：{doc.organisation}"]
    sheets = [
        Sheet("批次概况", [Column("项目", 18), Column("内容", 70)], [list(r) for r in doc.overview()], caption),
        Sheet(
            "场次安排",
            [
                Column("序号", 6),
                Column("日期", 13),
                Column("时间", 16),
                Column("科目", 12),
                Column("考点", 18),
                Column("考场", 18),
                Column("地址", 30),
                Column("容量", 10),
                Column("考生人数", 10),
                Column("视频监控", 10),
                Column("考评员", 30),
                Column("监考员", 30),
            ],
            [
                [i, s.day, s.time_text, s.subject, s.venue, s.room, s.address, s.capacity, s.candidates,
                 "有" if s.video else "无", "、".join(s.examiners), "、".join(s.proctors)]
                for i, s in enumerate(doc.sessions, 1)
            ],
            caption,
        ),
        Sheet(
            "考生名册",
            [
                Column("序号", 6),
                Column("准考证号", 14),
                Column("姓名", 12),
                Column("性别", 6),
                Column("证件类型", 14),
                Column("证件号码", 22, TEXT_FORMAT),
                Column("所在单位", 26),
                Column("所在地市", 14),
                Column("考场", 18),
                Column("座位号", 8),
            ],
            [
                [c.seq, c.admission_no, c.name, c.gender, c.id_type, c.id_number, c.employer, c.city,
                 c.room, c.seat]
                for c in doc.candidates
            ],
            caption,
        ),
        Sheet("考评人员", _STAFF_COLUMNS, _staff_rows(doc.examiners), caption),
        Sheet("监考人员", _STAFF_COLUMNS, _staff_rows(doc.proctors), caption),
        Sheet("督导人员", _STAFF_COLUMNS, _staff_rows(doc.supervisors), caption),
    ]
    return write_workbook(path, sheets)
