"""Plan checks (计划检查): every problem of a batch's plan, explained in plain Chinese.

Errors block plan filing. Warnings block it too until each is acknowledged with a reason
(`acknowledge`); an acknowledgement is kept by the warning's stable key, so it survives
re-running the checks and is ignored once the warning is gone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import (
    Batch,
    Certificate,
    CheckAcknowledgement,
    Enrolment,
    ExaminerQualification,
    ExamSession,
    Occupation,
    Person,
    Room,
    RoomStations,
    StaffAssignment,
    StaffRoleEntry,
    WorkType,
)
from app.models.base import utcnow
from app.models.enums import COMPONENT_NAMES, Component, Duty
from app.rules._text import width_key
from app.rules.levels import level_name
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_workflow import get_batch
from app.services.batches import (
    DUTY_NAMES,
    check_in_scope,
    organisation_for,
    profile_for,
    session_label,
)
from app.services.dashboard import filing_validity
from app.services.permissions import Perm, require

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class CheckItem:
    level: Level
    key: str  # stable: the same problem keeps its key, so an acknowledgement sticks to it
    message: str
    session_id: int | None = None
    person_id: int | None = None
    ack_reason: str | None = None  # set on acknowledged warnings


@dataclass
class CheckReport:
    errors: list[CheckItem] = field(default_factory=list)
    warnings: list[CheckItem] = field(default_factory=list)  # not yet acknowledged
    acknowledged: list[CheckItem] = field(default_factory=list)  # warnings acknowledged with a reason

    @property
    def can_file(self) -> bool:
        """Nothing blocks plan filing: no errors, and every warning acknowledged."""
        return not self.errors and not self.warnings

    @property
    def items(self) -> list[CheckItem]:
        return [*self.errors, *self.warnings, *self.acknowledged]


@dataclass(frozen=True)
class _Slot:
    """A person's booking in one session: as staff (duty) or as a candidate."""

    person_id: int
    session: ExamSession
    role: str  # examiner / proctor / supervisor / candidate
    whole_batch: bool = False  # a supervisor's: every session of the batch (vs candidates only)


def _overlaps(a: ExamSession, b: ExamSession) -> bool:
    return a.day == b.day and a.start_time < b.end_time and b.start_time < a.end_time


