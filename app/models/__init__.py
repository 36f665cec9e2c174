"""The SQLAlchemy data model, one module per aggregate. Importing this registers every table."""

from app.models.archive import ArchiveItem
from app.models.audit import AuditEntry
from app.models.base import Base, utcnow
from app.models.batch import (
    Batch,
    CheckAcknowledgement,
    Enrolment,
    ExamSession,
    Objection,
    StaffAssignment,
)
from app.models.certificate import Certificate, CertificatePrint, SerialCounter
from app.models.occupation import Occupation, WorkType
from app.models.organisation import CalendarOverride, Organisation, ScopeEntry, Setting
from app.models.people import ExaminerQualification, Person, Photo, StaffRoleEntry
from app.models.score import FINAL_ROUND, ScoreEntry
from app.models.user import ScorerAssignment, User
from app.models.venue import Room, RoomStations, Venue

__all__ = [
    "FINAL_ROUND",
    "ArchiveItem",
    "AuditEntry",
    "Base",
    "Batch",
    "CalendarOverride",
    "Certificate",
    "CertificatePrint",
    "CheckAcknowledgement",
    "Enrolment",
    "ExamSession",
    "ExaminerQualification",
    "Objection",
    "Occupation",
    "Organisation",
    "Person",
    "Photo",
    "Room",
    "RoomStations",
    "ScopeEntry",
    "ScoreEntry",
    "ScorerAssignment",
    "SerialCounter",
    "Setting",
    "StaffAssignment",
    "StaffRoleEntry",
    "User",
    "Venue",
    "WorkType",
    "utcnow",
]
