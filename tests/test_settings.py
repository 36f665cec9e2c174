"""Settings: profile choice checked against the filing code; idle lock bounds; permissions."""

from __future__ import annotations

import pytest

from app.errors import PermissionDenied, ValidationError
from app.services.audit_verify import verify_audit
from app.services.organisation import OrgInput, get_organisation, save_organisation
from app.services.settings import choose_profile, idle_lock_minutes, set_idle_lock_minutes
from app.services.users import authenticate, create_user


def test_choose_profile_checks_filing_code(db, admin) -> None:
    with db.session() as s:
        save_organisation(s, admin, OrgInput(name="某学校", org_type="S", profile_name="chongqing", filing_code="S000050000017"))
    with pytest.raises(ValidationError, match="不符合安徽省规则"), db.session() as s:
        choose_profile(s, admin, "anhui")
    with db.session() as s:
        assert choose_profile(s, admin, "national") == "national"
    with db.session() as s:
        assert get_organisation(s).profile_name == "national"
        assert verify_audit(s).ok


def test_idle_lock(db, admin) -> None:
    with db.session() as s:
        assert idle_lock_minutes(s) == 10
        set_idle_lock_minutes(s, admin, 5)
    with db.session() as s:
        assert idle_lock_minutes(s) == 5
    with pytest.raises(ValidationError), db.session() as s:
        set_idle_lock_minutes(s, admin, 999)


def test_clerk_cannot_change_settings(db, admin) -> None:
    with db.session() as s:
        create_user(s, admin, "clerk1", "clerk", "Clerk#2026")
    with db.session() as s:
        clerk = authenticate(s, "clerk1", "Clerk#2026")
    with pytest.raises(PermissionDenied), db.session() as s:
        set_idle_lock_minutes(s, clerk, 3)