def _short(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


_ROLE_NAMES = {"examiner": "考评员", "proctor": "监考员", "supervisor": "内部质量督导员", "candidate": "考生"}


class _Checker:
    def __init__(self, session: Session, batch: Batch) -> None:
        self.s = session
        self.batch = batch
        self.profile = profile_for(session, batch)
        self.items: list[CheckItem] = []
        self.sessions = sorted(batch.sessions, key=lambda x: (x.day, x.start_time, x.id))
        self.assignments = list(
            session.scalars(select(StaffAssignment).where(StaffAssignment.batch_id == batch.id))
        )
        self.enrolments = list(
            session.scalars(select(Enrolment).where(Enrolment.batch_id == batch.id))
        )
        ids = {a.person_id for a in self.assignments} | {e.person_id for e in self.enrolments}
        self.people = (
            {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))} if ids else {}
        )
        self.occupation = session.get(Occupation, batch.occupation_id)
        self.work_type = session.get(WorkType, batch.work_type_id) if batch.work_type_id else None

    def name(self, person_id: int) -> str:
        p = self.people.get(person_id) or self.s.get(Person, person_id)
        return p.name if p else f"#{person_id}"

    def add(self, level: Level, key: str, message: str, *, session_id: int | None = None,
            person_id: int | None = None) -> None:
        self.items.append(CheckItem(level, key, message, session_id, person_id))

    @property
    def what(self) -> str:
        occ = self.occupation.name if self.occupation else ""
        return f"{occ}（{self.work_type.name}）" if self.work_type else occ

    def run(self) -> list[CheckItem]:
        self.filing()
        self.plan()
        self.rooms()
        self.staffing()
        self.roles()
        self.qualifications()
        self.overlaps()
        self.conflicts()
        self.candidates()
        return self.items

    # 机构备案：备案范围与有效期（000 二(三)、三(二)；004 第五条、第十四条）
    def filing(self) -> None:
        b = self.batch
        org = organisation_for(self.s, b)
        try:  # the scope may have changed since the batch was planned
            check_in_scope(self.s, org, self.profile, b.occupation_id, b.work_type_id, b.level)
        except ValidationError as exc:
            self.add("error", "out_of_scope", f"{exc.message}（本批次：{self.what}，{level_name(b.level)}）")
        if self.profile.filing_validity.auto_renew or not self.sessions:
            return  # continued automatically when it ends (Guizhou, 001 五(二))
        validity = filing_validity(self.s, org, self.profile, dt.date.today())
        until = validity.valid_until
        late = [x for x in self.sessions if until is not None and x.day > until]
        if late:
            estimated = "（按备案日期推算）" if validity.estimated else ""
            self.add("error", "filing_expired",
                     f"机构备案有效期至 {until.isoformat()}{estimated}，本批次有 {len(late)} 个场次"
                     f"（最早 {late[0].day.isoformat()}）在备案到期之后：备案到期后不得开展认定"
                     f"（依据：{self.profile.filing_validity.source}）。请先办理备案延续并在“机构与备案”中"
                     "更新备案有效期，或把场次调整到有效期内。")

    # 评价方式与场次
    def plan(self) -> None:
        b = self.batch
        if b.level <= 2 and not b.method_review:
            self.add("error", "review_required",
                     f"本批次认定{level_name(b.level)}，一、二级必须进行综合评审，但评价方式中没有“综合评审”。"
                     "请在批次计划中勾选综合评审并安排综合评审场次。")
        if not self.sessions:
            self.add("error", "no_sessions", "尚未安排任何场次：请为批次安排考试的日期、时间、考场和科目。")
        for comp in Component:
            if getattr(b, f"method_{comp.value}") and self.sessions and not any(
                s.subject == comp.value for s in self.sessions
            ):
                self.add("error", f"no_session:{comp.value}",
                         f"评价方式包含“{COMPONENT_NAMES[comp]}”，但没有安排该科目的场次：请补充场次。")
        for s in self.sessions:
            if not getattr(b, f"method_{s.subject}"):
                self.add("error", f"subject_not_method:{s.id}",
                         f"场次“{session_label(s)}”的科目不在批次的评价方式中：请删除该场次或调整评价方式。",
                         session_id=s.id)
        if not self.enrolments:
            self.add("error", "no_candidates", "考生名册为空：请先添加考生。")

    # 考场
    def rooms(self) -> None:
        n = len(self.enrolments)
        for s in self.sessions:
            label = session_label(s)
            if s.room_id is None:
                self.add("error", f"no_room:{s.id}", f"场次“{label}”尚未指定考场：请为该场次选择考场。",
                         session_id=s.id)
                continue
            room = self.s.get(Room, s.room_id)
            if room is None:
                continue
            if s.subject == Component.THEORY and n > room.capacity:
                self.add("error", f"capacity:{s.id}",
                         f"场次“{label}”的考场“{room.name}”只能容纳 {room.capacity} 人，本批次有 {n} 名考生，"
                         f"超出 {n - room.capacity} 人：请换用更大的考场，或增加同一时间的理论考场。",
                         session_id=s.id)
            if s.subject == Component.SKILL:
                stations = self.s.scalar(
                    select(RoomStations.stations).where(
                        RoomStations.room_id == room.id,
                        RoomStations.occupation_id == self.batch.occupation_id,
                    )
                )
                if not stations:
                    self.add("error", f"no_stations:{s.id}",
                             f"技能操作场次“{label}”的考场“{room.name}”没有登记“{self.what}”的工位：请在考点与考场中"
                             "登记该职业的工位数，或换用有工位的考场。", session_id=s.id)
                elif n > stations:
                    rounds = -(-n // stations)
                    self.add("warning", f"stations:{s.id}",
                             f"技能操作场次“{label}”的考场“{room.name}”有 {stations} 个“{self.what}”工位，本批次有 {n} 名考生，"
                             f"需分 {rounds} 轮轮换考核：请确认场次时长足够，并在考务安排中写明轮次。",
                             session_id=s.id)
        # the same room booked twice at once (any batch)
        for s in self.sessions:
            if s.room_id is None:
                continue
            others = self.s.scalars(
                select(ExamSession).where(
                    ExamSession.room_id == s.room_id, ExamSession.day == s.day, ExamSession.id != s.id
                )
            )
            for o in others:
                if _overlaps(s, o) and (o.batch_id != self.batch.id or o.id > s.id):
                    room = self.s.get(Room, s.room_id)
                    other_batch = self.s.get(Batch, o.batch_id)
                    self.add("error", f"room_clash:{min(s.id, o.id)}:{max(s.id, o.id)}",
                             f"考场“{room.name if room else s.room_id}”在“{session_label(s)}”同时安排了"
                             f"批次「{other_batch.code if other_batch else o.batch_id}」的场次“{session_label(o)}”：请调整时间或考场。",
                             session_id=s.id)

    # 人员配备
    def staffing(self) -> None:
        rule = self.profile.staffing
        by_session: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        supervisors = set()
        for a in self.assignments:
            if a.duty == Duty.SUPERVISOR:
                supervisors.add(a.person_id)
            elif a.session_id is not None:
                by_session[a.session_id][a.duty].add(a.person_id)
        for s in self.sessions:
            label = session_label(s)
            if s.subject == Component.SKILL:
                n = len(by_session[s.id][Duty.EXAMINER])
                if n < rule.skill_examiners:
                    self.add("error", f"examiners:{s.id}",
                             f"技能操作场次“{label}”只安排了 {n} 名考评员，考评组至少需要 {rule.skill_examiners} 名"
                             f"（依据：{rule.source}）：请再安排 {rule.skill_examiners - n} 名考评员。", session_id=s.id)
            if s.subject == Component.THEORY:
                n = len(by_session[s.id][Duty.PROCTOR])
                if n < rule.theory_proctors:
                    self.add("error", f"proctors:{s.id}",
                             f"理论考试场次“{label}”只安排了 {n} 名监考员，每个理论考场至少需要 {rule.theory_proctors} 名"
                             f"（依据：{rule.source}）：请再安排 {rule.theory_proctors - n} 名监考员。", session_id=s.id)
        if len(supervisors) < rule.supervisors_per_batch:
            self.add("error", "supervisor",
                     f"本批次安排了 {len(supervisors)} 名内部质量督导员，每个批次至少需要 {rule.supervisors_per_batch} 名"
                     f"（依据：{rule.source}）：请安排内部质量督导员。")

    # 人员角色: whoever is assigned a duty must still hold that staff role (a role taken away by an
    # import in 替换 mode, or by an older version, after the assignment was made)
    def roles(self) -> None:
        if not self.assignments:
            return
        held = set(
            self.s.execute(
                select(StaffRoleEntry.person_id, StaffRoleEntry.role).where(
                    StaffRoleEntry.person_id.in_({a.person_id for a in self.assignments})
                )
            ).tuples()
        )
        reported: set[tuple[int, str]] = set()
        for a in self.assignments:
            if (a.person_id, a.duty) in held or (a.person_id, a.duty) in reported:
                continue
            reported.add((a.person_id, a.duty))
            duty = DUTY_NAMES[Duty(a.duty)]
            self.add("error", f"role:{a.person_id}:{a.duty}",
                     f"「{self.name(a.person_id)}」被安排为本批次的{duty}，但人员名册中已没有其{duty}角色："
                     f"请在“人员安排”中换人，或在人员信息中恢复其{duty}角色。", person_id=a.person_id)

    # 考评员资格
    def qualifications(self) -> None:
        b = self.batch
        for a in self.assignments:
            if a.duty != Duty.EXAMINER or a.session is None:
                continue
            day = a.session.day
            quals = list(
                self.s.scalars(
                    select(ExaminerQualification).where(
                        ExaminerQualification.person_id == a.person_id,
                        ExaminerQualification.occupation_id == b.occupation_id,
                    )
                )
            )
            who = f"考评员「{self.name(a.person_id)}」"
            where = f"（场次“{session_label(a.session)}”）"
            key = f"qualification:{a.person_id}:{a.session_id}"
            if not quals:
                self.add("error", key, f"{who}没有“{self.occupation.name if self.occupation else ''}”职业的考评资格{where}："
                         "请换用具备该职业考评资格的考评员，或先在人员信息中登记其考评员证书。",
                         session_id=a.session_id, person_id=a.person_id)
                continue
            fitting = [q for q in quals if q.work_type_id is None or q.work_type_id == b.work_type_id]
            if not fitting:
                self.add("error", key, f"{who}的考评资格限于该职业的其他工种，不含“{self.what}”{where}：请换用考评员。",
                         session_id=a.session_id, person_id=a.person_id)
                continue
            level_ok = [q for q in fitting if q.max_level <= b.level]
            if not level_ok:
                best = min(q.max_level for q in fitting)
                self.add("error", key, f"{who}最高只能考评{level_name(best)}，不能考评本批次的{level_name(b.level)}{where}："
                         "请换用资格等级足够的考评员。", session_id=a.session_id, person_id=a.person_id)
                continue
            valid = [
                q for q in level_ok
                if (q.valid_from is None or q.valid_from <= day) and (q.valid_until is None or day <= q.valid_until)
            ]
            if not valid:
                q = level_ok[0]
                if q.valid_until is not None and q.valid_until < day:
                    why = f"考评员证书（{q.certificate_no or '未登记证书号'}）已于 {q.valid_until.isoformat()} 到期"
                else:
                    why = f"考评员证书（{q.certificate_no or '未登记证书号'}）自 {q.valid_from} 起才生效"
                self.add("error", key, f"{who}的{why}，场次当天 {day.isoformat()} 资格无效{where}：请换用考评员或更新其证书信息。",
                         session_id=a.session_id, person_id=a.person_id)

    # 时间冲突（任何批次）
    def overlaps(self) -> None:
        persons = {a.person_id for a in self.assignments}
        persons |= {e.person_id for e in self.enrolments}
        if not persons:
            return
        slots: dict[int, list[_Slot]] = defaultdict(list)
        staff_rows = self.s.execute(
            select(StaffAssignment.person_id, StaffAssignment.duty, ExamSession)
            .join(ExamSession, StaffAssignment.session_id == ExamSession.id)
            .where(StaffAssignment.person_id.in_(persons))
        )
        for pid, duty, sess in staff_rows:
            slots[pid].append(_Slot(pid, sess, duty))
        # a whole batch's staff (督导员) cannot sit an exam meanwhile (two batches' supervision
        # at once is not refused: they may run side by side at one site)
        whole_rows = self.s.execute(
            select(StaffAssignment.person_id, StaffAssignment.duty, ExamSession)
            .join(ExamSession, ExamSession.batch_id == StaffAssignment.batch_id)
            .where(StaffAssignment.person_id.in_(persons), StaffAssignment.session_id.is_(None))
        )
        for pid, duty, sess in whole_rows:
            slots[pid].append(_Slot(pid, sess, duty, whole_batch=True))
        cand_rows = self.s.execute(
            select(Enrolment.person_id, ExamSession)
            .join(ExamSession, ExamSession.batch_id == Enrolment.batch_id)
            .where(Enrolment.person_id.in_(persons))
        )
        for pid, sess in cand_rows:
            slots[pid].append(_Slot(pid, sess, "candidate"))
        seen: set[str] = set()
        for pid, items in slots.items():
            for i, a in enumerate(items):
                for b in items[i + 1:]:
                    if a.session.id == b.session.id or not _overlaps(a.session, b.session):
                        continue
                    if self.batch.id not in (a.session.batch_id, b.session.batch_id):
                        continue
                    if a.role == b.role == "candidate" and a.session.batch_id == b.session.batch_id:
                        continue
                    if (a.whole_batch or b.whole_batch) and "candidate" not in (a.role, b.role):
                        continue
                    lo, hi = sorted((a.session.id, b.session.id))
                    key = f"overlap:{pid}:{lo}:{hi}"
                    if key in seen:
                        continue
                    seen.add(key)
                    self.add("error", key,
                             f"「{self.name(pid)}」在同一时间有两项安排：{self._describe(a)}；{self._describe(b)}。"
                             "同一人不能同时出现在两个场次：请调整场次时间或更换人员。",
                             session_id=a.session.id if a.session.batch_id == self.batch.id else b.session.id,
                             person_id=pid)

    def _describe(self, slot: _Slot) -> str:
        batch = self.s.get(Batch, slot.session.batch_id)
        return f"批次「{batch.code if batch else slot.session.batch_id}」场次“{session_label(slot.session)}”的{_ROLE_NAMES[slot.role]}"

    # 回避
    def conflicts(self) -> None:
        candidates = {e.person_id: e for e in self.enrolments}
        staff = {a.person_id: a for a in self.assignments}
        for pid, a in staff.items():
            if pid in candidates:
                self.add("error", f"staff_candidate:{pid}",
                         f"「{self.name(pid)}」既是本批次的{DUTY_NAMES[Duty(a.duty)]}，又是本批次的考生：考务人员不能同时参加"
                         "本批次认定。请更换考务人员，或将其从考生名册中移除。", person_id=pid)
        by_employer: dict[str, list[str]] = defaultdict(list)
        for e in self.enrolments:
            employer = (e.employer or (self.people[e.person_id].employer if e.person_id in self.people else "")).strip()
            if employer:  # (by width_key: 重庆建工（集团） is 重庆建工(集团))
                by_employer[width_key(employer)].append(self.name(e.person_id))
        examiners = sorted({a.person_id for a in self.assignments if a.duty == Duty.EXAMINER})
        for pid in examiners:
            p = self.people.get(pid)
            employer = (p.employer if p else "").strip()
            names = by_employer.get(width_key(employer), [])
            if employer and names:
                shown = "、".join(names[:5]) + (f"等 {len(names)} 人" if len(names) > 5 else "")
                self.add("warning", f"avoid:{pid}:{_short(employer)}",
                         f"考评员「{self.name(pid)}」与考生{shown}同在“{employer}”工作，按回避要求不宜考评本单位考生："
                         "请更换考评员，或确认已采取回避措施（如不考评本单位考生）并说明理由。", person_id=pid)

    # 考生
    def candidates(self) -> None:
        b = self.batch
        if not self.enrolments:
            return
        pids = [e.person_id for e in self.enrolments]
        rows = self.s.execute(
            select(Certificate, Batch.code)
            .join(Batch, Certificate.batch_id == Batch.id)
            .where(
                Certificate.person_id.in_(pids),
                Certificate.status == "issued",
                Certificate.level <= b.level,
                Batch.occupation_id == b.occupation_id,
                Certificate.batch_id != b.id,
            )
        )
        done: set[int] = set()
        for cert, _code in rows:
            if cert.person_id in done:
                continue
            done.add(cert.person_id)
            self.add("warning", f"holds_certificate:{cert.person_id}",
                     f"考生「{self.name(cert.person_id)}」已持有“{self.occupation.name if self.occupation else ''}”"
                     f"{level_name(cert.level)}证书（{cert.number}），本批次认定{level_name(b.level)}，不高于已有等级："
                     "请核实是否重复报名。", person_id=cert.person_id)


def check_batch(session: Session, batch_id: int | str) -> CheckReport:
    """Run every plan check. Read-only."""
    batch = get_batch(session, batch_id)
    items = _Checker(session, batch).run()
    acks = {
        a.check_key: a.reason
        for a in session.scalars(select(CheckAcknowledgement).where(CheckAcknowledgement.batch_id == batch.id))
    }
    report = CheckReport()
    for item in items:
        if item.level == "error":
            report.errors.append(item)
        elif item.key in acks:
            report.acknowledged.append(
                CheckItem(item.level, item.key, item.message, item.session_id, item.person_id, acks[item.key])
            )
        else:
            report.warnings.append(item)
    return report


def acknowledge(session: Session, actor: Actor, batch_id: int | str, key: str, reason: str) -> CheckAcknowledgement:
    """Acknowledge a current warning with a reason (audited). Errors cannot be acknowledged."""
    batch = get_batch(session, batch_id)
    require(session, actor, Perm.ACK_WARNING, batch_id=batch.id, what="确认检查警告")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("确认警告必须填写理由（将记入审计日志并随计划留档）。", field="reason")
    report = check_batch(session, batch.id)
    if any(i.key == key for i in report.errors):
        raise ValidationError("这是错误而不是警告，不能通过确认放行：请先修正计划中的问题。", field="key")
    item = next((i for i in report.warnings + report.acknowledged if i.key == key), None)
    if item is None:
        raise ValidationError(f"批次「{batch.code}」当前没有标识为“{key}”的警告：请重新运行检查后再确认。", field="key")
    ack = session.scalar(
        select(CheckAcknowledgement).where(
            CheckAcknowledgement.batch_id == batch.id, CheckAcknowledgement.check_key == key
        )
    )
    if ack is None:
        ack = CheckAcknowledgement(batch_id=batch.id, check_key=key, reason=reason,
                                   user_id=actor.user_id, at=utcnow())
        session.add(ack)
    else:
        ack.reason, ack.user_id, ack.at = reason, actor.user_id, utcnow()
    record(session, actor, "check.acknowledge", ack, summary={"key": key, "message": item.message}, reason=reason)
    return ack
