"""Province profile data types: every rule value carries the seed clause it comes from.

A profile is pure data loaded from ``resources/rules/<name>.toml`` (see profiles.py).
Conventions:
- ``province_code`` is the two-digit GB/T 2260 code; the national default profile uses
  ``"00"`` (``Profile.is_national``) and accepts any province code in ``province_names``.
- ``source`` strings cite the seed file number and clause (e.g. ``"000 二(四)1"``); a rule
  the seeds do not state is marked ``"未规定/惯例"`` followed by what practice was taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

NATIONAL_PROVINCE_CODE: Final = "00"

FilingLayoutKind = Literal["district+sequence", "city+sequence", "serial6"]
SerialScope = Literal["organisation", "year", "year_level"]
DayUnit = Literal["working", "calendar"]
FilingAnchor = Literal["assessment_end", "publicity_end"]

FILING_LAYOUT_KINDS: Final = ("district+sequence", "city+sequence", "serial6")
SERIAL_SCOPES: Final = ("organisation", "year", "year_level")
DAY_UNITS: Final = ("working", "calendar")
FILING_ANCHORS: Final = ("assessment_end", "publicity_end")

SERIAL_SCOPE_LABELS: Final = {
    "organisation": "本机构统一顺序编号",
    "year": "按年度顺序编号",
    "year_level": "按年度、分等级顺序编号",
}


@dataclass(frozen=True)
class FilingCodeLayout:
    """Positions 8–13 of the filing code.

    ``district+sequence`` / ``city+sequence``: 8–9 a region code from ``regions``,
    10–13 the organisation sequence 0001–9999. ``serial6``: 8–13 a six-digit serial.
    """

    kind: FilingLayoutKind
    region_label: str  # e.g. "备案地" or "所在地市"; "" for serial6
    regions: Mapping[str, str]
    source: str
    # Positions 2–5: may a ministry-assigned route code (0001–9999) stand there, or only the
    # provincial 0000 (Anhui: organisations filed with the ministry re-file and take 0000)?
    ministry_route: bool = True
    route_source: str = ""

    @property
    def has_region(self) -> bool:
        return self.kind != "serial6"


@dataclass(frozen=True)
class SerialRule:
    """How certificate serials (positions 17–22) are counted."""

    scope: SerialScope
    source: str

    @property
    def label(self) -> str:
        return SERIAL_SCOPE_LABELS[self.scope]


@dataclass(frozen=True)
class PlanFilingRule:
    working_days: int
    source: str


@dataclass(frozen=True)
class PublicityRule:
    days: int
    unit: DayUnit
    source: str

    @property
    def unit_label(self) -> str:
        return "个工作日" if self.unit == "working" else "天（自然日）"


@dataclass(frozen=True)
class ResultsFilingRule:
    """Results-filing deadline: ``working_days`` after ``anchor``; no deadline when anchor is None."""

    anchor: FilingAnchor | None
    working_days: int | None
    source: str


@dataclass(frozen=True)
class LevelScope:
    key: str
    label: str
    levels: tuple[int, ...]
    # Which filing-code regions (positions 8–9) this scope goes with, where the seeds tie them
    # (Chongqing 004 第六条: filed with the city, code 00 = 全市范围; with a district = 区县范围).
    # Both empty: any region.
    regions: tuple[str, ...] = ()
    regions_except: tuple[str, ...] = ()
    regions_source: str = ""

    def fits_region(self, region: str) -> bool:
        if self.regions:
            return region in self.regions
        return region not in self.regions_except


@dataclass(frozen=True)
class LevelRule:
    scopes: tuple[LevelScope, ...]
    default_scope: str
    source: str

    def scope(self, key: str) -> LevelScope | None:
        for item in self.scopes:
            if item.key == key:
                return item
        return None


@dataclass(frozen=True)
class WorkTypeRule:
    max_work_types: int | None  # None: no limit
    source: str


# The fields of the 基本情况表's 一、基本信息 a profile may list (keys of the organisation record),
# and the columns of its 二、occupations (work types) table, each with the label the app uses
# where a province's form says nothing else.
ORG_FORM_BASICS: Final = {
    "name": "名称",
    "address": "地址",
    "registration_authority": "注册登记机构",
    "nature": "机构性质",
    "credit_code": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "registered_capital": "注册资金（万元）",
    "contact_person": "联系人",
    "contact_title": "联系人职务",
    "phone": "联系电话",
    "mobile": "联系人手机",
    "email": "电子邮箱",
    "website": "网站",
}
ORG_FORM_SCOPE_COLUMNS: Final = {
    "name": "职业（工种）名称",  # 汽车维修工（汽车检测工）
    "occupation": "职业名称",
    "work_type": "工种名称",
    "code": "职业编码",
    "is_new": "是否新职业",
    "levels": "评价等级范围",
    "started_on": "培训评价起始日期",
    "assessed_count": "已培训评价人数（人）",
    "standards": "职业标准或评价规范",
    "has_standard": "有无职业标准或评价规范",  # 有 / 无
    "subsidised_training": "开展补贴性培训情况",
}


@dataclass(frozen=True)
class OrganisationFormRule:
    """The 基本情况表 as the province's form has it: its title, the 机构性质 boxes to tick (empty:
    free text), the fields of 一、基本信息 and the columns of 二 in the form's order with the
    form's own labels, its closing pledge (empty: the form has none) and the 注 under it."""

    natures: tuple[str, ...]
    source: str
    title: str = "评价机构基本情况表"
    basics: tuple[tuple[str, str], ...] = tuple(ORG_FORM_BASICS.items())
    scope_title: str = "二、拟开展职业技能等级认定的职业（工种）情况"
    scope_columns: tuple[tuple[str, str], ...] = tuple(
        (k, v) for k, v in ORG_FORM_SCOPE_COLUMNS.items() if k not in ("occupation", "work_type", "has_standard")
    )
    pledge_title: str = ""
    pledge: str = ""
    form_note: str = ""  # the form's closing 注 (under the signatures)


