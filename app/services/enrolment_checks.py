"""Who may be enrolled in a batch, checked for many people at once: the refusals (already in
the roster, staff of the batch, booked elsewhere at an overlapping time) and the warnings
(already certified at this level or higher).

`enrol_people` refuses on the first refusal; the candidate import's check (`candidate_import`)
shows every one beside its Excel row, so a file that passes the check is not refused at import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Batch, Certificate, Enrolment, ExamSession, Person, StaffAssignment
from app.models.enums import Duty
from app.rules.levels import level_name
from app.services.batches import DUTY_NAMES, session_label

CANDIDATE = "考生"


@dataclass(frozen=True)
class Booking:
    """A session of another batch the person is in, and as what (考生, 监考员, …)."""

    session: ExamSession
    what: str


@dataclass
class CandidateChecks:
    refusals: dict[int, str] = field(default_factory=dict)  # person id -> why not (first found)
    warnings: dict[int, str] = field(default_factory=dict)  # person id -> what to verify


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def booked_elsewhere(
    session: Session, batch: Batch, person_ids: list[int]
) -> dict[int, list[Booking]]:
    """The sessions of other batches each person is in: as candidate, as staff of a session,
    and as staff of a whole batch (a 内部质量督导员: all of that batch's sessions)."""
    out: dict[int, list[Booking]] = {}
    for chunk in _chunks(person_ids):
        queries = (
            select(Enrolment.person_id, ExamSession, None)
            .join(Enrolment, Enrolment.batch_id == ExamSession.batch_id)
            .where(Enrolment.person_id.in_(chunk)),
            select(StaffAssignment.person_id, ExamSession, StaffAssignment.duty)
            .join(StaffAssignment, StaffAssignment.session_id == ExamSession.id)
            .where(StaffAssignment.person_id.in_(chunk)),
            select(StaffAssignment.person_id, ExamSession, StaffAssignment.duty)
            .join(StaffAssignment, StaffAssignment.batch_id == ExamSession.batch_id)
            .where(StaffAssignment.person_id.in_(chunk), StaffAssignment.session_id.is_(None)),
        )
        for stmt in queries:
            stmt = stmt.where(ExamSession.batch_id != batch.id).order_by(
                ExamSession.day, ExamSession.start_time, ExamSession.id
            )
            for pid, other, duty in session.execute(stmt):
                what = DUTY_NAMES[Duty(duty)] if duty else CANDIDATE
                out.setdefault(pid, []).append(Booking(other, what))
    return out


def _clash(session: Session, batch: Batch, person: Person, bookings: list[Booking]) -> str | None:
    """A booking of another batch that overlaps one of this batch's sessions, said."""
    for a in batch.sessions:
        for b in bookings:
            s = b.session
            if a.day == s.day and a.start_time < s.end_time and s.start_time < a.end_time:
                other = session.get(Batch, s.batch_id)
                return (
                    f"「{person.name}」是批次「{other.code if other else s.batch_id}」场次"
                    f"“{session_label(s)}”的{b.what}，与本批次场次“{session_label(a)}”时间重叠："
                    "同一人不能同时参加两个场次。请调整场次或不报名该考生。"
                )
    return None


def _held_certificates(
    session: Session, batch: Batch, person_ids: list[int]
) -> dict[int, Certificate]:
    """Per person, an issued certificate of the batch's occupation at the batch's level or a
    higher one (a smaller level number: 一级 is the highest), the highest first."""
    out: dict[int, Certificate] = {}
    for chunk in _chunks(person_ids):
        rows = session.scalars(
            select(Certificate)
            .join(Batch, Certificate.batch_id == Batch.id)
            .where(
                Certificate.person_id.in_(chunk),
                Certificate.status == "issued",
                Certificate.level <= batch.level,
                Batch.occupation_id == batch.occupation_id,
            )
            .order_by(Certificate.person_id, Certificate.level, Certificate.id)
        )
        for cert in rows:
            out.setdefault(cert.person_id, cert)
    return out


def check_candidates(
    session: Session, batch: Batch, people: dict[int, Person]
) -> CandidateChecks:
    """Every refusal and warning for enrolling `people` (by id) in `batch`, in a few queries."""
    ids = list(people)
    out = CandidateChecks()
    if not ids:
        return out
    enrolled = set(
        session.scalars(select(Enrolment.person_id).where(Enrolment.batch_id == batch.id))
    )
    staff = set(
        session.scalars(
            select(StaffAssignment.person_id).where(StaffAssignment.batch_id == batch.id)
        )
    )
    booked = booked_elsewhere(session, batch, ids) if batch.sessions else {}
    for pid, person in people.items():
        if pid in enrolled:
            why = f"「{person.name}」已在批次「{batch.code}」的考生名册中，不能重复报名。"
        elif pid in staff:
            why = f"「{person.name}」是本批次的考务人员，不能同时作为本批次考生报名。"
        else:
            why = _clash(session, batch, person, booked.get(pid, [])) or ""
        if why:
            out.refusals[pid] = why
    for pid, cert in _held_certificates(session, batch, ids).items():
        out.warnings[pid] = (
            f"「{people[pid].name}」已持有本职业{level_name(cert.level)}证书（{cert.number}），"
            f"本批次认定{level_name(batch.level)}，不高于已有等级：请核实是否重复报名。"
        )
    return out
