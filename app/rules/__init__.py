"""Pure rules: province profiles, ID documents, credit codes, filing codes and certificate
numbers, skill levels, the working-day calendar and deadlines. No database, no Qt."""

from app.rules.calendar_import import parse_calendar_rows, read_calendar_file
from app.rules.codes import (
    CertificateNumber,
    FilingCode,
    Segment,
    compose_certificate_number,
    compose_filing_code,
    parse_certificate_number,
    parse_filing_code,
)
from app.rules.deadlines import (
    Deadline,
    filing_expiry,
    plan_filing_deadline,
    publicity_min_end,
    renewal_notice_date,
    results_filing_deadline,
    retention_end,
)
from app.rules.id_types import ID_TYPES
from app.rules.idcard import (
    IdInfo,
    birth_date_from_id,
    gb11643_check_char,
    gender_from_id,
    mask_id,
    normalize_id,
    validate_id,
)
from app.rules.levels import LEVELS, check_level_allowed, check_work_type_count, level_name
from app.rules.profile_model import Profile
from app.rules.profiles import list_profiles, load_profile, load_profile_file
from app.rules.uscc import uscc_check_char, validate_uscc
from app.rules.workdays import CalendarMissingError, WorkdayCalendar

__all__ = [
    "ID_TYPES",
    "LEVELS",
    "CalendarMissingError",
    "CertificateNumber",
    "Deadline",
    "FilingCode",
    "IdInfo",
    "Profile",
    "Segment",
    "WorkdayCalendar",
    "birth_date_from_id",
    "check_level_allowed",
    "check_work_type_count",
    "compose_certificate_number",
    "compose_filing_code",
    "filing_expiry",
    "gb11643_check_char",
    "gender_from_id",
    "level_name",
    "list_profiles",
    "load_profile",
    "load_profile_file",
    "mask_id",
    "normalize_id",
    "parse_calendar_rows",
    "parse_certificate_number",
    "parse_filing_code",
    "plan_filing_deadline",
    "publicity_min_end",
    "read_calendar_file",
    "renewal_notice_date",
    "results_filing_deadline",
    "retention_end",
    "uscc_check_char",
    "validate_id",
    "validate_uscc",
]