@dataclass(frozen=True)
class FilingValidityRule:
    years: int
    renewal_notice_days: int | None  # apply for renewal at least this many days before expiry
    auto_renew: bool
    source: str
    # How many calendar days before the last day to act (the renewal deadline where
    # ``renewal_notice_days`` is set, else the expiry) the dashboard and the organisation page
    # start reminding ("soon"): a renewal is an application prepared in advance, so the lead is
    # weeks, not the dashboard's generic few working days. None only with ``auto_renew`` (the
    # filing continues by itself: nothing to remind of).
    renewal_reminder_days: int | None = None
    renewal_reminder_source: str = ""


@dataclass(frozen=True)
class RetentionRule:
    paper_years: int
    electronic_years: int
    source: str


@dataclass(frozen=True)
class ScoringRule:
    pass_mark: int
    full_mark: int
    source: str


@dataclass(frozen=True)
class StaffingRule:
    skill_examiners: int  # minimum per skill-assessment group
    theory_proctors: int  # minimum per theory room
    supervisors_per_batch: int  # internal quality supervisors per batch
    source: str


@dataclass(frozen=True)
class FontCandidate:
    family: str
    aliases: tuple[str, ...]
    files: tuple[str, ...]
    bundled: bool


@dataclass(frozen=True)
class CertificateStyle:
    template: str
    fonts: tuple[FontCandidate, ...]  # tried in order
    source: str


@dataclass(frozen=True)
class Profile:
    name: str
    display_name: str
    province_code: str  # "00" for the national profile
    province_names: Mapping[str, str]  # province codes accepted in positions 6–7
    sources: tuple[str, ...]
    filing_code: FilingCodeLayout
    serial: SerialRule
    plan_filing: PlanFilingRule
    publicity: PublicityRule
    results_filing: ResultsFilingRule
    levels: LevelRule
    work_types: WorkTypeRule
    filing_validity: FilingValidityRule
    retention: RetentionRule
    scoring: ScoringRule
    staffing: StaffingRule
    certificate: CertificateStyle
    organisation_form: OrganisationFormRule

    @property
    def is_national(self) -> bool:
        return self.province_code == NATIONAL_PROVINCE_CODE
