"""Code lists stored as short strings (portable between SQLite and PostgreSQL)."""

from __future__ import annotations

from enum import StrEnum


class OrgType(StrEnum):
    EMPLOYER = "Y"  # 用人单位
    SOCIAL = "S"  # 社会培训评价组织


class StaffRole(StrEnum):
    FULLTIME = "fulltime"  # 专职工作人员
    EXPERT = "expert"  # 专家
    EXAMINER = "examiner"  # 考评员
    SUPERVISOR = "supervisor"  # 内部质量督导员
    PROCTOR = "proctor"  # 监考员


STAFF_ROLE_NAMES = {
    StaffRole.FULLTIME: "专职工作人员",
    StaffRole.EXPERT: "专家",
    StaffRole.EXAMINER: "考评员",
    StaffRole.SUPERVISOR: "内部督导员",
    StaffRole.PROCTOR: "监考员",
}


class BatchStatus(StrEnum):
    DRAFT = "draft"
    PLAN_FILED = "plan_filed"
    IN_PROGRESS = "in_progress"
    SCORING = "scoring"
    PUBLICITY = "publicity"
    RESULTS_FILED = "results_filed"
    CERTIFIED = "certified"
    ARCHIVED = "archived"


BATCH_STATUS_ORDER = list(BatchStatus)
BATCH_STATUS_NAMES = {
    BatchStatus.DRAFT: "草稿",
    BatchStatus.PLAN_FILED: "已报备",
    BatchStatus.IN_PROGRESS: "实施中",
    BatchStatus.SCORING: "成绩录入",
    BatchStatus.PUBLICITY: "公示中",
    BatchStatus.RESULTS_FILED: "结果已报备",
    BatchStatus.CERTIFIED: "已发证",
    BatchStatus.ARCHIVED: "已归档",
}


class Component(StrEnum):
    THEORY = "theory"  # 理论知识考试
    SKILL = "skill"  # 技能操作考核
    REVIEW = "review"  # 综合评审


COMPONENT_NAMES = {Component.THEORY: "理论知识", Component.SKILL: "技能操作", Component.REVIEW: "综合评审"}


class ScoreMark(StrEnum):
    NORMAL = "normal"
    ABSENT = "absent"  # 缺考
    DISQUALIFIED = "disqualified"  # 违纪


class Duty(StrEnum):
    EXAMINER = "examiner"
    PROCTOR = "proctor"
    SUPERVISOR = "supervisor"


class Result(StrEnum):
    PENDING = "pending"
    PASS = "pass"
    FAIL = "fail"


class CertificateStatus(StrEnum):
    ISSUED = "issued"
    VOIDED = "voided"


CERTIFICATE_STATUS_NAMES = {CertificateStatus.ISSUED: "有效", CertificateStatus.VOIDED: "已作废"}


class ArchiveKind(StrEnum):
    PAPER = "paper"
    ELECTRONIC = "electronic"


class UserRole(StrEnum):
    ADMIN = "admin"  # 管理员
    CLERK = "clerk"  # 考务员
    SCORER = "scorer"  # 录分员
    SUPERVISOR = "supervisor"  # 督导员
    CERTIFIER = "certifier"  # 制证员


USER_ROLE_NAMES = {
    UserRole.ADMIN: "管理员",
    UserRole.CLERK: "考务员",
    UserRole.SCORER: "录分员",
    UserRole.SUPERVISOR: "督导员",
    UserRole.CERTIFIER: "制证员",
}
